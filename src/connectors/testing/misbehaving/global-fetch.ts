/** Calls Node's global fetch instead of ctx.fetch. */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'before', aBill);
  await fetch(ctx.api);
}
