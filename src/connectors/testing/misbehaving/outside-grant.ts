/** Writes a bill (granted), then a bank transaction (not granted). */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'granted', aBill);
  await ctx.upsert('bank.transaction', 'not-granted', {
    date: '2024-01-01',
    label: 'X',
    amount: -1,
    currency: 'EUR',
    accountId: 'FR76',
  });
}
