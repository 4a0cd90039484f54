/**
 * The DocumentStore contract: every behaviour of `document-store.ts` that callers rely on, so that
 * an implementation passing it can replace another. Each implementation's test file calls
 * `documentStoreContract(name, makeStore)`; `makeStore` gives a fresh store for each test and a
 * `cleanup` that closes it and removes what it made. Tests create their own spaces with random
 * ids, so a store shared between tests (one PostgreSQL database) works too.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../core/errors.js';
import { isoWeekStart, localDay, localHourKey, localMidnight, monthKey } from '../core/time/time-zone.js';
import type {
  DocumentStore,
  DocumentWrite,
  Scalar,
  Selector,
  SeriesAggregateRow,
  SeriesBucket,
  SeriesPointWrite,
  SortKey,
  SpaceRecord,
  StoredDocument,
  StoreFindQuery,
} from './document-store.js';

export interface ContractStore {
  store: DocumentStore;
  /** Closes the store and removes everything it made. */
  cleanup(): Promise<void>;
}

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;
const DAY = 86_400_000;
const META = JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z', createdBy: { kind: 'owner' } });

const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const rev = (generation: number) => `${generation}-${hex(8)}`;
const utc = (iso: string) => Date.parse(iso);

/** The FoyerError a promise rejects with (fails the test otherwise). */
export async function rejection(promise: Promise<unknown>): Promise<FoyerError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(FoyerError);
    return e as FoyerError;
  }
  throw new Error('expected the call to reject with a FoyerError');
}

async function expectCode(promise: Promise<unknown>, code: string): Promise<FoyerError> {
  const e = await rejection(promise);
  expect(e.code).toBe(code);
  return e;
}

function spaceRecord(overrides: Partial<SpaceRecord> = {}): SpaceRecord {
  return { id: `s-${hex(6)}`, hosts: [], timeZone: PARIS, createdAt: '2026-01-02T03:04:05.000Z', ...overrides };
}

async function newSpace(store: DocumentStore, overrides: Partial<SpaceRecord> = {}): Promise<string> {
  const space = spaceRecord(overrides);
  await store.createSpace(space);
  return space.id;
}

/** A conjunction of comparisons, for the find cases. */
function and(...terms: ['eq' | 'gt' | 'gte' | 'lt' | 'lte', string, string | number][]): Selector {
  return { op: 'and', of: terms.map(([op, field, value]) => ({ op, field, value })) };
}

function creation(doctype: string, id: string, data: unknown): DocumentWrite {
  return { doctype, id, expectedRev: null, rev: rev(1), deleted: false, data: JSON.stringify(data), meta: META };
}

function nextVersion(current: StoredDocument, data: unknown): DocumentWrite {
  const generation = Number(current.rev.split('-')[0]) + 1;
  return {
    doctype: current.doctype,
    id: current.id,
    expectedRev: current.rev,
    rev: rev(generation),
    deleted: false,
    data: JSON.stringify(data),
    meta: META,
  };
}

function tombstone(current: StoredDocument): DocumentWrite {
  return { ...nextVersion(current, null), deleted: true, data: null };
}

async function put(store: DocumentStore, space: string, doctype: string, id: string, data: unknown) {
  await store.writeDocuments(space, [creation(doctype, id, data)]);
  return (await store.getDocument(space, doctype, id))!;
}

async function putAll(store: DocumentStore, space: string, doctype: string, docs: Record<string, unknown>) {
  await store.writeDocuments(
    space,
    Object.entries(docs).map(([id, data]) =>
      typeof data === 'string' ? { ...creation(doctype, id, null), data } : creation(doctype, id, data),
    ),
  );
}

async function findIds(
  store: DocumentStore,
  space: string,
  doctype: string,
  selector: Selector | null,
  sort: SortKey[] = [],
  limit = 1000,
): Promise<string[]> {
  return (await store.findDocuments(space, doctype, { selector, sort, limit })).map((d) => d.id);
}

/** The value the store sorts on (objects and arrays count as absent). */
function valueAt(data: unknown, field: string): Scalar {
  let v: unknown = data;
  for (const part of field.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return v === undefined || (typeof v === 'object' && v !== null) ? null : (v as Scalar);
}

/** Reads every page of a query through the keyset cursor. */
async function readAllPages(
  store: DocumentStore,
  space: string,
  doctype: string,
  query: Omit<StoreFindQuery, 'after'>,
): Promise<string[][]> {
  const pages: string[][] = [];
  let after: StoreFindQuery['after'];
  for (;;) {
    const page = await store.findDocuments(space, doctype, { ...query, ...(after ? { after } : {}) });
    if (page.length === 0) return pages;
    pages.push(page.map((d) => d.id));
    if (pages.length > 1000) throw new Error('paging does not end');
    const last = page[page.length - 1]!;
    const data = JSON.parse(last.data!) as unknown;
    after = { values: query.sort.map((k) => valueAt(data, k.field)), id: last.id };
  }
}

/** Reference order: missing/null lowest, then numbers, then strings by code point; ties by id. */
function compareScalars(a: Scalar, b: Scalar): number {
  const rank = (v: Scalar) => (v === null ? 0 : typeof v === 'number' ? 1 : 2);
  if (rank(a) !== rank(b)) return rank(a) - rank(b);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  return 0;
}

function referenceOrder(docs: Record<string, unknown>, sort: SortKey[]): string[] {
  return Object.keys(docs).sort((x, y) => {
    for (const key of sort) {
      const c = compareScalars(valueAt(docs[x], key.field), valueAt(docs[y], key.field));
      if (c !== 0) return key.direction === 'asc' ? c : -c;
    }
    return Buffer.compare(Buffer.from(x), Buffer.from(y));
  });
}

/** Half-hourly points in [from, to) for one stream, with `day` computed in Europe/Paris. */
function halfHourly(from: string, to: string, value: (t: number, i: number) => number | null, stream = 'default') {
  const points: SeriesPointWrite[] = [];
  for (let t = utc(from), i = 0; t < utc(to); t += HOUR / 2, i++) {
    const v = value(t, i);
    points.push({ stream, t, day: localDay(t, PARIS), value: v, data: JSON.stringify({ t, v, stream }) });
  }
  return points;
}

/** The aggregates computed directly from the points: what every store must answer. */
function referenceAggregate(
  points: SeriesPointWrite[],
  range: { from: number; to: number; stream?: string },
  every: SeriesBucket,
): SeriesAggregateRow[] {
  const latest = new Map<string, SeriesPointWrite>();
  for (const p of points) latest.set(`${p.stream}\n${p.t}`, p);
  const buckets = new Map<string, SeriesAggregateRow>();
  for (const p of latest.values()) {
    if (p.t < range.from || p.t >= range.to || p.value === null) continue;
    if (range.stream !== undefined && p.stream !== range.stream) continue;
    const key =
      every === 'hour'
        ? localHourKey(p.t, PARIS)
        : every === 'day'
          ? p.day
          : every === 'week'
            ? isoWeekStart(p.day)
            : monthKey(p.day);
    const b = buckets.get(key);
    if (!b) buckets.set(key, { key, count: 1, sum: p.value, min: p.value, max: p.value });
    else {
      b.count++;
      b.sum += p.value;
      b.min = Math.min(b.min, p.value);
      b.max = Math.max(b.max, p.value);
    }
  }
  return [...buckets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export function documentStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      const made = await makeStore();
      store = made.store;
      cleanup = made.cleanup;
    });

    afterEach(async () => {
      await cleanup();
    });

    describe('spaces', () => {
      it('creates a space and reads it back by id and by host', async () => {
        const space = spaceRecord({ hosts: [`a-${hex(4)}.example.org`, `b-${hex(4)}.example.org`] });
        await store.createSpace(space);
        expect(await store.getSpace(space.id)).toEqual(space);
        expect(await store.findSpaceByHost(space.hosts[1]!)).toEqual(space);
        expect(await store.findSpaceByHost(`nobody-${hex(4)}.example.org`)).toBeNull();
        expect(await store.getSpace(`s-${hex(6)}`)).toBeNull();
      });

      it('refuses a second space with the same id', async () => {
        const space = spaceRecord();
        await store.createSpace(space);
        await expectCode(store.createSpace({ ...space, timeZone: 'UTC' }), 'conflict');
        expect((await store.getSpace(space.id))?.timeZone).toBe(PARIS);
      });

      it('refuses a host already routed to another space, creating nothing', async () => {
        const host = `h-${hex(4)}.example.org`;
        const first = await newSpace(store, { hosts: [host] });
        const second = spaceRecord({ hosts: [`other-${hex(4)}.example.org`, host] });
        await expectCode(store.createSpace(second), 'conflict');
        expect(await store.getSpace(second.id)).toBeNull();
        expect((await store.findSpaceByHost(host))?.id).toBe(first);
        expect(await store.findSpaceByHost(second.hosts[0]!)).toBeNull();
      });

      it('refuses malformed space ids', async () => {
        for (const id of ['', 'UPPER', '-lead', '../escape', 'a/b', 'a.b', 'x'.repeat(64), 'nul\u0000']) {
          await expectCode(store.createSpace(spaceRecord({ id })), 'invalid_name');
        }
      });

      it('lists spaces', async () => {
        const a = await newSpace(store);
        const b = await newSpace(store, { hosts: [`l-${hex(4)}.example.org`] });
        const listed = await store.listSpaces();
        expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([a, b]));
        expect(listed.find((s) => s.id === b)).toEqual(await store.getSpace(b));
      });

      it('deletes a space with its documents, points and hosts', async () => {
        const host = `d-${hex(4)}.example.org`;
        const space = await newSpace(store, { hosts: [host] });
        await put(store, space, 'note', 'n1', { text: 'hello' });
        await store.appendPoints(
          space,
          'water.daily',
          halfHourly('2024-01-01T00:00Z', '2024-01-02T00:00Z', () => 1),
        );
        await store.deleteSpace(space);
        expect(await store.getSpace(space)).toBeNull();
        expect(await store.findSpaceByHost(host)).toBeNull();
        expect((await store.listSpaces()).map((s) => s.id)).not.toContain(space);
        await expectCode(store.getDocument(space, 'note', 'n1'), 'space_not_found');

        // The id and host can be used again, for an empty space.
        await store.createSpace(spaceRecord({ id: space, hosts: [host] }));
        expect(await store.getDocument(space, 'note', 'n1')).toBeNull();
        expect(await store.findDocuments(space, 'note', { selector: null, sort: [], limit: 10 })).toEqual([]);
        expect(await store.changes(space, 'note', 0, 10)).toEqual([]);
        expect(await store.readPoints(space, 'water.daily', { from: 0, to: utc('2030-01-01T00:00Z') }, 10)).toEqual([]);
      });

      it('refuses to delete a space that does not exist', async () => {
        await expectCode(store.deleteSpace(`s-${hex(6)}`), 'space_not_found');
      });

      it('answers space_not_found for every operation on an unknown space', async () => {
        const ghost = `s-${hex(6)}`;
        const range = { from: 0, to: DAY };
        // Thunks, called one at a time: a promise rejected before anyone awaits it is an unhandled
        // rejection when the store answers asynchronously (PostgreSQL).
        const calls: (() => Promise<unknown>)[] = [
          () => store.getDocument(ghost, 'note', 'a'),
          () => store.getDocuments(ghost, 'note', ['a']),
          () => store.writeDocuments(ghost, [creation('note', 'a', {})]),
          () => store.findDocuments(ghost, 'note', { selector: null, sort: [], limit: 1 }),
          () => store.changes(ghost, 'note', 0, 10),
          () => store.ensureIndex(ghost, 'note', ['a']),
          () => store.listIndexes(ghost, 'note'),
          () => store.appendPoints(ghost, 'water.daily', []),
          () => store.readPoints(ghost, 'water.daily', range, 10),
          () => store.aggregatePoints(ghost, 'water.daily', range, 'day', PARIS),
          () => store.deletePoints(ghost, 'water.daily', range),
        ];
        for (const call of calls) await expectCode(call(), 'space_not_found');
        expect(await store.getSpace(ghost)).toBeNull();
      });

      it('keeps spaces apart: same doctype and id in two spaces are independent', async () => {
        const a = await newSpace(store);
        const b = await newSpace(store);
        await put(store, a, 'note', 'same', { owner: 'a' });
        await store.ensureIndex(a, 'note', ['owner']);
        expect(await store.getDocument(b, 'note', 'same')).toBeNull();
        await put(store, b, 'note', 'same', { owner: 'b' });
        const docA = (await store.getDocument(a, 'note', 'same'))!;
        const docB = (await store.getDocument(b, 'note', 'same'))!;
        expect(JSON.parse(docA.data!)).toEqual({ owner: 'a' });
        expect(JSON.parse(docB.data!)).toEqual({ owner: 'b' });

        await store.writeDocuments(a, [tombstone(docA)]);
        expect((await store.getDocument(b, 'note', 'same'))?.deleted).toBe(false);
        expect(await findIds(store, b, 'note', { op: 'eq', field: 'owner', value: 'a' })).toEqual([]);
        expect(await findIds(store, b, 'note', null)).toEqual(['same']);
        expect((await store.changes(b, 'note', 0, 10)).map((c) => c.rev)).toEqual([docB.rev]);
        expect(await store.listIndexes(b, 'note')).toEqual([]);

        const points = halfHourly('2024-01-01T00:00Z', '2024-01-01T02:00Z', () => 1);
        await store.appendPoints(a, 'water.daily', points);
        expect(await store.readPoints(b, 'water.daily', { from: 0, to: utc('2030-01-01T00:00Z') }, 10)).toEqual([]);
        expect(
          await store.aggregatePoints(b, 'water.daily', { from: 0, to: utc('2030-01-01T00:00Z') }, 'day', PARIS),
        ).toEqual([]);
        expect(await store.deletePoints(b, 'water.daily', { from: 0, to: utc('2030-01-01T00:00Z') })).toBe(0);
        expect(await store.readPoints(a, 'water.daily', { from: 0, to: utc('2030-01-01T00:00Z') }, 10)).toHaveLength(4);
      });
    });

    describe('documents', () => {
      let space: string;
      beforeEach(async () => {
        space = await newSpace(store);
      });

      it('creates a document and reads back what was written', async () => {
        const data = { label: 'Boulangerie – café', amount: -4.2, tags: ['food'], nested: { a: [1, { b: null }] } };
        const write = creation('bank.transaction', 'tx-1', data);
        const [written] = await store.writeDocuments(space, [write]);
        expect(written).toEqual({ doctype: 'bank.transaction', id: 'tx-1', rev: write.rev, seq: written!.seq });
        expect(written!.seq).toBeGreaterThan(0);
        const doc = (await store.getDocument(space, 'bank.transaction', 'tx-1'))!;
        expect({ ...doc, data: JSON.parse(doc.data!), meta: JSON.parse(doc.meta) }).toEqual({
          doctype: 'bank.transaction',
          id: 'tx-1',
          rev: write.rev,
          seq: written!.seq,
          deleted: false,
          data,
          meta: JSON.parse(META),
        });
      });

      it('answers null for a document never written', async () => {
        expect(await store.getDocument(space, 'note', 'never')).toBeNull();
      });

      it('keeps ids with any characters and doctypes apart', async () => {
        const id = 'Ünïcødé id/with spaces & "quotes" 😀';
        await put(store, space, 'note', id, { v: 1 });
        await put(store, space, 'note.other', id, { v: 2 });
        expect(JSON.parse((await store.getDocument(space, 'note', id))!.data!)).toEqual({ v: 1 });
        expect(JSON.parse((await store.getDocument(space, 'note.other', id))!.data!)).toEqual({ v: 2 });
        expect(await store.getDocument(space, 'note', id.toLowerCase())).toBeNull();
      });

      it('rejects a creation over an existing document with a conflict naming the index', async () => {
        const existing = await put(store, space, 'note', 'a', { v: 1 });
        const e = await expectCode(store.writeDocuments(space, [creation('note', 'a', { v: 2 })]), 'conflict');
        expect(e.details).toMatchObject({ index: 0, doctype: 'note', id: 'a' });
        expect(await store.getDocument(space, 'note', 'a')).toEqual(existing);
      });

      it('updates with the current revision', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        const write = nextVersion(v1, { v: 2 });
        const [written] = await store.writeDocuments(space, [write]);
        const v2 = (await store.getDocument(space, 'note', 'a'))!;
        expect(v2.rev).toBe(write.rev);
        expect(written!.seq).toBe(v2.seq);
        expect(v2.seq).toBeGreaterThan(v1.seq);
        expect(JSON.parse(v2.data!)).toEqual({ v: 2 });
      });

      it('rejects an update with a stale revision, changing nothing', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        await store.writeDocuments(space, [nextVersion(v1, { v: 2 })]);
        const v2 = (await store.getDocument(space, 'note', 'a'))!;
        const e = await expectCode(store.writeDocuments(space, [nextVersion(v1, { v: 3 })]), 'conflict');
        expect(e.details).toMatchObject({ index: 0, id: 'a' });
        expect(await store.getDocument(space, 'note', 'a')).toEqual(v2);
      });

      it('rejects an update of a document that does not exist', async () => {
        const phantom: DocumentWrite = { ...creation('note', 'ghost', { v: 1 }), expectedRev: '1-abc' };
        await expectCode(store.writeDocuments(space, [phantom]), 'conflict');
        expect(await store.getDocument(space, 'note', 'ghost')).toBeNull();
      });

      it('keeps a tombstone with its revision and seq, and no data', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        const write = tombstone(v1);
        const [written] = await store.writeDocuments(space, [write]);
        const gone = (await store.getDocument(space, 'note', 'a'))!;
        expect(gone).toMatchObject({ id: 'a', rev: write.rev, seq: written!.seq, deleted: true, data: null });
        expect(gone.seq).toBeGreaterThan(v1.seq);
        expect(JSON.parse(gone.meta)).toEqual(JSON.parse(META));
      });

      it('recreates a document over its tombstone, with or without its revision', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        await store.writeDocuments(space, [tombstone(v1)]);
        const gone = (await store.getDocument(space, 'note', 'a'))!;
        await store.writeDocuments(space, [creation('note', 'a', { v: 'again' })]);
        const again = (await store.getDocument(space, 'note', 'a'))!;
        expect(again.deleted).toBe(false);
        expect(again.seq).toBeGreaterThan(gone.seq);
        expect(JSON.parse(again.data!)).toEqual({ v: 'again' });

        await store.writeDocuments(space, [tombstone(again)]);
        const goneAgain = (await store.getDocument(space, 'note', 'a'))!;
        await store.writeDocuments(space, [nextVersion(goneAgain, { v: 'third' })]);
        expect(JSON.parse((await store.getDocument(space, 'note', 'a'))!.data!)).toEqual({ v: 'third' });
        // A stale revision still conflicts on a tombstone.
        await expectCode(store.writeDocuments(space, [nextVersion(v1, { v: 'stale' })]), 'conflict');
      });

      it('refuses a fresh creation over any row, tombstones included, and writes it where there is none', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        const fresh = (id: string): DocumentWrite => ({ ...creation('note', id, { v: 'fresh' }), fresh: true });
        const live = await expectCode(store.writeDocuments(space, [fresh('a')]), 'conflict');
        expect(live.details).toMatchObject({ index: 0, doctype: 'note', id: 'a' });
        expect(await store.getDocument(space, 'note', 'a')).toEqual(v1);

        await store.writeDocuments(space, [tombstone(v1)]);
        const gone = (await store.getDocument(space, 'note', 'a'))!;
        const buried = await expectCode(
          store.writeDocuments(space, [creation('note', 'b', {}), fresh('a')]),
          'conflict',
        );
        expect(buried.details).toMatchObject({ index: 1, id: 'a' });
        expect(await store.getDocument(space, 'note', 'a')).toEqual(gone);
        expect(await store.getDocument(space, 'note', 'b')).toBeNull();

        const write = fresh('c');
        const [written] = await store.writeDocuments(space, [write]);
        expect(await store.getDocument(space, 'note', 'c')).toMatchObject({ rev: write.rev, seq: written!.seq });
      });

      it('reads several documents in the order asked, null for unknown ids', async () => {
        await putAll(store, space, 'note', { a: { n: 1 }, b: { n: 2 }, c: { n: 3 } });
        const b = (await store.getDocument(space, 'note', 'b'))!;
        await store.writeDocuments(space, [tombstone(b)]);
        const docs = await store.getDocuments(space, 'note', ['c', 'x', 'a', 'b', 'c']);
        expect(docs.map((d) => d?.id ?? null)).toEqual(['c', null, 'a', 'b', 'c']);
        expect(docs[3]?.deleted).toBe(true);
        expect(docs[0]).toEqual(await store.getDocument(space, 'note', 'c'));
        expect(await store.getDocuments(space, 'note', [])).toEqual([]);
        expect(await store.getDocuments(space, 'other', ['a'])).toEqual([null]);
      });

      it('writes a batch in order and returns each revision and seq', async () => {
        const writes = [
          creation('note', 'a', { n: 1 }),
          creation('task', 'b', { n: 2 }),
          creation('note', 'c', { n: 3 }),
        ];
        const written = await store.writeDocuments(space, writes);
        expect(written.map((w) => [w.doctype, w.id, w.rev])).toEqual(writes.map((w) => [w.doctype, w.id, w.rev]));
        expect(written[1]!.seq).toBeGreaterThan(written[0]!.seq);
        expect(written[2]!.seq).toBeGreaterThan(written[1]!.seq);
        for (const w of written) expect((await store.getDocument(space, w.doctype, w.id))?.seq).toBe(w.seq);
      });

      it('accepts an empty batch', async () => {
        expect(await store.writeDocuments(space, [])).toEqual([]);
      });

      it('writes nothing from a batch with one conflict, and names its index', async () => {
        const existing = await put(store, space, 'note', 'b', { n: 0 });
        const batch = [
          creation('note', 'a', { n: 1 }),
          creation('note', 'b', { n: 2 }),
          creation('note', 'c', { n: 3 }),
        ];
        const e = await expectCode(store.writeDocuments(space, batch), 'conflict');
        expect(e.details).toMatchObject({ index: 1, doctype: 'note', id: 'b' });
        expect(await store.getDocuments(space, 'note', ['a', 'b', 'c'])).toEqual([null, existing, null]);
        expect((await store.changes(space, 'note', 0, 10)).map((c) => c.id)).toEqual(['b']);

        // A later conflict also undoes the writes before it.
        const late = [
          creation('note', 'x', {}),
          creation('note', 'y', {}),
          nextVersion(existing, {}),
          creation('note', 'b', {}),
        ];
        const e2 = await expectCode(store.writeDocuments(space, late), 'conflict');
        expect(e2.details).toMatchObject({ index: 3 });
        expect(await store.getDocuments(space, 'note', ['x', 'y', 'b'])).toEqual([null, null, existing]);
      });

      it('sees earlier writes of the same batch', async () => {
        const first = creation('note', 'a', { n: 1 });
        const second: DocumentWrite = { ...creation('note', 'a', { n: 2 }), expectedRev: first.rev, rev: rev(2) };
        const written = await store.writeDocuments(space, [first, second]);
        expect(written[1]!.seq).toBeGreaterThan(written[0]!.seq);
        const doc = (await store.getDocument(space, 'note', 'a'))!;
        expect(doc.rev).toBe(second.rev);
        expect(JSON.parse(doc.data!)).toEqual({ n: 2 });
      });

      it('numbers writes with a seq strictly increasing across doctypes, in commit order', async () => {
        const seqs: number[] = [];
        for (let i = 0; i < 6; i++) {
          const [w] = await store.writeDocuments(space, [creation(i % 2 ? 'note' : 'task', `d${i}`, { i })]);
          seqs.push(w!.seq);
        }
        const doc = (await store.getDocument(space, 'note', 'd1'))!;
        const [w] = await store.writeDocuments(space, [nextVersion(doc, { i: 'again' })]);
        seqs.push(w!.seq);
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
        // A failed batch does not make a later seq go backwards.
        await expectCode(store.writeDocuments(space, [creation('note', 'd1', {})]), 'conflict');
        const [after] = await store.writeDocuments(space, [creation('note', 'later', {})]);
        expect(after!.seq).toBeGreaterThan(seqs[seqs.length - 1]!);
      });

      it('gives concurrent writers distinct seqs, all in the changes feed', async () => {
        const written = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.writeDocuments(space, [creation('note', `c${i}`, { i })])),
        );
        const seqs = written.map((w) => w[0]!.seq);
        expect(new Set(seqs).size).toBe(20);
        const feed = await store.changes(space, 'note', 0, 100);
        expect(feed.map((c) => c.seq)).toEqual([...seqs].sort((a, b) => a - b));
      });

      it('keeps concurrent calls independent: a conflict in one does not undo the others', async () => {
        const existing = await put(store, space, 'note', 'taken', { v: 0 });
        const results = await Promise.allSettled([
          store.writeDocuments(space, [creation('note', 'first', { v: 1 })]),
          store.writeDocuments(space, [creation('note', 'other', { v: 2 }), creation('note', 'taken', { v: 2 })]),
          store.writeDocuments(space, [creation('note', 'third', { v: 3 })]),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(((results[1] as PromiseRejectedResult).reason as FoyerError).details).toMatchObject({ index: 1 });
        const docs = await store.getDocuments(space, 'note', ['first', 'other', 'taken', 'third']);
        expect(docs.map((d) => d && JSON.parse(d.data!).v)).toEqual([1, null, 0, 3]);
        expect(docs[2]).toEqual(existing);
      });

      it('lets exactly one of several concurrent updates from the same revision win', async () => {
        const v1 = await put(store, space, 'note', 'a', { v: 1 });
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, (_, i) => store.writeDocuments(space, [nextVersion(v1, { v: i })])),
        );
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        for (const r of lost) expect((r.reason as FoyerError).code).toBe('conflict');
        expect((await store.getDocument(space, 'note', 'a'))!.rev).toBe(won[0]!.value[0]!.rev);
      });
    });

    describe('changes', () => {
      let space: string;
      beforeEach(async () => {
        space = await newSpace(store);
      });

      it('lists one row per document, its latest revision, in seq order', async () => {
        await putAll(store, space, 'note', { a: { n: 1 }, b: { n: 2 }, c: { n: 3 } });
        const a = (await store.getDocument(space, 'note', 'a'))!;
        await store.writeDocuments(space, [nextVersion(a, { n: 10 })]);
        const b = (await store.getDocument(space, 'note', 'b'))!;
        await store.writeDocuments(space, [tombstone(b)]);
        const [a2, b2, c] = await store.getDocuments(space, 'note', ['a', 'b', 'c']);
        expect(await store.changes(space, 'note', 0, 100)).toEqual([
          { id: 'c', rev: c!.rev, seq: c!.seq, deleted: false },
          { id: 'a', rev: a2!.rev, seq: a2!.seq, deleted: false },
          { id: 'b', rev: b2!.rev, seq: b2!.seq, deleted: true },
        ]);
      });

      it('starts after `since` and stops at `limit`', async () => {
        const written = await store.writeDocuments(
          space,
          Array.from({ length: 6 }, (_, i) => creation('note', `n${i}`, { i })),
        );
        const since = written[1]!.seq;
        expect((await store.changes(space, 'note', since, 100)).map((c) => c.id)).toEqual(['n2', 'n3', 'n4', 'n5']);
        expect((await store.changes(space, 'note', since, 2)).map((c) => c.id)).toEqual(['n2', 'n3']);
        expect(await store.changes(space, 'note', written[5]!.seq, 100)).toEqual([]);
      });

      it('follows one doctype only', async () => {
        await store.writeDocuments(space, [
          creation('note', 'a', {}),
          creation('task', 'b', {}),
          creation('note', 'c', {}),
        ]);
        expect((await store.changes(space, 'note', 0, 100)).map((c) => c.id)).toEqual(['a', 'c']);
        expect((await store.changes(space, 'task', 0, 100)).map((c) => c.id)).toEqual(['b']);
        expect(await store.changes(space, 'nothing', 0, 100)).toEqual([]);
      });
    });

    describe('find', () => {
      let space: string;
      /** Values of every JSON type under the same fields, to pin the type rules. */
      const typed: Record<string, unknown> = {
        int1: { n: 1, s: 'a', flag: true, nested: { x: 1, deeper: { y: 'yes' } } },
        real: { n: 2.5, s: 'Z' },
        str2: { n: '2', s: 'é' },
        bool: { n: true, s: 'b' },
        nul: { n: null, s: null },
        none: {},
        arr: { n: [1, 2], s: { k: 1 } },
        neg: { n: -3, s: '{"k":1}' },
        zero: { n: 0, flag: false },
        two: '{"n":2.0,"s":"\uFF21"}',
        emoji: { s: '😀' },
      };
      const all = Object.keys(typed).sort();
      const except = (...ids: string[]) => all.filter((id) => !ids.includes(id));

      beforeEach(async () => {
        space = await newSpace(store);
        await putAll(store, space, 't', typed);
      });

      const cases: [string, Selector | null, string[]][] = [
        ['no selector', null, all],
        ['$eq number: numbers only, never true or "1"', { op: 'eq', field: 'n', value: 1 }, ['int1']],
        ['$eq number: 2 equals 2.0', { op: 'eq', field: 'n', value: 2 }, ['two']],
        ['$eq string: strings only', { op: 'eq', field: 'n', value: '2' }, ['str2']],
        ['$eq true', { op: 'eq', field: 'n', value: true }, ['bool']],
        ['$eq false: booleans only, never 0', { op: 'eq', field: 'flag', value: false }, ['zero']],
        ['$eq null: null, never missing', { op: 'eq', field: 'n', value: null }, ['nul']],
        ['$eq string never matches an object', { op: 'eq', field: 's', value: '{"k":1}' }, ['neg']],
        ['$ne number: everything else, missing included', { op: 'ne', field: 'n', value: 1 }, except('int1')],
        ['$ne null', { op: 'ne', field: 'n', value: null }, except('nul')],
        ['$ne string', { op: 'ne', field: 's', value: 'a' }, except('int1')],
        ['$gt number: numbers only', { op: 'gt', field: 'n', value: 0 }, ['int1', 'real', 'two']],
        ['$gte number', { op: 'gte', field: 'n', value: 1 }, ['int1', 'real', 'two']],
        ['$lt number', { op: 'lt', field: 'n', value: 1 }, ['neg', 'zero']],
        ['$lte number', { op: 'lte', field: 'n', value: -3 }, ['neg']],
        ['$lt number never matches booleans', { op: 'lt', field: 'flag', value: 2 }, []],
        ['$gt string: strings only', { op: 'gt', field: 'n', value: '1' }, ['str2']],
        [
          '$gt string: code point order',
          { op: 'gt', field: 's', value: 'Z' },
          ['bool', 'emoji', 'int1', 'neg', 'str2', 'two'],
        ],
        ['$lt string: "Z" < "a"', { op: 'lt', field: 's', value: 'a' }, ['real']],
        ['$gte string: "é" < "Ａ" < "😀"', { op: 'gte', field: 's', value: 'é' }, ['emoji', 'str2', 'two']],
        ['$gt string: beyond the BMP by code point', { op: 'gt', field: 's', value: '\uFF21' }, ['emoji']],
        ['$lte string', { op: 'lte', field: 's', value: 'a' }, ['int1', 'real']],
        ['$in mixes types exactly', { op: 'in', field: 'n', values: [1, '2', null] }, ['int1', 'nul', 'str2']],
        ['$in booleans', { op: 'in', field: 'n', values: [true, 2.5] }, ['bool', 'real']],
        ['$in empty matches nothing', { op: 'in', field: 'n', values: [] }, []],
        ['$exists true: present, even null', { op: 'exists', field: 'n', value: true }, except('none', 'emoji')],
        ['$exists false', { op: 'exists', field: 'n', value: false }, ['emoji', 'none']],
        ['nested field', { op: 'eq', field: 'nested.x', value: 1 }, ['int1']],
        ['deeper nested field', { op: 'eq', field: 'nested.deeper.y', value: 'yes' }, ['int1']],
        ['nested field absent', { op: 'exists', field: 'nested.x', value: false }, except('int1')],
        ['a path through a scalar is absent', { op: 'exists', field: 'n.x', value: true }, []],
        [
          '$and',
          {
            op: 'and',
            of: [
              { op: 'gt', field: 'n', value: 0 },
              { op: 'lt', field: 'n', value: 2.5 },
            ],
          },
          ['int1', 'two'],
        ],
        // Conjunctions on one field: types kept apart however the bounds fall (SQLite leaves its
        // type guard out where its own order of types already does the job).
        ['$and: a negative range, numbers only', and(['lt', 'n', 0], ['gt', 'n', -10]), ['neg']],
        ['$and: a range holding 1 never matches true', and(['lt', 'n', 2], ['gt', 'n', 0.5]), ['int1']],
        ['$and: a range holding 0 never matches false', and(['lte', 'flag', 0], ['gte', 'flag', 0]), []],
        ['$and: 0.5 above, -1 below: still no false', and(['lt', 'flag', 0.5], ['gt', 'flag', -1]), []],
        ['$and: = 1 and > 0: never true', and(['eq', 'n', 1], ['gt', 'n', 0]), ['int1']],
        ['$and: = 2 and < 3', and(['eq', 'n', 2], ['lt', 'n', 3]), ['two']],
        ['$and: a string range below "[": strings only', and(['gte', 's', 'A'], ['lt', 's', '[']), ['real']],
        [
          '$and: a string range spanning "{": never an object',
          and(['gte', 's', ' '], ['lt', 's', '~']),
          ['bool', 'int1', 'neg', 'real'],
        ],
        ["$and: = an object's text: the string only", and(['eq', 's', '{"k":1}'], ['gt', 's', '']), ['neg']],
        [
          '$or',
          {
            op: 'or',
            of: [
              { op: 'lt', field: 'n', value: 0 },
              { op: 'eq', field: 's', value: 'a' },
            ],
          },
          ['int1', 'neg'],
        ],
        [
          '$or inside $and inside $or',
          {
            op: 'or',
            of: [
              {
                op: 'and',
                of: [
                  {
                    op: 'or',
                    of: [
                      { op: 'eq', field: 'n', value: 1 },
                      { op: 'eq', field: 'n', value: 2.5 },
                    ],
                  },
                  { op: 'exists', field: 'flag', value: false },
                ],
              },
              { op: 'eq', field: 's', value: '😀' },
            ],
          },
          ['emoji', 'real'],
        ],
        [
          'negated via $ne inside $or',
          {
            op: 'or',
            of: [
              { op: 'ne', field: 's', value: null },
              { op: 'eq', field: 'n', value: null },
            ],
          },
          all,
        ],
        ['$and of nothing matches everything', { op: 'and', of: [] }, all],
        ['$or of nothing matches nothing', { op: 'or', of: [] }, []],
      ];

      for (const [title, selector, expected] of cases) {
        it(`matches by the type rules: ${title}`, async () => {
          expect((await findIds(store, space, 't', selector)).sort()).toEqual(expected);
        });
      }

      it('never returns deleted documents', async () => {
        const doc = (await store.getDocument(space, 't', 'int1'))!;
        await store.writeDocuments(space, [tombstone(doc)]);
        expect(await findIds(store, space, 't', null)).not.toContain('int1');
        expect(await findIds(store, space, 't', { op: 'exists', field: 'n', value: false })).toEqual(['emoji', 'none']);
        expect(await findIds(store, space, 't', { op: 'ne', field: 'n', value: 5 })).not.toContain('int1');
      });

      it('finds within one doctype', async () => {
        await put(store, space, 'u', 'other', { n: 1 });
        expect(await findIds(store, space, 't', { op: 'eq', field: 'n', value: 1 })).toEqual(['int1']);
        expect(await findIds(store, space, 'u', null)).toEqual(['other']);
      });

      it('returns whole stored documents, sorted by id when no sort is given', async () => {
        const docs = await store.findDocuments(space, 't', { selector: null, sort: [], limit: 100 });
        expect(docs.map((d) => d.id)).toEqual(all);
        expect(docs[0]).toEqual(await store.getDocument(space, 't', all[0]!));
      });

      it('stops at the limit', async () => {
        expect(await findIds(store, space, 't', null, [], 3)).toEqual(all.slice(0, 3));
      });

      it('refuses malformed field paths in selectors and sorts', async () => {
        for (const field of ["n') OR 1=1 --", 'a..b', '', 'a"b', '$.n']) {
          await expectCode(
            store.findDocuments(space, 't', { selector: { op: 'eq', field, value: 1 }, sort: [], limit: 10 }),
            'invalid_selector',
          );
          await expectCode(
            store.findDocuments(space, 't', { selector: null, sort: [{ field, direction: 'asc' }], limit: 10 }),
            'invalid_selector',
          );
        }
      });
    });

    describe('sort and paging', () => {
      let space: string;
      // k: numbers with ties and gaps; w: strings; a/b: two keys. d09 and d15 miss k, d13 misses w.
      const docs: Record<string, unknown> = {};
      const words = ['pomme', 'Zèbre', 'abricot', 'éclair', 'Pomme', 'zeste', 'Ａ', '😀', 'a'];
      for (let i = 0; i < 23; i++) {
        const doc: Record<string, unknown> = { a: i % 3, b: (i * 7) % 5, w: words[i % words.length] };
        if (i !== 9 && i !== 15) doc.k = (i * 5) % 4;
        if (i === 13) delete doc.w;
        if (i % 4 === 0) doc.meta = { rank: 10 - (i % 7) };
        docs[`d${String(i).padStart(2, '0')}`] = doc;
      }
      const sorts: [string, SortKey[]][] = [
        ['one key ascending, missing first', [{ field: 'k', direction: 'asc' }]],
        ['one key descending, missing last', [{ field: 'k', direction: 'desc' }]],
        ['strings by code point', [{ field: 'w', direction: 'asc' }]],
        ['strings by code point, descending', [{ field: 'w', direction: 'desc' }]],
        [
          'two keys, mixed directions',
          [
            { field: 'a', direction: 'asc' },
            { field: 'b', direction: 'desc' },
          ],
        ],
        [
          'two keys with missing values',
          [
            { field: 'k', direction: 'desc' },
            { field: 'w', direction: 'asc' },
          ],
        ],
        ['a nested field', [{ field: 'meta.rank', direction: 'asc' }]],
        ['no key: by id', []],
      ];

      beforeEach(async () => {
        space = await newSpace(store);
        await putAll(store, space, 'p', docs);
      });

      for (const [title, sort] of sorts) {
        it(`sorts: ${title}, ties by id`, async () => {
          expect(await findIds(store, space, 'p', null, sort)).toEqual(referenceOrder(docs, sort));
        });

        it(`pages with the keyset cursor visiting each document once: ${title}`, async () => {
          const pages = await readAllPages(store, space, 'p', { selector: null, sort, limit: 4 });
          expect(pages.slice(0, -1).every((p) => p.length === 4)).toBe(true);
          expect(pages.flat()).toEqual(referenceOrder(docs, sort));
        });
      }

      it('sorts and pages a filtered query', async () => {
        const selector: Selector = { op: 'gte', field: 'k', value: 1 };
        const sort: SortKey[] = [{ field: 'k', direction: 'desc' }];
        const matching = Object.fromEntries(
          Object.entries(docs).filter(([, d]) => ((d as { k?: number }).k ?? -1) >= 1),
        );
        const pages = await readAllPages(store, space, 'p', { selector, sort, limit: 3 });
        expect(pages.flat()).toEqual(referenceOrder(matching, sort));
      });

      it('puts missing values first ascending, last descending', async () => {
        const asc = await findIds(store, space, 'p', null, [{ field: 'k', direction: 'asc' }]);
        expect(asc.slice(0, 2)).toEqual(['d09', 'd15']);
        const desc = await findIds(store, space, 'p', null, [{ field: 'k', direction: 'desc' }]);
        expect(desc.slice(-2)).toEqual(['d09', 'd15']);
      });

      it('orders strings by code point: "Z" < "a" < "é" < "Ａ" < "😀"', async () => {
        const ids = await findIds(store, space, 'p', { op: 'exists', field: 'w', value: true }, [
          { field: 'w', direction: 'asc' },
        ]);
        const seen = ids.map((id) => (docs[id] as { w: string }).w).filter((w, i, list) => list.indexOf(w) === i);
        expect(seen).toEqual(['Pomme', 'Zèbre', 'a', 'abricot', 'pomme', 'zeste', 'éclair', 'Ａ', '😀']);
      });

      it('starts strictly after the cursor, even on a tie', async () => {
        const sort: SortKey[] = [{ field: 'k', direction: 'asc' }];
        const full = referenceOrder(docs, sort);
        const pivot = full[8]!;
        const page = await store.findDocuments(space, 'p', {
          selector: null,
          sort,
          limit: 100,
          after: { values: [valueAt(docs[pivot], 'k')], id: pivot },
        });
        expect(page.map((d) => d.id)).toEqual(full.slice(9));
        const fromMissing = await store.findDocuments(space, 'p', {
          selector: null,
          sort,
          limit: 100,
          after: { values: [null], id: 'd09' },
        });
        expect(fromMissing.map((d) => d.id)).toEqual(full.slice(1));
        const byId = await store.findDocuments(space, 'p', {
          selector: null,
          sort: [],
          limit: 2,
          after: { values: [], id: 'd20' },
        });
        expect(byId.map((d) => d.id)).toEqual(['d21', 'd22']);
      });
    });

    describe('indexes', () => {
      let space: string;
      beforeEach(async () => {
        space = await newSpace(store);
      });

      it('declares indexes idempotently and lists them per doctype in declaration order', async () => {
        expect(await store.listIndexes(space, 'bank.transaction')).toEqual([]);
        await store.ensureIndex(space, 'bank.transaction', ['date']);
        await store.ensureIndex(space, 'bank.transaction', ['date']);
        await store.ensureIndex(space, 'bank.transaction', ['account', 'date']);
        await store.ensureIndex(space, 'bill', ['vendor.name']);
        expect(await store.listIndexes(space, 'bank.transaction')).toEqual([['date'], ['account', 'date']]);
        expect(await store.listIndexes(space, 'bill')).toEqual([['vendor.name']]);
        expect(await store.listIndexes(space, 'other')).toEqual([]);
      });

      it('refuses malformed index fields', async () => {
        await expectCode(store.ensureIndex(space, 'note', []), 'invalid_selector');
        await expectCode(store.ensureIndex(space, 'note', ["x') --"]), 'invalid_selector');
        await expectCode(store.ensureIndex(space, 'note', ['ok', 'a..b']), 'invalid_selector');
        expect(await store.listIndexes(space, 'note')).toEqual([]);
      });

      it('gives the same answers with and without indexes', async () => {
        const docs: Record<string, unknown> = {};
        for (let i = 0; i < 60; i++) {
          const doc: Record<string, unknown> = {
            date: `2024-0${1 + (i % 3)}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}`,
            amount: ((i * 37) % 200) - 120,
            account: i % 2 ? 'checking' : 'savings',
          };
          if (i % 11 === 0) delete doc.date;
          if (i % 13 === 0) doc.amount = String(doc.amount);
          docs[`tx${String(i).padStart(2, '0')}`] = doc;
        }
        await putAll(store, space, 'tx', docs);
        const queries: StoreFindQuery[] = [
          {
            selector: {
              op: 'and',
              of: [
                { op: 'gte', field: 'date', value: '2024-02-01' },
                { op: 'lt', field: 'date', value: '2024-03-01' },
                { op: 'lt', field: 'amount', value: 0 },
              ],
            },
            sort: [{ field: 'date', direction: 'asc' }],
            limit: 100,
          },
          {
            selector: { op: 'eq', field: 'account', value: 'checking' },
            sort: [{ field: 'date', direction: 'desc' }],
            limit: 7,
          },
          { selector: { op: 'exists', field: 'date', value: false }, sort: [], limit: 100 },
          { selector: { op: 'in', field: 'amount', values: [-120, '-83', 80] }, sort: [], limit: 100 },
          {
            selector: null,
            sort: [
              { field: 'account', direction: 'asc' },
              { field: 'date', direction: 'desc' },
            ],
            limit: 100,
          },
          {
            selector: { op: 'gt', field: 'date', value: '2024-01-15' },
            sort: [{ field: 'date', direction: 'asc' }],
            limit: 5,
            after: { values: ['2024-02-08'], id: 'tx31' },
          },
        ];
        const answer = async () =>
          Promise.all(queries.map(async (q) => (await store.findDocuments(space, 'tx', q)).map((d) => d.id)));
        const before = await answer();
        await store.ensureIndex(space, 'tx', ['date']);
        await store.ensureIndex(space, 'tx', ['account', 'date']);
        await store.ensureIndex(space, 'tx', ['amount']);
        expect(await answer()).toEqual(before);
        expect(before[0]!.length).toBeGreaterThan(3);
        // Documents written after the index are found through it too.
        await put(store, space, 'tx', 'late', { date: '2024-02-15', amount: -1, account: 'checking' });
        expect((await answer())[0]).toContain('late');
      });
    });

    describe('imports', () => {
      let space: string;
      const curve = 'energy.electricity.load-curve';
      const everything = { from: utc('2000-01-01T00:00Z'), to: utc('2100-01-01T00:00Z') };

      beforeEach(async () => {
        space = await newSpace(store);
      });

      it('writes documents of several doctypes and points in one transaction', async () => {
        const points = halfHourly('2024-03-01T00:00Z', '2024-03-01T02:00Z', (_t, i) => i + 1);
        function* batches() {
          yield { documents: [creation('bank.account', 'acc', { n: 1 })] };
          yield {
            documents: [creation('bank.transaction', 't1', { n: 1 }), creation('bank.transaction', 't2', { n: 2 })],
          };
          yield { doctype: curve, points };
        }
        expect(await store.applyImport(space, batches())).toEqual({ documents: 3, points: 4 });
        expect(JSON.parse((await store.getDocument(space, 'bank.transaction', 't2'))!.data!)).toEqual({ n: 2 });
        expect((await store.readPoints(space, curve, everything, 10)).map((p) => p.value)).toEqual([1, 2, 3, 4]);
        const [day] = await store.aggregatePoints(space, curve, everything, 'day', PARIS);
        expect(day).toMatchObject({ count: 4, sum: 10, min: 1, max: 4 });
      });

      it('writes nothing at all when a later batch conflicts', async () => {
        const [existing] = await store.writeDocuments(space, [creation('note', 'taken', { v: 0 })]);
        const changes = await store.changes(space, 'note', 0, 100);
        function* batches() {
          yield { documents: [creation('note', 'fresh', { v: 1 })] };
          yield { doctype: curve, points: halfHourly('2024-03-01T00:00Z', '2024-03-01T01:00Z', () => 5) };
          yield { documents: [creation('note', 'taken', { v: 2 })] };
        }
        const e = await expectCode(store.applyImport(space, batches()), 'conflict');
        expect(e.details).toMatchObject({ id: 'taken' });
        expect(await store.getDocument(space, 'note', 'fresh')).toBeNull();
        expect((await store.getDocument(space, 'note', 'taken'))?.rev).toBe(existing!.rev);
        expect(await store.readPoints(space, curve, everything, 10)).toEqual([]);
        expect(await store.aggregatePoints(space, curve, everything, 'day', PARIS)).toEqual([]);
        expect(await store.changes(space, 'note', 0, 100)).toEqual(changes);
      });

      it('writes nothing when reading the batches fails midway', async () => {
        function* batches() {
          yield { documents: [creation('note', 'first', { v: 1 })] };
          throw new FoyerError('integrity_failed', 'the kept batches were damaged');
        }
        await expectCode(store.applyImport(space, batches()), 'integrity_failed');
        expect(await store.getDocument(space, 'note', 'first')).toBeNull();
      });

      it('replaces points already there and keeps roll-ups exact', async () => {
        await store.appendPoints(
          space,
          curve,
          halfHourly('2024-03-01T00:00Z', '2024-03-01T02:00Z', () => 1),
        );
        const again = halfHourly('2024-03-01T01:00Z', '2024-03-01T03:00Z', () => 3);
        expect(await store.applyImport(space, [{ doctype: curve, points: again }])).toEqual({
          documents: 0,
          points: 4,
        });
        const [day] = await store.aggregatePoints(space, curve, everything, 'day', PARIS);
        expect(day).toMatchObject({ count: 6, sum: 1 + 1 + 3 * 4, min: 1, max: 3 });
      });

      it('refuses an unknown space', async () => {
        await expectCode(
          store.applyImport(`s-${hex(6)}`, [{ documents: [creation('note', 'a', {})] }]),
          'space_not_found',
        );
      });
    });

    describe('series', () => {
      let space: string;
      const doctype = 'energy.electricity.load-curve';
      const everything = { from: utc('2000-01-01T00:00Z'), to: utc('2100-01-01T00:00Z') };

      beforeEach(async () => {
        space = await newSpace(store);
      });

      it('appends points and reads them back ordered by time then stream', async () => {
        const a = halfHourly('2024-01-01T00:00Z', '2024-01-01T02:00Z', (_t, i) => i, 'meter-b');
        const b = halfHourly('2024-01-01T01:00Z', '2024-01-01T03:00Z', (_t, i) => 10 + i, 'meter-a');
        expect(await store.appendPoints(space, doctype, [...a, ...b])).toBe(8);
        const read = await store.readPoints(space, doctype, everything, 100);
        expect(read.map((p) => [new Date(p.t).toISOString().slice(11, 16), p.stream, p.value])).toEqual([
          ['00:00', 'meter-b', 0],
          ['00:30', 'meter-b', 1],
          ['01:00', 'meter-a', 10],
          ['01:00', 'meter-b', 2],
          ['01:30', 'meter-a', 11],
          ['01:30', 'meter-b', 3],
          ['02:00', 'meter-a', 12],
          ['02:30', 'meter-a', 13],
        ]);
        expect(JSON.parse(read[0]!.data)).toEqual(JSON.parse(a[0]!.data));
        expect(await store.appendPoints(space, doctype, [])).toBe(0);
      });

      it('reads the range [from, to) of one stream or all', async () => {
        const points = [
          ...halfHourly('2024-01-01T00:00Z', '2024-01-01T03:00Z', () => 1, 'x'),
          ...halfHourly('2024-01-01T00:00Z', '2024-01-01T03:00Z', () => 2, 'y'),
        ];
        await store.appendPoints(space, doctype, points);
        const range = { from: utc('2024-01-01T01:00Z'), to: utc('2024-01-01T02:00Z') };
        const both = await store.readPoints(space, doctype, range, 100);
        expect(both.map((p) => [p.t, p.stream])).toEqual([
          [range.from, 'x'],
          [range.from, 'y'],
          [range.from + HOUR / 2, 'x'],
          [range.from + HOUR / 2, 'y'],
        ]);
        const onlyY = await store.readPoints(space, doctype, { ...range, stream: 'y' }, 100);
        expect(onlyY.map((p) => [p.t, p.stream, p.value])).toEqual([
          [range.from, 'y', 2],
          [range.from + HOUR / 2, 'y', 2],
        ]);
        expect(await store.readPoints(space, doctype, { ...range, stream: 'z' }, 100)).toEqual([]);
        expect(await store.readPoints(space, 'other.doctype', range, 100)).toEqual([]);
      });

      it('pages through points with the (t, stream) cursor', async () => {
        const points = ['s1', 's2', 's3'].flatMap((s) =>
          halfHourly('2024-05-01T00:00Z', '2024-05-01T04:00Z', () => 1, s),
        );
        await store.appendPoints(space, doctype, points);
        const seen: string[] = [];
        let after: { t: number; stream: string } | undefined;
        for (let guard = 0; guard < 100; guard++) {
          const page = await store.readPoints(space, doctype, everything, 5, after);
          if (page.length === 0) break;
          expect(page.length).toBeLessThanOrEqual(5);
          seen.push(...page.map((p) => `${p.t}/${p.stream}`));
          const last = page[page.length - 1]!;
          after = { t: last.t, stream: last.stream };
        }
        const expected = [...points]
          .sort((p, q) => p.t - q.t || (p.stream < q.stream ? -1 : 1))
          .map((p) => `${p.t}/${p.stream}`);
        expect(seen).toEqual(expected);
      });

      it('replaces a point appended again at the same time and stream', async () => {
        const t = utc('2024-06-01T10:00Z');
        const point = (value: number | null, stream = 'default'): SeriesPointWrite => ({
          stream,
          t,
          day: '2024-06-01',
          value,
          data: JSON.stringify({ value, stream }),
        });
        await store.appendPoints(space, doctype, [point(1), point(5, 'other')]);
        expect(await store.appendPoints(space, doctype, [point(2)])).toBe(1);
        const read = await store.readPoints(space, doctype, everything, 10);
        expect(read.map((p) => [p.stream, p.value, JSON.parse(p.data).value])).toEqual([
          ['default', 2, 2],
          ['other', 5, 5],
        ]);
        // Within one call, the last point for a (stream, t) wins.
        await store.appendPoints(space, doctype, [point(3), point(4), point(null)]);
        const again = await store.readPoints(space, doctype, { ...everything, stream: 'default' }, 10);
        expect(again.map((p) => p.value)).toEqual([null]);
      });

      it('aggregates per hour, day, week and month exactly as the points say', async () => {
        const points = [
          ...halfHourly('2024-03-20T00:00Z', '2024-04-10T00:00Z', (_t, i) => ((i * 13) % 17) / 4, 'a'),
          ...halfHourly('2024-03-25T00:00Z', '2024-04-02T00:00Z', (_t, i) => (i % 5 === 0 ? null : -i / 2), 'b'),
        ];
        await store.appendPoints(space, doctype, points);
        const ranges = [
          everything,
          { from: utc('2024-03-28T09:15Z'), to: utc('2024-04-03T17:45Z') },
          { from: utc('2024-03-28T09:15Z'), to: utc('2024-04-03T17:45Z'), stream: 'b' },
          { from: localMidnight('2024-03-30', PARIS), to: localMidnight('2024-04-02', PARIS) },
        ];
        for (const range of ranges) {
          for (const every of ['hour', 'day', 'week', 'month'] as const) {
            const rows = await store.aggregatePoints(space, doctype, range, every, PARIS);
            const expected = referenceAggregate(points, range, every);
            expect(rows.map((r) => r.key)).toEqual(expected.map((r) => r.key));
            rows.forEach((row, i) => {
              const want = expected[i]!;
              expect(row.count).toBe(want.count);
              expect(row.sum).toBeCloseTo(want.sum, 6);
              expect(row.min).toBe(want.min);
              expect(row.max).toBe(want.max);
            });
          }
        }
      });

      it('buckets days and hours in local time across daylight-saving changes', async () => {
        const points = [
          ...halfHourly('2024-03-29T23:00Z', '2024-04-01T22:00Z', () => 1),
          ...halfHourly('2024-10-25T22:00Z', '2024-10-28T23:00Z', () => 1),
        ];
        await store.appendPoints(space, doctype, points);
        const days = await store.aggregatePoints(space, doctype, everything, 'day', PARIS);
        expect(days.map((d) => [d.key, d.count])).toEqual([
          ['2024-03-30', 48],
          ['2024-03-31', 46], // 23 hours
          ['2024-04-01', 48],
          ['2024-10-26', 48],
          ['2024-10-27', 50], // 25 hours
          ['2024-10-28', 48],
        ]);
        const hoursOf = (day: string, next: string) =>
          store.aggregatePoints(
            space,
            doctype,
            { from: localMidnight(day, PARIS), to: localMidnight(next, PARIS) },
            'hour',
            PARIS,
          );
        const springHours = await hoursOf('2024-03-31', '2024-04-01');
        expect(springHours).toHaveLength(23);
        expect(springHours.map((h) => h.key).slice(0, 3)).toEqual(['2024-03-31T00', '2024-03-31T01', '2024-03-31T03']);
        expect(springHours.every((h) => h.count === 2)).toBe(true);
        const autumnHours = await hoursOf('2024-10-27', '2024-10-28');
        expect(autumnHours).toHaveLength(24);
        expect(autumnHours.find((h) => h.key === '2024-10-27T02')?.count).toBe(4);
        expect(autumnHours.filter((h) => h.count === 2)).toHaveLength(23);
        const weeks = await store.aggregatePoints(space, doctype, everything, 'week', PARIS);
        expect(weeks.map((w) => [w.key, w.count])).toEqual([
          ['2024-03-25', 48 + 46],
          ['2024-04-01', 48],
          ['2024-10-21', 48 + 50],
          ['2024-10-28', 48],
        ]);
        const months = await store.aggregatePoints(space, doctype, everything, 'month', PARIS);
        expect(months.map((m) => [m.key, m.count, m.sum])).toEqual([
          ['2024-03', 94, 94],
          ['2024-04', 48, 48],
          ['2024-10', 146, 146],
        ]);
      });

      it('ignores null values and omits buckets with no value', async () => {
        const points = halfHourly('2024-02-01T00:00Z', '2024-02-03T00:00Z', (t) =>
          localDay(t, PARIS) === '2024-02-02' ? null : 3,
        );
        await store.appendPoints(space, doctype, points);
        const days = await store.aggregatePoints(space, doctype, everything, 'day', PARIS);
        // 2024-02-01 00:00Z is 01:00 in Paris: Feb 1 has 46 points, Feb 3 the 2 after local midnight.
        expect(days).toEqual([
          { key: '2024-02-01', count: 46, sum: 138, min: 3, max: 3 },
          { key: '2024-02-03', count: 2, sum: 6, min: 3, max: 3 },
        ]);
        expect(await store.readPoints(space, doctype, everything, 1000)).toHaveLength(96);
      });

      it('sums every stream unless one is asked for', async () => {
        await store.appendPoints(space, doctype, [
          ...halfHourly('2024-07-01T00:00Z', '2024-07-01T01:00Z', () => 1.5, 'a'),
          ...halfHourly('2024-07-01T00:00Z', '2024-07-01T01:00Z', () => -4, 'b'),
        ]);
        const all = await store.aggregatePoints(space, doctype, everything, 'month', PARIS);
        expect(all).toEqual([{ key: '2024-07', count: 4, sum: -5, min: -4, max: 1.5 }]);
        const onlyA = await store.aggregatePoints(space, doctype, { ...everything, stream: 'a' }, 'hour', PARIS);
        expect(onlyA).toEqual([{ key: '2024-07-01T02', count: 2, sum: 3, min: 1.5, max: 1.5 }]);
      });

      it('keeps aggregates exact when points are replaced', async () => {
        const points = halfHourly('2024-09-01T00:00Z', '2024-09-03T00:00Z', () => 2);
        await store.appendPoints(space, doctype, points);
        const replaced = points.slice(10, 12).map((p) => ({ ...p, value: 100 }));
        const cleared = points.slice(40, 41).map((p) => ({ ...p, value: null }));
        await store.appendPoints(space, doctype, [...replaced, ...cleared]);
        const all = [...points, ...replaced, ...cleared];
        for (const every of ['hour', 'day', 'month'] as const) {
          expect(await store.aggregatePoints(space, doctype, everything, every, PARIS)).toEqual(
            referenceAggregate(all, everything, every),
          );
        }
        const [september] = await store.aggregatePoints(space, doctype, everything, 'month', PARIS);
        expect(september).toEqual({ key: '2024-09', count: 95, sum: 93 * 2 + 200, min: 2, max: 100 });
      });

      it('deletes points in a range, of one stream or all, and updates aggregates', async () => {
        const points = [
          ...halfHourly('2024-11-01T00:00Z', '2024-11-04T00:00Z', () => 1, 'a'),
          ...halfHourly('2024-11-01T00:00Z', '2024-11-04T00:00Z', () => 2, 'b'),
        ];
        await store.appendPoints(space, doctype, points);
        const nov2 = { from: localMidnight('2024-11-02', PARIS), to: localMidnight('2024-11-03', PARIS) };
        expect(await store.deletePoints(space, doctype, { ...nov2, stream: 'a' })).toBe(48);
        expect(await store.readPoints(space, doctype, { ...nov2, stream: 'a' }, 100)).toEqual([]);
        expect(await store.readPoints(space, doctype, { ...nov2, stream: 'b' }, 100)).toHaveLength(48);
        const partial = { from: utc('2024-11-03T10:15Z'), to: utc('2024-11-03T12:00Z') };
        expect(await store.deletePoints(space, doctype, partial)).toBe(6);
        expect(await store.deletePoints(space, doctype, partial)).toBe(0);
        const remaining = points.filter(
          (p) => !(p.stream === 'a' && p.t >= nov2.from && p.t < nov2.to) && !(p.t >= partial.from && p.t < partial.to),
        );
        expect(await store.readPoints(space, doctype, everything, 1000)).toHaveLength(remaining.length);
        for (const every of ['hour', 'day', 'week', 'month'] as const) {
          expect(await store.aggregatePoints(space, doctype, everything, every, PARIS)).toEqual(
            referenceAggregate(remaining, everything, every),
          );
        }
        expect(await store.deletePoints(space, doctype, everything)).toBe(remaining.length);
        expect(await store.aggregatePoints(space, doctype, everything, 'day', PARIS)).toEqual([]);
      });

      it('keeps doctypes apart', async () => {
        await store.appendPoints(
          space,
          'water.daily',
          halfHourly('2024-01-01T00:00Z', '2024-01-01T01:00Z', () => 7),
        );
        await store.appendPoints(
          space,
          doctype,
          halfHourly('2024-01-01T00:00Z', '2024-01-01T01:00Z', () => 1),
        );
        expect(await store.deletePoints(space, doctype, everything)).toBe(2);
        expect(await store.aggregatePoints(space, 'water.daily', everything, 'day', PARIS)).toEqual([
          { key: '2024-01-01', count: 2, sum: 14, min: 7, max: 7 },
        ]);
      });
    });
  });
}
