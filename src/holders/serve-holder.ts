import { serve, type ServerType } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';

export interface RunningHolder {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Serves a holder's app on loopback; port 0 picks a free one. */
export function serveHolder(app: Hono, port = 0): Promise<RunningHolder> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => reject(e);
    const server: ServerType = serve({ fetch: app.fetch, hostname: '127.0.0.1', port }, (info: AddressInfo) => {
      server.off('error', onError);
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            // Keep-alive connections would hold close() for seconds.
            if ('closeAllConnections' in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    server.once('error', onError);
  });
}
