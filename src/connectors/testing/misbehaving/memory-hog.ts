/** Allocates without end. */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'before', aBill);
  const hoard: string[] = [];
  for (let i = 0; ; i++) hoard.push(`${'x'.repeat(1024)}${i}`);
}
