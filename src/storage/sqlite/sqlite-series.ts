/**
 * Time series of one space database. Raw points are keyed (doctype, t, stream); two roll-ups keep
 * count/sum/min/max per (local day, stream) and per (UTC hour, stream). After each append or
 * delete, the touched buckets are recomputed from the raw points, so replacing a point keeps them
 * exact. Aggregates read whole buckets from the roll-ups and only the partial buckets at the edges
 * of the range from raw points.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { FoyerError } from '../../core/errors.js';
import {
  addDays,
  dayNumber,
  isDay,
  isoWeekStart,
  localDay,
  localHourKey,
  localMidnight,
  utcOffset,
} from '../../core/time/time-zone.js';
import type {
  SeriesAggregateRow,
  SeriesBucket,
  SeriesPoint,
  SeriesPointWrite,
  SeriesRange,
} from '../document-store.js';
import type { Prepare } from './sqlite-space.js';
import { addValue, rollupRow, rollupSum, type RollupSum, type RollupSums } from './sqlite-rollup-sums.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
/** A local day lies within 14 h before and 36 h after UTC midnight of the same date (offsets -12 h to +14 h). */
const DAY_MARGIN = 36 * HOUR;
/** Points further apart than this start a new run of buckets to recompute. */
const RUN_GAP = 2 * DAY;
/**
 * Roll-up buckets an import sums in memory before writing them. Measured: 20,000 held ~80 MB more
 * (an Apple Health export peaked at 307 MiB instead of 224), 2,000 nothing visible.
 */
const MAX_PENDING_BUCKETS = 2_000;
/** Floor division of t by an hour, correct before 1970 too (SQLite's `/` truncates). */
const HOUR_OF_T = `(t / ${HOUR} - (t % ${HOUR} < 0))`;

type Row = [key: string | number, count: number, sum: number | null, min: number | null, max: number | null];

export function sqliteSeries(db: Database, prepare: Prepare) {
  const statements = {
    upsert: db.prepare<[string, number, string, string, number | null, string, string | null]>(
      `INSERT INTO points (doctype, t, stream, day, value, data, grant_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doctype, t, stream) DO UPDATE SET
         day = excluded.day, value = excluded.value, data = excluded.data, grant_id = excluded.grant_id`,
    ),
    /** An import's insert: a point already there is not replaced here (see bulkAppend). */
    insertNew: db.prepare<[string, number, string, string, number | null, string, string | null]>(
      `INSERT INTO points (doctype, t, stream, day, value, data, grant_id) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doctype, t, stream) DO NOTHING`,
    ),
    newDay: db.prepare<[string, string, string, number, number | null, number | null, number | null]>(
      `INSERT INTO point_days (doctype, day, stream, count, sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doctype, day, stream) DO NOTHING`,
    ),
    newHour: db.prepare<[string, number, string, number, number | null, number | null, number | null]>(
      `INSERT INTO point_hours (doctype, hour, stream, count, sum, min, max) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doctype, hour, stream) DO NOTHING`,
    ),
    ofGrant: db.prepare<
      [string, string, number],
      { n: number; first: number | null; last: number | null; firstDay: string | null; lastDay: string | null }
    >(
      `SELECT count(*) AS n, min(t) AS first, max(t) AS last, min(day) AS firstDay, max(day) AS lastDay
         FROM points WHERE doctype = ? AND grant_id = ? AND t < ?`,
    ),
    deleteOfGrant: db.prepare<[string, string, number]>(
      'DELETE FROM points WHERE doctype = ? AND grant_id = ? AND t < ?',
    ),
    clearDays: db.prepare<[string, string, string]>(
      'DELETE FROM point_days WHERE doctype = ? AND day >= ? AND day <= ?',
    ),
    fillDays: db.prepare<[string, number, number, string, string]>(
      `INSERT INTO point_days (doctype, day, stream, count, sum, min, max)
       SELECT doctype, day, stream, count(value), sum(value), min(value), max(value) FROM points
       WHERE doctype = ? AND t >= ? AND t < ? AND day >= ? AND day <= ? GROUP BY day, stream`,
    ),
    clearHours: db.prepare<[string, number, number]>(
      'DELETE FROM point_hours WHERE doctype = ? AND hour >= ? AND hour <= ?',
    ),
    fillHours: db.prepare<[string, number, number]>(
      `INSERT INTO point_hours (doctype, hour, stream, count, sum, min, max)
       SELECT doctype, ${HOUR_OF_T}, stream, count(value), sum(value), min(value), max(value) FROM points
       WHERE doctype = ? AND t >= ? AND t < ? GROUP BY 2, stream`,
    ),
    // Two statements: SQLite answers a lone min() or max() from the index, both together by a scan.
    first: db.prepare<[string], number | null>('SELECT min(t) FROM points WHERE doctype = ?').pluck(),
    last: db.prepare<[string], number | null>('SELECT max(t) FROM points WHERE doctype = ?').pluck(),
  };

  /** `AND stream = ?` when the range names a stream, with its parameter. */
  function streamFilter(range: SeriesRange): [string, string[]] {
    return range.stream === undefined ? ['', []] : [' AND stream = ?', [range.stream]];
  }

  /** Recomputes the roll-ups of every bucket touched by points in [first, last] on days [firstDay, lastDay]. */
  function recompute(doctype: string, first: number, last: number, firstDay: string, lastDay: string): void {
    recomputeHours(doctype, Math.floor(first / HOUR), Math.floor(last / HOUR));
    recomputeDays(doctype, firstDay, lastDay);
  }

  function recomputeHours(doctype: string, h0: number, h1: number): void {
    statements.clearHours.run(doctype, h0, h1);
    statements.fillHours.run(doctype, h0 * HOUR, (h1 + 1) * HOUR);
  }

  function recomputeDays(doctype: string, firstDay: string, lastDay: string): void {
    statements.clearDays.run(doctype, firstDay, lastDay);
    statements.fillDays.run(
      doctype,
      dayNumber(firstDay) * DAY - DAY_MARGIN,
      (dayNumber(lastDay) + 1) * DAY + DAY_MARGIN,
      firstDay,
      lastDay,
    );
  }

  function insert(doctype: string, points: SeriesPointWrite[]): void {
    for (const p of points) statements.upsert.run(doctype, p.t, p.stream, p.day, p.value, p.data, p.grant ?? null);
  }

  const append = db.transaction((doctype: string, points: SeriesPointWrite[]) => {
    insert(doctype, points);
    for (const r of runsOf(points)) recompute(doctype, r.first, r.last, r.firstDay, r.lastDay);
  });

  const remove = db.transaction((doctype: string, range: SeriesRange): number => {
    const [filter, streamParams] = streamFilter(range);
    const where = `WHERE doctype = ? AND t >= ? AND t < ?${filter}`;
    const params = [doctype, range.from, range.to, ...streamParams];
    const found = prepare(
      `SELECT count(*) AS n, min(t) AS first, max(t) AS last, min(day) AS firstDay, max(day) AS lastDay FROM points ${where}`,
    ).get(...params) as { n: number; first: number; last: number; firstDay: string; lastDay: string };
    if (found.n === 0) return 0;
    prepare(`DELETE FROM points ${where}`).run(...params);
    recompute(doctype, found.first, found.last, found.firstDay, found.lastDay);
    return found.n;
  });

  /** Roll-ups are recomputed over the whole span of the grant's points: exact, and withdrawals are rare. */
  const removeOfGrant = db.transaction((doctype: string, grant: string, before: number): number => {
    const found = statements.ofGrant.get(doctype, grant, before)!;
    if (found.n === 0) return 0;
    statements.deleteOfGrant.run(doctype, grant, before);
    recompute(doctype, found.first!, found.last!, found.firstDay!, found.lastDay!);
    return found.n;
  });

  /** The range cut down to the points that exist, or null when none can be in it. */
  function clamp(doctype: string, range: SeriesRange): SeriesRange | null {
    const first = statements.first.get(doctype);
    const last = statements.last.get(doctype);
    if (first === null || first === undefined || last === null || last === undefined) return null;
    const from = Math.max(range.from, first);
    const to = Math.min(range.to, last + 1);
    return from < to ? { ...range, from, to } : null;
  }

  /**
   * Aggregates per local day, ISO week or month: roll-ups for whole days, raw points at the edges.
   * Months are grouped in SQL (a few rows back instead of thousands); weeks are folded from days.
   */
  function byDay(doctype: string, range: SeriesRange, timeZone: string, every: 'day' | 'week' | 'month') {
    const buckets = new Map<string, SeriesAggregateRow>();
    const [filter, streamParams] = streamFilter(range);
    const group = every === 'month' ? 'substr(day, 1, 7)' : 'day';
    const key = every === 'week' ? isoWeekStart : (k: string) => k;
    const raw = (from: number, to: number) => {
      if (from >= to) return;
      const rows = prepare(
        `SELECT ${group}, count(value), sum(value), min(value), max(value) FROM points
         WHERE doctype = ? AND t >= ? AND t < ?${filter} GROUP BY 1`,
      )
        .raw()
        .all(doctype, from, to, ...streamParams) as Row[];
      for (const row of rows) merge(buckets, key(row[0] as string), row);
    };
    const firstDay = localDay(range.from, timeZone);
    const start =
      localMidnight(firstDay, timeZone) === range.from ? range.from : localMidnight(addDays(firstDay, 1), timeZone);
    const end = localMidnight(localDay(range.to, timeZone), timeZone);
    if (start >= end) {
      raw(range.from, range.to);
    } else {
      raw(range.from, start);
      const rows = prepare(
        `SELECT ${group}, sum(count), sum(sum), min(min), max(max) FROM point_days
         WHERE doctype = ? AND day >= ? AND day < ?${filter} GROUP BY 1`,
      )
        .raw()
        .all(doctype, localDay(start, timeZone), localDay(end, timeZone), ...streamParams) as Row[];
      for (const row of rows) merge(buckets, key(row[0] as string), row);
      raw(end, range.to);
    }
    return buckets;
  }

  /**
   * Aggregates per local hour. A UTC hour maps to one local hour wherever the offset is whole
   * hours and does not change within it; otherwise (e.g. Asia/Kolkata) raw points are bucketed.
   */
  function byHour(doctype: string, range: SeriesRange, timeZone: string) {
    const buckets = new Map<string, SeriesAggregateRow>();
    const [filter, streamParams] = streamFilter(range);
    const raw = (from: number, to: number) => {
      if (from >= to) return;
      const rows = prepare(
        `SELECT t, value FROM points WHERE doctype = ? AND t >= ? AND t < ?${filter} AND value IS NOT NULL`,
      )
        .raw()
        .all(doctype, from, to, ...streamParams) as [number, number][];
      for (const [t, value] of rows) merge(buckets, localHourKey(t, timeZone), [t, 1, value, value, value]);
    };
    const h0 = Math.ceil(range.from / HOUR);
    const h1 = Math.floor(range.to / HOUR);
    if (h0 >= h1) {
      raw(range.from, range.to);
      return buckets;
    }
    const rows = prepare(
      `SELECT hour, sum(count), sum(sum), min(min), max(max) FROM point_hours
       WHERE doctype = ? AND hour >= ? AND hour < ?${filter} GROUP BY hour`,
    )
      .raw()
      .all(doctype, h0, h1, ...streamParams) as Row[];
    const aligned = rows.every(([hour]) => {
      const offset = utcOffset((hour as number) * HOUR, timeZone);
      return offset % HOUR === 0 && utcOffset((hour as number) * HOUR + HOUR - 1, timeZone) === offset;
    });
    if (!aligned) {
      raw(range.from, range.to);
      return buckets;
    }
    raw(range.from, h0 * HOUR);
    for (const row of rows) merge(buckets, localHourKey((row[0] as number) * HOUR, timeZone), row);
    raw(h1 * HOUR, range.to);
    return buckets;
  }

  return {
    append(doctype: string, points: SeriesPointWrite[]): number {
      points.forEach(checkPoint);
      if (points.length > 0) append.immediate(doctype, points);
      return points.length;
    },

    /**
     * Appends inside the caller's transaction (an import's), the roll-ups made at `finish` rather
     * than recomputed from the points after each batch (a million points: 200 range scans and
     * sorts). Buckets that held no point are summed here as the points go in, and written when
     * MAX_PENDING_BUCKETS are waiting (memory stays bounded); a bucket that held points, or was
     * written earlier in the import, is recomputed from its points. Where a point replaced another,
     * the roll-ups of the import's whole span are recomputed instead (exact, as `append`).
     */
    bulkAppend() {
      const pending = new Map<string, { span: Run; days: RollupSums; hours: RollupSums; replaced: boolean }>();
      /** Writes the summed buckets of a doctype, recomputing those that exist already. */
      function writeSums(doctype: string, days: RollupSums, hours: RollupSums): void {
        for (const [key, sum] of days) {
          const [day, stream] = splitKey(key);
          if (statements.newDay.run(doctype, day, stream, ...rollupRow(sum)).changes === 0) {
            recomputeDays(doctype, day, day);
          }
        }
        for (const [key, sum] of hours) {
          const [hour, stream] = splitKey(key);
          if (statements.newHour.run(doctype, Number(hour), stream, ...rollupRow(sum)).changes === 0) {
            recomputeHours(doctype, Number(hour), Number(hour));
          }
        }
        days.clear();
        hours.clear();
      }
      return {
        add(doctype: string, points: SeriesPointWrite[]): void {
          points.forEach(checkPoint);
          if (points.length === 0) return;
          let state = pending.get(doctype);
          if (!state) {
            const first = points[0]!;
            const span = { first: first.t, last: first.t, firstDay: first.day, lastDay: first.day };
            pending.set(doctype, (state = { span, days: new Map(), hours: new Map(), replaced: false }));
          }
          const span = state.span;
          // Points come mostly in time order: the bucket of the point before is usually this one's.
          let daySum: RollupSum | undefined;
          let hourSum: RollupSum | undefined;
          let day = '';
          let hour = NaN;
          let dayStream = '';
          let hourStream = '';
          for (const p of points) {
            const grant = p.grant ?? null;
            if (statements.insertNew.run(doctype, p.t, p.stream, p.day, p.value, p.data, grant).changes === 0) {
              statements.upsert.run(doctype, p.t, p.stream, p.day, p.value, p.data, grant);
              state.replaced = true;
            }
            if (p.t < span.first) span.first = p.t;
            if (p.t > span.last) span.last = p.t;
            if (p.day < span.firstDay) span.firstDay = p.day;
            if (p.day > span.lastDay) span.lastDay = p.day;
            if (state.replaced) continue;
            if (daySum === undefined || p.day !== day || p.stream !== dayStream) {
              day = p.day;
              dayStream = p.stream;
              daySum = rollupSum(state.days, `${day}\t${dayStream}`);
            }
            addValue(daySum, p.value);
            const h = Math.floor(p.t / HOUR);
            if (hourSum === undefined || h !== hour || p.stream !== hourStream) {
              hour = h;
              hourStream = p.stream;
              hourSum = rollupSum(state.hours, `${hour}\t${hourStream}`);
            }
            addValue(hourSum, p.value);
          }
          if (state.replaced) {
            state.days.clear();
            state.hours.clear();
          } else if (state.days.size + state.hours.size > MAX_PENDING_BUCKETS) {
            writeSums(doctype, state.days, state.hours);
          }
        },
        finish(): void {
          for (const [doctype, { span, days, hours, replaced }] of pending) {
            if (replaced) recompute(doctype, span.first, span.last, span.firstDay, span.lastDay);
            else writeSums(doctype, days, hours);
          }
          pending.clear();
        },
      };
    },

    read(doctype: string, range: SeriesRange, limit: number, after?: { t: number; stream: string }): SeriesPoint[] {
      const [filter, streamParams] = streamFilter(range);
      const cursor = after ? ' AND (t, stream) > (?, ?)' : '';
      const rows = prepare(
        `SELECT stream, t, value, data FROM points WHERE doctype = ? AND t >= ? AND t < ?${filter}${cursor}
         ORDER BY t, stream LIMIT ?`,
      ).all(
        doctype,
        range.from,
        range.to,
        ...streamParams,
        ...(after ? [after.t, after.stream] : []),
        Math.max(0, Math.floor(limit)),
      );
      return rows as SeriesPoint[];
    },

    aggregate(doctype: string, range: SeriesRange, every: SeriesBucket, timeZone: string): SeriesAggregateRow[] {
      const clamped = clamp(doctype, range);
      if (!clamped) return [];
      const buckets = every === 'hour' ? byHour(doctype, clamped, timeZone) : byDay(doctype, clamped, timeZone, every);
      return [...buckets.values()]
        .filter((b) => b.count > 0)
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    remove(doctype: string, range: SeriesRange): number {
      return remove.immediate(doctype, range);
    },

    removeOfGrant(doctype: string, grant: string, before = Number.MAX_SAFE_INTEGER): number {
      if (typeof grant !== 'string' || grant.length === 0)
        throw new FoyerError('bad_request', 'A grant id is non-empty text.');
      if (!Number.isSafeInteger(before)) throw new FoyerError('bad_request', '"before" must be an integer time.');
      return removeOfGrant.immediate(doctype, grant, before);
    },
  };
}

function merge(buckets: Map<string, SeriesAggregateRow>, key: string, [, count, sum, min, max]: Row): void {
  if (count === 0 || sum === null || min === null || max === null) return;
  const bucket = buckets.get(key);
  if (!bucket) {
    buckets.set(key, { key, count, sum, min, max });
  } else {
    bucket.count += count;
    bucket.sum += sum;
    if (min < bucket.min) bucket.min = min;
    if (max > bucket.max) bucket.max = max;
  }
}

/** A roll-up key's bucket and stream (a bucket holds no tab). */
function splitKey(key: string): [string, string] {
  const tab = key.indexOf('\t');
  return [key.slice(0, tab), key.slice(tab + 1)];
}

/** Points' span: first and last instants, first and last local days. */
interface Run {
  first: number;
  last: number;
  firstDay: string;
  lastDay: string;
}

/** The runs of `points` (sorted by time, split where two points lie more than RUN_GAP apart). */
function runsOf(points: readonly SeriesPointWrite[]): Run[] {
  const sorted = points.slice().sort((a, b) => a.t - b.t);
  const runs: Run[] = [];
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    if (i < sorted.length && sorted[i]!.t - sorted[i - 1]!.t <= RUN_GAP) continue;
    let firstDay = sorted[start]!.day;
    let lastDay = firstDay;
    for (let j = start; j < i; j++) {
      const day = sorted[j]!.day;
      if (day < firstDay) firstDay = day;
      if (day > lastDay) lastDay = day;
    }
    runs.push({ first: sorted[start]!.t, last: sorted[i - 1]!.t, firstDay, lastDay });
    start = i;
  }
  return runs;
}

function checkPoint(p: SeriesPointWrite, index: number): void {
  const problem = !Number.isSafeInteger(p.t)
    ? 't must be an integer count of milliseconds'
    : !isDay(p.day)
      ? 'day must be a calendar day YYYY-MM-DD'
      : typeof p.stream !== 'string' || p.stream.length === 0
        ? 'stream must be a non-empty string'
        : p.value !== null && (typeof p.value !== 'number' || !Number.isFinite(p.value))
          ? 'value must be a finite number or null'
          : typeof p.data !== 'string'
            ? 'data must be JSON text'
            : p.grant !== undefined && p.grant !== null && typeof p.grant !== 'string'
              ? 'grant must be text or null'
              : null;
  if (problem) throw new FoyerError('bad_request', `points[${index}]: ${problem}.`, { index });
}
