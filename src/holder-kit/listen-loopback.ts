/** Serves a fetch handler on 127.0.0.1 (port 0: an ephemeral one) until closed. */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  url: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(
  fetch: (request: Request) => Response | Promise<Response>,
  port = 0,
): Promise<LoopbackServer> {
  const server = serve({ fetch, port, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // Keep-alive connections would hold close() open: end them.
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
