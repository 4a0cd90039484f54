/** Allocates without end. */
import type { ConnectorContext } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'before', {
    vendor: 'X',
    vendorCategory: 'energy',
    issueDate: '2024-01-01',
    totalAmount: 1,
    currency: 'EUR',
  });
  const hoard: string[] = [];
  for (let i = 0; ; i++) hoard.push(`${'x'.repeat(1024)}${i}`);
}
