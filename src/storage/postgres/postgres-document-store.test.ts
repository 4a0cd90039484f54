import { createServer } from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { localDay, localHourKey } from '../../core/time/time-zone.js';
import {
  dropSchema,
  makeTestPostgresStore,
  randomSchemaName,
  testDatabaseIsPglite,
  testDatabaseUrl,
  testKeyring,
} from '../../testing/postgres.js';
import { createSpaceKeys } from '../../core/keys/space-keys.js';
import { finishRotation, rotateDataKey, wrapAllUnder } from '../../core/keys/key-rotation.js';
import { generateMasterKey, type MasterKeyring } from '../../core/keys/master-keyring.js';
import { systemClock } from '../../platform/clock.js';
import { documentStoreContract } from '../document-store.contract.js';
import { ledgerDraft, ledgerStoreContract } from '../document-store-ledger.contract.js';
import { retentionStoreContract } from '../document-store-retention.contract.js';
import type { DocumentStore, DocumentWrite, SeriesPointWrite, StoreFindQuery } from '../document-store.js';
import { createPostgresDocumentStore } from './postgres-document-store.js';
import { changesQuery, documentsQuery } from './postgres-documents.js';
import { migrations } from './postgres-migrations.js';

documentStoreContract('postgres', () => makeTestPostgresStore());
ledgerStoreContract('postgres', () => makeTestPostgresStore());
retentionStoreContract('postgres', () => makeTestPostgresStore());

const META = JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z', createdBy: { kind: 'owner' } });
const HOUR = 3_600_000;

function creation(doctype: string, id: string, data: unknown): DocumentWrite {
  return { doctype, id, expectedRev: null, rev: '1-aa', deleted: false, data: JSON.stringify(data), meta: META };
}

async function newSpace(store: DocumentStore, id: string, hosts: string[] = [], timeZone = 'Europe/Paris') {
  await store.createSpace({ id, hosts, timeZone, createdAt: '2026-01-02T03:04:05.000Z' });
}

async function withClient<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function rejection(promise: Promise<unknown>): Promise<FoyerError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(FoyerError);
    return e as FoyerError;
  }
  throw new Error('expected a FoyerError');
}

describe('PostgreSQL DocumentStore', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Several stores ("processes") on one fresh schema. */
  async function processes(count: number): Promise<{ stores: DocumentStore[]; schema: string }> {
    const schema = randomSchemaName();
    const keyring = testKeyring();
    const stores = await Promise.all(
      Array.from({ length: count }, async () => {
        const store = await createPostgresDocumentStore({ connectionString: testDatabaseUrl(), schema, poolSize: 4 });
        await store.useDataKeys?.(createSpaceKeys({ store, keyring, clock: systemClock }));
        return store;
      }),
    );
    cleanups.push(async () => {
      for (const store of stores) await store.close();
      await dropSchema(testDatabaseUrl(), schema);
    });
    return { stores, schema };
  }

  it('lets a reader following the changes feed see every write of two concurrent processes', async () => {
    const { stores } = await processes(2);
    const [a, b] = stores as [DocumentStore, DocumentStore];
    await newSpace(a, 'feed');

    // Both processes open the space's data key first (its record is a write of its own).
    await a.writeDocuments('feed', [creation('other', 'a', {})]);
    await b.writeDocuments('feed', [creation('other', 'b', {})]);
    let writing = true;
    const writer = async (store: DocumentStore, name: string) => {
      for (let i = 0; i < 40; i++) {
        const batch = i % 5 === 0 ? 3 : 1;
        await store.writeDocuments(
          'feed',
          Array.from({ length: batch }, (_, j) => creation('note', `${name}-${i}-${j}`, { i })),
        );
      }
    };
    const seen: string[] = [];
    const seqs: number[] = [];
    let since = 0;
    const poll = async () => {
      const page = await b.changes('feed', 'note', since, 5);
      for (const change of page) {
        seen.push(change.id);
        seqs.push(change.seq);
      }
      if (page.length > 0) since = page[page.length - 1]!.seq;
      return page.length;
    };
    const reader = async () => {
      while (writing) await poll();
      while ((await poll()) > 0);
    };
    const done = Promise.all([writer(a, 'a1'), writer(a, 'a2'), writer(b, 'b1'), writer(b, 'b2')]).finally(() => {
      writing = false;
    });
    await Promise.all([done, reader()]);

    const total = 4 * (32 + 8 * 3);
    expect(new Set(seen).size).toBe(total);
    expect(seen).toHaveLength(total);
    // Seqs are dense and in order: nothing was committed behind the reader's back.
    expect(seqs).toEqual(Array.from({ length: total }, (_, i) => seqs[0]! + i));
  });

  it('commits calls that wait together as if each were alone: later calls see earlier ones, a failed one is left out', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'group');
    const doc = (id: string, expectedRev: string | null, rev: string, deleted = false): DocumentWrite => ({
      doctype: 'note',
      id,
      expectedRev,
      rev,
      deleted,
      data: deleted ? null : JSON.stringify({ id, rev }),
      meta: META,
    });
    // The space's data key first: its record is a write of its own, which numbers start after.
    const [keyed] = await store.writeDocuments('group', [doc('key', null, '1-k')]);
    const base = keyed!.seq;
    // The first call leaves at once; the others, made in the same turn, wait for it and go together.
    const results = await Promise.allSettled([
      store.writeDocuments('group', [doc('warm', null, '1-w')]),
      store.writeDocuments('group', [doc('a', null, '1-a'), doc('b', null, '1-b')]),
      store.writeDocuments('group', [doc('a', '1-a', '2-a')]),
      store.writeDocuments('group', [doc('c', null, '1-c'), doc('a', null, '1-x')]),
      store.writeDocuments('group', [doc('c', '1-c', '2-c')]),
      store.writeDocuments('group', [doc('a', '2-a', '3-a'), doc('b', '1-b', '2-b', true)]),
      store.writeDocuments('group', [doc('b', null, '3-b')]),
    ]);
    const seqs = results.map((r) => (r.status === 'fulfilled' ? r.value.map((w) => w.seq - base) : null));
    // Numbered in call order; the failed calls' numbers go unused.
    expect(seqs).toEqual([[1], [2, 3], [4], null, null, [8, 9], [10]]);
    const failed = results.map((r) => (r.status === 'rejected' ? (r.reason as FoyerError) : null));
    expect(failed[3]?.code).toBe('conflict');
    expect(failed[3]?.details).toEqual({ index: 1, doctype: 'note', id: 'a', currentRev: '2-a' });
    // c was written only by the failed call.
    expect(failed[4]?.details).toEqual({ index: 0, doctype: 'note', id: 'c', currentRev: null });

    const docs = await store.getDocuments('group', 'note', ['warm', 'a', 'b', 'c']);
    expect(docs.map((d) => d && [d.rev, d.seq - base, d.deleted])).toEqual([
      ['1-w', 1, false],
      ['3-a', 8, false],
      ['3-b', 10, false],
      null,
    ]);
    const [next] = await store.writeDocuments('group', [doc('d', null, '1-d')]);
    expect(next!.seq - base).toBe(11);
  });

  it('fails only the call whose data the database refuses when calls are committed together', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'bad-data');
    const results = await Promise.allSettled([
      store.writeDocuments('bad-data', [creation('note', 'first', { n: 1 })]),
      store.writeDocuments('bad-data', [creation('note', 'before', { n: 2 })]),
      store.writeDocuments('bad-data', [creation('note', 'n\u0000l', { n: 4 })]),
      store.writeDocuments('bad-data', [creation('note', 'after', { n: 3 })]),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(((results[2] as PromiseRejectedResult).reason as FoyerError).code).toBe('bad_request');
    const docs = await store.getDocuments('bad-data', 'note', ['first', 'before', 'after']);
    expect(docs.map((d) => d && JSON.parse(d.data!).n)).toEqual([1, 2, 3]);
    expect((await store.changes('bad-data', 'note', 0, 10)).map((c) => c.id).sort()).toEqual([
      'after',
      'before',
      'first',
    ]);
  });

  /** A store on a fresh schema whose space holds notes n0, n1... (unknown to the statistics). */
  async function spaceOfNotes(space: string, count: number) {
    const { store, schema, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, space);
    await store.writeDocuments(
      space,
      Array.from({ length: count }, (_, i) => creation('note', `n${i}`, { i, text: 'a few words to fill the pages' })),
    );
    return { store, schema };
  }

  it('reads and writes documents of a large space reading a few pages, before any statistics', async () => {
    const { store, schema } = await spaceOfNotes('big', 5000);
    // The planner underestimates the space, and used to read all of it for each lookup (through
    // the changes index, or the primary key's prefix). Pages read by the last statement; the ones
    // before warm the connection up (catalogs, the function's compilation).
    const pages = (...statements: [string, unknown[]][]) =>
      withClient(async (client) => {
        let read = 0;
        for (const [text, values] of statements) {
          const result = await client.query<{ 'QUERY PLAN': [{ Plan: Record<string, number> }] }>(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${text}`,
            values,
          );
          const plan = result.rows[0]!['QUERY PLAN'][0].Plan;
          read = plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
        }
        return read;
      });
    const { text, values } = documentsQuery(schema, 'big', 'note', ['n17', 'n4321', 'missing']);
    expect(await pages([text, values], [text, values])).toBeLessThan(20);

    const write = `SELECT * FROM ${pg.escapeIdentifier(schema)}.write_documents($1, $2::jsonb, 0)`;
    // Written in clear (no body), as rows from before encryption: still read back.
    const update = (id: string, from: string, to: string) => [
      0,
      'note',
      id,
      from,
      to,
      false,
      null,
      META,
      '{}',
      null,
      null,
      null,
      [],
    ];
    const updates = (...writes: unknown[][]) => ['big', JSON.stringify(writes)];
    expect(
      await pages(
        [write, updates(update('n17', '1-aa', '2-aa'))],
        [write, updates(update('n4321', '1-aa', '2-bb'), update('n4321', '2-bb', '3-cc'))],
      ),
    ).toBeLessThan(40);
    expect((await store.getDocument('big', 'note', 'n4321'))?.rev).toBe('3-cc');
  });

  it('reads the changes feed from its index, and lookups by id never take it', async () => {
    const { schema } = await spaceOfNotes('plans', 2000);
    const plan = (text: string, values: unknown[]) =>
      withClient(async (client) => {
        await client.query('SET enable_seqscan = off');
        const result = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values);
        return result.rows.map((r) => r['QUERY PLAN']).join('\n');
      });
    for (const since of [0, 1500, -3]) {
      const { text, values } = changesQuery(schema, 'plans', 'note', since, 10);
      expect(await plan(text, values)).toContain('documents_changes');
    }
    // It also starts with (space, doctype), and is smaller than the primary key.
    const lookup = await plan(
      `SELECT rev FROM ${pg.escapeIdentifier(schema)}.documents WHERE space = $1 AND doctype = $2 AND id = ANY($3::text[])`,
      ['plans', 'note', ['n5']],
    );
    expect(lookup).not.toContain('documents_changes');
  });

  it('applies the migrations once when several processes start at the same time', async () => {
    const { schema } = await processes(4);
    const rows = await withClient(async (client) => {
      const result = await client.query<{ version: number }>(
        `SELECT version FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
      );
      return result.rows.map((r) => r.version);
    });
    expect(rows).toEqual(migrations.map((m) => m.version));
  });

  it('refuses to start on a schema migrated by a newer Foyer', async () => {
    const { stores, schema } = await processes(1);
    await stores[0]!.close();
    await withClient((client) =>
      client.query(
        `INSERT INTO ${pg.escapeIdentifier(schema)}.schema_migrations (version, name) VALUES (999, 'future')`,
      ),
    );
    const e = await rejection(createPostgresDocumentStore({ connectionString: testDatabaseUrl(), schema }));
    expect(e.code).toBe('internal');
    expect(e.message).toContain('newer');
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    const e = await rejection(createPostgresDocumentStore({ connectionString: testDatabaseUrl(), schema: 'x"; DROP' }));
    expect(e.code).toBe('bad_request');
  });

  it('deletes every row of a space from every table of the schema, and only those', async () => {
    const { store, schema } = await makeTestPostgresStore();
    cleanups.push(async () => {
      await store.close();
      await dropSchema(testDatabaseUrl(), schema);
    });
    for (const space of ['gone', 'kept']) {
      await newSpace(store, space, [`${space}.example.org`]);
      await store.writeDocuments(space, [creation('note', 'n1', { date: '2024-01-01' })]);
      await store.ensureIndex(space, 'note', ['date']);
      const t = Date.UTC(2024, 0, 1);
      await store.appendPoints(space, 'water.daily', [
        { stream: 'default', t, day: '2024-01-01', value: 1, data: '{}' },
      ]);
      await store.appendLedger(space, [ledgerDraft(0)]);
      // series_points holds only points an earlier release wrote in clear, until they are sealed.
      await withClient((client) =>
        client.query(
          `INSERT INTO ${pg.escapeIdentifier(schema)}.series_points (space, doctype, t, stream, day, value, data)
           VALUES ($1, 'legacy.series', 0, 'default', '1970-01-01', 1, '{}')`,
          [space],
        ),
      );
    }
    const count = async (space: string) =>
      withClient(async (client) => {
        const tables = await client.query<{ table_name: string }>(
          `SELECT table_name FROM information_schema.tables
            WHERE table_schema = $1 AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
            ORDER BY table_name`,
          [schema],
        );
        const counts: Record<string, number> = {};
        for (const { table_name } of tables.rows) {
          const result = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table_name)} WHERE space = $1`,
            [space],
          );
          counts[table_name] = result.rows[0]!.n;
        }
        return counts;
      });
    const before = await count('gone');
    expect(Object.keys(before).length).toBeGreaterThanOrEqual(8);
    for (const [table, n] of Object.entries(before)) expect({ table, n: n > 0 }).toEqual({ table, n: true });

    await store.deleteSpace('gone');
    const after = await count('gone');
    expect(Object.values(after).every((n) => n === 0)).toBe(true);
    expect(await count('kept')).toEqual(before);
  });

  it('reports a closed store as unavailable, without the driver message', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await store.close();
    const e = await rejection(store.getSpace('any'));
    expect(e.code).toBe('unavailable');
    expect(e.message).toBe('The database is unavailable.');
    expect(e.cause).toBeInstanceOf(Error);
    expect(e.message).not.toContain((e.cause as Error).message);
  });

  it('reports an unreachable server as unavailable', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
      });
    });
    const e = await rejection(
      createPostgresDocumentStore({ connectionString: `postgres://nobody@127.0.0.1:${port}/none`, poolSize: 1 }),
    );
    expect(e.code).toBe('unavailable');
    expect(e.message).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('refuses text PostgreSQL cannot store (NUL) as a bad request, writing nothing; sealed data may hold it', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'nul');
    const e = await rejection(
      store.writeDocuments('nul', [creation('note', 'ok', { a: 1 }), creation('note', 'b\u0000d', { a: 2 })]),
    );
    expect(e.code).toBe('bad_request');
    expect(e.message).not.toMatch(/jsonb|unicode|escape/i);
    expect(await store.getDocuments('nul', 'note', ['ok'])).toEqual([null]);
    // Inside a sealed body, a NUL is only bytes.
    await store.writeDocuments('nul', [creation('note', 'held', { a: 'x\u0000y' })]);
    expect(JSON.parse((await store.getDocument('nul', 'note', 'held'))!.data!)).toEqual({ a: 'x\u0000y' });
  });

  it('refuses a cursor that does not match the sort, and a negative limit', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'cursor');
    const sort = [{ field: 'a', direction: 'asc' as const }];
    const mismatched = await rejection(
      store.findDocuments('cursor', 'note', { selector: null, sort, limit: 5, after: { values: [], id: 'x' } }),
    );
    expect(mismatched.code).toBe('bad_request');
    const negative = await rejection(store.findDocuments('cursor', 'note', { selector: null, sort, limit: -1 }));
    expect(negative.code).toBe('bad_request');
    const badPoint = await rejection(
      store.appendPoints('cursor', 'water.daily', [
        { stream: 'default', t: 1.5, day: '1970-01-01', value: 1, data: '{}' },
      ]),
    );
    expect(badPoint.code).toBe('bad_request');
  });

  it('narrows finds with the blind terms of declared indexes, filled in for documents written before', async () => {
    const { store, schema, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'idx');
    const docs = Array.from({ length: 200 }, (_, i) => ({
      id: `t${String(i).padStart(3, '0')}`,
      data: { date: `2024-0${1 + (i % 9)}-1${i % 10}`, amount: i - 100, account: `a${i % 3}` },
    }));
    // Half before the declaration (backfilled), half after (written with their terms).
    await store.writeDocuments(
      'idx',
      docs.slice(0, 100).map((d) => creation('bank.transaction', d.id, d.data)),
    );
    await store.ensureIndex('idx', 'bank.transaction', ['date']);
    await store.ensureIndex('idx', 'bank.transaction', ['account', 'date']);
    await store.writeDocuments(
      'idx',
      docs.slice(100).map((d) => creation('bank.transaction', d.id, d.data)),
    );
    // Nested as parseSelector makes `{ date: { $gte, $lt }, amount: { $lt: 0 } }`.
    const month: StoreFindQuery = {
      selector: {
        op: 'and',
        of: [
          {
            op: 'and',
            of: [
              { op: 'gte', field: 'date', value: '2024-03-01' },
              { op: 'lt', field: 'date', value: '2024-04-01' },
            ],
          },
          { op: 'lt', field: 'amount', value: 0 },
        ],
      },
      sort: [{ field: 'date', direction: 'asc' }],
      limit: 100,
    };
    const account: StoreFindQuery = { selector: { op: 'eq', field: 'account', value: 'a1' }, sort: [], limit: 500 };
    const expectedMonth = docs
      .filter((d) => d.data.date >= '2024-03-01' && d.data.date < '2024-04-01' && d.data.amount < 0)
      .sort((a, b) => (a.data.date < b.data.date ? -1 : a.data.date > b.data.date ? 1 : a.id < b.id ? -1 : 1))
      .map((d) => d.id);
    expect(expectedMonth.length).toBeGreaterThan(5);
    expect((await store.findDocuments('idx', 'bank.transaction', month)).map((d) => d.id)).toEqual(expectedMonth);
    expect((await store.findDocuments('idx', 'bank.transaction', account)).map((d) => d.id)).toEqual(
      docs.filter((d) => d.data.account === 'a1').map((d) => d.id),
    );
    // The terms are what narrows: without them the same finds come back empty, while a find on
    // a field no index declares scans and still answers.
    await withClient((client) => client.query(`DELETE FROM ${pg.escapeIdentifier(schema)}.document_terms`));
    expect(await store.findDocuments('idx', 'bank.transaction', month)).toEqual([]);
    expect(await store.findDocuments('idx', 'bank.transaction', account)).toEqual([]);
    const debits: StoreFindQuery = { selector: { op: 'lt', field: 'amount', value: -50 }, sort: [], limit: 100 };
    expect((await store.findDocuments('idx', 'bank.transaction', debits)).length).toBe(50);
  });

  it('writes the terms of an index another process declares while this one writes', async () => {
    const { stores } = await processes(2);
    const [a, b] = stores as [DocumentStore, DocumentStore];
    await newSpace(a, 'race');
    // a knows the space's declarations (none) from a first write, then b declares one.
    await a.writeDocuments('race', [creation('note', 'first', { tag: 'x' })]);
    await b.ensureIndex('race', 'note', ['tag']);
    await a.writeDocuments('race', [creation('note', 'second', { tag: 'x' })]);
    const found = await b.findDocuments('race', 'note', {
      selector: { op: 'eq', field: 'tag', value: 'x' },
      sort: [],
      limit: 10,
    });
    expect(found.map((d) => d.id)).toEqual(['first', 'second']);
    expect(await a.listIndexes('race', 'note')).toEqual([['tag']]);
  });

  it('declares an index once when several processes declare it at the same time', async () => {
    const { stores } = await processes(2);
    const spaces = ['i1', 'i2', 'i3'];
    for (const space of spaces) {
      await newSpace(stores[0]!, space);
      await stores[0]!.writeDocuments(space, [creation('bank.transaction', 'x', { date: '2024-01-02', account: 'a' })]);
    }
    await Promise.all(
      spaces.flatMap((space, i) =>
        stores.map((store) => store.ensureIndex(space, 'bank.transaction', i % 2 ? ['date'] : ['account', 'date'])),
      ),
    );
    for (const [i, space] of spaces.entries()) {
      expect(await stores[1]!.listIndexes(space, 'bank.transaction')).toEqual([i % 2 ? ['date'] : ['account', 'date']]);
      const found = await stores[1]!.findDocuments(space, 'bank.transaction', {
        selector: { op: 'eq', field: 'date', value: '2024-01-02' },
        sort: [],
        limit: 5,
      });
      expect(found.map((d) => d.id)).toEqual(['x']);
    }
  });

  it('keeps what it sealed readable across master and data key rotations, sealing new values under the new version', async () => {
    const schema = randomSchemaName();
    const url = testDatabaseUrl();
    const opened: DocumentStore[] = [];
    cleanups.push(async () => {
      for (const store of opened) await store.close();
      await dropSchema(url, schema);
    });
    const open = async (keyring: MasterKeyring) => {
      const store = await createPostgresDocumentStore({ connectionString: url, schema, poolSize: 2 });
      await store.useDataKeys!(createSpaceKeys({ store, keyring, clock: systemClock, refreshMs: 0 }));
      opened.push(store);
      return store;
    };
    const old = testKeyring();
    const a = await open(old);
    await newSpace(a, 'rot');
    await a.ensureIndex('rot', 'note', ['tag']);
    await a.writeDocuments('rot', [creation('note', 'd1', { tag: 'x', n: 1 })]);
    const t0 = Date.UTC(2024, 0, 1, 10);
    const point = (t: number, value: number): SeriesPointWrite => ({
      stream: 'meter-1',
      t,
      day: '2024-01-01',
      value,
      data: JSON.stringify({ value }),
    });
    await a.appendPoints('rot', 'power', [point(t0, 1)]);

    // Master key: wrapped under the new key too, then under it alone; a process with only it reads everything.
    const newKey = generateMasterKey();
    await wrapAllUnder(a, old, newKey, systemClock);
    await finishRotation(a, { keys: [newKey, ...old.keys], source: { kind: 'env' } }, systemClock);
    const ring = { keys: [newKey], source: { kind: 'env' as const } };
    const b = await open(ring);
    expect(JSON.parse((await b.getDocument('rot', 'note', 'd1'))!.data!)).toEqual({ tag: 'x', n: 1 });

    // Data key: new values under version 2, old ones still under 1; terms and streams unchanged.
    expect(await rotateDataKey(b, ring, 'rot', systemClock)).toBe(2);
    await b.writeDocuments('rot', [creation('note', 'd2', { tag: 'x', n: 2 })]);
    await b.appendPoints('rot', 'power', [point(t0 + HOUR, 2)]);
    const versions = await withClient(async (client) => {
      const r = await client.query<{ id: string; v: number }>(
        `SELECT id, get_byte(body, 3) AS v FROM ${pg.escapeIdentifier(schema)}.documents
          WHERE space = 'rot' AND doctype = 'note' ORDER BY id`,
      );
      return r.rows.map((row) => [row.id, row.v]);
    });
    expect(versions).toEqual([
      ['d1', 1],
      ['d2', 2],
    ]);
    const found = await b.findDocuments('rot', 'note', {
      selector: { op: 'eq', field: 'tag', value: 'x' },
      sort: [],
      limit: 10,
    });
    expect(found.map((d) => JSON.parse(d.data!).n)).toEqual([1, 2]);
    const days = await b.aggregatePoints(
      'rot',
      'power',
      { from: 0, to: t0 + 2 * HOUR, stream: 'meter-1' },
      'day',
      'UTC',
    );
    expect(days).toEqual([{ key: '2024-01-01', count: 2, sum: 3, min: 1, max: 2 }]);
  });

  it('refuses a sealed body moved to another row as integrity_failed', async () => {
    const { store, schema, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    await newSpace(store, 'swap');
    await store.writeDocuments('swap', [creation('note', 'a', { v: 'a' }), creation('note', 'b', { v: 'b' })]);
    await withClient((client) =>
      client.query(
        `UPDATE ${pg.escapeIdentifier(schema)}.documents SET body = (SELECT body FROM ${pg.escapeIdentifier(schema)}.documents
           WHERE space = 'swap' AND id = 'a') WHERE space = 'swap' AND id = 'b'`,
      ),
    );
    expect(JSON.parse((await store.getDocument('swap', 'note', 'a'))!.data!)).toEqual({ v: 'a' });
    const e = await rejection(store.getDocument('swap', 'note', 'b'));
    expect(e.code).toBe('integrity_failed');
  });

  it('appends points whose text holds tabs, newlines, backslashes and quotes, by COPY and by INSERT', async () => {
    // PGlite's socket server has no COPY FROM STDIN: there only the INSERT path runs.
    for (const copy of testDatabaseIsPglite() ? [false] : [true, false]) {
      const { store, cleanup } = await makeTestPostgresStore({ copy });
      cleanups.push(cleanup);
      await newSpace(store, 'escapes');
      const odd = 'a\tb\nc\rd\\e"f\\N';
      const t0 = Date.UTC(2024, 0, 1);
      const points: SeriesPointWrite[] = [
        { stream: odd, t: t0, day: '2024-01-01', value: 1.5, data: JSON.stringify({ note: odd }) },
        { stream: odd, t: t0 + HOUR, day: '2024-01-01', value: null, data: odd },
        { stream: '\\N', t: t0, day: '2024-01-01', value: -2, data: '\\N' },
      ];
      expect(await store.appendPoints('escapes', 'odd.series', points)).toBe(3);
      const read = await store.readPoints('escapes', 'odd.series', { from: t0, to: t0 + 2 * HOUR }, 10);
      expect(read).toEqual([
        { stream: '\\N', t: t0, value: -2, data: '\\N' },
        { stream: odd, t: t0, value: 1.5, data: JSON.stringify({ note: odd }) },
        { stream: odd, t: t0 + HOUR, value: null, data: odd },
      ]);
      const days = await store.aggregatePoints(
        'escapes',
        'odd.series',
        { from: 0, to: t0 + 2 * HOUR },
        'day',
        'Europe/Paris',
      );
      expect(days).toEqual([{ key: '2024-01-01', count: 2, sum: -0.5, min: -2, max: 1.5 }]);
      const hours = await store.aggregatePoints(
        'escapes',
        'odd.series',
        { from: 0, to: t0 + 2 * HOUR, stream: odd },
        'hour',
        'Europe/Paris',
      );
      expect(hours).toEqual([{ key: '2024-01-01T01', count: 1, sum: 1.5, min: 1.5, max: 1.5 }]);
    }
  });

  it('aggregates local hours in a zone whose offset is not a whole hour', async () => {
    const { store, cleanup } = await makeTestPostgresStore();
    cleanups.push(cleanup);
    const zone = 'Asia/Kolkata';
    await newSpace(store, 'india', [], zone);
    const points: SeriesPointWrite[] = [];
    for (let t = Date.UTC(2024, 4, 1, 17); t < Date.UTC(2024, 4, 3, 2); t += HOUR / 4) {
      points.push({ stream: 'm', t, day: localDay(t, zone), value: (t / HOUR) % 7, data: '{}' });
    }
    await store.appendPoints('india', 'energy.electricity.load-curve', points);
    const range = { from: Date.UTC(2024, 4, 1, 18, 10), to: Date.UTC(2024, 4, 2, 21, 40) };
    const expected = new Map<string, { count: number; sum: number }>();
    for (const p of points) {
      if (p.t < range.from || p.t >= range.to) continue;
      const key = localHourKey(p.t, zone);
      const row = expected.get(key) ?? { count: 0, sum: 0 };
      row.count++;
      row.sum += p.value!;
      expected.set(key, row);
    }
    const rows = await store.aggregatePoints('india', 'energy.electricity.load-curve', range, 'hour', zone);
    expect(rows.map((r) => [r.key, r.count, r.sum])).toEqual([...expected].map(([key, r]) => [key, r.count, r.sum]));
    expect(rows.some((r) => r.key.endsWith('T00'))).toBe(true);
  });
});
