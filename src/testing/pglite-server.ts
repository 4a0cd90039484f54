/**
 * An in-process PostgreSQL for tests on a machine without one: PGlite (PostgreSQL compiled to
 * WebAssembly, a single backend) served on a loopback port by `@electric-sql/pglite-socket`.
 *
 * Several connections at once: the socket server accepts them (`maxConnections`) and queues their
 * protocol messages one at a time on the single backend, keeping a connection's explicit
 * transaction together. It does not keep an extended-protocol exchange together (Parse, Bind,
 * Execute... up to Sync): when another connection's message slips in between, the unnamed
 * statement or portal is replaced under the first one ("portal does not exist", or another
 * query's rows). Measured here with pg's Pool: large parameterised queries interleaved with
 * small ones fail within seconds. `groupedProtocol` closes that gap by reporting "in a
 * transaction" until the exchange ends, which makes the queue serve that connection only.
 * Named prepared statements would still collide (one backend holds them all): the PostgreSQL
 * adapter uses none.
 */
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/** Frontend messages that end an exchange: Sync, simple Query, Terminate, password. */
const EXCHANGE_ENDS = new Set(['S', 'Q', 'X', 'p'].map((c) => c.charCodeAt(0)));

/** The PGlite instance as the socket server sees it, with protocol exchanges kept whole. */
export function groupedProtocol(db: PGlite): PGlite {
  let midExchange = false;
  return new Proxy(db, {
    get(target, property) {
      if (property === 'isInTransaction') return () => midExchange || target.isInTransaction();
      if (property === 'execProtocolRawStream') {
        return async (message: Uint8Array, options: Parameters<PGlite['execProtocolRawStream']>[1]) => {
          // The startup message has no type byte: it starts with its length, whose first byte is 0.
          const first = message[0] ?? 0;
          try {
            return await target.execProtocolRawStream(message, options);
          } finally {
            midExchange = first !== 0 && !EXCHANGE_ENDS.has(first);
          }
        };
      }
      if (property === 'exec') {
        // The server runs ROLLBACK through exec when a connection drops mid-transaction.
        return async (...args: Parameters<PGlite['exec']>) => {
          midExchange = false;
          return target.exec(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

export interface PgliteServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  stop(): Promise<void>;
}

/** Starts PGlite (in memory) behind a socket server on a free loopback port. */
export async function startPgliteServer(options: { maxConnections?: number } = {}): Promise<PgliteServer> {
  const db = await PGlite.create();
  const server = new PGLiteSocketServer({
    db: groupedProtocol(db),
    host: '127.0.0.1',
    port: 0,
    maxConnections: options.maxConnections ?? 200,
  });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
