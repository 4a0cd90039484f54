/**
 * Time series in PostgreSQL, sealed (`postgres-cipher.ts`) per stream and local day: one row of
 * `series_days` per (doctype, stream term, day) holds that day's points sealed together (their
 * real stream, time, value, data and grant), and one row of `series_months` per stream and month
 * the roll-ups (count, sum, min, max of the values) of each of its days, sealed together. The
 * stream term is a keyed HMAC of the stream: a meter id is personal data.
 * In clear: the day, the first and last time of its points, how many there are, and which grants
 * wrote some (what a withdrawal looks for).
 *
 * Why per day rather than per point: sealing is one AES-GCM operation per row, and an import of
 * ten years of half-hourly readings is 175,200 points but 3,650 days. A day's row is small (48
 * points of a load curve), so changing it (a new reading, a replaced or deleted point) opens and
 * seals it again whole, and its roll-up is recomputed from its points: always exact. Day, week and
 * month aggregates open one row per stream and month (120 for ten years), and the points of the
 * two days at the ends of the range; hour aggregates and reads open the days the range spans.
 *
 * Writers of one doctype in a space take turns on an advisory lock: two concurrent writers could
 * otherwise each miss the other's points in a day they share.
 *
 * Points written before encryption (`series_points`, in clear) are sealed into days by
 * `encryptClearPoints` when the store gets its data keys, before it serves anything.
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
/** Day rows opened per round trip by reads. */
const BATCH = 200;

/** A point as a day row seals it. */
type Sealed = [t: number, stream: string, value: number | null, data: string, grant: string | null];

interface DayRow {
  day: string;
  stream: string;
  t_min: string;
  t_max: string;
  points: Buffer | null;
}

interface MonthRow {
  month: string;
  stream: string;
  rollups: Buffer;
}

/** A month's day roll-ups as sealed: day → [count, sum, min, max]. */
type MonthRollups = Record<string, [number, number | null, number | null, number | null]>;

interface Rollup {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
}

const aad = (space: string, doctype: string, day: string, term: string, part: 'points') =>
  associatedData('foyer series day v1', space, doctype, day, term, part);
const monthAad = (space: string, doctype: string, month: string, term: string) =>
  associatedData('foyer series month v1', space, doctype, month, term);

const emptyRollup = (): Rollup => ({ count: 0, sum: null, min: null, max: null });

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

const byTimeThenStream = (a: { t: number; stream: string }, b: { t: number; stream: string }) =>
  a.t - b.t || compareCodePoints(a.stream, b.stream);

/**
 * `copy`: new day rows go in by `COPY FROM STDIN` (false for servers without that sub-protocol,
 * such as PGlite's socket server, which then get an INSERT from a JSON parameter).
 */
export function postgresSeries(
  { pool, schema, assertSpace, lockSpace, copy }: PostgresContext & { copy: boolean },
  cipher: () => PostgresCipher | null,
) {
  const s = pg.escapeIdentifier(schema);

  async function spaceCipher(space: string): Promise<SpaceCipher> {
    const c = cipher();
    if (!c) throw new FoyerError('unavailable', 'This PostgreSQL store was given no data keys: it cannot use series.');
    return c.forSpace(space);
  }

  async function open(space: string, sealed: Buffer, aadText: string): Promise<Buffer> {
    const c = cipher()!;
    return c.openSync(space, 'series', aadText, sealed) ?? (await c.open(space, 'series', aadText, sealed));
  }

  async function openPoints(space: string, doctype: string, row: DayRow): Promise<Sealed[]> {
    const plain = await open(space, row.points!, aad(space, doctype, row.day, row.stream, 'points'));
    return JSON.parse(plain.toString('utf8')) as Sealed[];
  }

  /** A write transaction on the series of one doctype of one space. */
  function writeSeries<T>(space: string, doctype: string, fn: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(pool, async (client) => {
      await lockSpace(client, space);
      await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
      return fn(client);
    });
  }

  /** The day rows of (stream term, day) keys, opened: `term \0 day` → points. */
  async function readDays(
    client: PoolClient,
    space: string,
    doctype: string,
    keys: { term: string; day: string }[],
  ): Promise<Map<string, Sealed[]>> {
    const result = await client.query<DayRow>(
      `SELECT d.day, d.stream, d.t_min, d.t_max, d.points FROM ${s}.series_days d
         JOIN unnest($3::text[], $4::text[]) AS k(stream, day) ON d.stream = k.stream AND d.day = k.day
        WHERE d.space = $1 AND d.doctype = $2 AND d.points IS NOT NULL`,
      [space, doctype, keys.map((k) => k.term), keys.map((k) => k.day)],
    );
    const days = new Map<string, Sealed[]>();
    for (const row of result.rows) days.set(`${row.stream}\u0000${row.day}`, await openPoints(space, doctype, row));
    return days;
  }

  /**
   * Seals and writes day rows (`term \0 day` → its points, in time order; a day left empty is
   * deleted), then the month roll-ups of the days written. `fresh`: none of these days exists
   * yet, so the rows go in by COPY when the server speaks it (no conflict to resolve).
   */
  async function writeDays(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    days: Map<string, Sealed[]>,
    fresh = false,
  ): Promise<void> {
    const rows: (string | number | null)[][] = [];
    const emptied: string[][] = [[], []];
    const rollups = new Map<string, Rollup | null>();
    for (const [key, points] of days) {
      const [term, day] = key.split('\u0000') as [string, string];
      if (points.length === 0) {
        emptied[0]!.push(term);
        emptied[1]!.push(day);
        rollups.set(key, null);
        continue;
      }
      const r = emptyRollup();
      for (const p of points) addValue(r, p[2]);
      rollups.set(key, r);
      const sealedPoints = sc.seal(
        'series',
        aad(space, doctype, day, term, 'points'),
        Buffer.from(JSON.stringify(points)),
      );
      const grants = [...new Set(points.map((p) => p[4]).filter((g): g is string => g !== null))];
      rows.push([
        space,
        doctype,
        day,
        term,
        `\\x${sealedPoints.toString('hex')}`,
        points[0]![0],
        points[points.length - 1]![0],
        points.length,
        `{${grants.map((g) => JSON.stringify(g)).join(',')}}`,
      ]);
    }
    if (emptied[0]!.length > 0) {
      await client.query(
        `DELETE FROM ${s}.series_days d USING unnest($3::text[], $4::text[]) AS k(stream, day)
          WHERE d.space = $1 AND d.doctype = $2 AND d.stream = k.stream AND d.day = k.day`,
        [space, doctype, ...emptied],
      );
    }
    const names = 'space, doctype, day, stream, points, t_min, t_max, n, grants';
    if (rows.length > 0 && fresh && copy) {
      await copyFromStdin(
        client,
        `${s}.series_days (${names})`,
        rows.map((row) => `${row.map(copyField).join('\t')}\n`),
      );
    } else if (rows.length > 0) {
      await client.query(
        `INSERT INTO ${s}.series_days (${names})
         SELECT space, doctype, day, stream, points, t_min, t_max, n, grants
           FROM json_to_recordset($1::json) AS x(space text, doctype text, day text, stream text, points bytea,
                                                  t_min bigint, t_max bigint, n integer, grants text[])
         ON CONFLICT (space, doctype, day, stream) DO UPDATE SET
           points = excluded.points, t_min = excluded.t_min, t_max = excluded.t_max,
           n = excluded.n, grants = excluded.grants, count = NULL, sum = NULL, min = NULL, max = NULL`,
        [
          JSON.stringify(
            rows.map(([sp, dt, day, stream, points, tMin, tMax, n, grants]) => ({
              space: sp,
              doctype: dt,
              day,
              stream,
              points,
              t_min: tMin,
              t_max: tMax,
              n,
              grants,
            })),
          ),
        ],
      );
    }
    await writeMonths(client, sc, space, doctype, rollups);
  }

  /**
   * Sets the roll-ups of days (`term \0 day` → roll-up, null: the day is gone) in their
   * `series_months` rows: one sealed row per stream and month, a day's roll-up per day of it.
   */
  async function writeMonths(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    rollups: Map<string, Rollup | null>,
  ): Promise<void> {
    const months = new Map<string, Map<string, Rollup | null>>();
    for (const [key, r] of rollups) {
      const [term, day] = key.split('\u0000') as [string, string];
      const monthKey = `${term}\u0000${day.slice(0, 7)}`;
      let m = months.get(monthKey);
      if (!m) months.set(monthKey, (m = new Map()));
      m.set(day, r);
    }
    const keys = [...months.keys()].map((k) => k.split('\u0000') as [string, string]);
    const existing = await client.query<MonthRow>(
      `SELECT m.month, m.stream, m.rollups FROM ${s}.series_months m
         JOIN unnest($3::text[], $4::text[]) AS k(stream, month) ON m.stream = k.stream AND m.month = k.month
        WHERE m.space = $1 AND m.doctype = $2`,
      [space, doctype, keys.map((k) => k[0]), keys.map((k) => k[1])],
    );
    const stored = new Map<string, MonthRollups>();
    for (const row of existing.rows)
      stored.set(`${row.stream}\u0000${row.month}`, await openMonth(space, doctype, row));
    const rows: { month: string; stream: string; rollups: string | null }[] = [];
    for (const [monthKey, changes] of months) {
      const [term, month] = monthKey.split('\u0000') as [string, string];
      const days = stored.get(monthKey) ?? {};
      for (const [day, r] of changes) {
        if (r === null) delete days[day];
        else days[day] = [r.count, r.sum, r.min, r.max];
      }
      const empty = Object.keys(days).length === 0;
      const sealed = empty
        ? null
        : sc.seal('series', monthAad(space, doctype, month, term), Buffer.from(JSON.stringify(days)));
      rows.push({ month, stream: term, rollups: sealed ? `\\x${sealed.toString('hex')}` : null });
    }
    await client.query(
      `WITH x AS (SELECT * FROM json_to_recordset($3::json) AS x(month text, stream text, rollups bytea)),
            gone AS (DELETE FROM ${s}.series_months m USING x
                      WHERE x.rollups IS NULL AND m.space = $1 AND m.doctype = $2 AND m.month = x.month
                        AND m.stream = x.stream)
       INSERT INTO ${s}.series_months (space, doctype, month, stream, rollups)
       SELECT $1, $2, month, stream, rollups FROM x WHERE rollups IS NOT NULL
       ON CONFLICT (space, doctype, month, stream) DO UPDATE SET rollups = excluded.rollups`,
      [space, doctype, JSON.stringify(rows)],
    );
  }

  async function openMonth(space: string, doctype: string, row: MonthRow): Promise<MonthRollups> {
    const plain = await open(space, row.rollups, monthAad(space, doctype, row.month, row.stream));
    return JSON.parse(plain.toString('utf8')) as MonthRollups;
  }

  /**
   * Adds points to their days (a point at the time and stream of one already there replaces it,
   * unless `keepExisting`), then seals the days again.
   */
  async function addPoints(
    client: PoolClient,
    sc: SpaceCipher,
    space: string,
    doctype: string,
    points: SeriesPointWrite[],
    keepExisting = false,
  ): Promise<void> {
    if (points.length === 0) return;
    const incoming = new Map<string, SeriesPointWrite[]>();
    const terms = new Map<string, string>();
    for (const p of points) {
      let term = terms.get(p.stream);
      if (term === undefined) terms.set(p.stream, (term = sc.term('stream', doctype, p.stream)));
      const key = `${term}\u0000${p.day}`;
      const list = incoming.get(key);
      if (list) list.push(p);
      else incoming.set(key, [p]);
    }
    const keys = [...incoming.keys()].map((k) => {
      const [term, day] = k.split('\u0000') as [string, string];
      return { term, day };
    });
    const existing = await readDays(client, space, doctype, keys);
    const days = new Map<string, Sealed[]>();
    for (const [key, added] of incoming) {
      const byTime = new Map<number, Sealed>();
      for (const p of existing.get(key) ?? []) byTime.set(p[0], p);
      for (const p of added) {
        if (keepExisting && byTime.has(p.t)) continue;
        byTime.set(p.t, [p.t, p.stream, p.value, p.data, p.grant ?? null]);
      }
      days.set(
        key,
        [...byTime.values()].sort((a, b) => a[0] - b[0]),
      );
    }
    await writeDays(client, sc, space, doctype, days, existing.size === 0);
  }

  async function appendPoints(space: string, doctype: string, points: SeriesPointWrite[]): Promise<number> {
    for (const p of points) checkPoint(p);
    const sc = await spaceCipher(space);
    await writeSeries(space, doctype, (client) => addPoints(client, sc, space, doctype, points));
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
    const sc = await spaceCipher(space);
    await advisoryXactLock(client, lockKey('foyer-series', schema, space, doctype));
    await addPoints(client, sc, space, doctype, points);
    return points.length;
  }

  /** Day rows overlapping [from, to), of one stream or all, in order of their first point. */
  function spanQuery(
    space: string,
    doctype: string,
    from: number,
    to: number,
    term: string | null,
    columns: string,
  ): { text: string; values: unknown[] } {
    return {
      text: `SELECT ${columns} FROM ${s}.series_days
              WHERE space = $1 AND doctype = $2 AND points IS NOT NULL AND t_min < $4 AND t_max >= $3
                AND ($5::text IS NULL OR stream = $5)`,
      values: [space, doctype, from, to, term],
    };
  }

  /** Removes the points `drop` picks from the day rows overlapping [from, to); returns how many. */
  async function removePoints(
    space: string,
    doctype: string,
    from: number,
    to: number,
    stream: string | undefined,
    extra: string,
    extraValues: unknown[],
    drop: (p: Sealed) => boolean,
  ): Promise<number> {
    const sc = await spaceCipher(space);
    const term = stream === undefined ? null : sc.term('stream', doctype, stream);
    return writeSeries(space, doctype, async (client) => {
      const q = spanQuery(space, doctype, from, to, term, 'day, stream, t_min, t_max, points');
      const result = await client.query<DayRow>(`${q.text} ${extra}`, [...q.values, ...extraValues]);
      const days = new Map<string, Sealed[]>();
      let removed = 0;
      for (const row of result.rows) {
        const points = await openPoints(space, doctype, row);
        const kept = points.filter((p) => !drop(p));
        if (kept.length === points.length) continue;
        removed += points.length - kept.length;
        days.set(`${row.stream}\u0000${row.day}`, kept);
      }
      await writeDays(client, sc, space, doctype, days);
      return removed;
    });
  }

  async function deletePoints(space: string, doctype: string, range: SeriesRange): Promise<number> {
    checkRange(range);
    const from = Math.ceil(range.from);
    const to = Math.ceil(range.to);
    return removePoints(space, doctype, from, to, range.stream, '', [], (p) => p[0] >= from && p[0] < to);
  }

  /** Every point of the doctype written under the grant (before `before` when given); roll-ups follow. */
  async function deletePointsOfGrant(
    space: string,
    doctype: string,
    grant: string,
    before = Number.MAX_SAFE_INTEGER,
  ): Promise<number> {
    if (typeof grant !== 'string' || grant.length === 0)
      throw new FoyerError('bad_request', 'A grant id is non-empty text.');
    if (!Number.isSafeInteger(before)) throw new FoyerError('bad_request', '"before" must be an integer time.');
    return removePoints(
      space,
      doctype,
      Number.MIN_SAFE_INTEGER,
      before,
      undefined,
      'AND $6 = ANY(grants)',
      [grant],
      (p) => p[4] === grant && p[0] < before,
    );
  }

  /**
   * The points of [from, to) in time then stream order, batch by batch. Day rows are read in
   * order of their first point; a point is final once no unread row can hold an earlier one.
   */
  async function* pointsIn(
    space: string,
    doctype: string,
    range: SeriesRange,
    from: number,
  ): AsyncGenerator<SeriesPoint[]> {
    const to = Math.ceil(range.to);
    const sc = await spaceCipher(space);
    const term = range.stream === undefined ? null : sc.term('stream', doctype, range.stream);
    const q = spanQuery(space, doctype, from, to, term, 'day, stream, t_min, t_max, points');
    let pending: SeriesPoint[] = [];
    let cursor: [string, string, string] | null = null;
    for (;;) {
      const after: string = cursor ? `AND (t_min, day, stream) > ($6::bigint, $7, $8)` : '';
      const result: pg.QueryResult<DayRow> = await pool.query<DayRow>(
        `${q.text} ${after} ORDER BY t_min, day, stream LIMIT ${BATCH}`,
        cursor ? [...q.values, ...cursor] : q.values,
      );
      for (const row of result.rows) {
        for (const [t, stream, value, data] of await openPoints(space, doctype, row)) {
          if (t >= from && t < to) pending.push({ stream, t, value, data });
        }
      }
      const last: DayRow | undefined = result.rows[result.rows.length - 1];
      const done = result.rows.length < BATCH;
      // Unread rows start at or after the last row's first point.
      const bound = done ? Infinity : Number(last!.t_min);
      pending.sort(byTimeThenStream);
      const split = pending.findIndex((p) => p.t >= bound);
      const ready = split === -1 ? pending : pending.slice(0, split);
      pending = split === -1 ? [] : pending.slice(split);
      if (ready.length > 0) yield ready;
      if (done) return;
      cursor = [last!.t_min, last!.day, last!.stream];
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
      const from = after ? Math.max(Math.ceil(range.from), after.t) : Math.ceil(range.from);
      for await (const batch of pointsIn(space, doctype, range, from)) {
        for (const p of batch) {
          if (after && byTimeThenStream(p, after) <= 0) continue;
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
   * Days, weeks and months: a day row whose points all lie in the range gives its sealed roll-up
   * (32 bytes); the range cuts at most the days at its two ends, whose points are opened.
   */
  async function aggregateDays(
    space: string,
    doctype: string,
    range: SeriesRange,
    every: 'day' | 'week' | 'month',
  ): Promise<SeriesAggregateRow[]> {
    const from = Math.ceil(range.from);
    const to = Math.ceil(range.to);
    const sc = await spaceCipher(space);
    const term = range.stream === undefined ? null : sc.term('stream', doctype, range.stream);
    // The first and last days with points in the range: only their rows may be cut by it (a day
    // strictly between them starts after a point in the range and ends before one).
    const span = spanQuery(space, doctype, from, to, term, 'min(day) AS first, max(day) AS last');
    const [ends] = (await pool.query<{ first: string | null; last: string | null }>(span.text, span.values)).rows;
    if (!ends?.first || !ends.last) return [];
    const { first, last } = ends;
    const buckets = new Map<string, Rollup>();
    const add = (day: string, r: Rollup) => {
      const key = every === 'day' ? day : every === 'month' ? day.slice(0, 7) : mondayOf(day);
      const bucket = buckets.get(key);
      if (bucket) mergeRollup(bucket, r);
      else buckets.set(key, { ...r });
    };
    const edges = spanQuery(space, doctype, from, to, term, 'day, stream, t_min, t_max, points');
    const edgeRows = await pool.query<DayRow>(`${edges.text} AND day = ANY($6::text[])`, [
      ...edges.values,
      [first, last],
    ]);
    for (const row of edgeRows.rows) {
      const r = emptyRollup();
      for (const p of await openPoints(space, doctype, row)) if (p[0] >= from && p[0] < to) addValue(r, p[2]);
      add(row.day, r);
    }
    if (first < last) {
      const monthRows = await pool.query<MonthRow>(
        `SELECT month, stream, rollups FROM ${s}.series_months
          WHERE space = $1 AND doctype = $2 AND month >= $3 AND month <= $4 AND ($5::text IS NULL OR stream = $5)`,
        [space, doctype, first.slice(0, 7), last.slice(0, 7), term],
      );
      for (const row of monthRows.rows) {
        for (const [day, [count, sum, min, max]] of Object.entries(await openMonth(space, doctype, row))) {
          if (day > first && day < last) add(day, { count, sum, min, max });
        }
      }
    }
    return [...buckets]
      .filter(([, r]) => r.count > 0)
      .sort(([x], [y]) => compareCodePoints(x, y))
      .map(([key, r]) => ({ key, count: r.count, sum: r.sum ?? 0, min: r.min ?? 0, max: r.max ?? 0 }));
  }

  /**
   * Local hours from the points, grouped by quarter hour (which every offset in use divides),
   * merged into local hour keys: two UTC hours share a key when clocks go back, and merge.
   */
  async function aggregateHours(space: string, doctype: string, range: SeriesRange, timeZone: string) {
    const quarters: { key: number; rollup: Rollup }[] = [];
    for await (const batch of pointsIn(space, doctype, range, Math.ceil(range.from))) {
      for (const p of batch) {
        const key = Math.floor(p.t / QUARTER) * QUARTER;
        let last = quarters[quarters.length - 1];
        if (!last || last.key !== key) quarters.push((last = { key, rollup: emptyRollup() }));
        addValue(last.rollup, p.value);
      }
    }
    const merged: SeriesAggregateRow[] = [];
    for (const { key: start, rollup: r } of quarters) {
      if (r.count === 0) continue;
      const key = localHourKey(start, timeZone);
      const previous = merged[merged.length - 1];
      if (previous && previous.key === key) {
        previous.count += r.count;
        previous.sum += r.sum!;
        previous.min = Math.min(previous.min, r.min!);
        previous.max = Math.max(previous.max, r.max!);
      } else {
        merged.push({ key, count: r.count, sum: r.sum!, min: r.min!, max: r.max! });
      }
    }
    return merged;
  }

  /**
   * Seals the points of one doctype written before encryption (`series_points`, in clear) into
   * their days, in batches, in one transaction holding the doctype's lock. A sealed point already
   * at the same time and stream is newer and is kept. The clear roll-ups go with them.
   */
  async function encryptClearPoints(space: string, doctype: string): Promise<number> {
    const sc = await spaceCipher(space);
    return writeSeries(space, doctype, async (client) => {
      let sealed = 0;
      for (;;) {
        const result = await client.query<{
          t: string;
          stream: string;
          day: string;
          value: number | null;
          data: string;
          grant_id: string | null;
        }>(
          `DELETE FROM ${s}.series_points WHERE (space, doctype, t, stream) IN (
             SELECT space, doctype, t, stream FROM ${s}.series_points WHERE space = $1 AND doctype = $2 LIMIT 20000)
           RETURNING t, stream, day, value, data, grant_id`,
          [space, doctype],
        );
        if (result.rows.length === 0) break;
        const points = result.rows.map((r) => ({
          stream: r.stream,
          t: Number(r.t),
          day: r.day,
          value: r.value,
          data: r.data,
          grant: r.grant_id,
        }));
        await addPoints(client, sc, space, doctype, points, true);
        sealed += points.length;
      }
      await client.query(`DELETE FROM ${s}.series_days WHERE space = $1 AND doctype = $2 AND points IS NULL`, [
        space,
        doctype,
      ]);
      return sealed;
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
