import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqliteDocumentStore } from '../../storage/sqlite/sqlite-document-store.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import { matchesSelector, selectorFields } from './match-selector.js';
import { parseSelector } from './selector.js';

/** Documents with every kind of value a field can hold, missing fields and nesting. */
const DOCS: Record<string, unknown>[] = [
  { a: 1, s: 'x', n: null, o: { b: 2 } },
  { a: 2.5, s: 'y', b: true },
  { a: -1, s: 'é', o: { b: 'two' } },
  { a: '1', s: '\u{1F600}', arr: [1, 2] },
  { s: 'x', b: false, o: null },
  { a: 0, s: '', n: 0, o: { b: 2, c: { d: 'deep' } } },
  { a: 10, s: 'Z', o: {} },
  {},
];

const SELECTORS: unknown[] = [
  { a: 1 },
  { a: { $gt: 0 } },
  { a: { $gte: '1' } },
  { a: { $lt: 2.5 } },
  { a: { $lte: 0 } },
  { a: { $ne: 1 } },
  { a: { $in: [1, '1', 10] } },
  { a: { $exists: true } },
  { a: { $exists: false } },
  { n: null },
  { n: { $ne: null } },
  { n: { $exists: true } },
  { b: true },
  { b: { $ne: false } },
  { s: { $gt: 'x' } },
  { s: { $lt: 'Z' } },
  { s: { $gte: '\uffff' } },
  { 'o.b': 2 },
  { 'o.b': { $exists: true } },
  { 'o.c.d': 'deep' },
  { o: { $exists: true } },
  { arr: { $exists: true } },
  { $or: [{ a: 1 }, { s: 'y' }] },
  { $and: [{ a: { $gt: -5 } }, { $or: [{ s: 'x' }, { b: { $exists: true } }] }] },
  { $or: [{ a: { $ne: 1 } }, { a: { $exists: false } }] },
];

function suite(backend: string, open: () => Promise<{ store: DocumentStore; cleanup(): Promise<void> }>) {
  describe(`matchesSelector agrees with the ${backend} store`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await open());
      await store.createSpace({ id: 'm', hosts: [], timeZone: 'UTC', createdAt: new Date().toISOString() });
      await store.writeDocuments(
        'm',
        DOCS.map((data, i) => ({
          doctype: 'probe',
          id: `d${i}`,
          expectedRev: null,
          rev: '1-a',
          deleted: false,
          data: JSON.stringify(data),
          meta: '{}',
        })),
      );
    });
    afterAll(() => cleanup());

    it.each(SELECTORS.map((s) => [JSON.stringify(s), s]))('on %s', async (_label, json) => {
      const selector = parseSelector(json);
      const stored = await store.findDocuments('m', 'probe', { selector, sort: [], limit: 100 });
      const inMemory = DOCS.flatMap((d, i) => (matchesSelector(selector, d) ? [`d${i}`] : []));
      expect(inMemory.sort()).toEqual(stored.map((d) => d.id).sort());
    });
  });
}

suite('SQLite', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foyer-match-'));
  const store = createSqliteDocumentStore({ dataDir: dir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
suite('PostgreSQL', () => makeTestPostgresStore());

describe('selectorFields', () => {
  it('lists every field a selector names, through $and and $or', () => {
    const selector = parseSelector({ a: 1, $or: [{ 'o.b': 2 }, { $and: [{ s: { $gt: 'x' } }] }] });
    expect(selectorFields(selector).sort()).toEqual(['a', 'o.b', 's']);
    expect(selectorFields(null)).toEqual([]);
  });
});
