import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentStore } from '../../storage/document-store.js';
import { jsonBody as json, type JsonBody } from '../../testing/json-body.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const LOAD_CURVE = 'energy.electricity.load-curve';
const METER = '09123456789012';
const OTHER_METER = '09123456789099';
const HALF_HOUR = 1_800_000;
/** 2024-01-01 00:00 and 2025-01-01 00:00 in Europe/Paris (UTC+1 in winter). */
const YEAR_START = Date.parse('2023-12-31T23:00:00Z');
const YEAR_END = Date.parse('2024-12-31T23:00:00Z');

type Every = 'hour' | 'day' | 'week' | 'month';
type Agg = 'sum' | 'avg' | 'min' | 'max';
interface Bucket {
  key: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/**
 * Local calendar parts in Europe/Paris straight from Intl, independent of the server's own
 * time-zone code, so the expected buckets are computed another way than the ones checked.
 */
const parisFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});
function parisKey(t: number, every: Every): string {
  const p = Object.fromEntries(parisFormat.formatToParts(t).map((x) => [x.type, x.value]));
  const day = `${p.year}-${p.month}-${p.day}`;
  if (every === 'hour') return `${day}T${p.hour}`;
  if (every === 'month') return day.slice(0, 7);
  if (every === 'day') return day;
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

/** A bound as the API takes it (a local day, or an instant with its offset) in epoch ms, for the points' half-hour grid. */
function boundTime(bound: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(bound)) return Date.parse(bound);
  // Paris is 1 or 2 hours ahead of UTC: its midnight is the first half-hour from 3 hours before that falls on the day.
  let t = Date.parse(`${bound}T00:00:00Z`) - 3 * 3_600_000;
  while (parisKey(t, 'day') !== bound) t += HALF_HOUR;
  return t;
}

/** Buckets of the values at times in [from, to), in time order. */
function expectedBuckets(values: Map<number, number>, every: Every, from: number, to: number): Bucket[] {
  const buckets = new Map<string, Bucket>();
  for (const t of [...values.keys()].sort((a, b) => a - b)) {
    if (t < from || t >= to) continue;
    const v = values.get(t)!;
    const k = parisKey(t, every);
    const b = buckets.get(k);
    if (b) {
      b.count++;
      b.sum += v;
      b.min = Math.min(b.min, v);
      b.max = Math.max(b.max, v);
    } else {
      buckets.set(k, { key: k, count: 1, sum: v, min: v, max: v });
    }
  }
  return [...buckets.values()];
}

/** A plausible household: low at night, peaks morning and evening, twice as much in winter; whole watts. */
function powerW(t: number, variant = 0): number {
  const hour = ((t / 3_600_000) % 24) + 1;
  const dayOfYear = (t - YEAR_START) / 86_400_000;
  const season = 1 + 0.5 * Math.cos((2 * Math.PI * (dayOfYear - 15)) / 366);
  const daily = hour < 6 ? 300 : hour < 9 ? 1400 : hour < 17 ? 700 : hour < 23 ? 2100 : 500;
  const jitter = ((t / HALF_HOUR) * 2654435761 + variant * 40503) % 257;
  return Math.round(season * daily + jitter + variant * 37);
}

interface StoreSetup {
  name: string;
  /** A store for one Foyer, and what to do once the Foyer closed it. */
  open(): Promise<{ store?: DocumentStore; cleanup(): Promise<void> }>;
}

const setups: StoreSetup[] = [
  { name: 'SQLite', open: async () => ({ cleanup: async () => undefined }) },
  {
    name: 'PostgreSQL',
    async open() {
      const pg = await makeTestPostgresStore();
      return { store: pg.store, cleanup: pg.cleanup };
    },
  },
];

for (const setup of setups) {
  describe(`time series over HTTP (${setup.name})`, () => {
    let f: TestFoyer;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      const opened = await setup.open();
      cleanup = opened.cleanup;
      f = await startTestFoyer({ overrides: opened.store ? { documentStore: opened.store } : {} });
      await f.ownerToken();
    });
    afterAll(async () => {
      await f.close();
      await cleanup();
    });

    const query = (params: Record<string, string | number | undefined>) => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== undefined) search.set(k, String(v));
      return search.toString();
    };
    const append = (doctype: string, points: unknown[]) =>
      f.request(`/api/series/${doctype}`, { method: 'POST', json: { points } });
    const appended = async (doctype: string, points: unknown[]) => {
      const res = await append(doctype, points);
      expect(res.status).toBe(200);
      const body = await json(res);
      expect(body).toEqual({ ok: true, written: points.length });
    };
    const read = (doctype: string, params: Record<string, string | number | undefined>) =>
      f.request(`/api/series/${doctype}?${query(params)}`);
    const points = async (doctype: string, params: Record<string, string | number | undefined>) => {
      const res = await read(doctype, params);
      expect(res.status).toBe(200);
      return (await json(res)) as { points: JsonBody[]; cursor?: string };
    };
    /** Every point of a range, page by page. */
    const allPoints = async (doctype: string, params: Record<string, string | number | undefined>) => {
      const all: JsonBody[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await points(doctype, { ...params, cursor });
        all.push(...page.points);
        cursor = page.cursor;
        pages++;
      } while (cursor);
      return { points: all, pages };
    };
    const aggregate = async (doctype: string, params: Record<string, string | number | undefined>) => {
      const res = await read(doctype, params);
      expect(res.status).toBe(200);
      return json(res);
    };
    const errorOf = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      return (await json(res)).error as { code: string; message: string; details?: JsonBody };
    };

    /** What the server should be holding for METER's load curve: t -> powerW. */
    const model = new Map<number, number>();
    const loadPoint = (t: number, watts: number, meter = METER) => ({
      usagePointId: meter,
      t: new Date(t).toISOString().replace('.000Z', 'Z'),
      powerW: watts,
      ...((t / HALF_HOUR) % 97 === 0 ? { quality: 'estimated' } : {}),
    });

    /** Checks one every/agg against the model over the year. */
    const checkAggregate = async (every: Every, agg: Agg, from = '2024-01-01', to = '2025-01-01') => {
      const body = await aggregate(LOAD_CURVE, { from, to, every, agg });
      const expected = expectedBuckets(model, every, boundTime(from), boundTime(to));
      expect(body).toMatchObject({
        doctype: LOAD_CURVE,
        field: 'powerW',
        unit: 'W',
        every,
        agg,
        timeZone: 'Europe/Paris',
      });
      const buckets = body.buckets as { key: string; value: number; count: number }[];
      expect(buckets.map((b) => b.key)).toEqual(expected.map((b) => b.key));
      expect(buckets.map((b) => b.count)).toEqual(expected.map((b) => b.count));
      buckets.forEach((b, i) => {
        const e = expected[i]!;
        if (agg === 'avg') expect(b.value, b.key).toBeCloseTo(e.sum / e.count, 9);
        else expect(b.value, b.key).toBe(e[agg]);
      });
      return buckets;
    };

    describe('a year of 30-minute load curve', () => {
      beforeAll(async () => {
        const year: unknown[] = [];
        for (let t = YEAR_START; t < YEAR_END; t += HALF_HOUR) {
          model.set(t, powerW(t));
          year.push(loadPoint(t, powerW(t)));
        }
        expect(year).toHaveLength(366 * 48);
        await appended(LOAD_CURVE, year);
      });

      it('reads a range back in time order, from included and to excluded', async () => {
        const from = Date.parse('2024-02-10T08:00:00Z');
        const to = Date.parse('2024-02-10T12:00:00Z');
        const page = await points(LOAD_CURVE, { from: '2024-02-10T08:00:00Z', to: '2024-02-10T12:00:00Z' });
        expect(page.cursor).toBeUndefined();
        const times = page.points.map((p) => Date.parse(p.t));
        expect(times).toEqual(Array.from({ length: 8 }, (_, i) => from + i * HALF_HOUR));
        expect(times).not.toContain(to);
        expect(page.points[0]).toEqual(loadPoint(from, powerW(from)));
        // The same instants written with an offset select the same points.
        const offset = await points(LOAD_CURVE, { from: '2024-02-10T09:00:00+01:00', to: '2024-02-10T13:00:00+01:00' });
        expect(offset.points).toEqual(page.points);
      });

      it('reads local days: 46 half-hours on 2024-03-31 and 50 on 2024-10-27', async () => {
        const spring = await points(LOAD_CURVE, { from: '2024-03-31', to: '2024-04-01' });
        expect(spring.points).toHaveLength(46);
        expect(spring.points[0]!.t).toBe('2024-03-30T23:00:00Z');
        expect(spring.points.at(-1)!.t).toBe('2024-03-31T21:30:00Z');
        const autumn = await points(LOAD_CURVE, { from: '2024-10-27', to: '2024-10-28' });
        expect(autumn.points).toHaveLength(50);
        expect(autumn.points[0]!.t).toBe('2024-10-26T22:00:00Z');
        expect(autumn.points.at(-1)!.t).toBe('2024-10-27T22:30:00Z');
      });

      it('pages through the whole year with the cursor, every point exactly once, in order', async () => {
        const { points: all, pages } = await allPoints(LOAD_CURVE, {
          from: '2024-01-01',
          to: '2025-01-01',
          limit: 5000,
        });
        expect(pages).toBe(4);
        const times = all.map((p) => Date.parse(p.t));
        expect(times).toEqual([...model.keys()].sort((a, b) => a - b));
        expect(all.map((p) => p.powerW)).toEqual(times.map((t) => model.get(t)));
      });

      it('answers at most the limit, and 10,000 points by default', async () => {
        const first = await points(LOAD_CURVE, { from: '2024-01-01', to: '2025-01-01' });
        expect(first.points).toHaveLength(10_000);
        expect(first.cursor).toEqual(expect.any(String));
        const small = await points(LOAD_CURVE, { from: '2024-01-01', to: '2025-01-01', limit: 3 });
        expect(small.points.map((p) => p.t)).toEqual(first.points.slice(0, 3).map((p) => p.t));
      });

      for (const every of ['hour', 'day', 'week', 'month'] as const) {
        it(`aggregates per ${every}: sum, avg, min and max`, async () => {
          for (const agg of ['sum', 'avg', 'min', 'max'] as const) await checkAggregate(every, agg);
        });
      }

      it('keeps DST days whole: 46 and 50 half-hours, no 02:00 in spring, a double 02:00 in autumn', async () => {
        const days = await checkAggregate('day', 'sum');
        expect(days).toHaveLength(366);
        expect(days.find((b) => b.key === '2024-03-31')!.count).toBe(46);
        expect(days.find((b) => b.key === '2024-10-27')!.count).toBe(50);
        expect(days.filter((b) => b.count !== 48).map((b) => b.key)).toEqual(['2024-03-31', '2024-10-27']);

        const hours = await checkAggregate('hour', 'max', '2024-03-31', '2024-04-01');
        expect(hours.map((b) => b.key)).not.toContain('2024-03-31T02');
        expect(hours).toHaveLength(23);
        const autumn = await checkAggregate('hour', 'sum', '2024-10-27', '2024-10-28');
        expect(autumn).toHaveLength(24);
        expect(autumn.find((b) => b.key === '2024-10-27T02')!.count).toBe(4);
      });

      it('aggregates a range that cuts buckets, counting only the points inside it', async () => {
        const from = '2024-05-15T10:30:00+02:00';
        const to = '2024-07-02T07:00:00Z';
        for (const every of ['hour', 'day', 'week', 'month'] as const) await checkAggregate(every, 'sum', from, to);
      });

      it('defaults to a daily sum when only one of every and agg is given', async () => {
        const onlyAgg = await aggregate(LOAD_CURVE, { from: '2024-02-01', to: '2024-02-03', agg: 'max' });
        expect(onlyAgg).toMatchObject({ every: 'day', agg: 'max' });
        expect(onlyAgg.buckets.map((b: JsonBody) => b.key)).toEqual(['2024-02-01', '2024-02-02']);
        const onlyEvery = await aggregate(LOAD_CURVE, { from: '2024-02-01', to: '2024-02-03', every: 'day' });
        expect(onlyEvery).toMatchObject({ every: 'day', agg: 'sum' });
      });

      it('replaces points appended again at the same times: same count, new values, aggregates follow', async () => {
        const march: unknown[] = [];
        const from = Date.parse('2024-02-29T23:00:00Z');
        const to = Date.parse('2024-03-31T22:00:00Z');
        for (let t = from; t < to; t += HALF_HOUR) {
          const watts = powerW(t, 1);
          expect(watts).not.toBe(model.get(t));
          model.set(t, watts);
          march.push(loadPoint(t, watts));
        }
        expect(march).toHaveLength(31 * 48 - 2);
        await appended(LOAD_CURVE, march);

        const months = await checkAggregate('month', 'sum');
        expect(months.reduce((n, b) => n + b.count, 0)).toBe(366 * 48);
        expect(months.find((b) => b.key === '2024-03')!.count).toBe(31 * 48 - 2);
        const read = await allPoints(LOAD_CURVE, { from: '2024-03-01', to: '2024-04-01' });
        expect(read.points.map((p) => p.powerW)).toEqual(read.points.map((p) => model.get(Date.parse(p.t))));
        for (const every of ['hour', 'day', 'week'] as const)
          await checkAggregate(every, 'avg', '2024-02-25', '2024-04-08');
        await checkAggregate('day', 'min');
        await checkAggregate('day', 'max');

        // Appending the same batch once more changes nothing.
        await appended(LOAD_CURVE, march);
        expect((await checkAggregate('month', 'sum')).reduce((n, b) => n + b.count, 0)).toBe(366 * 48);
      });

      it('deletes the points of a range and only those', async () => {
        const res = await f.request(`/api/series/${LOAD_CURVE}?${query({ from: '2024-06-10', to: '2024-06-12' })}`, {
          method: 'DELETE',
        });
        expect(res.status).toBe(200);
        expect(await json(res)).toEqual({ ok: true, deleted: 96 });
        for (const t of [...model.keys()]) {
          if (t >= Date.parse('2024-06-09T22:00:00Z') && t < Date.parse('2024-06-11T22:00:00Z')) model.delete(t);
        }
        expect((await points(LOAD_CURVE, { from: '2024-06-10', to: '2024-06-12' })).points).toEqual([]);
        const around = await points(LOAD_CURVE, { from: '2024-06-09T21:30:00Z', to: '2024-06-11T22:30:00Z' });
        expect(around.points.map((p) => p.t)).toEqual(['2024-06-09T21:30:00Z', '2024-06-11T22:00:00Z']);
        const days = await checkAggregate('day', 'sum');
        expect(days.map((b) => b.key)).not.toContain('2024-06-10');
        await checkAggregate('month', 'sum');
        await checkAggregate('week', 'max');
        await checkAggregate('hour', 'min', '2024-06-09', '2024-06-13');

        const again = await f.request(`/api/series/${LOAD_CURVE}?${query({ from: '2024-06-10', to: '2024-06-12' })}`, {
          method: 'DELETE',
        });
        expect(await json(again)).toEqual({ ok: true, deleted: 0 });
      });
    });

    describe('streams', () => {
      // A day of January 2025, apart from the year above.
      const start = Date.parse('2025-01-14T23:00:00Z');
      const day = Array.from({ length: 48 }, (_, i) => start + i * HALF_HOUR);
      const watts = (meter: string, t: number) => (meter === METER ? 1000 : 5000) + ((t - start) / HALF_HOUR) * 10;
      const sum = (meter: string) => day.reduce((n, t) => n + watts(meter, t), 0);

      beforeAll(async () => {
        // Both meters in one batch, interleaved, at the same instants.
        await appended(
          LOAD_CURVE,
          day.flatMap((t) => [loadPoint(t, watts(OTHER_METER, t), OTHER_METER), loadPoint(t, watts(METER, t))]),
        );
      });

      it('keeps two meters at the same instants apart, ordered by time then stream', async () => {
        const both = await points(LOAD_CURVE, { from: '2025-01-15', to: '2025-01-16' });
        expect(both.points).toHaveLength(96);
        expect(both.points.slice(0, 2).map((p) => p.usagePointId)).toEqual([METER, OTHER_METER]);
        const one = await points(LOAD_CURVE, { from: '2025-01-15', to: '2025-01-16', stream: OTHER_METER });
        expect(one.points).toHaveLength(48);
        expect(one.points.every((p) => p.usagePointId === OTHER_METER)).toBe(true);
        expect(one.points.map((p) => p.powerW)).toEqual(day.map((t) => watts(OTHER_METER, t)));
        const none = await points(LOAD_CURVE, { from: '2025-01-15', to: '2025-01-16', stream: '00000000000000' });
        expect(none.points).toEqual([]);
      });

      it('pages across streams without losing or repeating a point', async () => {
        const { points: all } = await allPoints(LOAD_CURVE, { from: '2025-01-15', to: '2025-01-16', limit: 7 });
        expect(all.map((p) => `${p.t}/${p.usagePointId}`)).toEqual(
          day.flatMap((t) => [METER, OTHER_METER].map((m) => `${loadPoint(t, 0).t}/${m}`)),
        );
      });

      it('aggregates one stream or all of them', async () => {
        const params = { from: '2025-01-15', to: '2025-01-16', every: 'day', agg: 'sum' };
        expect((await aggregate(LOAD_CURVE, { ...params, stream: METER })).buckets).toEqual([
          { key: '2025-01-15', value: sum(METER), count: 48 },
        ]);
        expect((await aggregate(LOAD_CURVE, params)).buckets).toEqual([
          { key: '2025-01-15', value: sum(METER) + sum(OTHER_METER), count: 96 },
        ]);
        const max = await aggregate(LOAD_CURVE, { ...params, agg: 'max', stream: METER });
        expect(max.buckets[0].value).toBe(watts(METER, day.at(-1)!));
      });

      it('replaces and deletes within one stream only', async () => {
        await appended(
          LOAD_CURVE,
          day.map((t) => loadPoint(t, 1, OTHER_METER)),
        );
        const params = { from: '2025-01-15', to: '2025-01-16', every: 'day', agg: 'sum' };
        expect((await aggregate(LOAD_CURVE, { ...params, stream: METER })).buckets[0].value).toBe(sum(METER));
        expect((await aggregate(LOAD_CURVE, { ...params, stream: OTHER_METER })).buckets[0].value).toBe(48);

        const res = await f.request(
          `/api/series/${LOAD_CURVE}?${query({ from: '2025-01-15', to: '2025-01-16', stream: OTHER_METER })}`,
          { method: 'DELETE' },
        );
        expect(await json(res)).toEqual({ ok: true, deleted: 48 });
        const left = await points(LOAD_CURVE, { from: '2025-01-15', to: '2025-01-16' });
        expect(left.points.map((p) => p.usagePointId)).toEqual(day.map(() => METER));
      });
    });

    describe('daily series keyed by local date', () => {
      const dailies = [
        { doctype: 'energy.electricity.daily', stream: 'usagePointId', meter: METER, value: 'energyKwh', scale: 1.5 },
        { doctype: 'energy.gas.daily', stream: 'usagePointId', meter: '21456789012345', value: 'energyKwh', scale: 4 },
        { doctype: 'water.daily', stream: 'meterId', meter: 'I19LA123456', value: 'volumeLitres', scale: 25 },
      ];
      const days2024 = Array.from({ length: 366 }, (_, i) =>
        new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10),
      );
      /** Two decimals, like real readings, higher in winter. */
      const reading = (i: number, scale: number) =>
        Math.round((8 + 6 * Math.cos((2 * Math.PI * i) / 366) + (i % 7) * 0.37) * scale * 100) / 100;

      for (const d of dailies) {
        describe(d.doctype, () => {
          const values = new Map(days2024.map((date, i) => [date, reading(i, d.scale)]));
          beforeAll(() =>
            appended(
              d.doctype,
              days2024.map((date) => ({ [d.stream]: d.meter, date, [d.value]: values.get(date) })),
            ),
          );

          it('buckets each reading on its own date, DST days included', async () => {
            const body = await aggregate(d.doctype, { from: '2024-01-01', to: '2025-01-01', every: 'day', agg: 'sum' });
            expect(body).toMatchObject({ field: d.value, timeZone: 'Europe/Paris' });
            expect(body.buckets).toEqual(days2024.map((key) => ({ key, value: values.get(key), count: 1 })));
          });

          it('sums months and weeks of readings', async () => {
            const byDate = new Map(days2024.map((date) => [Date.parse(`${date}T12:00:00Z`), values.get(date)!]));
            for (const every of ['week', 'month'] as const) {
              const expected = expectedBuckets(byDate, every, -Infinity, Infinity);
              const body = await aggregate(d.doctype, { from: '2024-01-01', to: '2025-01-01', every, agg: 'sum' });
              expect(body.buckets.map((b: JsonBody) => [b.key, b.count])).toEqual(
                expected.map((b) => [b.key, b.count]),
              );
              body.buckets.forEach((b: JsonBody, i: number) => expect(b.value).toBeCloseTo(expected[i]!.sum, 6));
            }
          });

          it('selects local days by date or by instant', async () => {
            const dates = async (params: Record<string, string>) =>
              (await points(d.doctype, params)).points.map((p) => p.date);
            expect(await dates({ from: '2024-03-31', to: '2024-04-01' })).toEqual(['2024-03-31']);
            expect(await dates({ from: '2024-10-27', to: '2024-10-28' })).toEqual(['2024-10-27']);
            expect(await dates({ from: '2024-03-30', to: '2024-04-02' })).toEqual([
              '2024-03-30',
              '2024-03-31',
              '2024-04-01',
            ]);
            // Local midnight of 2024-03-31 is 00:00+01:00; a second later excludes that day.
            expect(await dates({ from: '2024-03-31T00:00:00+01:00', to: '2024-04-01T00:00:00+02:00' })).toEqual([
              '2024-03-31',
            ]);
            expect(await dates({ from: '2024-03-31T00:00:01+01:00', to: '2024-04-01T00:00:01+02:00' })).toEqual([
              '2024-04-01',
            ]);
            const one = await points(d.doctype, { from: '2024-07-14', to: '2024-07-15' });
            expect(one.points).toEqual([
              { [d.stream]: d.meter, date: '2024-07-14', [d.value]: values.get('2024-07-14') },
            ]);
          });
        });
      }
    });

    describe('location points', () => {
      const DEVICE = 'device-4f2a9c1e7b30';
      const start = Date.parse('2024-03-12T07:00:00Z');
      const track = Array.from({ length: 60 }, (_, i) => ({
        deviceId: DEVICE,
        t: new Date(start + i * 61_000).toISOString().replace('.000Z', 'Z'),
        lat: 45.75981 + i * 0.00037,
        lon: 4.85912 - i * 0.00021,
        accuracyMetres: 5 + (i % 9),
        source: 'gps',
      }));
      beforeAll(() => appended('location.point', track));

      it('reads points back exactly, in time order', async () => {
        const page = await points('location.point', { from: '2024-03-12', to: '2024-03-13', stream: DEVICE });
        expect(page.points).toEqual(track);
        const window = await points('location.point', { from: track[10]!.t, to: track[20]!.t });
        expect(window.points).toEqual(track.slice(10, 20));
      });

      it('refuses to aggregate points that have no value, saying why', async () => {
        for (const params of [{ every: 'day', agg: 'sum' }, { every: 'hour' }, { agg: 'avg' }]) {
          const error = await errorOf(
            await read('location.point', { from: '2024-03-12', to: '2024-03-13', ...params }),
            400,
          );
          expect(error.code).toBe('bad_request');
          expect(error.message).toMatch(/location\.point has no numeric value to aggregate/);
        }
      });
    });

    describe('bad input', () => {
      const LC = `/api/series/${LOAD_CURVE}`;
      // January 2026: nothing else is written there.
      const base = Date.parse('2026-01-10T00:00:00Z');
      const valid = (i: number) => loadPoint(base + i * HALF_HOUR, 500 + i);
      const nothingWritten = async () =>
        expect((await points(LOAD_CURVE, { from: '2026-01-01', to: '2026-02-01' })).points).toEqual([]);
      // A day of February 2026 that refused deletes must leave alone.
      const kept = Array.from({ length: 48 }, (_, i) =>
        loadPoint(Date.parse('2026-01-31T23:00:00Z') + i * HALF_HOUR, 700),
      );
      const keptIntact = async () =>
        expect((await points(LOAD_CURVE, { from: '2026-02-01', to: '2026-02-02' })).points).toEqual(kept);
      beforeAll(() => appended(LOAD_CURVE, kept));

      it('refuses a batch with an invalid point, naming its index and field, and writes none of it', async () => {
        const cases: [unknown, string][] = [
          [{ ...valid(3), powerW: 'lots' }, 'powerW'],
          [{ ...valid(3), powerW: -5 }, 'powerW'],
          [{ usagePointId: METER, powerW: 10 }, 't'],
          [{ ...valid(3), t: '2026-01-10T01:30:00+01:00' }, 't'],
          [{ ...valid(3), t: '2026-01-10T01:10:00Z' }, 't'],
          [{ ...valid(3), t: 'soon' }, 't'],
          [{ ...valid(3), usagePointId: '123' }, 'usagePointId'],
          [{ ...valid(3), color: 'red' }, 'color'],
        ];
        for (const [bad, field] of cases) {
          const res = await append(LOAD_CURVE, [valid(0), valid(1), valid(2), bad, valid(4)]);
          const error = await errorOf(res, 400);
          expect(error.code).toBe('validation_failed');
          expect(error.message).toMatch(new RegExp(`^points\\[3\\] .*\\b${field}: `));
          expect(error.details).toMatchObject({ index: 3 });
          expect(error.details!.issues).toContainEqual(expect.objectContaining({ path: `/${field}` }));
        }
        await nothingWritten();
      });

      it('refuses bodies that are not a list of point objects', async () => {
        for (const body of [{ points: [] }, { points: [1, 2] }, { points: 'none' }, {}, [valid(0)]]) {
          const res = await f.request(LC, { method: 'POST', json: body });
          expect((await errorOf(res, 400)).code, JSON.stringify(body)).toBe('validation_failed');
        }
        const notJson = await f.request(LC, {
          method: 'POST',
          body: 'points',
          headers: { 'content-type': 'text/plain' },
        });
        expect((await errorOf(notJson, 415)).code).toBe('unsupported_media_type');
        const broken = await f.request(LC, {
          method: 'POST',
          body: '{"points":[',
          headers: { 'content-type': 'application/json' },
        });
        expect((await errorOf(broken, 400)).code).toBe('invalid_json');
        await nothingWritten();
      });

      it('refuses bounds that are neither a date nor an instant with its offset', async () => {
        for (const params of [
          { from: 'yesterday' },
          { from: '2024-13-01' },
          { to: '2024-02-30' },
          { from: '2024-03-01T10:00' },
          { from: '2024-03-01T10:00:00' },
          { to: '2024-02-30T10:00:00Z' },
          { to: '2024-01-01T25:00:00Z' },
          { from: '2024-01-01T10:00:00Z trailing' },
          { to: '1709280000000' },
        ]) {
          const error = await errorOf(await read(LOAD_CURVE, params), 400);
          const which = Object.keys(params)[0]!;
          expect(error.code, JSON.stringify(params)).toBe('validation_failed');
          expect(error.message).toMatch(new RegExp(`^${which}: `));
          expect(error.details!.issues).toEqual([expect.objectContaining({ path: which })]);
        }
        const reversed = await errorOf(await read(LOAD_CURVE, { from: '2024-03-02', to: '2024-03-01' }), 400);
        expect(reversed.message).toMatch(/before/);
      });

      it('refuses a bad limit or a forged cursor', async () => {
        for (const limit of [0, -1, 1.5, 100_001, 'ten']) {
          expect((await read(LOAD_CURVE, { limit })).status, String(limit)).toBe(400);
        }
        expect((await errorOf(await read(LOAD_CURVE, { cursor: 'bm90IGEgY3Vyc29y' }), 400)).message).toMatch(/cursor/);
        expect((await read(LOAD_CURVE, { cursor: '!!!' })).status).toBe(400);
      });

      it('refuses an unknown aggregate or bucket', async () => {
        expect((await read(LOAD_CURVE, { every: 'year' })).status).toBe(400);
        expect((await read(LOAD_CURVE, { agg: 'median' })).status).toBe(400);
      });

      it('needs both bounds to delete', async () => {
        for (const params of [{}, { from: '2026-02-01' }, { to: '2026-02-02' }]) {
          const res = await f.request(`${LC}?${query(params)}`, { method: 'DELETE' });
          expect((await errorOf(res, 400)).code).toBe('validation_failed');
        }
        await keptIntact();
      });

      it('answers 404 for a doctype that does not exist, on every method', async () => {
        for (const res of [
          await f.request('/api/series/nope.nothing'),
          await f.request('/api/series/nope.nothing', {
            method: 'POST',
            json: { points: [{ t: '2024-01-01T00:00:00Z' }] },
          }),
          await f.request('/api/series/nope.nothing?from=2024-01-01&to=2024-01-02', { method: 'DELETE' }),
        ]) {
          const error = await errorOf(res, 404);
          expect(error.code).toBe('unknown_doctype');
          expect(error.message).toMatch(/nope\.nothing/);
        }
        expect((await errorOf(await f.request('/api/series/Not_A.Name'), 400)).code).toBe('validation_failed');
      });

      it('answers 404 with a hint for a document doctype', async () => {
        const error = await errorOf(await f.request('/api/series/bank.transaction'), 404);
        expect(error.code).toBe('unknown_doctype');
        expect(error.message).toContain('/api/data/bank.transaction');
        const post = await append('bank.transaction', [{ label: 'x' }]);
        expect((await errorOf(post, 404)).message).toContain('/api/data/bank.transaction');
      });

      it('refuses a body declared larger than the limit before reading it (413)', async () => {
        const token = await f.ownerToken();
        const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = http.request(`${f.url}${LC}`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': String(200 * 1024 * 1024),
              authorization: `Bearer ${token}`,
            },
          });
          req.on('response', (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              req.destroy();
              resolve({ status: res.statusCode ?? 0, body: text });
            });
          });
          req.on('error', reject);
          // The start of a body whose rest never comes: the answer must not wait for it.
          req.write('{"points":[');
        });
        expect(status).toBe(413);
        expect(JSON.parse(body).error.code).toBe('payload_too_large');
      });

      it('refuses more than a million points in one request (413), writing nothing', async () => {
        const res = await f.request(LC, {
          method: 'POST',
          body: `{"points":[${'{},'.repeat(1_000_000)}{}]}`,
          headers: { 'content-type': 'application/json' },
        });
        const error = await errorOf(res, 413);
        expect(error.code).toBe('payload_too_large');
        expect(error.message).toMatch(/1000000 points/);
        await nothingWritten();
      });

      it('refuses every series operation without authentication', async () => {
        for (const res of [
          await f.request(`${LC}?from=2024-01-01&to=2024-01-02`, { token: null }),
          await f.request(`${LC}?every=day`, { token: null }),
          await f.request(LC, { method: 'POST', json: { points: [valid(0)] }, token: null }),
          await f.request(`${LC}?from=2026-02-01&to=2026-02-02`, { method: 'DELETE', token: null }),
        ]) {
          expect((await errorOf(res, 401)).code).toBe('unauthenticated');
        }
        await nothingWritten();
        await keptIntact();
      });
    });
  });
}
