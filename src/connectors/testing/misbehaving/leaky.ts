/** Tries to leak its credentials through every channel it has: log, console, progress, error. */
import type { ConnectorContext } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  const { username = '', password = '' } = await ctx.credentials();
  ctx.log(`logging in with ${password}`);
  console.log('credentials', { username, password });
  process.stdout.write(`stdout ${password}\n`);
  ctx.progress({ done: 0, message: `as ${username}:${password}` });
  throw new Error(`login failed for ${password} (Basic ${btoa(`${username}:${password}`)})`);
}
