/** Calls Node's global fetch instead of ctx.fetch. */
import type { ConnectorContext } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'before', {
    vendor: 'X',
    vendorCategory: 'energy',
    issueDate: '2024-01-01',
    totalAmount: 1,
    currency: 'EUR',
  });
  await fetch(ctx.api);
}
