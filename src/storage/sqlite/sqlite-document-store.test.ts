import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentStoreContract, rejection } from '../document-store.contract.js';
import { ledgerStoreContract } from '../document-store-ledger.contract.js';
import { retentionStoreContract } from '../document-store-retention.contract.js';
import type { DocumentStore, DocumentWrite, SpaceRecord } from '../document-store.js';
import { unwrapDatabaseKey, wrapDatabaseKey } from '../../core/keys/key-wrap.js';
import { generateMasterKey, type MasterKeyring } from '../../core/keys/master-keyring.js';
import type { SqliteCipher } from './sqlite-cipher.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';
import { compileSelector, valueExpression } from './sqlite-selector.js';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'foyer-sqlite-'));
}

/** `cipher`: the space files encrypted as Foyer runs them by default (sqlite-cipher.ts). */
async function makeSqliteStore(cipher: SqliteCipher | null = null) {
  const dataDir = tempDir();
  const encryption = cipher ? { keyring: testKeyring(), cipher } : undefined;
  const store = createSqliteDocumentStore({ dataDir, ...(encryption ? { encryption } : {}) });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

documentStoreContract('sqlite', () => makeSqliteStore());
documentStoreContract('sqlite, encrypted', () => makeSqliteStore('aegis'));
ledgerStoreContract('sqlite, encrypted', () => makeSqliteStore('aegis'));
retentionStoreContract('sqlite, encrypted', () => makeSqliteStore('aegis'));

function testKeyring(): MasterKeyring {
  return { keys: [generateMasterKey()], source: { kind: 'env' } };
}

const space = (id: string, hosts: string[] = []): SpaceRecord => ({
  id,
  hosts,
  timeZone: 'Europe/Paris',
  createdAt: '2026-01-01T00:00:00.000Z',
});

const create = (id: string, data: unknown, doctype = 'note'): DocumentWrite => ({
  doctype,
  id,
  expectedRev: null,
  rev: '1-aa',
  deleted: false,
  data: JSON.stringify(data),
  meta: '{}',
});

describe('SQLite document store on disk', () => {
  let dataDir: string;
  let store: DocumentStore;

  beforeEach(() => {
    dataDir = tempDir();
    store = createSqliteDocumentStore({ dataDir });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('moves a change stamp with writes of its doctype, by this store or another process on the same files', async () => {
    await store.createSpace(space('alice'));
    const stamp = () => store.changeStamp!('alice', 'state');
    const first = await stamp();
    await store.writeDocuments('alice', [create('a', { v: 1 })]);
    expect(await stamp()).toBe(first);
    // A write that fails still moves it: a reader only reads again.
    await rejection(store.writeDocuments('alice', [create('s', {}, 'state'), create('a', {})]));
    const second = await stamp();
    expect(second).not.toBe(first);
    await store.writeDocuments('alice', [create('s', {}, 'state')]);
    const third = await stamp();
    expect(third).not.toBe(second);
    const other = createSqliteDocumentStore({ dataDir });
    try {
      await other.writeDocuments('alice', [create('b', {})]);
    } finally {
      await other.close();
    }
    expect(await stamp()).not.toBe(third);
    await expect(store.changeStamp!('nobody', 'state')).rejects.toMatchObject({ code: 'space_not_found' });
  });

  it('keeps the registry in foyer.db and each space in its own WAL database', async () => {
    await store.createSpace(space('alice'));
    await store.writeDocuments('alice', [create('a', { v: 1 })]);
    expect(existsSync(join(dataDir, 'foyer.db'))).toBe(true);
    const file = join(dataDir, 'spaces', 'alice', 'space.db');
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect((db.prepare('SELECT data FROM docs WHERE id = ?').get('a') as { data: string }).data).toBe('{"v":1}');
    } finally {
      db.close();
    }
  });

  it('leaves nothing of a deleted document or of replaced content in the space files', async () => {
    await store.createSpace(space('erin'));
    const secret = 'SECRET-7f3a-never-after-deletion';
    const [a] = await store.writeDocuments('erin', [create('a', { note: `${secret}-A`, pad: 'x'.repeat(3000) })]);
    const [b] = await store.writeDocuments('erin', [create('b', { note: `${secret}-B` })]);
    await store.writeDocuments('erin', [
      { ...create('a', null), expectedRev: a!.rev, rev: '2-bb', deleted: true, data: null },
      { ...create('b', { note: 'replaced' }), expectedRev: b!.rev, rev: '2-bb' },
    ]);
    await store.close();
    const folder = join(dataDir, 'spaces', 'erin');
    const bytes = readdirSync(folder).map((f) => readFileSync(join(folder, f)).toString('latin1'));
    expect(bytes.join('')).not.toContain(secret);
    store = createSqliteDocumentStore({ dataDir });
  });

  it('removes the space folder when the space is deleted', async () => {
    await store.createSpace(space('bob'));
    await store.writeDocuments('bob', [create('a', {})]);
    await store.deleteSpace('bob');
    expect(existsSync(join(dataDir, 'spaces', 'bob'))).toBe(false);
    expect(readdirSync(join(dataDir, 'spaces'))).toEqual([]);
  });

  it('keeps data, seq, indexes and series when the store is reopened', async () => {
    await store.createSpace(space('carol', ['carol.example.org']));
    const [first] = await store.writeDocuments('carol', [create('a', { v: 1 })]);
    await store.ensureIndex('carol', 'note', ['v']);
    await store.appendPoints('carol', 'water.daily', [
      { stream: 'default', t: Date.UTC(2024, 0, 1, 12), day: '2024-01-01', value: 3, data: '{}' },
    ]);
    await store.close();

    store = createSqliteDocumentStore({ dataDir });
    expect((await store.findSpaceByHost('carol.example.org'))?.id).toBe('carol');
    expect((await store.getDocument('carol', 'note', 'a'))?.data).toBe('{"v":1}');
    const [second] = await store.writeDocuments('carol', [create('b', { v: 2 })]);
    expect(second!.seq).toBeGreaterThan(first!.seq);
    expect(await store.listIndexes('carol', 'note')).toEqual([['v']]);
    const range = { from: 0, to: Date.UTC(2030, 0, 1) };
    expect(await store.aggregatePoints('carol', 'water.daily', range, 'day', 'Europe/Paris')).toEqual([
      { key: '2024-01-01', count: 1, sum: 3, min: 3, max: 3 },
    ]);
  });

  it('closes the least recently used spaces beyond maxOpenSpaces and reopens them on demand', async () => {
    await store.close();
    store = createSqliteDocumentStore({ dataDir, maxOpenSpaces: 2 });
    const ids = ['s1', 's2', 's3', 's4'];
    for (const id of ids) {
      await store.createSpace(space(id));
      await store.writeDocuments(id, [create('doc', { space: id })]);
    }
    // Closed handles release their WAL files' shared memory: -shm files remain only for open ones.
    const openFiles = () => ids.filter((id) => existsSync(join(dataDir, 'spaces', id, 'space.db-shm')));
    expect(openFiles()).toEqual(['s3', 's4']);
    for (const id of ids)
      expect(JSON.parse((await store.getDocument(id, 'note', 'doc'))!.data!)).toEqual({ space: id });
    expect(openFiles()).toEqual(['s3', 's4']);
    await store.getDocument('s1', 'note', 'doc');
    expect(openFiles()).toEqual(['s1', 's4']);
  });

  it('commits writes still waiting when their space is closed by the LRU', async () => {
    await store.close();
    store = createSqliteDocumentStore({ dataDir, maxOpenSpaces: 1 });
    await store.createSpace(space('first'));
    await store.createSpace(space('second'));
    const pending = store.writeDocuments('first', [create('a', { v: 1 })]);
    // Opening another space in the same turn evicts `first` before its group commit ran.
    const other = store.getDocument('second', 'note', 'x');
    await expect(pending).resolves.toHaveLength(1);
    await expect(other).resolves.toBeNull();
    expect((await store.getDocument('first', 'note', 'a'))?.data).toBe('{"v":1}');
  });

  it('keeps seq increasing when another connection writes to the same space', async () => {
    await store.createSpace(space('shared'));
    const other = createSqliteDocumentStore({ dataDir });
    try {
      const seqs: number[] = [];
      for (let i = 0; i < 6; i++) {
        const writer = i % 2 === 0 ? store : other;
        const [written] = await writer.writeDocuments('shared', [create(`d${i}`, { i })]);
        seqs.push(written!.seq);
      }
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(6);
      expect((await other.changes('shared', 'note', 0, 10)).map((c) => c.id)).toEqual([
        'd0',
        'd1',
        'd2',
        'd3',
        'd4',
        'd5',
      ]);
    } finally {
      await other.close();
    }
  });

  it('turns the shared indexes of an older database into partial ones per doctype, and still finds', async () => {
    await store.createSpace(space('older'));
    await store.writeDocuments('older', [
      create('a', { date: '2024-01-02' }, 'tx'),
      create('b', { date: '2024-01-01' }, 'bill'),
    ]);
    await store.ensureIndex('older', 'tx', ['date']);
    await store.ensureIndex('older', 'bill', ['date']);
    await store.close();
    // As the previous schema left it: one shared index per list of fields, user_version one step back.
    const file = join(dataDir, 'spaces', 'older', 'space.db');
    const db = new Database(file);
    const names = () =>
      (
        db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'docs' ORDER BY name").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
    for (const name of names().filter((n) => n.startsWith('docs_of_'))) db.exec(`DROP INDEX ${name}`);
    db.exec(`CREATE INDEX docs_by_b1b1eb09a7706954 ON docs (doctype, ${valueExpression('date')}, id)`);
    // ...and before the grant_id column (the step after).
    db.exec(`DROP INDEX docs_by_grant;
      ALTER TABLE docs DROP COLUMN grant_id;
      CREATE INDEX docs_by_grant ON docs (doctype, json_extract(meta, '$.createdBy.grant'), id)
        WHERE json_extract(meta, '$.createdBy.grant') IS NOT NULL;`);
    db.pragma(`user_version = ${(db.pragma('user_version', { simple: true }) as number) - 2}`);
    db.close();

    store = createSqliteDocumentStore({ dataDir });
    const found = await store.findDocuments('older', 'tx', {
      selector: { op: 'gte', field: 'date', value: '2024-01-01' },
      sort: [{ field: 'date', direction: 'asc' }],
      limit: 10,
    });
    expect(found.map((d) => d.id)).toEqual(['a']);
    const after = new Database(file, { readonly: true });
    try {
      const indexes = (
        after.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'docs'").all() as {
          name: string;
        }[]
      ).map((r) => r.name);
      expect(indexes.filter((n) => n.startsWith('docs_of_'))).toHaveLength(2);
      expect(indexes).not.toContain('docs_by_b1b1eb09a7706954');
    } finally {
      after.close();
    }
  });

  it('uses the declared index for a range query', async () => {
    await store.createSpace(space('plans'));
    const docs = Array.from({ length: 200 }, (_, i) => ({
      date: `2024-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      amount: i - 100,
    }));
    await store.writeDocuments(
      'plans',
      docs.map((d, i) => create(`t${i}`, d, 'tx')),
    );
    await store.ensureIndex('plans', 'tx', ['date']);
    const db = new Database(join(dataDir, 'spaces', 'plans', 'space.db'), { readonly: true });
    try {
      const where = compileSelector({
        op: 'and',
        of: [
          { op: 'gte', field: 'date', value: '2024-01-10' },
          { op: 'lt', field: 'date', value: '2024-01-20' },
          { op: 'lt', field: 'amount', value: 0 },
        ],
      });
      const plan = (sql: string, params: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
          .map((r) => r.detail)
          .join('\n');
      const byDate = plan(
        `SELECT id FROM docs WHERE doctype = 'tx' AND deleted = 0 AND ${where.sql} ORDER BY ${valueExpression('date')}, id LIMIT 10`,
        where.params,
      );
      expect(byDate).toMatch(/SEARCH docs USING INDEX docs_of_\w+ \(doctype=\? AND <expr>>\? AND <expr><\?\)/);
      expect(byDate).not.toMatch(/TEMP B-TREE/);
      const byId = plan(
        `SELECT id FROM docs WHERE doctype = 'tx' AND deleted = 0 AND ${where.sql} ORDER BY id LIMIT 10`,
        where.params,
      );
      expect(byId).toMatch(/USING INDEX docs_of_\w+ \(doctype=\? AND <expr>>\? AND <expr><\?\)/);
    } finally {
      db.close();
    }
    // And the store's own answer agrees with a scan.
    const found = await store.findDocuments('plans', 'tx', {
      selector: {
        op: 'and',
        of: [
          { op: 'gte', field: 'date', value: '2024-01-10' },
          { op: 'lt', field: 'date', value: '2024-01-20' },
        ],
      },
      sort: [{ field: 'date', direction: 'asc' }],
      limit: 1000,
    });
    expect(found.map((d) => JSON.parse(d.data!).date)).toEqual(
      docs
        .map((d) => d.date)
        .filter((date) => date >= '2024-01-10' && date < '2024-01-20')
        .sort(),
    );
  });

  it('refuses a damaged space database with a clear error', async () => {
    await store.createSpace(space('broken'));
    await store.close();
    rmSync(join(dataDir, 'spaces', 'broken'), { recursive: true });
    const folder = join(dataDir, 'spaces', 'broken');
    mkdirSync(folder);
    writeFileSync(join(folder, 'space.db'), 'this is not a database at all, just text. '.repeat(200));
    store = createSqliteDocumentStore({ dataDir });
    const e = await rejection(store.getDocument('broken', 'note', 'a'));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/database of space "broken" is not a Foyer database/);
  });

  it('refuses a foreign SQLite database in place of a space', async () => {
    await store.createSpace(space('foreign'));
    await store.close();
    const file = join(dataDir, 'spaces', 'foreign', 'space.db');
    rmSync(join(dataDir, 'spaces', 'foreign'), { recursive: true });
    mkdirSync(join(dataDir, 'spaces', 'foreign'));
    const other = new Database(file);
    other.exec('CREATE TABLE customers (name TEXT)');
    other.close();
    store = createSqliteDocumentStore({ dataDir });
    const e = await rejection(store.getDocument('foreign', 'note', 'a'));
    expect(e.message).toMatch(/not a Foyer database/);
    // Nothing was written into the foreign file.
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all()).toEqual([{ name: 'customers' }]);
    check.close();
  });

  it('refuses a space database from a newer Foyer', async () => {
    await store.createSpace(space('future'));
    await store.close();
    const db = new Database(join(dataDir, 'spaces', 'future', 'space.db'));
    db.pragma('user_version = 999');
    db.close();
    store = createSqliteDocumentStore({ dataDir });
    const e = await rejection(store.getDocument('future', 'note', 'a'));
    expect(e.code).toBe('unavailable');
    expect(e.message).toMatch(/newer version of Foyer/);
  });

  it('reports a space whose database file went missing', async () => {
    await store.createSpace(space('gone'));
    await store.close();
    rmSync(join(dataDir, 'spaces', 'gone'), { recursive: true });
    store = createSqliteDocumentStore({ dataDir });
    const e = await rejection(store.getDocument('gone', 'note', 'a'));
    expect(e.message).toMatch(/database of space "gone" is missing/);
  });

  it('refuses a foreign file in place of the registry', async () => {
    const other = tempDir();
    writeFileSync(join(other, 'foyer.db'), 'garbage '.repeat(1000));
    try {
      expect(() => createSqliteDocumentStore({ dataDir: other })).toThrowError(
        /space registry is not a Foyer database/,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('replaces a stale folder left by an interrupted delete', async () => {
    const folder = join(dataDir, 'spaces', 'stale');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'space.db'), 'left over');
    await store.createSpace(space('stale'));
    expect(await store.getDocument('stale', 'note', 'a')).toBeNull();
  });

  it('refuses points that are not well formed', async () => {
    await store.createSpace(space('points'));
    const good = { stream: 'default', t: Date.UTC(2024, 0, 1), day: '2024-01-01', value: 1, data: '{}' };
    const bad = [
      { ...good, t: 1.5 },
      { ...good, day: '2024-13-01' },
      { ...good, stream: '' },
      { ...good, value: Number.NaN },
    ];
    for (const point of bad) {
      const e = await rejection(store.appendPoints('points', 'water.daily', [good, point]));
      expect(e.code).toBe('bad_request');
      expect(e.message).toMatch(/^points\[1\]: /);
    }
    expect(await store.readPoints('points', 'water.daily', { from: 0, to: Date.UTC(2030, 0, 1) }, 10)).toEqual([]);
  });

  it('aggregates hours from raw points in a zone with a half-hour offset', async () => {
    await store.createSpace({ ...space('kolkata'), timeZone: 'Asia/Kolkata' });
    const t0 = Date.UTC(2024, 5, 1, 0, 0);
    const points = Array.from({ length: 8 }, (_, i) => ({
      stream: 'default',
      t: t0 + i * 1_800_000,
      day: '2024-06-01',
      value: i,
      data: '{}',
    }));
    await store.appendPoints('kolkata', 'energy.electricity.load-curve', points);
    const hours = await store.aggregatePoints(
      'kolkata',
      'energy.electricity.load-curve',
      { from: 0, to: Date.UTC(2030, 0, 1) },
      'hour',
      'Asia/Kolkata',
    );
    // 00:00Z is 05:30 local: local hours 05 (one point), 06, 07, 08 (two each), 09 (one).
    expect(hours.map((h) => [h.key, h.count, h.sum])).toEqual([
      ['2024-06-01T05', 1, 0],
      ['2024-06-01T06', 2, 3],
      ['2024-06-01T07', 2, 7],
      ['2024-06-01T08', 2, 11],
      ['2024-06-01T09', 1, 7],
    ]);
  });

  it('refuses calls once closed', async () => {
    await store.createSpace(space('closing'));
    await store.close();
    const e = await rejection(store.getDocument('closing', 'note', 'a'));
    expect(e.code).toBe('unavailable');
  });

  it('rejects a cursor that does not match the sort', async () => {
    await store.createSpace(space('cursor'));
    const e = await rejection(
      store.findDocuments('cursor', 'note', { selector: null, sort: [], limit: 1, after: { values: ['x'], id: 'a' } }),
    );
    expect(e.code).toBe('bad_request');
  });
});

describe('SQLite space files encrypted at rest', () => {
  let dataDir: string;
  const ring = testKeyring();
  const open = (cipher: SqliteCipher | null, keyring: MasterKeyring = ring) =>
    createSqliteDocumentStore({ dataDir, encryption: { keyring, cipher } });
  const fileText = () => readFileSync(join(dataDir, 'spaces', 'alice', 'space.db')).toString('latin1');
  beforeEach(() => {
    dataDir = tempDir();
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('encrypts a space file found in clear at its next open, and reads it back whole', async () => {
    const clear = createSqliteDocumentStore({ dataDir });
    await clear.createSpace(space('alice'));
    await clear.writeDocuments('alice', [create('n1', { text: 'SECRET-IN-CLEAR' })]);
    await clear.close();
    expect(fileText()).toContain('SECRET-IN-CLEAR');

    const store = open('chacha20');
    expect(JSON.parse((await store.getDocument('alice', 'note', 'n1'))!.data!)).toEqual({ text: 'SECRET-IN-CLEAR' });
    await store.close();
    expect(fileText()).not.toContain('SECRET-IN-CLEAR');
    expect(fileText().startsWith('SQLite format 3')).toBe(false);

    // A space keeps its cipher when the default changes, and stays encrypted when it is turned off.
    const later = open(null);
    expect((await later.getDocument('alice', 'note', 'n1'))!.rev).toBe('1-aa');
    await later.close();
  });

  it('refuses to open an encrypted space without the key ring, or under a ring that lacks its key', async () => {
    const store = open('aegis');
    await store.createSpace(space('alice'));
    await store.close();
    const without = createSqliteDocumentStore({ dataDir });
    expect(await rejection(without.getDocument('alice', 'note', 'n1'))).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('needs its master key ring'),
    });
    await without.close();
    const other = open('aegis', testKeyring());
    expect(await rejection(other.getDocument('alice', 'note', 'n1'))).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining('wrapped under none of the configured master keys'),
    });
    await other.close();
  });

  it('replaces the wrappings of a database key only with wrappings of the same key', async () => {
    const store = open('aegis');
    await store.createSpace(space('alice'));
    const [listed] = await store.databaseKeys!.list();
    expect(listed).toMatchObject({ space: 'alice', wrapped: [{ kek: ring.keys[0]!.id }] });
    const newKey = generateMasterKey();
    const key = unwrapDatabaseKey(ring.keys[0]!, listed!.wrapped[0]!, 'alice');
    const under = wrapDatabaseKey(newKey, key, 'alice');
    await store.databaseKeys!.update('alice', [under, ...listed!.wrapped]);
    expect((await store.databaseKeys!.list())[0]!.wrapped.map((w) => w.kek)).toEqual([newKey.id, ring.keys[0]!.id]);
    const another = wrapDatabaseKey(ring.keys[0]!, Buffer.alloc(32, 7), 'alice');
    expect(await rejection(store.databaseKeys!.update('alice', [another]))).toMatchObject({ code: 'integrity_failed' });
    await store.close();
    // Under a ring holding only the new key, the space opens.
    const next = open('aegis', { keys: [newKey], source: { kind: 'env' } });
    expect(await next.getDocument('alice', 'note', 'nothing')).toBeNull();
    await next.close();
  });
});
