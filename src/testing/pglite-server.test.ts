import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPgliteServer } from './pglite-server.js';
import type { PgliteServer } from './pglite-server.js';

describe('PGlite socket server for tests', () => {
  let server: PgliteServer;
  beforeAll(async () => {
    server = await startPgliteServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('serves concurrent connections without mixing their parameterised queries', async () => {
    const writers = new pg.Pool({ connectionString: server.url, max: 3 });
    const readers = new pg.Pool({ connectionString: server.url, max: 3 });
    try {
      await writers.query('CREATE TABLE t (k int PRIMARY KEY, v text)');
      // Large parameter messages arrive in several socket reads: the moment another connection's
      // message could slip into the middle of an exchange.
      const bulk = async (round: number) => {
        const keys = Array.from({ length: 50_000 }, (_, i) => round * 100_000 + i);
        const client = await writers.connect();
        try {
          await client.query('BEGIN');
          const result = await client.query('INSERT INTO t SELECT * FROM unnest($1::int[], $2::text[])', [
            keys,
            keys.map((k) => `value ${k} ${'-'.repeat(20)}`),
          ]);
          await client.query('COMMIT');
          return result.rowCount;
        } finally {
          client.release();
        }
      };
      const echo = async (i: number) => {
        const result = await readers.query<{ n: number; s: string }>('SELECT $1::int AS n, $2::text AS s', [
          i,
          'x'.repeat(i % 2000),
        ]);
        return result.rows[0]?.n === i && result.rows[0].s.length === i % 2000;
      };
      const [inserted, echoes] = await Promise.all([
        Promise.all([bulk(1), bulk(2), bulk(3)]),
        Promise.all(Array.from({ length: 1500 }, (_, i) => echo(i))),
      ]);
      expect(inserted).toEqual([50_000, 50_000, 50_000]);
      expect(echoes.filter((ok) => !ok)).toEqual([]);
      expect((await readers.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]?.n).toBe(150_000);
    } finally {
      await writers.end();
      await readers.end();
    }
  });
});
