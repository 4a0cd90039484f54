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

  it('renders pages of the limit in id order, saying whether more follow, then after a cursor', async () => {
    const all = await store.findDocuments(SPACE, 'tx', { selector: null, sort: [], limit: 100 });
    const sorted = all.map((d) => d.id);
    expect(sorted).toHaveLength(IDS.length);
    const whole = await rendered({ selector: null, sort: [], limit: IDS.length });
    expect(whole).toMatchObject({ ids: sorted, more: false });
    for (const meta of [false, true]) {
      const pages: string[][] = [];
      let after: StoreFindQuery['after'];
      for (;;) {
        const page = await rendered({ selector: null, sort: [], limit: 3, meta, ...(after ? { after } : {}) });
        const expected = all.filter((d) => !after || d.id > after.id).slice(0, 3);
        expect(Buffer.from(page!.json).toString()).toBe(`[${expected.map((d) => renderDocument(d, meta)).join(',')}]`);
        pages.push(page!.ids);
        if (!page!.more) break;
        after = { values: [], id: page!.ids[page!.ids.length - 1]! };
      }
      expect(pages).toEqual([sorted.slice(0, 3), sorted.slice(3, 6), sorted.slice(6)]);
    }
  });

  it('renders an empty page after the last document', async () => {
    const page = await rendered({ selector: null, sort: [], limit: 5, after: { values: [], id: 'zz' } });
    expect(page).toEqual({ ids: [], json: Buffer.from('[]'), more: false });
  });

  it('leaves sorted queries to findDocuments', async () => {
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
