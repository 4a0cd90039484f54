import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDocument } from '../../core/documents/render-document.js';
import type { DocumentStore, DocumentWrite, Selector, StoreFindQuery } from '../document-store.js';
import { createSqliteDocumentStore } from './sqlite-document-store.js';

const SPACE = 'rendered';

/** Data in several scripts and shapes: byte lengths differ from character counts. */
const DATA: Record<string, unknown>[] = [
  {},
  { label: 'Électricité', amount: -42.5, date: '2024-03-02' },
  { label: '電気料金 ⚡', amount: -3, date: '2024-03-05' },
  { label: 'emoji 🏠🔌', amount: 12, date: '2024-03-09', nested: { a: [1, 'two', null, true] } },
  { label: 'quote " and backslash \\ and tab \t', amount: -0.01, date: '2024-03-15' },
  { label: 'plain', amount: -7, date: '2024-04-01' },
  { amount: 'not a number', date: '2024-03-20' },
];

/** Ids written in an order that is neither id order nor index order. */
const IDS = ['m-3', 'a-9', 'z-1', 'b:2', 'a-10', 'c~4', 'a.0'];

const META = (i: number) => JSON.stringify({ createdAt: `2026-01-0${i + 1}T00:00:00.000Z`, note: 'méta ✓' });

function writes(): DocumentWrite[] {
  return IDS.map((id, i) => ({
    doctype: 'tx',
    id,
    expectedRev: null,
    rev: `1-${i}a`,
    deleted: false,
    data: JSON.stringify(DATA[i]),
    meta: META(i),
  }));
}

const range = (field: string, gte: string, lt: string): Selector => ({
  op: 'and',
  of: [
    { op: 'gte', field, value: gte },
    { op: 'lt', field, value: lt },
  ],
});

const SELECTORS: [string, Selector | null][] = [
  ['everything', null],
  [
    'a month of debits',
    { op: 'and', of: [range('date', '2024-03-01', '2024-04-01'), { op: 'lt', field: 'amount', value: 0 }] },
  ],
  ['an equality', { op: 'eq', field: 'label', value: 'plain' }],
  ['$in over scripts', { op: 'in', field: 'label', values: ['電気料金 ⚡', 'emoji 🏠🔌', 'absent'] }],
  ['nothing', { op: 'eq', field: 'label', value: 'absent' }],
];

describe('SQLite finds rendered by the store', () => {
  let dataDir: string;
  let store: DocumentStore;
  const rendered = (query: StoreFindQuery) => store.findRendered!(SPACE, 'tx', query);

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'foyer-rendered-'));
    store = createSqliteDocumentStore({ dataDir });
    await store.createSpace({ id: SPACE, hosts: [], timeZone: 'Europe/Paris', createdAt: '2026-01-01T00:00:00.000Z' });
    await store.ensureIndex(SPACE, 'tx', ['date', 'amount']);
    await store.writeDocuments(SPACE, writes());
    // A tombstone: never part of an answer.
    await store.writeDocuments(SPACE, [
      {
        doctype: 'tx',
        id: 'gone',
        expectedRev: null,
        rev: '1-g',
        deleted: false,
        data: '{"label":"plain"}',
        meta: '{}',
      },
    ]);
    await store.writeDocuments(SPACE, [
      { doctype: 'tx', id: 'gone', expectedRev: '1-g', rev: '2-g', deleted: true, data: null, meta: '{}' },
    ]);
  });

  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  for (const meta of [false, true]) {
    for (const [what, selector] of SELECTORS) {
      it(`renders ${what} exactly as the rows render, in id order${meta ? ', with _meta' : ''}`, async () => {
        const query: StoreFindQuery = { selector, sort: [], limit: 100, meta };
        const rows = await store.findDocuments(SPACE, 'tx', query);
        const page = await rendered(query);
        expect(page).not.toBeNull();
        expect(page!.ids).toEqual(rows.map((d) => d.id));
        expect(page!.ids).toEqual([...page!.ids].sort());
        const text = Buffer.from(page!.json).toString('utf8');
        expect(text).toBe(`[${rows.map((d) => renderDocument(d, meta)).join(',')}]`);
        expect(JSON.parse(text)).toHaveLength(rows.length);
      });
    }
  }

  it('answers only when the whole answer fits under the limit', async () => {
    const all = await store.findDocuments(SPACE, 'tx', { selector: null, sort: [], limit: 100 });
    expect(all).toHaveLength(IDS.length);
    expect(await rendered({ selector: null, sort: [], limit: IDS.length })).toBeNull();
    const fits = await rendered({ selector: null, sort: [], limit: IDS.length + 1 });
    expect(fits!.ids).toEqual(all.map((d) => d.id));
  });

  it('leaves sorted and cursor queries to findDocuments', async () => {
    expect(await rendered({ selector: null, sort: [{ field: 'date', direction: 'asc' }], limit: 100 })).toBeNull();
    expect(
      await rendered({
        selector: null,
        sort: [{ field: 'date', direction: 'asc' }],
        limit: 100,
        after: { values: ['2024-03-05'], id: 'z-1' },
      }),
    ).toBeNull();
  });
});
