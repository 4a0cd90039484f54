/**
 * Time series (load curves, daily readings, location points): appended in bulk, idempotent on
 * (stream, time), read by range and aggregated server-side. Points are validated one by one
 * against their doctype, which names the time field, the main value and the stream field.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { DocumentStore, SeriesBucket, SeriesPointWrite } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';
import type { Gate } from '../gate.js';
import type { RequestContext } from '../principal.js';
import { isDay, localMidnight } from '../time/time-zone.js';
import { toPointWrite } from './series-point.js';

export const SERIES_MAX_POINTS_PER_APPEND = 1_000_000;
export const SERIES_DEFAULT_LIMIT = 10_000;
export const SERIES_MAX_LIMIT = 100_000;

export type Aggregate = 'sum' | 'avg' | 'min' | 'max';

export interface RangeQuery {
  from?: string;
  to?: string;
  stream?: string;
}

export interface SeriesServiceDeps {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  timeZoneOf: (space: string) => Promise<string>;
}

export type SeriesService = ReturnType<typeof createSeriesService>;

/** An instant with its offset: local times without one would be read in the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

export function createSeriesService(deps: SeriesServiceDeps) {
  const { store, catalog, gate, timeZoneOf } = deps;

  function seriesOf(name: string) {
    const doctype = catalog.get(name);
    if (!doctype?.series || doctype.kind !== 'series') {
      throw new FoyerError(
        'unknown_doctype',
        doctype ? `"${name}" is not a time series: use /api/data/${name}.` : `There is no doctype named "${name}".`,
        { doctype: name },
      );
    }
    return { doctype, series: doctype.series };
  }

  /** A bound given as an instant (with offset) or a local day (midnight in the space's zone). */
  function parseBound(value: string | undefined, fallback: number, tz: string, which: string): number {
    if (value === undefined) return fallback;
    if (isDay(value)) return localMidnight(value, tz);
    // Date.parse rolls 2024-02-30 over into March: the day must exist.
    const t = INSTANT.test(value) && isDay(value.slice(0, 10)) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(t)) {
      throw new FoyerError(
        'validation_failed',
        `${which}: expected a date (YYYY-MM-DD) or an instant with its offset.`,
        {
          issues: [{ path: which, rule: 'format', message: `${which}: not a date or instant` }],
        },
      );
    }
    return t;
  }

  async function range(space: string, q: RangeQuery) {
    const tz = await timeZoneOf(space);
    const from = parseBound(q.from, -8.64e15, tz, 'from');
    const to = parseBound(q.to, 8.64e15, tz, 'to');
    if (to < from) throw new FoyerError('bad_request', '"to" is before "from".');
    return { tz, range: { from, to, ...(q.stream !== undefined ? { stream: q.stream } : {}) } };
  }

  return {
    async append(ctx: RequestContext, name: string, points: unknown[]): Promise<{ written: number }> {
      const { series } = seriesOf(name);
      const permit = await gate(ctx, { verb: 'create', doctype: name });
      const grant = permit.principal.kind === 'grant' ? permit.principal.grant.id : null;
      return permit.track(
        async () => {
          if (points.length > SERIES_MAX_POINTS_PER_APPEND) {
            throw new FoyerError(
              'payload_too_large',
              `Append at most ${SERIES_MAX_POINTS_PER_APPEND} points per request.`,
            );
          }
          const tz = await timeZoneOf(permit.space);
          const writes: SeriesPointWrite[] = new Array(points.length);
          const check = await catalog.validator(name);
          for (let i = 0; i < points.length; i++) {
            const point = points[i];
            const issues = check(point);
            if (issues.length > 0) {
              throw new FoyerError(
                'validation_failed',
                `points[${i}] does not match doctype ${name}: ${issues.map((x) => x.message).join('; ')}`,
                { index: i, issues },
              );
            }
            writes[i] = toPointWrite(series, point as Record<string, unknown>, tz, grant, `points[${i}]`);
          }
          const written = await store.appendPoints(permit.space, name, writes);
          return { written };
        },
        (r) => ({ count: r.written }),
      );
    },

    async read(
      ctx: RequestContext,
      name: string,
      q: RangeQuery & { limit?: number; cursor?: string },
    ): Promise<{ json: string; count: number }> {
      seriesOf(name);
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      return permit.track(
        async () => {
          const { range: r } = await range(permit.space, q);
          const limit = Math.min(q.limit ?? SERIES_DEFAULT_LIMIT, SERIES_MAX_LIMIT);
          const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
          const rows = await store.readPoints(permit.space, name, r, limit + 1, after);
          const more = rows.length > limit;
          const page = more ? rows.slice(0, limit) : rows;
          const last = page[page.length - 1];
          const cursor =
            more && last ? Buffer.from(JSON.stringify([last.t, last.stream])).toString('base64url') : undefined;
          return {
            json: `{"points":[${page.map((p) => p.data).join(',')}]${cursor ? `,"cursor":"${cursor}"` : ''}}`,
            count: page.length,
          };
        },
        (r) => ({ count: r.count }),
      );
    },

    async aggregate(ctx: RequestContext, name: string, q: RangeQuery & { every: SeriesBucket; agg: Aggregate }) {
      const { doctype, series } = seriesOf(name);
      if (series.value === null) {
        throw new FoyerError('bad_request', `${name} has no numeric value to aggregate.`);
      }
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      return permit.track(
        async () => {
          const { tz, range: r } = await range(permit.space, q);
          const rows = await store.aggregatePoints(permit.space, name, r, q.every, tz);
          const pick = (row: (typeof rows)[number]) =>
            q.agg === 'sum' ? row.sum : q.agg === 'min' ? row.min : q.agg === 'max' ? row.max : row.sum / row.count;
          return {
            doctype: doctype.name,
            field: series.value,
            unit: series.unit,
            every: q.every,
            agg: q.agg,
            timeZone: tz,
            buckets: rows.map((row) => ({ key: row.key, value: pick(row), count: row.count })),
          };
        },
        (r) => ({ count: r.buckets.reduce((n, b) => n + b.count, 0) }),
      );
    },

    async remove(ctx: RequestContext, name: string, q: RangeQuery): Promise<{ deleted: number }> {
      seriesOf(name);
      const permit = await gate(ctx, { verb: 'delete', doctype: name });
      return permit.track(
        async () => {
          const { range: r } = await range(permit.space, q);
          return { deleted: await store.deletePoints(permit.space, name, r) };
        },
        (r) => ({ count: r.deleted }),
      );
    },
  };
}

function decodeCursor(cursor: string): { t: number; stream: string } {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return { t: v[0], stream: v[1] };
  } catch {
    // fall through to the error below
  }
  throw new FoyerError('bad_request', 'This cursor is not valid: use the one the previous page returned.');
}
