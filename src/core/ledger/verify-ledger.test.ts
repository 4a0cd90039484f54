/**
 * verifyLedger against real tampering: rows edited, removed, swapped, cut off or added behind
 * Foyer's back, straight in the SQLite file (better-sqlite3) and in the PostgreSQL tables.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { createSqliteDocumentStore } from '../../storage/sqlite/sqlite-document-store.js';
import { digestIds, ledgerBody, ledgerHash, type LedgerDraft } from './ledger-entry.js';
import { verifyLedger } from './verify-ledger.js';

const SPACE = 'tampered';
const COUNT = 50;

/** Changes made to the stored rows, as someone with the database files would. */
interface Tamper {
  /**
   * Runs SQL on the space's ledger table, written `{ledger}`, and head table, `{head}`; `{space,}`
   * stands for the space column where the store has one.
   */
  sql(statement: string, params?: (string | number)[]): Promise<void>;
}

interface Subject {
  store: DocumentStore;
  tamper: Tamper;
  cleanup(): Promise<void>;
}

function draft(i: number): LedgerDraft {
  const t = Date.UTC(2026, 4, 1) + i * 61_000;
  return {
    at: new Date(t).toISOString(),
    day: '2026-05-01',
    actorKind: i % 3 === 0 ? 'owner' : 'app',
    actorId: i % 3 === 0 ? 'session' : 'mon-logis',
    grant: i % 3 === 0 ? null : 'g-logis',
    grantVersion: i % 3 === 0 ? null : 1,
    verb: 'read',
    doctype: i % 2 ? 'bank.transaction' : 'energy.electricity.load-curve',
    count: i,
    idsDigest: digestIds([`d${i}`]),
    purpose: i % 3 === 0 ? 'owner-use' : 'service-provision',
    outcome: 'allowed',
    code: null,
  };
}

async function sqliteSubject(): Promise<Subject> {
  const dataDir = mkdtempSync(join(tmpdir(), 'foyer-verify-'));
  const store = createSqliteDocumentStore({ dataDir });
  await store.createSpace({ id: SPACE, hosts: [], timeZone: 'Europe/Paris', createdAt: '2026-01-01T00:00:00.000Z' });
  return {
    store,
    tamper: {
      async sql(statement, params = []) {
        const db = new Database(join(dataDir, 'spaces', SPACE, 'space.db'));
        try {
          const sql = statement.replaceAll('{ledger}', 'ledger').replaceAll('{head}', 'ledger_head');
          db.prepare(sql.replaceAll('{space,}', '')).run(...params);
        } finally {
          db.close();
        }
      },
    },
    async cleanup() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function postgresSubject(): Promise<Subject> {
  const made = await makeTestPostgresStore();
  await made.store.createSpace({
    id: SPACE,
    hosts: [],
    timeZone: 'Europe/Paris',
    createdAt: '2026-01-01T00:00:00.000Z',
  });
  const s = pg.escapeIdentifier(made.schema);
  return {
    store: made.store,
    tamper: {
      async sql(statement, params = []) {
        const client = new pg.Client({ connectionString: made.url });
        await client.connect();
        try {
          // The same statements as on SQLite, on this space's rows only; ? placeholders numbered.
          let n = 0;
          const text = statement
            .replaceAll('{ledger}', `${s}.ledger_entries`)
            .replaceAll('{head}', `${s}.ledger_heads`)
            .replaceAll('{space,}', 'space, ')
            .replaceAll('?', () => `$${++n}`)
            .replace(/\bWHERE\b/, `WHERE space = '${SPACE}' AND`);
          await client.query(text, params);
        } finally {
          await client.end();
        }
      },
    },
    cleanup: made.cleanup,
  };
}

/** The columns of a stored entry other than its seq. */
const CONTENT = [
  'at',
  'day',
  'actor_kind',
  'actor_id',
  'grant_id',
  'grant_version',
  'verb',
  'doctype',
  'count',
  'ids_digest',
  'purpose',
  'outcome',
  'code',
  'prev_hash',
  'hash',
];

describe.each([
  ['SQLite', sqliteSubject],
  ['PostgreSQL', postgresSubject],
])('verifyLedger on %s', (_name, makeSubject) => {
  let subject: Subject;
  let store: DocumentStore;
  let tamper: Tamper;

  beforeEach(async () => {
    subject = await makeSubject();
    ({ store, tamper } = subject);
    await store.appendLedger(
      SPACE,
      Array.from({ length: COUNT }, (_, i) => draft(i + 1)),
    );
  });

  afterEach(async () => {
    await subject.cleanup();
  });

  const verify = (pageSize = 7) => verifyLedger(store, SPACE, { pageSize });
  const found = async (pageSize?: number) =>
    (await verify(pageSize)).problems.map((p) => ({ seq: p.seq, kind: p.kind }));

  /** Swaps the contents of two rows (everything but their seq), by swapping their seqs. */
  async function swap(a: number, b: number): Promise<void> {
    await tamper.sql('UPDATE {ledger} SET seq = ? WHERE seq = ?', [-1, a]);
    await tamper.sql('UPDATE {ledger} SET seq = ? WHERE seq = ?', [a, b]);
    await tamper.sql('UPDATE {ledger} SET seq = ? WHERE seq = ?', [b, -1]);
  }

  it('finds an intact ledger intact, across pages', async () => {
    const report = await verify();
    expect(report).toMatchObject({ ok: true, checked: COUNT, problems: [], omitted: 0 });
    expect(report.head.seq).toBe(COUNT);
    expect(await verifyLedger(store, SPACE)).toMatchObject({ ok: true, checked: COUNT });
  });

  it('finds an empty ledger intact', async () => {
    await store.createSpace({ id: 'empty', hosts: [], timeZone: 'UTC', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(await verifyLedger(store, 'empty')).toEqual({
      ok: true,
      checked: 0,
      head: { seq: 0, hash: '0'.repeat(64) },
      problems: [],
      omitted: 0,
    });
  });

  it('names an entry whose column was edited', async () => {
    await tamper.sql('UPDATE {ledger} SET count = 999 WHERE seq = ?', [17]);
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ seq: 17, kind: 'edited', message: expect.stringContaining('17') }]);
  });

  it('names an entry whose doctype, hash or previous hash was edited', async () => {
    await tamper.sql("UPDATE {ledger} SET doctype = 'health.record' WHERE seq = ?", [3]);
    await tamper.sql("UPDATE {ledger} SET hash = 'f' || substr(hash, 2) WHERE seq = ?", [22]);
    await tamper.sql("UPDATE {ledger} SET prev_hash = 'e' || substr(prev_hash, 2) WHERE seq = ?", [40]);
    expect(await found()).toEqual([
      { seq: 3, kind: 'edited' },
      { seq: 22, kind: 'edited' },
      { seq: 40, kind: 'edited' },
    ]);
  });

  it('names a removed entry, and a removed run of entries', async () => {
    await tamper.sql('DELETE FROM {ledger} WHERE seq = ?', [14]);
    await tamper.sql('DELETE FROM {ledger} WHERE seq >= ? AND seq <= ?', [30, 34]);
    const report = await verify();
    expect(report.problems.map((p) => ({ seq: p.seq, kind: p.kind }))).toEqual([
      { seq: 14, kind: 'missing' },
      { seq: 30, kind: 'missing' },
    ]);
    expect(report.problems[1]!.message).toContain('30 to 34');
    expect(report.checked).toBe(COUNT - 6);
  });

  it('names two entries whose contents were swapped as reordered', async () => {
    await swap(10, 30);
    await swap(44, 45);
    const report = await verify();
    expect(report.problems.map((p) => ({ seq: p.seq, kind: p.kind }))).toEqual([
      { seq: 10, kind: 'reordered' },
      { seq: 30, kind: 'reordered' },
      { seq: 44, kind: 'reordered' },
      { seq: 45, kind: 'reordered' },
    ]);
    expect(report.problems[0]!.message).toContain('written as 30');
  });

  it('names an entry moved into the place of a removed one as reordered', async () => {
    await tamper.sql('DELETE FROM {ledger} WHERE seq = ?', [8]);
    await tamper.sql('UPDATE {ledger} SET seq = ? WHERE seq = ?', [8, 9]);
    expect(await found()).toEqual([
      { seq: 8, kind: 'reordered' },
      { seq: 9, kind: 'missing' },
    ]);
  });

  it('names an entry replaced by one hashed anew, which breaks the link to the next', async () => {
    const forged = { ...draft(15), count: 0, outcome: 'denied' as const, code: 'scope_denied' };
    const [prev] = await store.scanLedger(SPACE, 13, 1);
    const hash = ledgerHash(prev!.hash, 15, ledgerBody(forged));
    await tamper.sql(
      "UPDATE {ledger} SET count = 0, outcome = 'denied', code = 'scope_denied', hash = ? WHERE seq = ?",
      [hash, 15],
    );
    expect(await found()).toEqual([{ seq: 15, kind: 'relinked' }]);
  });

  it('notices a cut tail through the head recorded apart', async () => {
    await tamper.sql('DELETE FROM {ledger} WHERE seq >= ?', [47]);
    const report = await verify();
    expect(report.problems).toEqual([{ seq: 47, kind: 'truncated', message: expect.stringContaining('47 to 50') }]);
  });

  it('cannot see a cut tail when the head was moved back with it (the documented limit)', async () => {
    const [last] = await store.scanLedger(SPACE, 45, 1);
    await tamper.sql('DELETE FROM {ledger} WHERE seq >= ?', [47]);
    await tamper.sql('UPDATE {head} SET seq = ?, hash = ? WHERE seq = ?', [46, last!.hash, COUNT]);
    expect(await verify()).toMatchObject({ ok: true, checked: 46 });
  });

  it('notices a last entry that is not the one the head records', async () => {
    await tamper.sql("UPDATE {head} SET hash = 'a' || substr(hash, 2) WHERE seq = ?", [COUNT]);
    expect(await found()).toEqual([{ seq: COUNT, kind: 'edited' }]);
  });

  it('notices entries added past the head', async () => {
    const columns = CONTENT.join(', ');
    await tamper.sql(
      `INSERT INTO {ledger} ({space,}seq, ${columns}) SELECT {space,}?, ${columns} FROM {ledger} WHERE seq = ?`,
      [COUNT + 1, COUNT],
    );
    expect(await found()).toEqual([{ seq: COUNT + 1, kind: 'unrecorded' }]);
  });

  it('names every problem when several kinds meet at page boundaries', async () => {
    await tamper.sql('DELETE FROM {ledger} WHERE seq = ?', [14]);
    await tamper.sql('UPDATE {ledger} SET count = 1 WHERE seq = ?', [15]);
    await tamper.sql("UPDATE {ledger} SET actor_id = 'someone' WHERE seq = ?", [21]);
    await swap(27, 28);
    for (const pageSize of [1, 3, 7, 100]) {
      expect({ pageSize, found: await found(pageSize) }).toEqual({
        pageSize,
        found: [
          { seq: 14, kind: 'missing' },
          { seq: 15, kind: 'edited' },
          { seq: 21, kind: 'edited' },
          { seq: 27, kind: 'reordered' },
          { seq: 28, kind: 'reordered' },
        ],
      });
    }
  });

  it('lists at most maxProblems and counts the rest', async () => {
    await tamper.sql('UPDATE {ledger} SET count = count + 1000 WHERE seq <= ?', [30]);
    const report = await verifyLedger(store, SPACE, { maxProblems: 10 });
    expect(report.problems.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(report.omitted).toBe(20);
    expect(report.ok).toBe(false);
  });

  it('does not count entries appended while it runs', async () => {
    const verifying = verifyLedger(store, SPACE, { pageSize: 2 });
    const appending = Promise.all(Array.from({ length: 20 }, (_, i) => store.appendLedger(SPACE, [draft(100 + i)])));
    const [report] = await Promise.all([verifying, appending]);
    expect(report).toMatchObject({ ok: true, checked: COUNT, head: { seq: COUNT } });
    expect(await verifyLedger(store, SPACE)).toMatchObject({ ok: true, checked: COUNT + 20 });
  });
});
