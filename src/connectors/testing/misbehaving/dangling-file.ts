/** Names, in a bill's file field, a file it never stored. */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  await ctx.upsert('bill', 'dangling', { ...aBill, fileId: 'i0123456789abcdef0123456789abcde' });
}
