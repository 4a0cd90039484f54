/**
 * The DocumentStore contract for the access ledger and for what a grant's withdrawal needs
 * (documents found by the grant they were created under, points deleted by grant). Each
 * implementation's test file calls `ledgerStoreContract(name, makeStore)` beside the main contract.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chainEntries,
  digestIds,
  GENESIS_HASH,
  ledgerBody,
  ledgerHash,
  type LedgerAggregateRow,
  type LedgerDraft,
  type LedgerEntry,
  type LedgerGrouping,
  type LedgerQuery,
} from '../core/ledger/ledger-entry.js';
import { localDay, localHourKey, monthKey } from '../core/time/time-zone.js';
import { rejection, type ContractStore } from './document-store.contract.js';
import type { DocumentStore, DocumentWrite, SeriesAggregateRow, SeriesPointWrite } from './document-store.js';

const PARIS = 'Europe/Paris';
const HOUR = 3_600_000;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

async function newSpace(store: DocumentStore): Promise<string> {
  const id = `l-${hex(6)}`;
  await store.createSpace({ id, hosts: [], timeZone: PARIS, createdAt: '2026-01-02T03:04:05.000Z' });
  return id;
}

/** A draft at `minute` minutes past 2026-03-28 22:00 UTC (the last evening of winter time in Paris). */
export function ledgerDraft(minute: number, overrides: Partial<LedgerDraft> = {}): LedgerDraft {
  const t = Date.UTC(2026, 2, 28, 22, 0) + minute * 60_000;
  return {
    at: new Date(t).toISOString(),
    day: localDay(t, PARIS),
    actorKind: 'owner',
    actorId: 'session',
    grant: null,
    grantVersion: null,
    verb: 'read',
    doctype: 'bank.transaction',
    count: 1,
    idsDigest: digestIds([`doc-${minute}`]),
    purpose: 'owner-use',
    outcome: 'allowed',
    code: null,
    ...overrides,
  };
}

/**
 * What a space written before the ledger existed must show once its store is upgraded: it held a
 * note `n1` created under grant `g1` and a `power` point at t = 0, written before points had a grant.
 */
export async function expectUpgradedSpace(store: DocumentStore, space: string): Promise<void> {
  expect(await store.ledgerHead(space)).toEqual({ seq: 0, hash: GENESIS_HASH });
  const [entry] = await store.appendLedger(space, [ledgerDraft(0)]);
  expect(entry).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  const query = { selector: null, sort: [], limit: 10, createdByGrant: 'g1' };
  expect((await store.findDocuments(space, 'note', query)).map((d) => d.id)).toEqual(['n1']);
  // Points written before the upgrade belong to no grant.
  expect(await store.deletePointsOfGrant(space, 'power', 'g1')).toBe(0);
  expect(await store.readPoints(space, 'power', { from: 0, to: 1 }, 10)).toHaveLength(1);
}

/** The draft part of an entry. */
function draftOf(entry: LedgerEntry): LedgerDraft {
  const { seq: _seq, prevHash: _prev, hash: _hash, ...draft } = entry;
  return draft;
}

/** Every entry of a space's ledger through scanLedger pages of `page`. */
async function scanAll(store: DocumentStore, space: string, page = 7): Promise<LedgerEntry[]> {
  const all: LedgerEntry[] = [];
  for (;;) {
    const next = await store.scanLedger(space, all.length ? all[all.length - 1]!.seq : 0, page);
    if (next.length === 0) return all;
    all.push(...next);
  }
}

/** A varied ledger: actors, grants, doctypes, outcomes, across two local days. */
function variedDrafts(): LedgerDraft[] {
  const actors = [
    { actorKind: 'owner', actorId: 'session', grant: null, grantVersion: null, purpose: 'owner-use' },
    { actorKind: 'app', actorId: 'mon-logis', grant: 'g-logis', grantVersion: 2, purpose: 'service-provision' },
    { actorKind: 'connector', actorId: 'edf', grant: 'g-edf', grantVersion: 1, purpose: 'data-collection' },
  ] as const;
  const doctypes = ['bank.transaction', 'energy.electricity.load-curve', 'foyer.file'];
  const outcomes = ['allowed', 'allowed', 'denied', 'failed'] as const;
  return Array.from({ length: 60 }, (_, i) => {
    const outcome = outcomes[i % 4]!;
    return ledgerDraft(i * 7, {
      ...actors[i % 3]!,
      doctype: doctypes[Math.floor(i / 3) % 3]!,
      verb: (['read', 'create', 'update', 'delete'] as const)[i % 4]!,
      count: outcome === 'allowed' ? (i % 5) + 1 : 0,
      outcome,
      code: outcome === 'allowed' ? null : outcome === 'denied' ? 'scope_denied' : 'validation_failed',
    });
  });
}

function matches(d: LedgerDraft, q: LedgerQuery): boolean {
  return (
    (q.from === undefined || d.at >= q.from) &&
    (q.to === undefined || d.at < q.to) &&
    (q.actorKind === undefined || d.actorKind === q.actorKind) &&
    (q.actorId === undefined || d.actorId === q.actorId) &&
    (q.grant === undefined || d.grant === q.grant) &&
    (q.doctype === undefined || d.doctype === q.doctype) &&
    (q.outcome === undefined || d.outcome === q.outcome)
  );
}

function referenceAggregate(drafts: LedgerDraft[], q: LedgerQuery, by: LedgerGrouping): LedgerAggregateRow[] {
  const rows = new Map<string, LedgerAggregateRow>();
  for (const d of drafts.filter((x) => matches(x, q))) {
    const key = by === 'actor' ? `${d.actorKind}:${d.actorId}` : by === 'doctype' ? d.doctype : d.day;
    const row = rows.get(key) ?? { key, allowed: 0, denied: 0, failed: 0, items: 0 };
    row[d.outcome] += 1;
    if (d.outcome === 'allowed') row.items += d.count;
    rows.set(key, row);
  }
  return [...rows.values()].sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)));
}

export function ledgerStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`DocumentStore ledger contract: ${name}`, () => {
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

    describe('appending', () => {
      it('starts a new space at the genesis head with no entries', async () => {
        const space = await newSpace(store);
        expect(await store.ledgerHead(space)).toEqual({ seq: 0, hash: GENESIS_HASH });
        expect(await store.scanLedger(space, 0, 10)).toEqual([]);
        expect(await store.readLedger(space, {}, 10)).toEqual([]);
        expect(await store.aggregateLedger(space, {}, 'day')).toEqual([]);
      });

      it('chains entries exactly as chainEntries does and stores them byte for byte', async () => {
        const space = await newSpace(store);
        const drafts = [
          ledgerDraft(0),
          // Text the hash must survive: accents, an emoji, quotes, backslashes, a newline, a tab.
          ledgerDraft(1, {
            actorKind: 'app',
            actorId: 'café-🏠',
            grant: 'grant "quoted" \\ back',
            grantVersion: 3,
            purpose: 'line one\nline two\tend',
            doctype: 'énergie.relevé',
            count: 0,
            idsDigest: null,
            outcome: 'denied',
            code: 'scope_denied',
          }),
          ledgerDraft(2, { verb: 'update', doctype: 'foyer.grant', count: 12345678, purpose: null }),
        ];
        const appended = await store.appendLedger(space, drafts);
        const expected = chainEntries({ seq: 0, hash: GENESIS_HASH }, drafts);
        expect(appended).toEqual(expected);
        expect(await store.scanLedger(space, 0, 10)).toEqual(expected);
        expect(await store.ledgerHead(space)).toEqual({ seq: 3, hash: expected[2]!.hash });
      });

      it('continues the chain from the recorded head on every later append', async () => {
        const space = await newSpace(store);
        const first = await store.appendLedger(space, [ledgerDraft(0), ledgerDraft(1)]);
        const second = await store.appendLedger(space, [ledgerDraft(2)]);
        const third = await store.appendLedger(space, [ledgerDraft(3), ledgerDraft(4), ledgerDraft(5)]);
        const all = [...first, ...second, ...third];
        expect(all.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
        expect(all).toEqual(chainEntries({ seq: 0, hash: GENESIS_HASH }, all.map(draftOf)));
        all.forEach((e, i) => expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : all[i - 1]!.hash));
        expect(await scanAll(store, space)).toEqual(all);
        expect(await store.ledgerHead(space)).toEqual({ seq: 6, hash: all[5]!.hash });
      });

      it('keeps 200 concurrent appends in one chain, each call getting consecutive entries', async () => {
        const space = await newSpace(store);
        const calls = Array.from({ length: 200 }, (_, c) =>
          Array.from({ length: (c % 3) + 1 }, (_, k) => ledgerDraft(c, { actorId: `call-${c}`, count: k })),
        );
        const results = await Promise.all(calls.map((drafts) => store.appendLedger(space, drafts)));
        const total = calls.reduce((n, d) => n + d.length, 0);
        results.forEach((entries, c) => {
          expect(entries.map(draftOf)).toEqual(calls[c]);
          entries.forEach((e, k) => k > 0 && expect(e.seq).toBe(entries[k - 1]!.seq + 1));
        });
        const stored = await scanAll(store, space, 100);
        expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
        expect(stored).toEqual(chainEntries({ seq: 0, hash: GENESIS_HASH }, stored.map(draftOf)));
        expect(stored).toEqual(results.flat().sort((a, b) => a.seq - b.seq));
        expect(await store.ledgerHead(space)).toEqual({ seq: total, hash: stored[total - 1]!.hash });
      });

      it('answers an empty append with no entries and leaves the head alone', async () => {
        const space = await newSpace(store);
        await store.appendLedger(space, [ledgerDraft(0)]);
        const head = await store.ledgerHead(space);
        expect(await store.appendLedger(space, [])).toEqual([]);
        expect(await store.ledgerHead(space)).toEqual(head);
      });

      it('refuses drafts whose text would not come back exactly, storing nothing of the call', async () => {
        const space = await newSpace(store);
        const bad: Partial<LedgerDraft>[] = [
          { at: '2026-03-28T22:00:00Z' },
          { at: 'yesterday' },
          { day: '2026-02-30' },
          { actorId: '' },
          { actorId: 'nul\u0000inside' },
          { doctype: 'lone \ud800 surrogate' },
          { count: -1 },
          { count: 1.5 },
          { grantVersion: 0 },
          { idsDigest: 'not-a-digest' },
          { verb: 'steal' as LedgerDraft['verb'] },
          { outcome: 'maybe' as LedgerDraft['outcome'] },
          { actorKind: 'robot' as LedgerDraft['actorKind'] },
          { purpose: 7 as unknown as string },
        ];
        for (const overrides of bad) {
          const e = await rejection(store.appendLedger(space, [ledgerDraft(0), ledgerDraft(1, overrides)]));
          expect({ overrides, code: e.code }).toEqual({ overrides, code: 'bad_request' });
          expect(e.message).toContain('entry 1');
        }
        expect(await store.ledgerHead(space)).toEqual({ seq: 0, hash: GENESIS_HASH });
        expect(await store.scanLedger(space, 0, 10)).toEqual([]);
      });

      it('fails only the call with a bad draft when calls are appended together', async () => {
        const space = await newSpace(store);
        const results = await Promise.allSettled([
          store.appendLedger(space, [ledgerDraft(0)]),
          store.appendLedger(space, [ledgerDraft(1, { count: -5 })]),
          store.appendLedger(space, [ledgerDraft(2)]),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await scanAll(store, space)).map((e) => e.seq)).toEqual([1, 2]);
      });

      it('answers space_not_found for every ledger call on an unknown space', async () => {
        const missing = `l-${hex(6)}`;
        for (const call of [
          () => store.appendLedger(missing, [ledgerDraft(0)]),
          () => store.appendLedger(missing, []),
          () => store.readLedger(missing, {}, 10),
          () => store.scanLedger(missing, 0, 10),
          () => store.aggregateLedger(missing, {}, 'actor'),
          () => store.ledgerHead(missing),
        ]) {
          expect((await rejection(call())).code).toBe('space_not_found');
        }
      });

      it('keeps each space its own chain and never shows another space its entries', async () => {
        const a = await newSpace(store);
        const b = await newSpace(store);
        await Promise.all([
          store.appendLedger(a, [ledgerDraft(0, { actorId: 'in-a' }), ledgerDraft(1, { actorId: 'in-a' })]),
          store.appendLedger(b, [ledgerDraft(0, { actorId: 'in-b' })]),
        ]);
        const inA = await scanAll(store, a);
        const inB = await scanAll(store, b);
        expect(inA.map((e) => [e.seq, e.actorId])).toEqual([
          [1, 'in-a'],
          [2, 'in-a'],
        ]);
        expect(inB.map((e) => [e.seq, e.actorId])).toEqual([[1, 'in-b']]);
        expect((await store.readLedger(a, {}, 100)).every((e) => e.actorId === 'in-a')).toBe(true);
        expect(await store.readLedger(b, { actorId: 'in-a' }, 100)).toEqual([]);
        expect(await store.aggregateLedger(b, {}, 'actor')).toEqual([
          { key: 'owner:in-b', allowed: 1, denied: 0, failed: 0, items: 1 },
        ]);
        expect((await store.ledgerHead(b)).seq).toBe(1);
      });

      it('removes the ledger with its space: a space made again under the id starts afresh', async () => {
        const space = await newSpace(store);
        await store.appendLedger(space, [ledgerDraft(0), ledgerDraft(1)]);
        await store.deleteSpace(space);
        expect((await rejection(store.scanLedger(space, 0, 10))).code).toBe('space_not_found');
        await store.createSpace({ id: space, hosts: [], timeZone: PARIS, createdAt: '2026-01-02T03:04:05.000Z' });
        expect(await store.ledgerHead(space)).toEqual({ seq: 0, hash: GENESIS_HASH });
        expect(await store.scanLedger(space, 0, 10)).toEqual([]);
        const [entry] = await store.appendLedger(space, [ledgerDraft(5)]);
        expect(entry).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
      });
    });

    describe('reading', () => {
      let space: string;
      let drafts: LedgerDraft[];
      let entries: LedgerEntry[];

      beforeEach(async () => {
        space = await newSpace(store);
        drafts = variedDrafts();
        entries = await store.appendLedger(space, drafts);
      });

      it('scans entries in seq order from any point, a page at a time', async () => {
        expect(await store.scanLedger(space, 0, 5)).toEqual(entries.slice(0, 5));
        expect(await store.scanLedger(space, 57, 10)).toEqual(entries.slice(57));
        expect(await store.scanLedger(space, 60, 10)).toEqual([]);
        expect(await store.scanLedger(space, 3, 0)).toEqual([]);
        expect(await scanAll(store, space, 11)).toEqual(entries);
      });

      it('lists newest first, and pages through everything with beforeSeq', async () => {
        const newest = [...entries].reverse();
        expect(await store.readLedger(space, {}, 5)).toEqual(newest.slice(0, 5));
        const seen: LedgerEntry[] = [];
        let before: number | undefined;
        for (;;) {
          const page = await store.readLedger(space, {}, 13, before);
          if (page.length === 0) break;
          seen.push(...page);
          before = page[page.length - 1]!.seq;
        }
        expect(seen).toEqual(newest);
        expect(await store.readLedger(space, {}, 0)).toEqual([]);
      });

      it('filters by period, actor, grant, doctype and outcome, alone and together', async () => {
        const queries: LedgerQuery[] = [
          { from: drafts[10]!.at },
          { to: drafts[10]!.at },
          { from: drafts[10]!.at, to: drafts[20]!.at },
          { actorKind: 'app' },
          { actorKind: 'connector', actorId: 'edf' },
          { actorId: 'mon-logis' },
          { grant: 'g-logis' },
          { doctype: 'foyer.file' },
          { outcome: 'denied' },
          { actorKind: 'app', doctype: 'bank.transaction', outcome: 'allowed', from: drafts[3]!.at },
          { grant: 'nobody' },
        ];
        for (const query of queries) {
          const expected = [...entries].reverse().filter((e) => matches(e, query));
          expect({ query, got: await store.readLedger(space, query, 100) }).toEqual({ query, got: expected });
          // Paged with a filter: the pages join up into the same answer.
          const paged: LedgerEntry[] = [];
          let before: number | undefined;
          for (let guard = 0; guard < 100; guard++) {
            const page = await store.readLedger(space, query, 4, before);
            if (page.length === 0) break;
            paged.push(...page);
            before = page[page.length - 1]!.seq;
          }
          expect({ query, paged }).toEqual({ query, paged: expected });
        }
      });

      it('counts entries per actor, doctype and local day, by outcome, keys ascending', async () => {
        const filters: LedgerQuery[] = [{}, { actorKind: 'app' }, { from: drafts[20]!.at, outcome: 'allowed' }];
        for (const by of ['actor', 'doctype', 'day'] as const) {
          for (const query of filters) {
            const expected = referenceAggregate(drafts, query, by);
            expect({ by, query, rows: await store.aggregateLedger(space, query, by) }).toEqual({
              by,
              query,
              rows: expected,
            });
          }
        }
        // The entries span two local days in Paris (the night the clocks go forward).
        expect((await store.aggregateLedger(space, {}, 'day')).map((r) => r.key)).toEqual(['2026-03-28', '2026-03-29']);
      });

      it('refuses a grouping it does not know, a negative limit and a filter that is not text', async () => {
        expect((await rejection(store.aggregateLedger(space, {}, 'week' as LedgerGrouping))).code).toBe('bad_request');
        expect((await rejection(store.readLedger(space, {}, -1))).code).toBe('bad_request');
        expect((await rejection(store.scanLedger(space, 0, 1.5))).code).toBe('bad_request');
        expect((await rejection(store.scanLedger(space, -3, 10))).code).toBe('bad_request');
        expect((await rejection(store.readLedger(space, { doctype: 3 as unknown as string }, 10))).code).toBe(
          'bad_request',
        );
      });
    });

    describe('what a withdrawal finds', () => {
      const meta = (createdBy: Record<string, unknown>) =>
        JSON.stringify({ createdAt: '2026-01-01T00:00:00.000Z', createdBy });
      const write = (id: string, createdBy: Record<string, unknown>, data: unknown): DocumentWrite => ({
        doctype: 'note',
        id,
        expectedRev: null,
        rev: `1-${hex(4)}`,
        deleted: false,
        data: JSON.stringify(data),
        meta: meta(createdBy),
      });

      it('finds the live documents created under a grant, with selectors, sorting and paging', async () => {
        const space = await newSpace(store);
        const byApp = (grant: string) => ({ kind: 'app', id: 'mon-logis', grant });
        await store.writeDocuments(space, [
          write('a1', byApp('g1'), { n: 1 }),
          write('a2', byApp('g1'), { n: 2 }),
          write('a3', byApp('g1'), { n: 3 }),
          write('b1', byApp('g2'), { n: 1 }),
          write('o1', { kind: 'owner' }, { n: 1 }),
          write('a4', byApp('g1'), { n: 4 }),
        ]);
        const a4 = (await store.getDocument(space, 'note', 'a4'))!;
        await store.writeDocuments(space, [
          { ...write('a4', byApp('g1'), null), expectedRev: a4.rev, rev: `2-${hex(4)}`, deleted: true, data: null },
        ]);
        const ids = async (query: Partial<Parameters<DocumentStore['findDocuments']>[2]>) =>
          (await store.findDocuments(space, 'note', { selector: null, sort: [], limit: 100, ...query })).map(
            (d) => d.id,
          );

        expect(await ids({ createdByGrant: 'g1' })).toEqual(['a1', 'a2', 'a3']);
        expect(await ids({ createdByGrant: 'g2' })).toEqual(['b1']);
        expect(await ids({ createdByGrant: 'g3' })).toEqual([]);
        expect(await ids({ createdByGrant: 'g1', selector: { op: 'gte', field: 'n', value: 2 } })).toEqual([
          'a2',
          'a3',
        ]);
        expect(await ids({ createdByGrant: 'g1', sort: [{ field: 'n', direction: 'desc' }] })).toEqual([
          'a3',
          'a2',
          'a1',
        ]);
        expect(await ids({ createdByGrant: 'g1', limit: 2 })).toEqual(['a1', 'a2']);
        expect(await ids({ createdByGrant: 'g1', limit: 2, after: { values: [], id: 'a2' } })).toEqual(['a3']);
        // Without the filter, everything live, whoever created it.
        expect(await ids({})).toEqual(['a1', 'a2', 'a3', 'b1', 'o1']);
      });

      it('deletes the points written under a grant, and the aggregates follow', async () => {
        const space = await newSpace(store);
        const start = Date.UTC(2026, 0, 10, 23);
        // Three days of half-hourly points; every third one written under grant g1.
        const points: SeriesPointWrite[] = Array.from({ length: 3 * 48 }, (_, i) => {
          const t = start + i * 1_800_000;
          return {
            stream: i % 2 ? 'm2' : 'm1',
            t,
            day: localDay(t, PARIS),
            value: (i % 17) + 1,
            data: JSON.stringify({ i }),
            grant: i % 3 === 0 ? 'g1' : null,
          };
        });
        await store.appendPoints(space, 'power', points);
        await store.appendPoints(space, 'other', points.slice(0, 10));
        // A point the owner writes again is no longer the grant's.
        const rewritten = { ...points[3]!, grant: null, data: '{"again":true}' };
        await store.appendPoints(space, 'power', [rewritten]);

        const range = { from: start - HOUR, to: start + 4 * 86_400_000 };
        const gone = points.filter((p, i) => i % 3 === 0 && i !== 3);
        expect(await store.deletePointsOfGrant(space, 'power', 'g1')).toBe(gone.length);
        expect(await store.deletePointsOfGrant(space, 'power', 'g1')).toBe(0);
        expect(await store.deletePointsOfGrant(space, 'power', 'g2')).toBe(0);

        const left = points.filter((p, i) => i % 3 !== 0 || i === 3);
        const read = await store.readPoints(space, 'power', range, 1000);
        expect(read.map((p) => [p.t, p.stream])).toEqual(left.map((p) => [p.t, p.stream]));
        expect(read.find((p) => p.t === rewritten.t)?.data).toBe('{"again":true}');
        for (const every of ['hour', 'day', 'month'] as const) {
          const expected = new Map<string, SeriesAggregateRow>();
          const keyOf = (p: SeriesPointWrite) =>
            every === 'day' ? p.day : every === 'month' ? monthKey(p.day) : localHourKey(p.t, PARIS);
          for (const p of left) {
            const key = keyOf(p);
            const b = expected.get(key) ?? { key, count: 0, sum: 0, min: Infinity, max: -Infinity };
            b.count++;
            b.sum += p.value!;
            b.min = Math.min(b.min, p.value!);
            b.max = Math.max(b.max, p.value!);
            expected.set(key, b);
          }
          const got = await store.aggregatePoints(space, 'power', range, every, PARIS);
          expect({ every, got }).toEqual({ every, got: [...expected.values()] });
        }
        // Another doctype's points under the same grant stay until their own withdrawal.
        expect(await store.readPoints(space, 'other', range, 1000)).toHaveLength(10);
        expect(await store.deletePointsOfGrant(space, 'other', 'g1')).toBe(4);
      });

      it('answers space_not_found when deleting points of a grant in an unknown space', async () => {
        expect((await rejection(store.deletePointsOfGrant(`l-${hex(6)}`, 'power', 'g1'))).code).toBe('space_not_found');
      });
    });

    it('hashes with the formula of ledger-entry.ts (checked independently of chainEntries)', async () => {
      const space = await newSpace(store);
      const [entry] = await store.appendLedger(space, [ledgerDraft(0)]);
      expect(entry!.hash).toBe(ledgerHash(GENESIS_HASH, 1, ledgerBody(ledgerDraft(0))));
    });
  });
}
