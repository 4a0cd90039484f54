/**
 * Time series in PostgreSQL: points keyed (space, doctype, t, stream), plus roll-ups of their
 * values per local day (`series_days`, keyed by the points' own `day`) and per UTC hour
 * (`series_hours`), kept exact on every append and delete, so that aggregates read a few
 * roll-up rows instead of every point.
 *
 * Appending only new points (the usual case, checked first) adds their roll-ups to the existing
 * ones, which is exact. When points are replaced or deleted, the roll-ups of every bucket touched
 * are recomputed from the points, which keeps min and max right. Writers of one doctype in a
 * space take turns on an advisory lock: two concurrent writers could otherwise each miss the
 * other's points in a bucket they share.
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { FoyerError } from '../../core/errors.js';
import { localHourKey, utcOffset } from '../../core/time/time-zone.js';
import type {
  SeriesAggregateRow,
  SeriesBucket,
  SeriesPoint,
  SeriesPointWrite,
  SeriesRange,
} from '../document-store.js';
import { limitOf } from './postgres-context.js';
import { copyField, copyFromStdin } from './postgres-copy.js';
import type { PostgresContext } from './postgres-context.js';
import { SqlParams } from './postgres-selector.js';
import { advisoryXactLock, inTransaction, lockKey } from './postgres-transaction.js';

const HOUR = 3_600_000;
const QUARTER = 900_000;
/** Two points of one local day are less than this apart (a day lasts at most 25 hours). */
const DAY_SPAN = 2 * 86_400_000;

/** The start of the bucket of `width` ms holding `t`, in SQL (floored, negative `t` included). */
const bucketStart = (t: string, width: number) => `(${t} - ((${t} % ${width}) + ${width}) % ${width})`;

const floorTo = (t: number, width: number) => Math.floor(t / width) * width;

/** Buckets a write touched: a (stream, day) and the first and last `t` of its points. */
interface TouchedDay {
  stream: string;
  day: string;
  lo: string;
  hi: string;
}

interface AggregateSqlRow {
  key: string;
  count: string;
  sum: number;
  min: number;
  max: number;
}

/**
 * `copy`: bulk appends use `COPY FROM STDIN` (false for servers without that sub-protocol, such
 * as PGlite's socket server, which then get an INSERT from a JSON parameter).
 */
export function postgresSeries({ pool, schema, assertSpace, lockSpace, copy }: PostgresContext & { copy: boolean }) {
  const s = pg.escapeIdentifier(schema);

  /** A write transaction on the series of one doctype of one space. */
  function writeSeries<T>(space: string, doctype: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(pool, async (client) => {
      await lockSpace(client, space);
      await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
      return fn(client);
    });
  }

  /**
   * Recomputes the day and hour roll-ups of the touched buckets from the points. `mayEmpty`:
   * after a delete a bucket may have no point left, so its roll-up row is deleted first.
   */
  async function refreshRollups(
    client: PoolClient,
    space: string,
    doctype: string,
    touched: TouchedDay[],
    mayEmpty: boolean,
  ): Promise<void> {
    if (touched.length === 0) return;
    const lo = touched.reduce((m, b) => Math.min(m, Number(b.lo)), Infinity);
    const hi = touched.reduce((m, b) => Math.max(m, Number(b.hi)), -Infinity);
    // Every UTC hour overlapping a touched day's points.
    const hourSet = new Set<number>();
    for (const b of touched) {
      for (let h = floorTo(Number(b.lo), HOUR); h <= Number(b.hi); h += HOUR) hourSet.add(h);
    }
    const days = [...new Set(touched.map((b) => b.day))];
    const hours = [...hourSet];
    const streams = [...new Set(touched.map((b) => b.stream))];
    // Buckets are picked by `= ANY` of days (or hours) and of streams: filters on a range scan,
    // whatever the statistics say (a join could become a scan per bucket). That may also pick a
    // bucket of another touched stream: recomputing it from its points changes nothing, and
    // all its points lie in the scanned range, as the bucket lies within a touched day.
    const pick = (bucket: string, list: string) => `${bucket} = ANY(${list}) AND stream = ANY($4::text[])`;
    if (mayEmpty) {
      await client.query(
        `DELETE FROM ${s}.series_days WHERE space = $1 AND doctype = $2 AND ${pick('day', '$3::text[]')}`,
        [space, doctype, days, streams],
      );
      await client.query(
        `DELETE FROM ${s}.series_hours WHERE space = $1 AND doctype = $2 AND ${pick('hour', '$3::bigint[]')}`,
        [space, doctype, hours, streams],
      );
    }
    const set = 'count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max';
    await client.query(
      `INSERT INTO ${s}.series_days (space, doctype, day, stream, count, sum, min, max)
       SELECT $1, $2, day, stream, count(value), sum(value), min(value), max(value) FROM ${s}.series_points
        WHERE space = $1 AND doctype = $2 AND t >= $5 AND t <= $6 AND ${pick('day', '$3::text[]')}
        GROUP BY day, stream
       ON CONFLICT (space, doctype, day, stream) DO UPDATE SET ${set}`,
      [space, doctype, days, streams, lo - DAY_SPAN, hi + DAY_SPAN],
    );
    await client.query(
      `INSERT INTO ${s}.series_hours (space, doctype, hour, stream, count, sum, min, max)
       SELECT $1, $2, ${bucketStart('t', HOUR)}, stream, count(value), sum(value), min(value), max(value)
         FROM ${s}.series_points
        WHERE space = $1 AND doctype = $2 AND t >= $5 AND t < $6 AND ${pick(bucketStart('t', HOUR), '$3::bigint[]')}
        GROUP BY 3, stream
       ON CONFLICT (space, doctype, hour, stream) DO UPDATE SET ${set}`,
      [space, doctype, hours, streams, floorTo(lo, HOUR), floorTo(hi, HOUR) + HOUR],
    );
  }

  /**
   * Inserts rows that conflict with none: COPY when the server speaks it, else an INSERT from one
   * JSON parameter. `columns` are names and SQL types, in the rows' order.
   */
  async function insertRows(
    client: PoolClient,
    table: string,
    columns: [name: string, type: string][],
    rows: (string | number | null)[][],
  ): Promise<void> {
    if (rows.length === 0) return;
    const names = columns.map(([name]) => name).join(', ');
    if (copy) {
      const lines = rows.map((row) => `${row.map(copyField).join('\t')}\n`);
      await copyFromStdin(client, `${s}.${table} (${names})`, lines);
      return;
    }
    const json = JSON.stringify(rows.map((row) => Object.fromEntries(columns.map(([name], i) => [name, row[i]]))));
    await client.query(
      `INSERT INTO ${s}.${table} (${names}) SELECT ${names}
         FROM json_to_recordset($1::json) AS x(${columns.map(([name, type]) => `${name} ${type}`).join(', ')})`,
      [json],
    );
  }

  /** Adds the roll-ups of new points to existing rows (or inserts them): exact for new points only. */
  async function mergeRollups(client: PoolClient, table: 'series_days' | 'series_hours', rows: RollupRow[]) {
    if (rows.length === 0) return;
    const key = table === 'series_days' ? 'day' : 'hour';
    const keyType = table === 'series_days' ? 'text' : 'bigint';
    await client.query(
      `INSERT INTO ${s}.${table} AS r (space, doctype, ${key}, stream, count, sum, min, max)
       SELECT space, doctype, key, stream, count, sum, min, max
         FROM json_to_recordset($1::json)
           AS x(space text, doctype text, key ${keyType}, stream text, count bigint, sum float8, min float8, max float8)
       ON CONFLICT (space, doctype, ${key}, stream) DO UPDATE SET
         count = r.count + excluded.count,
         sum = CASE WHEN r.sum IS NULL THEN excluded.sum WHEN excluded.sum IS NULL THEN r.sum ELSE r.sum + excluded.sum END,
         min = least(r.min, excluded.min), max = greatest(r.max, excluded.max)`,
      [JSON.stringify(rows)],
    );
  }

  async function appendPoints(space: string, doctype: string, points: SeriesPointWrite[]): Promise<number> {
    for (const p of points) checkPoint(p);
    const unique = lastOfEach(points);
    await writeSeries(space, doctype, (client) => appendUnique(client, space, doctype, unique));
    return points.length;
  }

  /** Appends inside the caller's transaction (an import's), which holds the space's lock. */
  async function appendPointsIn(
    client: PoolClient,
    space: string,
    doctype: string,
    points: SeriesPointWrite[],
  ): Promise<number> {
    for (const p of points) checkPoint(p);
    await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
    await appendUnique(client, space, doctype, lastOfEach(points));
    return points.length;
  }

  async function appendUnique(
    client: PoolClient,
    space: string,
    doctype: string,
    unique: SeriesPointWrite[],
  ): Promise<void> {
    if (unique.length === 0) return;
    const first = unique.reduce((m, p) => Math.min(m, p.t), Infinity);
    const last = unique.reduce((m, p) => Math.max(m, p.t), -Infinity);
    const streams = [...new Set(unique.map((p) => p.stream))];
    const overlap = await client.query(
      `SELECT 1 FROM ${s}.series_points
          WHERE space = $1 AND doctype = $2 AND t >= $3 AND t <= $4 AND stream = ANY($5::text[]) LIMIT 1`,
      [space, doctype, first, last, streams],
    );
    if (overlap.rows.length === 0) {
      await insertRows(
        client,
        'series_points',
        [
          ['space', 'text'],
          ['doctype', 'text'],
          ['t', 'bigint'],
          ['stream', 'text'],
          ['day', 'text'],
          ['value', 'float8'],
          ['data', 'text'],
          ['grant_id', 'text'],
        ],
        unique.map((p) => [space, doctype, p.t, p.stream, p.day, p.value, p.data, p.grant ?? null]),
      );
      // Only new points went in (the common case: the next readings of a meter): their roll-ups,
      // computed here, add to the existing ones exactly (counts and sums add up, min and max
      // compare). Hours strictly between the first and the last point hold nothing else, so
      // they have no row yet and take a plain insert, much cheaper than an upsert.
      const firstHour = floorTo(first, HOUR);
      const lastHour = floorTo(last, HOUR);
      const hours = rollUp(space, doctype, unique, (p) => floorTo(p.t, HOUR));
      const inner = hours.filter((h) => h.key > firstHour && h.key < lastHour);
      await insertRows(
        client,
        'series_hours',
        [
          ['space', 'text'],
          ['doctype', 'text'],
          ['hour', 'bigint'],
          ['stream', 'text'],
          ['count', 'bigint'],
          ['sum', 'float8'],
          ['min', 'float8'],
          ['max', 'float8'],
        ],
        inner.map((h) => [space, doctype, h.key, h.stream, h.count, h.sum, h.min, h.max]),
      );
      await mergeRollups(
        client,
        'series_hours',
        hours.filter((h) => h.key === firstHour || h.key === lastHour),
      );
      await mergeRollups(
        client,
        'series_days',
        rollUp(space, doctype, unique, (p) => p.day),
      );
      return;
    }
    // Some points may replace others: upsert, then recompute the roll-ups of the days touched.
    // Points appended again unchanged are left alone, so re-running an import refreshes nothing.
    const touched = await client.query<TouchedDay>(
      `WITH written AS (
           INSERT INTO ${s}.series_points AS p (space, doctype, t, stream, day, value, data, grant_id)
           SELECT $1, $2, t, stream, day, value, data, grant_id FROM (${POINTS_INPUT}) AS input
           ON CONFLICT (space, doctype, t, stream) DO UPDATE SET
             day = excluded.day, value = excluded.value, data = excluded.data, grant_id = excluded.grant_id
             WHERE (p.day, p.value, p.data, p.grant_id) IS DISTINCT FROM
                   (excluded.day, excluded.value, excluded.data, excluded.grant_id)
           RETURNING stream, day, t
         )
         SELECT stream, day, min(t) AS lo, max(t) AS hi FROM written GROUP BY stream, day`,
      [space, doctype, pointsJson(unique)],
    );
    await refreshRollups(client, space, doctype, touched.rows, false);
  }

  async function deletePoints(space: string, doctype: string, range: SeriesRange): Promise<number> {
    checkRange(range);
    return writeSeries(space, doctype, async (client) => {
      const params = new SqlParams();
      const where = rangeWhere(params, space, doctype, range);
      const touched = await client.query<TouchedDay & { n: string }>(
        `WITH gone AS (DELETE FROM ${s}.series_points WHERE ${where} RETURNING stream, day, t)
         SELECT stream, day, min(t) AS lo, max(t) AS hi, count(*) AS n FROM gone GROUP BY stream, day`,
        params.values,
      );
      await refreshRollups(client, space, doctype, touched.rows, true);
      return touched.rows.reduce((n, row) => n + Number(row.n), 0);
    });
  }

  /** Every point of the doctype written under the grant; the roll-ups of the buckets it touched follow. */
  async function deletePointsOfGrant(
    space: string,
    doctype: string,
    grant: string,
    before = Number.MAX_SAFE_INTEGER,
  ): Promise<number> {
    if (typeof grant !== 'string' || grant.length === 0)
      throw new FoyerError('bad_request', 'A grant id is non-empty text.');
    if (!Number.isSafeInteger(before)) throw new FoyerError('bad_request', '"before" must be an integer time.');
    return writeSeries(space, doctype, async (client) => {
      const touched = await client.query<TouchedDay & { n: string }>(
        `WITH gone AS (DELETE FROM ${s}.series_points WHERE space = $1 AND doctype = $2 AND grant_id = $3 AND t < $4
                        RETURNING stream, day, t)
         SELECT stream, day, min(t) AS lo, max(t) AS hi, count(*) AS n FROM gone GROUP BY stream, day`,
        [space, doctype, grant, before],
      );
      await refreshRollups(client, space, doctype, touched.rows, true);
      return touched.rows.reduce((n, row) => n + Number(row.n), 0);
    });
  }

  async function readPoints(
    space: string,
    doctype: string,
    range: SeriesRange,
    limit: number,
    after?: { t: number; stream: string },
  ): Promise<SeriesPoint[]> {
    checkRange(range);
    const params = new SqlParams();
    const where = [rangeWhere(params, space, doctype, range)];
    if (after) {
      if (!Number.isSafeInteger(after.t) || typeof after.stream !== 'string') {
        throw new FoyerError('bad_request', 'The cursor must hold a time and a stream.');
      }
      where.push(`(t, stream) > (${params.add(after.t)}::bigint, ${params.add(after.stream)})`);
    }
    const result = await pool.query<{ stream: string; t: string; value: number | null; data: string }>(
      `SELECT stream, t, value, data FROM ${s}.series_points WHERE ${where.join(' AND ')}
        ORDER BY t, stream LIMIT ${params.add(limitOf(limit))}`,
      params.values,
    );
    if (result.rows.length === 0) await assertSpace(space);
    return result.rows.map((r) => ({ stream: r.stream, t: Number(r.t), value: r.value, data: r.data }));
  }

  async function aggregatePoints(
    space: string,
    doctype: string,
    range: SeriesRange,
    every: SeriesBucket,
    timeZone: string,
  ): Promise<SeriesAggregateRow[]> {
    checkRange(range);
    const rows =
      every === 'hour'
        ? await aggregateHours(space, doctype, range, timeZone)
        : every === 'day' || every === 'week' || every === 'month'
          ? await aggregateDays(space, doctype, range, every)
          : null;
    if (rows === null) throw new FoyerError('bad_request', 'Buckets are hour, day, week or month.');
    if (rows.length === 0) await assertSpace(space);
    return rows;
  }

  /**
   * Days, weeks and months from the day roll-ups. Only the first and last days with points in
   * the range may be cut by it; they are computed from their points, which lie within a day's
   * span of the first and last points. Days are found from the data (`day` grows with `t`), so no
   * time zone arithmetic is needed here.
   */
  async function aggregateDays(
    space: string,
    doctype: string,
    range: SeriesRange,
    every: 'day' | 'week' | 'month',
  ): Promise<SeriesAggregateRow[]> {
    const params = new SqlParams();
    const where = rangeWhere(params, space, doctype, range);
    const ends = await pool.query<{ first: string | null; first_t: string; last: string | null; last_t: string }>(
      `SELECT first.day AS first, first.t AS first_t, last.day AS last, last.t AS last_t
         FROM (SELECT day, t FROM ${s}.series_points WHERE ${where} ORDER BY t LIMIT 1) AS first,
              (SELECT day, t FROM ${s}.series_points WHERE ${where} ORDER BY t DESC LIMIT 1) AS last`,
      params.values,
    );
    const edges = ends.rows[0];
    if (!edges?.first || !edges.last) return [];

    const inner = new SqlParams();
    const stream = range.stream;
    const firstDay = inner.add(edges.first);
    const lastDay = inner.add(edges.last);
    const head = rangeWhere(inner, space, doctype, {
      from: range.from,
      to: Math.min(range.to, Number(edges.first_t) + DAY_SPAN),
      stream,
    });
    const tail = rangeWhere(inner, space, doctype, {
      from: Math.max(range.from, Number(edges.last_t) - DAY_SPAN),
      to: range.to,
      stream,
    });
    const streamFilter = stream === undefined ? '' : `AND stream = ${inner.add(stream)}`;
    const key =
      every === 'day'
        ? 'day'
        : every === 'month'
          ? 'substr(day, 1, 7)'
          : `to_char(day::date - (extract(isodow FROM day::date)::int - 1), 'YYYY-MM-DD')`;
    const result = await pool.query<AggregateSqlRow>(
      `SELECT ${key} AS key, sum(count) AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max
         FROM (
           SELECT day, count, sum, min, max FROM ${s}.series_days
            WHERE space = ${inner.add(space)} AND doctype = ${inner.add(doctype)} ${streamFilter}
              AND day > ${firstDay} AND day < ${lastDay}
           UNION ALL
           SELECT day, count(value), sum(value), min(value), max(value) FROM ${s}.series_points
            WHERE ${head} AND day = ${firstDay} GROUP BY day
           UNION ALL
           SELECT day, count(value), sum(value), min(value), max(value) FROM ${s}.series_points
            WHERE ${tail} AND day = ${lastDay} AND day <> ${firstDay} GROUP BY day
         ) AS days
        GROUP BY 1 HAVING sum(count) > 0 ORDER BY 1`,
      inner.values,
    );
    return result.rows.map((r) => ({ key: r.key, count: Number(r.count), sum: r.sum, min: r.min, max: r.max }));
  }

  /**
   * Local hours from the UTC hour roll-ups: in a zone whose offset is a whole number of hours, a
   * UTC hour is one local hour (two UTC hours share a local key when clocks go back, and merge).
   * The parts of hours cut by the range come from the points. Elsewhere (India, Nepal...) local
   * hours straddle UTC hours: the points are grouped by quarter hour, which every offset in use
   * divides.
   */
  async function aggregateHours(space: string, doctype: string, range: SeriesRange, timeZone: string) {
    const firstFull = Math.ceil(range.from / HOUR) * HOUR;
    const lastFull = floorTo(range.to, HOUR);
    const params = new SqlParams();
    const byPoints = (from: number, to: number) =>
      `SELECT ${bucketStart('t', HOUR)}, count(value), sum(value), min(value), max(value) FROM ${s}.series_points
        WHERE ${rangeWhere(params, space, doctype, { from, to, stream: range.stream })} GROUP BY 1`;
    let parts: string[];
    if (firstFull < lastFull) {
      const streamFilter = range.stream === undefined ? '' : `AND stream = ${params.add(range.stream)}`;
      parts = [
        `SELECT hour, count, sum, min, max FROM ${s}.series_hours
          WHERE space = ${params.add(space)} AND doctype = ${params.add(doctype)} ${streamFilter}
            AND hour >= ${params.add(firstFull)} AND hour < ${params.add(lastFull)}`,
        byPoints(range.from, firstFull),
        byPoints(lastFull, range.to),
      ];
    } else {
      parts = [byPoints(range.from, range.to)];
    }
    const byUtcHour = await pool.query<AggregateSqlRow>(
      `SELECT start AS key, sum(count) AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max
         FROM (${parts.join(' UNION ALL ')}) AS hours (start, count, sum, min, max)
        GROUP BY 1 HAVING sum(count) > 0 ORDER BY 1`,
      params.values,
    );
    const wholeHours = byUtcHour.rows.every((r) => {
      const start = Number(r.key);
      const offset = utcOffset(start, timeZone);
      return offset % HOUR === 0 && utcOffset(start + HOUR - 1, timeZone) === offset;
    });
    if (wholeHours) return mergeByLocalHour(byUtcHour.rows, timeZone);

    const quarters = new SqlParams();
    const where = rangeWhere(quarters, space, doctype, range);
    const byQuarter = await pool.query<AggregateSqlRow>(
      `SELECT ${bucketStart('t', QUARTER)} AS key, count(value) AS count, sum(value) AS sum, min(value) AS min, max(value) AS max
         FROM ${s}.series_points WHERE ${where}
        GROUP BY 1 HAVING count(value) > 0 ORDER BY 1`,
      quarters.values,
    );
    return mergeByLocalHour(byQuarter.rows, timeZone);
  }

  return { appendPoints, appendPointsIn, readPoints, aggregatePoints, deletePoints, deletePointsOfGrant };
}

interface RollupRow<K extends string | number = string | number> {
  space: string;
  doctype: string;
  key: K;
  stream: string;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
}

/** Count, sum, min and max of the non-null values per (stream, bucket), in first-seen order. */
function rollUp<K extends string | number>(
  space: string,
  doctype: string,
  points: SeriesPointWrite[],
  bucketOf: (p: SeriesPointWrite) => K,
): RollupRow<K>[] {
  const rows = new Map<string, RollupRow<K>>();
  for (const p of points) {
    const key = bucketOf(p);
    const id = `${p.stream}\u0000${key}`;
    let row = rows.get(id);
    if (!row) {
      row = { space, doctype, key, stream: p.stream, count: 0, sum: null, min: null, max: null };
      rows.set(id, row);
    }
    if (p.value === null) continue;
    row.count += 1;
    row.sum = (row.sum ?? 0) + p.value;
    row.min = row.min === null ? p.value : Math.min(row.min, p.value);
    row.max = row.max === null ? p.value : Math.max(row.max, p.value);
  }
  return [...rows.values()];
}

/**
 * The points, the last one winning for each (stream, t): one statement may not write a row twice.
 * Points usually come in time order per stream, which proves there is nothing to drop.
 */
function lastOfEach(points: SeriesPointWrite[]): SeriesPointWrite[] {
  const lastT = new Map<string, number>();
  let ordered = true;
  for (const p of points) {
    const previous = lastT.get(p.stream);
    if (previous !== undefined && p.t <= previous) {
      ordered = false;
      break;
    }
    lastT.set(p.stream, p.t);
  }
  if (ordered) return points;
  const latest = new Map<string, SeriesPointWrite>();
  for (const p of points) latest.set(`${p.stream}\u0000${p.t}`, p);
  return [...latest.values()];
}

/** Points as one JSON parameter ($3): far faster than pg's serialisation of arrays. */
const POINTS_INPUT = `SELECT * FROM json_to_recordset($3::json) AS x(t bigint, stream text, day text, value float8, data text, grant_id text)`;

function pointsJson(points: SeriesPointWrite[]): string {
  return JSON.stringify(
    points.map((p) => ({
      t: p.t,
      stream: p.stream,
      day: p.day,
      value: p.value,
      data: p.data,
      grant_id: p.grant ?? null,
    })),
  );
}

/** `space = $1 AND doctype = $2 AND t >= .. AND t < .. [AND stream = ..]` (space and doctype first). */
function rangeWhere(params: SqlParams, space: string, doctype: string, range: SeriesRange): string {
  const where = [
    `space = ${params.add(space)}`,
    `doctype = ${params.add(doctype)}`,
    `t >= ${params.add(Math.ceil(range.from))}`,
    `t < ${params.add(Math.ceil(range.to))}`,
  ];
  if (range.stream !== undefined) where.push(`stream = ${params.add(range.stream)}`);
  return where.join(' AND ');
}

/** Rows keyed by bucket start (epoch ms), in time order, merged into local hour keys. */
function mergeByLocalHour(rows: AggregateSqlRow[], timeZone: string): SeriesAggregateRow[] {
  const merged: SeriesAggregateRow[] = [];
  for (const r of rows) {
    const key = localHourKey(Number(r.key), timeZone);
    const previous = merged[merged.length - 1];
    if (previous && previous.key === key) {
      previous.count += Number(r.count);
      previous.sum += r.sum;
      previous.min = Math.min(previous.min, r.min);
      previous.max = Math.max(previous.max, r.max);
    } else {
      merged.push({ key, count: Number(r.count), sum: r.sum, min: r.min, max: r.max });
    }
  }
  return merged;
}

function checkRange(range: SeriesRange): void {
  if (!Number.isFinite(range.from) || !Number.isFinite(range.to)) {
    throw new FoyerError('bad_request', 'A time range needs finite `from` and `to`.');
  }
  if (range.stream !== undefined && typeof range.stream !== 'string') {
    throw new FoyerError('bad_request', 'A stream is a string.');
  }
}

function checkPoint(p: SeriesPointWrite): void {
  const valid =
    Number.isSafeInteger(p.t) &&
    typeof p.stream === 'string' &&
    typeof p.day === 'string' &&
    typeof p.data === 'string' &&
    (p.grant === undefined || p.grant === null || typeof p.grant === 'string') &&
    (p.value === null || Number.isFinite(p.value));
  if (!valid)
    throw new FoyerError(
      'bad_request',
      'A point needs an integer time, a stream, a day, data, a finite value or null, and a grant id or null.',
    );
}
