/** Writes a bill (granted), then a bank transaction (not granted). */
import type { ConnectorContext } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'granted', {
    vendor: 'X',
    vendorCategory: 'energy',
    issueDate: '2024-01-01',
    totalAmount: 1,
    currency: 'EUR',
  });
  await ctx.upsert('bank.transaction', 'not-granted', {
    date: '2024-01-01',
    label: 'X',
    amount: -1,
    currency: 'EUR',
    accountId: 'FR76',
  });
}
