import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../../core/time/time-zone.js';
import type { DocumentStore, SeriesPointWrite } from '../document-store.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';
import { openSpaceDatabase } from './sqlite-space.js';

const DOCTYPE = 'energy.electricity.load-curve';
const TZ = 'Europe/Paris';
const START = Date.UTC(2024, 2, 30, 20); // across the switch to summer time

/** Deterministic points: two streams, values with fractions, some null; `from` counts half hours. */
function points(from: number, count: number, shift = 0): SeriesPointWrite[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const t = START + i * 1_800_000;
    const value = i % 7 === 3 ? null : ((i * 7919 + shift) % 1000) / 10 + 0.1;
    return { stream: i % 3 === 0 ? 'm2' : 'm1', t, day: localDay(t, TZ), value, data: `{"i":${i}}`, grant: null };
  });
}

/** The roll-up tables as stored. */
function rollups(dataDir: string, space: string) {
  const db = new Database(join(dataDir, 'spaces', space, 'space.db'), { readonly: true });
  try {
    return {
      days: db.prepare('SELECT day, stream, count, sum, min, max FROM point_days ORDER BY day, stream').all(),
      hours: db.prepare('SELECT hour, stream, count, sum, min, max FROM point_hours ORDER BY hour, stream').all(),
    };
  } finally {
    db.close();
  }
}

describe('SQLite import of points', () => {
  let dataDir: string;
  let store: DocumentStore;
  beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foyer-series-import-'));
    store = createSqliteDocumentStore({ dataDir });
    for (const id of ['appended', 'imported']) {
      await store.createSpace({ id, hosts: [], timeZone: TZ, createdAt: '2026-01-01T00:00:00.000Z' });
    }
  });
  afterEach(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Writes `before` by appends in both spaces, then `batches` by appends in one and by one import in the other. */
  async function compare(before: SeriesPointWrite[][], batches: SeriesPointWrite[][]) {
    for (const b of before) {
      await store.appendPoints('appended', DOCTYPE, b);
      await store.appendPoints('imported', DOCTYPE, b);
    }
    for (const b of batches) await store.appendPoints('appended', DOCTYPE, b);
    await store.applyImport(
      'imported',
      batches.map((points) => ({ doctype: DOCTYPE, points })),
    );
    await store.close();
    const imported = rollups(dataDir, 'imported');
    expect(imported.days.length).toBeGreaterThan(2);
    expect(imported).toEqual(rollups(dataDir, 'appended'));
    store = createSqliteDocumentStore({ dataDir });
  }

  it('sums the buckets of a new doctype as a recomputation from the points does', async () => {
    const all = points(0, 600);
    // Out of time order within and across batches.
    await compare([], [all.slice(300).reverse(), all.slice(0, 300)]);
  });

  it('recomputes buckets that held points already, and sums the new ones', async () => {
    // Every other half hour first (in buckets the import also fills), then the rest.
    const all = points(0, 400);
    await compare([all.filter((_, i) => i % 2 === 0 && i < 200)], [all.filter((_, i) => i % 2 === 1 || i >= 200)]);
  });

  it('recomputes every bucket touched when a point replaces another', async () => {
    await compare([points(0, 100)], [points(150, 100), points(50, 100, 13)]);
  });

  it('writes its sums when many buckets wait, and recomputes those the rest of the import reaches again', async () => {
    // 25,000 hours in the first batch (far more than an import keeps in memory), the other half of
    // each hour in the second.
    const all = points(0, 50_000);
    await compare([], [all.filter((_, i) => i % 2 === 0), all.filter((_, i) => i % 2 === 1)]);
  });

  it('recomputes when the import itself repeats a point', async () => {
    await compare([], [points(0, 120), points(100, 10, 5)]);
  });
});

describe('SQLite import commit', () => {
  it('leaves the WAL to the checkpoint worker and keeps the safety net for later writes, even after a failure', () => {
    const dir = mkdtempSync(join(tmpdir(), 'foyer-import-commit-'));
    const file = join(dir, 'space.db');
    const handle = openSpaceDatabase(file, 'test', { create: true });
    try {
      // A safety net below the import's size: the commit would have checkpointed.
      handle.db.pragma('wal_autocheckpoint = 100');
      const documents = Array.from({ length: 2000 }, (_, i) => ({
        doctype: 'note',
        id: `n${i}`,
        expectedRev: null,
        rev: '1-a',
        deleted: false,
        data: JSON.stringify({ text: 'x'.repeat(500), i }),
        meta: '{}',
      }));
      const before = statSync(file).size;
      handle.applyImport([{ documents }]);
      // The import's pages are in the WAL only: the database file has not grown.
      expect(statSync(file).size).toBe(before);
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(1_000_000);
      expect(handle.db.pragma('wal_autocheckpoint', { simple: true })).toBe(100);
      expect(() => handle.applyImport([{ documents: documents.slice(0, 1) }])).toThrow();
      expect(handle.db.pragma('wal_autocheckpoint', { simple: true })).toBe(100);
      // Later writes keep the safety net.
      handle.applyImport([]);
      handle.db.exec("INSERT INTO doc_indexes (doctype, fields, position) VALUES ('note', '[]', 1)");
      expect(statSync(file).size).toBeGreaterThan(1_000_000);
    } finally {
      handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
