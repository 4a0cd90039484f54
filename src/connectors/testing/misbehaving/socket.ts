/** Opens a TCP socket to a host it never declared (the port comes from its API URL). */
import type * as Net from 'node:net';
import type { ConnectorContext } from '../../sdk.js';

export async function run(ctx: ConnectorContext): Promise<void> {
  const net = (await import(['node', 'net'].join(':'))) as typeof Net;
  const url = new URL(ctx.api);
  await new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}
