import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { chainEntries, GENESIS_HASH, type LedgerEntry } from '../../core/ledger/ledger-entry.js';
import { createSpaceKeys } from '../../core/keys/space-keys.js';
import { systemClock } from '../../platform/clock.js';
import {
  dropSchema,
  randomSchemaName,
  schemaAtVersion,
  testDatabaseIsPglite,
  testDatabaseUrl,
  testKeyring,
} from '../../testing/postgres.js';
import { expectUpgradedSpace, ledgerDraft } from '../document-store-ledger.contract.js';
import type { DocumentStore } from '../document-store.js';
import { createPostgresDocumentStore } from './postgres-document-store.js';

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const space = (id: string) => ({ id, hosts: [], timeZone: 'Europe/Paris', createdAt: '2026-01-02T03:04:05.000Z' });

describe('PostgreSQL ledger', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function storesOn(schema: string, count: number): Promise<DocumentStore[]> {
    const keyring = testKeyring();
    const stores = await Promise.all(
      Array.from({ length: count }, async () => {
        const store = await createPostgresDocumentStore({
          connectionString: testDatabaseUrl(),
          schema,
          poolSize: 4,
          copy: !testDatabaseIsPglite(),
        });
        await store.useDataKeys?.(createSpaceKeys({ store, keyring, clock: systemClock }));
        return store;
      }),
    );
    cleanups.push(async () => {
      for (const store of stores) await store.close();
      await dropSchema(testDatabaseUrl(), schema);
    });
    return stores;
  }

  it('never forks the chain when two processes (two pools) append to one space at once', async () => {
    const [a, b] = (await storesOn(randomSchemaName(), 2)) as [DocumentStore, DocumentStore];
    await a.createSpace(space('shared'));
    const appender = (store: DocumentStore, name: string) =>
      Promise.all(
        Array.from({ length: 150 }, (_, i) =>
          store.appendLedger(
            'shared',
            Array.from({ length: (i % 2) + 1 }, () => ledgerDraft(i, { actorId: name })),
          ),
        ),
      );
    const [fromA, fromB] = await Promise.all([appender(a, 'a'), appender(b, 'b')]);
    const total = 2 * (75 + 75 * 2);

    const stored: LedgerEntry[] = [];
    for (;;) {
      const page = await b.scanLedger('shared', stored.length ? stored[stored.length - 1]!.seq : 0, 100);
      if (page.length === 0) break;
      stored.push(...page);
    }
    expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const drafts = stored.map(({ seq: _s, prevHash: _p, hash: _h, ...draft }) => draft);
    expect(stored).toEqual(chainEntries({ seq: 0, hash: GENESIS_HASH }, drafts));
    // What each process was told is what was stored.
    expect([...fromA.flat(), ...fromB.flat()].sort((x, y) => x.seq - y.seq)).toEqual(stored);
    expect(await a.ledgerHead('shared')).toEqual({ seq: total, hash: stored[total - 1]!.hash });
  });

  it('appends the calls made together in one transaction per group', async () => {
    const schema = randomSchemaName();
    const [store] = (await storesOn(schema, 1)) as [DocumentStore];
    await store.createSpace(space('trips'));
    // The first call leaves at once; the 49 made in the same turn wait for it and go together.
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.appendLedger('trips', [ledgerDraft(i)])));
    expect((await store.ledgerHead('trips')).seq).toBe(50);
    // Rows inserted by one transaction share its id (xmin).
    const transactions = await withClient(async (c) => {
      const r = await c.query<{ n: number }>(
        `SELECT count(DISTINCT xmin::text)::int AS n FROM ${pg.escapeIdentifier(schema)}.ledger_entries WHERE space = 'trips'`,
      );
      return r.rows[0]!.n;
    });
    expect(transactions).toBe(2);
  });

  it('upgrades a schema of the previous version: existing spaces get a ledger, points and documents a grant', async () => {
    const schema = randomSchemaName();
    const s = pg.escapeIdentifier(schema);
    await withClient(async (c) => {
      await schemaAtVersion(c, schema, 2);
      await c.query(
        `INSERT INTO ${s}.spaces (space, time_zone, created_at) VALUES ('old', 'Europe/Paris', '2025-01-01')`,
      );
      await c.query(`INSERT INTO ${s}.space_sequences (space, seq) VALUES ('old', 1)`);
      await c.query(
        `INSERT INTO ${s}.documents (space, doctype, id, rev, seq, deleted, data, meta)
         VALUES ('old', 'note', 'n1', '1-a', 1, false, '{"v":1}', '{"createdBy":{"kind":"app","id":"x","grant":"g1"}}')`,
      );
      await c.query(
        `INSERT INTO ${s}.series_points (space, doctype, t, stream, day, value, data)
         VALUES ('old', 'power', 0, 'default', '1970-01-01', 5, '{}')`,
      );
    });
    const [store] = (await storesOn(schema, 1)) as [DocumentStore];
    await expectUpgradedSpace(store, 'old');
  });

  it('finds documents of a grant through the partial index, not a scan of the space', async () => {
    if (testDatabaseIsPglite()) return;
    const schema = randomSchemaName();
    const [store] = (await storesOn(schema, 1)) as [DocumentStore];
    await store.createSpace(space('big'));
    const meta = (grant: string | null) =>
      JSON.stringify({
        createdAt: '2026-01-01T00:00:00.000Z',
        createdBy: grant ? { kind: 'app', id: 'x', grant } : { kind: 'owner' },
      });
    for (let batch = 0; batch < 4; batch++) {
      await store.writeDocuments(
        'big',
        Array.from({ length: 1000 }, (_, i) => ({
          doctype: 'note',
          id: `d-${batch}-${i}`,
          expectedRev: null,
          rev: '1-a',
          deleted: false,
          data: '{}',
          meta: meta(i % 100 === 0 ? 'g1' : null),
        })),
      );
    }
    const plan = await withClient(async (c) => {
      await c.query(`ANALYZE ${pg.escapeIdentifier(schema)}.documents`);
      const r = await c.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id FROM ${pg.escapeIdentifier(schema)}.documents
          WHERE space = 'big' AND doctype = 'note' AND NOT deleted AND grant_id = 'g1' ORDER BY id LIMIT 100`,
      );
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('documents_by_grant');
    const found = await store.findDocuments('big', 'note', {
      selector: null,
      sort: [],
      limit: 100,
      createdByGrant: 'g1',
    });
    expect(found).toHaveLength(40);
  });
});
