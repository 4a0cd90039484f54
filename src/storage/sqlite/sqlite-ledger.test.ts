import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chainEntries, GENESIS_HASH, type LedgerEntry } from '../../core/ledger/ledger-entry.js';
import { expectUpgradedSpace, ledgerDraft } from '../document-store-ledger.contract.js';
import type { DocumentStore, SpaceRecord } from '../document-store.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';
import { spaceMigrations } from './sqlite-migrations.js';

const space = (id: string): SpaceRecord => ({
  id,
  hosts: [],
  timeZone: 'Europe/Paris',
  createdAt: '2026-01-01T00:00:00.000Z',
});

async function scanAll(store: DocumentStore, id: string): Promise<LedgerEntry[]> {
  const all: LedgerEntry[] = [];
  for (;;) {
    const page = await store.scanLedger(id, all.length ? all[all.length - 1]!.seq : 0, 50);
    if (page.length === 0) return all;
    all.push(...page);
  }
}

describe('SQLite ledger', () => {
  let dataDir: string;
  let store: DocumentStore;
  const fileOf = (id: string) => join(dataDir, 'spaces', id, 'space.db');

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'foyer-sqlite-ledger-'));
    store = createSqliteDocumentStore({ dataDir });
  });

  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps one chain when two connections to the data folder append in turn', async () => {
    await store.createSpace(space('shared'));
    const other = createSqliteDocumentStore({ dataDir });
    try {
      for (let i = 0; i < 10; i++) {
        await Promise.all([
          store.appendLedger('shared', [ledgerDraft(i, { actorId: 'one' })]),
          other.appendLedger('shared', [ledgerDraft(i, { actorId: 'two' }), ledgerDraft(i, { actorId: 'two' })]),
        ]);
      }
      const stored = await scanAll(other, 'shared');
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      const drafts = stored.map(({ seq: _s, prevHash: _p, hash: _h, ...draft }) => draft);
      expect(stored).toEqual(chainEntries({ seq: 0, hash: GENESIS_HASH }, drafts));
      expect(await store.ledgerHead('shared')).toEqual({ seq: 30, hash: stored[29]!.hash });
    } finally {
      await other.close();
    }
  });

  it('commits the appends of one turn together: a few pages of WAL, not a transaction each', async () => {
    await store.createSpace(space('group'));
    await store.appendLedger('group', [ledgerDraft(0)]);
    const side = new Database(fileOf('group'));
    try {
      side.pragma('wal_checkpoint(TRUNCATE)');
      await Promise.all(Array.from({ length: 100 }, (_, i) => store.appendLedger('group', [ledgerDraft(i)])));
      const [{ log }] = side.pragma('wal_checkpoint(PASSIVE)') as [{ log: number }];
      // One transaction writes each touched page once (the table, its indexes, the head); a
      // transaction per append would write at least 200 frames.
      expect(log).toBeGreaterThan(0);
      expect(log).toBeLessThan(20);
    } finally {
      side.close();
    }
    expect((await store.ledgerHead('group')).seq).toBe(101);
  });

  it('commits appends still waiting when their space is closed by the LRU', async () => {
    await store.close();
    store = createSqliteDocumentStore({ dataDir, maxOpenSpaces: 1 });
    await store.createSpace(space('first'));
    await store.createSpace(space('second'));
    const pending = store.appendLedger('first', [ledgerDraft(0)]);
    const other = store.ledgerHead('second');
    await expect(pending).resolves.toHaveLength(1);
    await expect(other).resolves.toEqual({ seq: 0, hash: GENESIS_HASH });
    expect((await store.ledgerHead('first')).seq).toBe(1);
  });

  it('upgrades a space database of the first schema: a ledger, and grants on documents and points', async () => {
    await store.createSpace(space('old'));
    await store.close();
    // The file as the first schema left it, with a document of an app and a point.
    rmSync(fileOf('old'));
    const db = new Database(fileOf('old'));
    db.pragma(`application_id = ${spaceMigrations.applicationId}`);
    db.exec(spaceMigrations.steps[0] as string);
    db.pragma('user_version = 1');
    db.prepare(`INSERT INTO docs VALUES ('note', 'n1', '1-a', 1, 0, '{}', ?)`).run(
      JSON.stringify({ createdBy: { kind: 'app', id: 'x', grant: 'g1' } }),
    );
    db.prepare(`INSERT INTO points VALUES ('power', 0, 'default', '1970-01-01', 5, '{}')`).run();
    db.close();

    store = createSqliteDocumentStore({ dataDir });
    await expectUpgradedSpace(store, 'old');
    const check = new Database(fileOf('old'), { readonly: true });
    try {
      expect(check.pragma('user_version', { simple: true })).toBe(spaceMigrations.steps.length);
    } finally {
      check.close();
    }
  });

  it('finds documents of a grant and filters the ledger by actor and doctype through indexes, the rest in seq order', async () => {
    await store.createSpace(space('plans'));
    await store.close();
    const db = new Database(fileOf('plans'), { readonly: true });
    try {
      const plan = (sql: string) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(
        plan(`SELECT id FROM docs WHERE +doctype = 'note' AND deleted = 0 AND grant_id = 'g1' ORDER BY id LIMIT 100`),
      ).toContain('docs_by_grant');
      expect(plan(`SELECT seq FROM ledger WHERE doctype = 'x' ORDER BY seq DESC LIMIT 10`)).toMatch(
        /ledger_by_doctype(?![\s\S]*TEMP B-TREE)/,
      );
      expect(
        plan(`SELECT seq FROM ledger WHERE actor_kind = 'app' AND actor_id = 'x' ORDER BY seq DESC LIMIT 10`),
      ).toContain('ledger_by_actor');
      // No index by grant or by time (each index is paid by every request): newest first, in seq order, no sort.
      for (const where of [`grant_id = 'g'`, `at >= '2026' AND at < '2027'`]) {
        const p = plan(`SELECT seq FROM ledger WHERE ${where} ORDER BY seq DESC LIMIT 10`);
        expect(p).toMatch(/SCAN ledger/);
        expect(p).not.toContain('TEMP B-TREE');
      }
      expect(plan(`SELECT t FROM points WHERE doctype = 'p' AND grant_id = 'g'`)).toContain('points_by_grant');
    } finally {
      db.close();
    }
    store = createSqliteDocumentStore({ dataDir });
  });
});
