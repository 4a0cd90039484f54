/**
 * Time series in PostgreSQL, sealed (`postgres-cipher.ts`): a point is keyed (space, doctype, t,
 * stream term), where the stream term is a keyed HMAC of the stream (a meter id is personal
 * data), and its body seals the real stream, the value and the point's data. Roll-ups of the
 * values per local day (`series_days`, keyed by the points' own `day` and the stream term) are
 * sealed too (count, sum, min, max), so that day, week and month aggregates open one small row
 * per stream and day instead of every point; hour aggregates open the points of the range.
 *
 * Appending only new points (the usual case, checked first) adds their roll-ups to the existing
 * ones, opened and sealed again, which is exact. When points are replaced or deleted, the
 * roll-ups of every day touched are recomputed from the points, which keeps min and max right.
 * Writers of one doctype in a space take turns on an advisory lock: two concurrent writers could
 * otherwise each miss the other's points in a day they share.
 *
 * Rows written before encryption (no body: stream, value and data in clear, roll-ups in columns)
 * are still read, and sealed in place by `encryptClearPoints` (`postgres-encrypt-clear.ts`).
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { compareCodePoints } from '../../core/documents/match-selector.js';
import { FoyerError } from '../../core/errors.js';
import { localHourKey } from '../../core/time/time-zone.js';
import type {
  SeriesAggregateRow,
  SeriesBucket,
  SeriesPoint,
  SeriesPointWrite,
  SeriesRange,
} from '../document-store.js';
import { associatedData, type PostgresCipher, type SpaceCipher } from './postgres-cipher.js';
import { limitOf } from './postgres-context.js';
import { copyField, copyFromStdin } from './postgres-copy.js';
import type { PostgresContext } from './postgres-context.js';
import { advisoryXactLock, inTransaction, lockKey } from './postgres-transaction.js';

const QUARTER = 900_000;
/** Two points of one local day are less than this apart (a day lasts at most 25 hours). */
const DAY_SPAN = 2 * 86_400_000;
/** Points opened per round trip by reads. */
const BATCH = 5000;

const floorTo = (t: number, width: number) => Math.floor(t / width) * width;

/** A point row as stored: sealed (body) or, before encryption, in clear. */
interface PointRow {
  t: string;
  stream: string;
  day: string;
  body: Buffer | null;
  value: number | null;
  data: string | null;
}

interface DayRow {
  day: string;
  stream: string;
  body: Buffer | null;
  count: string | null;
  sum: number | null;
  min: number | null;
  max: number | null;
}

/** Days a write touched: a (stream term, day) and the first and last `t` of its points. */
export interface TouchedDay {
  stream: string;
  day: string;
  lo: string | number;
  hi: string | number;
}

interface Rollup {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
}

export const pointAad = (space: string, doctype: string, t: number | string, term: string) =>
  associatedData('foyer point v1', space, doctype, t, term);
const dayAad = (space: string, doctype: string, day: string, term: string) =>
  associatedData('foyer point day v1', space, doctype, day, term);

export function pointPlaintext(p: { stream: string; value: number | null; data: string }): Buffer {
  return Buffer.from(JSON.stringify([p.stream, p.value, p.data]), 'utf8');
}

function rollupPlaintext(r: Rollup): Buffer {
  const b = Buffer.allocUnsafe(32);
  b.writeDoubleBE(r.count, 0);
  b.writeDoubleBE(r.sum ?? NaN, 8);
  b.writeDoubleBE(r.min ?? NaN, 16);
  b.writeDoubleBE(r.max ?? NaN, 24);
  return b;
}

function readRollup(b: Buffer): Rollup {
  const orNull = (x: number) => (Number.isNaN(x) ? null : x);
  return {
    count: b.readDoubleBE(0),
    sum: orNull(b.readDoubleBE(8)),
    min: orNull(b.readDoubleBE(16)),
    max: orNull(b.readDoubleBE(24)),
  };
}

function addValue(r: Rollup, value: number | null): void {
  if (value === null) return;
  r.count += 1;
  r.sum = (r.sum ?? 0) + value;
  r.min = r.min === null ? value : Math.min(r.min, value);
  r.max = r.max === null ? value : Math.max(r.max, value);
}

function mergeRollup(r: Rollup, o: Rollup): void {
  r.count += o.count;
  if (o.sum !== null) r.sum = (r.sum ?? 0) + o.sum;
  if (o.min !== null) r.min = r.min === null ? o.min : Math.min(r.min, o.min);
  if (o.max !== null) r.max = r.max === null ? o.max : Math.max(r.max, o.max);
}

const emptyRollup = (): Rollup => ({ count: 0, sum: null, min: null, max: null });

/**
 * `copy`: bulk appends use `COPY FROM STDIN` (false for servers without that sub-protocol, such
 * as PGlite's socket server, which then get an INSERT from a JSON parameter).
 */
export function postgresSeries(
  { pool, schema, assertSpace, lockSpace, copy }: PostgresContext & { copy: boolean },
  cipher: () => PostgresCipher | null,
) {
  const s = pg.escapeIdentifier(schema);

  function cipherOrFail(): PostgresCipher {
    const c = cipher();
    if (!c) throw new FoyerError('unavailable', 'This PostgreSQL store was given no data keys: it cannot use series.');
    return c;
  }

  /** The stream's term, and the stream itself for rows still in clear. */
  function streamKeys(sc: SpaceCipher, doctype: string, stream: string): string[] {
    return [sc.term('stream', doctype, stream), stream];
  }

  /** Opens point rows of one space (sealed or in clear). */
  async function openPoints(space: string, doctype: string, rows: PointRow[]): Promise<SeriesPoint[]> {
    const c = cipherOrFail();
    const out: SeriesPoint[] = [];
    for (const r of rows) {
      if (!r.body) {
        out.push({ stream: r.stream, t: Number(r.t), value: r.value, data: r.data ?? '{}' });
        continue;
      }
      const aad = pointAad(space, doctype, r.t, r.stream);
      const plain = c.openSync(space, 'series', aad, r.body) ?? (await c.open(space, 'series', aad, r.body));
      const [stream, value, data] = JSON.parse(plain.toString('utf8')) as [string, number | null, string];
      out.push({ stream, t: Number(r.t), value, data });
    }
    return out;
  }

  async function openDays(space: string, doctype: string, rows: DayRow[]): Promise<(Rollup & { day: string })[]> {
    const c = cipherOrFail();
    const out: (Rollup & { day: string })[] = [];
    for (const r of rows) {
      if (!r.body) {
        out.push({ day: r.day, count: Number(r.count ?? 0), sum: r.sum, min: r.min, max: r.max });
        continue;
      }
      const aad = dayAad(space, doctype, r.day, r.stream);
      const plain = c.openSync(space, 'series', aad, r.body) ?? (await c.open(space, 'series', aad, r.body));
      out.push({ day: r.day, ...readRollup(plain) });
    }
    return out;
  }

  /** A write transaction on the series of one doctype of one space. */
  function writeSeries<T>(space: string, doctype: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(pool, async (client) => {
      await lockSpace(client, space);
      await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
      return fn(client);
    });
  }

  /** Seals and upserts day roll-ups keyed `term \0 day`. */
  async function writeDays(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    days: Map<string, Rollup>,
  ): Promise<void> {
    if (days.size === 0) return;
    const rows = [...days].map(([key, r]) => {
      const [stream, day] = key.split('\u0000') as [string, string];
      const body = sc.seal('series', dayAad(space, doctype, day, stream), rollupPlaintext(r));
      return { day, stream, body: `\\x${body.toString('hex')}` };
    });
    await client.query(
      `INSERT INTO ${s}.series_days AS r (space, doctype, day, stream, body)
       SELECT $1, $2, day, stream, body FROM json_to_recordset($3::json) AS x(day text, stream text, body bytea)
       ON CONFLICT (space, doctype, day, stream) DO UPDATE SET
         body = excluded.body, count = NULL, sum = NULL, min = NULL, max = NULL`,
      [space, doctype, JSON.stringify(rows)],
    );
  }

  /**
   * Recomputes the day roll-ups of the touched days from their points. `mayEmpty`: after a
   * delete a day may have no point left, so the touched rows are deleted first.
   */
  async function refreshDays(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    touched: TouchedDay[],
    mayEmpty: boolean,
  ): Promise<void> {
    if (touched.length === 0) return;
    const lo = touched.reduce((m, b) => Math.min(m, Number(b.lo)), Infinity);
    const hi = touched.reduce((m, b) => Math.max(m, Number(b.hi)), -Infinity);
    const days = [...new Set(touched.map((b) => b.day))];
    const streams = [...new Set(touched.map((b) => b.stream))];
    // Days are picked by `= ANY` of days and of streams: that may also pick a day of another
    // touched stream, which recomputing from its points leaves as it was.
    const pick = `day = ANY($3::text[]) AND stream = ANY($4::text[])`;
    if (mayEmpty) {
      await client.query(`DELETE FROM ${s}.series_days WHERE space = $1 AND doctype = $2 AND ${pick}`, [
        space,
        doctype,
        days,
        streams,
      ]);
    }
    const result = await client.query<PointRow>(
      `SELECT t, stream, day, body, value, data FROM ${s}.series_points
        WHERE space = $1 AND doctype = $2 AND t >= $5 AND t <= $6 AND ${pick}`,
      [space, doctype, days, streams, lo - DAY_SPAN, hi + DAY_SPAN],
    );
    const rollups = new Map<string, Rollup>();
    const points = await openPoints(space, doctype, result.rows);
    result.rows.forEach((row, i) => {
      const key = `${row.stream}\u0000${row.day}`;
      let r = rollups.get(key);
      if (!r) rollups.set(key, (r = emptyRollup()));
      addValue(r, points[i]!.value);
    });
    await writeDays(client, sc, space, doctype, rollups);
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

  /** Adds the roll-ups of new points to the existing day rows (or makes them): exact for new points only. */
  async function addToDays(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    added: Map<string, Rollup>,
  ): Promise<void> {
    const days = [...new Set([...added.keys()].map((k) => k.split('\u0000')[1]!))];
    const streams = [...new Set([...added.keys()].map((k) => k.split('\u0000')[0]!))];
    const existing = await client.query<DayRow>(
      `SELECT day, stream, body, count, sum, min, max FROM ${s}.series_days
        WHERE space = $1 AND doctype = $2 AND day = ANY($3::text[]) AND stream = ANY($4::text[])`,
      [space, doctype, days, streams],
    );
    const opened = await openDays(space, doctype, existing.rows);
    existing.rows.forEach((row, i) => {
      const r = added.get(`${row.stream}\u0000${row.day}`);
      if (r) mergeRollup(r, opened[i]!);
    });
    await writeDays(client, sc, space, doctype, added);
  }

  async function appendPoints(space: string, doctype: string, points: SeriesPointWrite[]): Promise<number> {
    for (const p of points) checkPoint(p);
    const sc = await cipherOrFail().forSpace(space);
    const unique = lastOfEach(points);
    await writeSeries(space, doctype, (client) => appendUnique(client, sc, space, doctype, unique));
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
    const sc = await cipherOrFail().forSpace(space);
    await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
    await appendUnique(client, sc, space, doctype, lastOfEach(points));
    return points.length;
  }

  /** Seals points: their rows as [t, stream term, day, body (bytea text), grant]. */
  function sealPoints(sc: SpaceCipher, space: string, doctype: string, points: SeriesPointWrite[]) {
    const terms = new Map<string, string>();
    return points.map((p) => {
      let term = terms.get(p.stream);
      if (term === undefined) terms.set(p.stream, (term = sc.term('stream', doctype, p.stream)));
      const body = sc.seal('series', pointAad(space, doctype, p.t, term), pointPlaintext(p));
      return { point: p, term, body: `\\x${body.toString('hex')}` };
    });
  }

  async function appendUnique(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    unique: SeriesPointWrite[],
  ): Promise<void> {
    if (unique.length === 0) return;
    const sealed = sealPoints(sc, space, doctype, unique);
    const first = unique.reduce((m, p) => Math.min(m, p.t), Infinity);
    const last = unique.reduce((m, p) => Math.max(m, p.t), -Infinity);
    const terms = [...new Set(sealed.map((x) => x.term))];
    const overlap = await client.query(
      `SELECT 1 FROM ${s}.series_points
          WHERE space = $1 AND doctype = $2 AND t >= $3 AND t <= $4 AND stream = ANY($5::text[]) LIMIT 1`,
      [space, doctype, first, last, terms],
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
          ['body', 'bytea'],
          ['grant_id', 'text'],
        ],
        sealed.map((x) => [space, doctype, x.point.t, x.term, x.point.day, x.body, x.point.grant ?? null]),
      );
      // Only new points went in (the common case: the next readings of a meter): their roll-ups
      // add to the existing ones exactly (counts and sums add up, min and max compare).
      const added = new Map<string, Rollup>();
      for (const x of sealed) {
        const key = `${x.term}\u0000${x.point.day}`;
        let r = added.get(key);
        if (!r) added.set(key, (r = emptyRollup()));
        addValue(r, x.point.value);
      }
      await addToDays(client, sc, space, doctype, added);
      return;
    }
    // Some points may replace others: upsert, then recompute the roll-ups of the days touched.
    const touched = await client.query<TouchedDay>(
      `WITH written AS (
           INSERT INTO ${s}.series_points AS p (space, doctype, t, stream, day, body, grant_id)
           SELECT $1, $2, t, stream, day, body, grant_id
             FROM json_to_recordset($3::json) AS x(t bigint, stream text, day text, body bytea, grant_id text)
           ON CONFLICT (space, doctype, t, stream) DO UPDATE SET
             day = excluded.day, body = excluded.body, grant_id = excluded.grant_id, value = NULL, data = NULL
           RETURNING stream, day, t
         )
         SELECT stream, day, min(t) AS lo, max(t) AS hi FROM written GROUP BY stream, day`,
      [
        space,
        doctype,
        JSON.stringify(
          sealed.map((x) => ({
            t: x.point.t,
            stream: x.term,
            day: x.point.day,
            body: x.body,
            grant_id: x.point.grant ?? null,
          })),
        ),
      ],
    );
    await refreshDays(client, sc, space, doctype, touched.rows, false);
  }

  /** Deletes points (`where` over series_points, its values after space and doctype) and refreshes their days. */
  async function deleteWhere(space: string, doctype: string, where: string, values: unknown[]): Promise<number> {
    const sc = await cipherOrFail().forSpace(space);
    return writeSeries(space, doctype, async (client) => {
      const touched = await client.query<TouchedDay & { n: string }>(
        `WITH gone AS (DELETE FROM ${s}.series_points WHERE space = $1 AND doctype = $2 AND ${where}
                        RETURNING stream, day, t)
         SELECT stream, day, min(t) AS lo, max(t) AS hi, count(*) AS n FROM gone GROUP BY stream, day`,
        [space, doctype, ...values],
      );
      await refreshDays(client, sc, space, doctype, touched.rows, true);
      return touched.rows.reduce((n, row) => n + Number(row.n), 0);
    });
  }

  async function deletePoints(space: string, doctype: string, range: SeriesRange): Promise<number> {
    checkRange(range);
    const sc = await cipherOrFail().forSpace(space);
    const streams = range.stream === undefined ? null : streamKeys(sc, doctype, range.stream);
    return deleteWhere(
      space,
      doctype,
      `t >= $3 AND t < $4 AND ($5::text[] IS NULL OR stream = ANY($5::text[]))`,
      [Math.ceil(range.from), Math.ceil(range.to), streams],
    );
  }

  /** Every point of the doctype written under the grant; the roll-ups of the days it touched follow. */
  async function deletePointsOfGrant(
    space: string,
    doctype: string,
    grant: string,
    before = Number.MAX_SAFE_INTEGER,
  ): Promise<number> {
    if (typeof grant !== 'string' || grant.length === 0)
      throw new FoyerError('bad_request', 'A grant id is non-empty text.');
    if (!Number.isSafeInteger(before)) throw new FoyerError('bad_request', '"before" must be an integer time.');
    return deleteWhere(space, doctype, `grant_id = $3 AND t < $4`, [grant, before]);
  }

  /** Rows of [from, to) in time order, opened, batch by batch (every row of a time in one batch). */
  async function* pointsIn(
    space: string,
    doctype: string,
    range: SeriesRange,
    startAt: number = Math.ceil(range.from),
  ): AsyncGenerator<SeriesPoint[]> {
    const sc = await cipherOrFail().forSpace(space);
    const streams = range.stream === undefined ? null : streamKeys(sc, doctype, range.stream);
    const to = Math.ceil(range.to);
    let from = startAt;
    for (;;) {
      const result = await pool.query<PointRow>(
        `SELECT t, stream, day, body, value, data FROM ${s}.series_points
          WHERE space = $1 AND doctype = $2 AND t >= $3 AND t < $4 AND ($5::text[] IS NULL OR stream = ANY($5::text[]))
          ORDER BY t LIMIT ${BATCH}`,
        [space, doctype, from, to, streams],
      );
      let rows = result.rows;
      const full = rows.length === BATCH;
      if (full) {
        // The last time may have more streams than the batch took: read it whole.
        const lastT = rows[rows.length - 1]!.t;
        rows = rows.filter((r) => r.t !== lastT);
        const rest = await pool.query<PointRow>(
          `SELECT t, stream, day, body, value, data FROM ${s}.series_points
            WHERE space = $1 AND doctype = $2 AND t = $3 AND ($4::text[] IS NULL OR stream = ANY($4::text[]))`,
          [space, doctype, lastT, streams],
        );
        rows = rows.concat(rest.rows);
        from = Number(lastT) + 1;
      }
      yield await openPoints(space, doctype, rows);
      if (!full) return;
    }
  }

  async function readPoints(
    space: string,
    doctype: string,
    range: SeriesRange,
    limit: number,
    after?: { t: number; stream: string },
  ): Promise<SeriesPoint[]> {
    checkRange(range);
    limitOf(limit);
    if (after && (!Number.isSafeInteger(after.t) || typeof after.stream !== 'string')) {
      throw new FoyerError('bad_request', 'The cursor must hold a time and a stream.');
    }
    const out: SeriesPoint[] = [];
    if (limit > 0) {
      const start = after ? Math.max(Math.ceil(range.from), after.t) : Math.ceil(range.from);
      for await (const batch of pointsIn(space, doctype, range, start)) {
        // Streams order by their own value (code point), not by their terms.
        batch.sort((a, b) => a.t - b.t || compareCodePoints(a.stream, b.stream));
        for (const p of batch) {
          if (after && (p.t < after.t || (p.t === after.t && compareCodePoints(p.stream, after.stream) <= 0))) continue;
          out.push(p);
          if (out.length >= limit) break;
        }
        if (out.length >= limit) break;
      }
    }
    if (out.length === 0) await assertSpace(space);
    return out;
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
   * span of the first and last points. Days are found from the data (`day` grows with `t`).
   */
  async function aggregateDays(
    space: string,
    doctype: string,
    range: SeriesRange,
    every: 'day' | 'week' | 'month',
  ): Promise<SeriesAggregateRow[]> {
    const sc = await cipherOrFail().forSpace(space);
    const streams = range.stream === undefined ? null : streamKeys(sc, doctype, range.stream);
    const edge = (order: 'ASC' | 'DESC') =>
      pool.query<{ day: string; t: string }>(
        `SELECT day, t FROM ${s}.series_points
          WHERE space = $1 AND doctype = $2 AND t >= $3 AND t < $4 AND ($5::text[] IS NULL OR stream = ANY($5::text[]))
          ORDER BY t ${order} LIMIT 1`,
        [space, doctype, Math.ceil(range.from), Math.ceil(range.to), streams],
      );
    const [firstRow] = (await edge('ASC')).rows;
    const [lastRow] = (await edge('DESC')).rows;
    if (!firstRow || !lastRow) return [];

    const inner = await pool.query<DayRow>(
      `SELECT day, stream, body, count, sum, min, max FROM ${s}.series_days
        WHERE space = $1 AND doctype = $2 AND day > $3 AND day < $4
          AND ($5::text[] IS NULL OR stream = ANY($5::text[]))`,
      [space, doctype, firstRow.day, lastRow.day, streams],
    );
    const days = await openDays(space, doctype, inner.rows);
    days.push(await edgeDay(space, doctype, range, streams, firstRow.day, Number(firstRow.t), 'head'));
    if (lastRow.day !== firstRow.day) {
      days.push(await edgeDay(space, doctype, range, streams, lastRow.day, Number(lastRow.t), 'tail'));
    }
    const buckets = new Map<string, Rollup>();
    for (const d of days) {
      const key = every === 'day' ? d.day : every === 'month' ? d.day.slice(0, 7) : mondayOf(d.day);
      let r = buckets.get(key);
      if (!r) buckets.set(key, (r = emptyRollup()));
      mergeRollup(r, d);
    }
    return [...buckets]
      .filter(([, r]) => r.count > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, r]) => ({ key, count: r.count, sum: r.sum ?? 0, min: r.min ?? 0, max: r.max ?? 0 }));
  }

  /** The roll-up of one edge day, from its points within the range (those within a day's span of the edge point). */
  async function edgeDay(
    space: string,
    doctype: string,
    range: SeriesRange,
    streams: string[] | null,
    day: string,
    t: number,
    side: 'head' | 'tail',
  ): Promise<Rollup & { day: string }> {
    const span =
      side === 'head'
        ? { from: range.from, to: Math.min(range.to, t + DAY_SPAN) }
        : { from: Math.max(range.from, t - DAY_SPAN), to: range.to };
    const result = await pool.query<PointRow>(
      `SELECT t, stream, day, body, value, data FROM ${s}.series_points
        WHERE space = $1 AND doctype = $2 AND t >= $3 AND t < $4 AND day = $5
          AND ($6::text[] IS NULL OR stream = ANY($6::text[]))`,
      [
        space,
        doctype,
        Math.ceil(span.from),
        Math.ceil(span.to),
        day,
        streams,
      ],
    );
    const r = emptyRollup();
    for (const p of await openPoints(space, doctype, result.rows)) addValue(r, p.value);
    return { day, ...r };
  }

  /**
   * Local hours from the points, grouped by quarter hour (which every offset in use divides),
   * merged into local hour keys: two UTC hours share a key when clocks go back, and merge.
   */
  async function aggregateHours(space: string, doctype: string, range: SeriesRange, timeZone: string) {
    const quarters: { key: number; rollup: Rollup }[] = [];
    for await (const batch of pointsIn(space, doctype, range)) {
      for (const p of batch) {
        const key = floorTo(p.t, QUARTER);
        let last = quarters[quarters.length - 1];
        if (!last || last.key !== key) quarters.push((last = { key, rollup: emptyRollup() }));
        addValue(last.rollup, p.value);
      }
    }
    return mergeByLocalHour(
      quarters.filter((q) => q.rollup.count > 0).map((q) => ({ key: q.key, ...q.rollup })),
      timeZone,
    );
  }

  /**
   * Seals the points of one doctype written before encryption (stream, value and data in clear),
   * in batches, in one transaction holding the doctype's lock: each is inserted sealed (unless a
   * sealed point already holds its time and stream: the newer write wins) and its clear row
   * deleted; then the clear day roll-ups go and the days touched are recomputed from the points.
   */
  async function encryptClearPoints(space: string, doctype: string): Promise<number> {
    const sc = await cipherOrFail().forSpace(space);
    return writeSeries(space, doctype, async (client) => {
      const touched: TouchedDay[] = [];
      let sealedCount = 0;
      for (;;) {
        const result = await client.query<PointRow & { grant_id: string | null }>(
          `SELECT t, stream, day, body, value, data, grant_id FROM ${s}.series_points
            WHERE space = $1 AND doctype = $2 AND body IS NULL ORDER BY t, stream LIMIT ${BATCH}`,
          [space, doctype],
        );
        if (result.rows.length === 0) break;
        const points: SeriesPointWrite[] = result.rows.map((r) => ({
          stream: r.stream,
          t: Number(r.t),
          day: r.day,
          value: r.value,
          data: r.data ?? '{}',
          grant: r.grant_id,
        }));
        const sealed = sealPoints(sc, space, doctype, points);
        await client.query(
          `DELETE FROM ${s}.series_points p USING unnest($3::bigint[], $4::text[]) AS x(t, stream)
            WHERE p.space = $1 AND p.doctype = $2 AND p.t = x.t AND p.stream = x.stream AND p.body IS NULL`,
          [space, doctype, points.map((p) => p.t), points.map((p) => p.stream)],
        );
        await client.query(
          `INSERT INTO ${s}.series_points (space, doctype, t, stream, day, body, grant_id)
           SELECT $1, $2, t, stream, day, body, grant_id
             FROM json_to_recordset($3::json) AS x(t bigint, stream text, day text, body bytea, grant_id text)
           ON CONFLICT (space, doctype, t, stream) DO NOTHING`,
          [
            space,
            doctype,
            JSON.stringify(
              sealed.map((x) => ({ t: x.point.t, stream: x.term, day: x.point.day, body: x.body, grant_id: x.point.grant })),
            ),
          ],
        );
        for (const x of sealed) touched.push({ stream: x.term, day: x.point.day, lo: x.point.t, hi: x.point.t });
        sealedCount += sealed.length;
      }
      await client.query(`DELETE FROM ${s}.series_days WHERE space = $1 AND doctype = $2 AND body IS NULL`, [
        space,
        doctype,
      ]);
      // One entry per (stream, day), spanning its points.
      const byDay = new Map<string, TouchedDay>();
      for (const t of touched) {
        const key = `${t.stream}\u0000${t.day}`;
        const found = byDay.get(key);
        if (!found) byDay.set(key, { ...t });
        else {
          found.lo = Math.min(Number(found.lo), Number(t.lo));
          found.hi = Math.max(Number(found.hi), Number(t.hi));
        }
      }
      await refreshDays(client, sc, space, doctype, [...byDay.values()], true);
      return sealedCount;
    });
  }

  return {
    appendPoints,
    appendPointsIn,
    readPoints,
    aggregatePoints,
    deletePoints,
    deletePointsOfGrant,
    encryptClearPoints,
  };
}

/** The Monday starting the ISO week of a `YYYY-MM-DD` day. */
function mondayOf(day: string): string {
  const t = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
  const weekday = (new Date(t).getUTCDay() + 6) % 7;
  return new Date(t - weekday * 86_400_000).toISOString().slice(0, 10);
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

/** Rows keyed by bucket start (epoch ms), in time order, merged into local hour keys. */
function mergeByLocalHour(
  rows: { key: number; count: number; sum: number | null; min: number | null; max: number | null }[],
  timeZone: string,
): SeriesAggregateRow[] {
  const merged: SeriesAggregateRow[] = [];
  for (const r of rows) {
    const key = localHourKey(Number(r.key), timeZone);
    const previous = merged[merged.length - 1];
    if (previous && previous.key === key) {
      previous.count += r.count;
      previous.sum += r.sum ?? 0;
      previous.min = Math.min(previous.min, r.min ?? Infinity);
      previous.max = Math.max(previous.max, r.max ?? -Infinity);
    } else {
      merged.push({ key, count: r.count, sum: r.sum ?? 0, min: r.min ?? 0, max: r.max ?? 0 });
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
