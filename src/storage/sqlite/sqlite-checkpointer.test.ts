import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../platform/package-root.js';
import type { DocumentStore } from '../document-store.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';

const doc = (i: number) => ({
  doctype: 'bank.transaction',
  id: `tx-${i}`,
  expectedRev: null,
  rev: '1-a',
  deleted: false,
  data: JSON.stringify({
    date: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    amount: -i,
    label: 'x'.repeat(200),
  }),
  meta: '{}',
});

const until = async (check: () => Promise<boolean>, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
};

describe('SQLite checkpoints in a worker thread', () => {
  let dir: string;
  let store: DocumentStore | undefined;
  afterEach(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('copies committed pages into the database file off the event loop, and deletes cleanly', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-ckpt-'));
    store = createSqliteDocumentStore({ dataDir: dir });
    await store.createSpace({ id: 's', hosts: [], timeZone: 'Europe/Paris', createdAt: new Date().toISOString() });
    const file = path.join(dir, 'spaces', 's', 'space.db');
    const before = (await stat(file)).size;
    for (let i = 0; i < 2000; i += 100) {
      await store.writeDocuments(
        's',
        Array.from({ length: 100 }, (_, k) => doc(i + k)),
      );
    }
    // The writes sit in the WAL (the automatic checkpoint is only a far safety net) ...
    expect((await stat(file)).size).toBe(before);
    // ... until the worker's round copies them into the database file.
    expect(await until(async () => (await stat(file)).size > before + 200_000, 5_000)).toBe(true);
    expect((await store.getDocument('s', 'bank.transaction', 'tx-1999'))?.rev).toBe('1-a');
    // Once writes stop, the WAL file is emptied rather than left at its high-water mark.
    const wal = `${file}-wal`;
    expect(await until(async () => (await stat(wal)).size === 0, 5_000)).toBe(true);
    await store.deleteSpace('s');
    await expect(stat(path.join(dir, 'spaces', 's'))).rejects.toThrow();
  });

  it("never keeps the process alive, and close() returns even though the worker is unref'd", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-ckpt-'));
    const script = `
      import { createSqliteDocumentStore } from './src/storage/sqlite/sqlite-document-store.ts';
      const s = createSqliteDocumentStore({ dataDir: ${JSON.stringify(dir)} });
      await s.createSpace({ id: 'a', hosts: [], timeZone: 'UTC', createdAt: new Date().toISOString() });
      await s.writeDocuments('a', [{ doctype: 'x', id: 'y', expectedRev: null, rev: '1-a', deleted: false, data: '{}', meta: '{}' }]);
      await s.close();
      console.log('closed');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: packageRoot(),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.stderr).toBe('');
    expect([r.status, r.stdout.trim()]).toEqual([0, 'closed']);
  });
});
