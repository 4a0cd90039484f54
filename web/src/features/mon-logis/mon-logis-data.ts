/**
 * What Mon logis reads, through the public API only (as any third-party app would, with a grant
 * naming these doctypes): documents with `_find` (paged by bookmark), series aggregated by the
 * server in the space's time zone, raw points for the load curve's closest zoom.
 */
import type { Api } from '../../api/client.js';
import type { Bucket } from './consumption.js';

export interface SeriesAggregate {
  timeZone: string;
  unit: string | null;
  buckets: Bucket[];
}

/** Every document matching `selector`, only `fields`, following bookmarks. */
export async function findAll<T>(
  api: Api,
  doctype: string,
  selector: Record<string, unknown>,
  fields: string[],
): Promise<T[]> {
  const out: T[] = [];
  let bookmark: string | undefined;
  for (;;) {
    const page = await api.post<{ docs: T[]; bookmark?: string }>(`/api/data/${doctype}/_find`, {
      selector,
      fields,
      limit: 10_000,
      ...(bookmark ? { bookmark } : {}),
    });
    out.push(...page.docs);
    if (!page.bookmark || page.docs.length === 0) return out;
    bookmark = page.bookmark;
  }
}

export async function aggregate(
  api: Api,
  doctype: string,
  range: { from: string; to: string },
  every: 'hour' | 'day' | 'month',
  agg: 'sum' | 'avg',
): Promise<SeriesAggregate> {
  return api.get<SeriesAggregate>(`/api/series/${doctype}?from=${range.from}&to=${range.to}&every=${every}&agg=${agg}`);
}

/** Raw points of a series in `[from, to)`, following cursors. */
export async function points<T>(api: Api, doctype: string, query: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await api.get<{ points: T[]; cursor?: string }>(
      `/api/series/${doctype}?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    out.push(...page.points);
    if (!page.cursor || page.points.length === 0) return out;
    cursor = page.cursor;
  }
}
