/**
 * The DocumentStore contract for what retention needs: documents found by when they were created
 * or last updated, and a grant's points deleted only up to a time. Each implementation's test
 * file calls `retentionStoreContract(name, makeStore)` beside the main contract.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDay } from '../core/time/time-zone.js';
import { rejection, type ContractStore } from './document-store.contract.js';
import type { DocumentStore, DocumentWrite, SeriesPointWrite, StoreFindQuery } from './document-store.js';

const PARIS = 'Europe/Paris';
const DAY = 86_400_000;

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

export function retentionStoreContract(name: string, makeStore: () => Promise<ContractStore>): void {
  describe(`DocumentStore retention contract: ${name}`, () => {
    let store: DocumentStore;
    let cleanup: () => Promise<void>;
    let space: string;

    beforeEach(async () => {
      const made = await makeStore();
      store = made.store;
      cleanup = made.cleanup;
      space = `r-${hex(6)}`;
      await store.createSpace({ id: space, hosts: [], timeZone: PARIS, createdAt: '2026-01-02T03:04:05.000Z' });
    });

    afterEach(async () => {
      await cleanup();
    });

    const write = (id: string, createdAt: string, updatedAt: string, grant?: string): DocumentWrite => ({
      doctype: 'note',
      id,
      expectedRev: null,
      rev: `1-${hex(4)}`,
      deleted: false,
      data: JSON.stringify({ id }),
      meta: JSON.stringify({
        createdAt,
        updatedAt,
        createdBy: grant ? { kind: 'app', id: 'mon-logis', grant, version: 1 } : { kind: 'owner', via: 'session' },
      }),
    });
    const ids = async (query: Partial<StoreFindQuery>) =>
      (await store.findDocuments(space, 'note', { selector: null, sort: [], limit: 100, ...query })).map((d) => d.id);

    it('finds documents created before an instant, to the millisecond', async () => {
      await store.writeDocuments(space, [
        write('old', '2020-05-01T10:00:00.000Z', '2026-01-01T00:00:00.000Z'),
        write('edge', '2021-01-01T00:00:00.000Z', '2021-01-01T00:00:00.000Z'),
        write('just-before', '2020-12-31T23:59:59.999Z', '2020-12-31T23:59:59.999Z'),
        write('new', '2025-05-01T10:00:00.000Z', '2025-05-01T10:00:00.000Z'),
      ]);
      expect(await ids({ createdBefore: '2021-01-01T00:00:00.000Z' })).toEqual(['just-before', 'old']);
      expect(await ids({ createdBefore: '2000-01-01T00:00:00.000Z' })).toEqual([]);
      expect(await ids({ createdBefore: '2030-01-01T00:00:00.000Z' })).toEqual(['edge', 'just-before', 'new', 'old']);
    });

    it('finds documents last updated before an instant, whenever they were created', async () => {
      await store.writeDocuments(space, [
        write('refreshed', '2010-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'),
        write('stale', '2015-01-01T00:00:00.000Z', '2016-03-01T00:00:00.000Z'),
      ]);
      expect(await ids({ updatedBefore: '2020-01-01T00:00:00.000Z' })).toEqual(['stale']);
      expect(await ids({ createdBefore: '2020-01-01T00:00:00.000Z' })).toEqual(['refreshed', 'stale']);
    });

    it('combines the time filters with the grant, a selector and paging; tombstones never match', async () => {
      await store.writeDocuments(space, [
        write('g-old-1', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 'g1'),
        write('g-old-2', '2020-02-01T00:00:00.000Z', '2020-02-01T00:00:00.000Z', 'g1'),
        write('g-new', '2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z', 'g1'),
        write('other-old', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 'g2'),
        write('owner-old', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z'),
        write('g-gone', '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.000Z', 'g1'),
      ]);
      const gone = (await store.getDocument(space, 'note', 'g-gone'))!;
      await store.writeDocuments(space, [
        { ...gone, expectedRev: gone.rev, rev: `2-${hex(4)}`, deleted: true, data: null },
      ]);
      const before = '2024-01-01T00:00:00.000Z';
      expect(await ids({ createdByGrant: 'g1', createdBefore: before })).toEqual(['g-old-1', 'g-old-2']);
      expect(await ids({ createdByGrant: 'g1', createdBefore: before, limit: 1 })).toEqual(['g-old-1']);
      expect(
        await ids({ createdByGrant: 'g1', createdBefore: before, limit: 1, after: { values: [], id: 'g-old-1' } }),
      ).toEqual(['g-old-2']);
      expect(
        await ids({
          createdByGrant: 'g1',
          createdBefore: before,
          selector: { op: 'eq', field: 'id', value: 'g-old-2' },
        }),
      ).toEqual(['g-old-2']);
      expect(await ids({ updatedBefore: before })).toEqual(['g-old-1', 'g-old-2', 'other-old', 'owner-old']);
    });

    it('deletes a grant’s points before a time only, and the aggregates follow', async () => {
      const start = Date.UTC(2026, 0, 10, 23);
      // Four days of hourly points on two streams; the even ones written under grant g1.
      const points: SeriesPointWrite[] = Array.from({ length: 4 * 24 }, (_, i) => {
        const t = start + i * 3_600_000;
        return {
          stream: i % 3 ? 'm1' : 'm2',
          t,
          day: localDay(t, PARIS),
          value: i + 1,
          data: JSON.stringify({ i }),
          grant: i % 2 === 0 ? 'g1' : null,
        };
      });
      await store.appendPoints(space, 'power', points);
      const cut = start + 2 * DAY;
      const gone = points.filter((p) => p.grant === 'g1' && p.t < cut);
      expect(await store.deletePointsOfGrant(space, 'power', 'g1', cut)).toBe(gone.length);
      expect(await store.deletePointsOfGrant(space, 'power', 'g1', cut)).toBe(0);

      const range = { from: start - DAY, to: start + 5 * DAY };
      const left = points.filter((p) => !(p.grant === 'g1' && p.t < cut));
      const read = await store.readPoints(space, 'power', range, 1000);
      expect(read.map((p) => p.t)).toEqual(left.map((p) => p.t));
      const days = await store.aggregatePoints(space, 'power', range, 'day', PARIS);
      const expected = new Map<string, { key: string; count: number; sum: number }>();
      for (const p of left) {
        const b = expected.get(p.day) ?? { key: p.day, count: 0, sum: 0 };
        b.count++;
        b.sum += p.value!;
        expected.set(p.day, b);
      }
      expect(days.map(({ key, count, sum }) => ({ key, count, sum }))).toEqual([...expected.values()]);
      // Without a time, the rest of the grant's points go.
      expect(await store.deletePointsOfGrant(space, 'power', 'g1')).toBe(
        points.filter((p) => p.grant === 'g1').length - gone.length,
      );
    });

    it('refuses a time that is not an integer', async () => {
      expect((await rejection(store.deletePointsOfGrant(space, 'power', 'g1', 1.5))).code).toBe('bad_request');
      expect((await rejection(store.deletePointsOfGrant(space, 'power', 'g1', Number.NaN))).code).toBe('bad_request');
    });
  });
}
