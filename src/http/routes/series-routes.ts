import { z } from 'zod';
import { SERIES_MAX_LIMIT, type SeriesService } from '../../core/series/series-service.js';
import { defineRoute, type Route } from '../route.js';
import { json, jsonText } from '../respond.js';
import { doctypeName } from '../schemas.js';

const APPEND_BODY_LIMIT = 128 * 1024 * 1024;

const params = z.object({ doctype: doctypeName });
const bound = z.string().max(40);
const rangeQuery = {
  from: bound.optional().meta({ description: 'Inclusive: an instant with its offset, or a local day `YYYY-MM-DD`.' }),
  to: bound.optional().meta({ description: 'Exclusive: an instant with its offset, or a local day `YYYY-MM-DD`.' }),
  stream: z.string().max(200).optional().meta({ description: "Only this stream (e.g. a meter's id)." }),
};

export function seriesRoutes(deps: { series: SeriesService }): Route[] {
  const { series } = deps;
  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/series/:doctype',
        operationId: 'appendPoints',
        summary: 'Append points in bulk; a point at an existing (stream, time) replaces it.',
        tag: 'series',
        auth: 'grant',
        params,
        body: {
          kind: 'json',
          maxBytes: APPEND_BODY_LIMIT,
          schema: z.object({ points: z.array(z.record(z.string(), z.unknown())).min(1) }),
        },
        responses: {
          200: {
            description: 'Written (all or nothing).',
            json: z.object({ ok: z.literal(true), written: z.number() }),
          },
        },
      },
      async (c, { params: p, body, ctx }) => {
        const r = await series.append(ctx, p.doctype, body.points);
        return json({ ok: true as const, written: r.written });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/series/:doctype',
        operationId: 'readSeries',
        summary: 'Read points in a range, or aggregate them per hour, day, week or month.',
        description:
          'Without `every`, the points themselves in time order, in pages (`cursor`). With `every` and `agg`, one value ' +
          "per bucket computed server-side; buckets follow the space's time zone (days of 23 or 25 hours at DST changes).",
        tag: 'series',
        auth: 'grant',
        params,
        query: z.object({
          ...rangeQuery,
          every: z.enum(['hour', 'day', 'week', 'month']).optional(),
          agg: z.enum(['sum', 'avg', 'min', 'max']).optional(),
          limit: z.coerce.number().int().positive().max(SERIES_MAX_LIMIT).optional(),
          cursor: z.string().max(200).optional(),
        }),
        responses: {
          200: {
            description: 'Points, or buckets when `every` is given.',
            json: z.union([
              z.object({ points: z.array(z.record(z.string(), z.unknown())), cursor: z.string().optional() }),
              z.object({
                doctype: z.string(),
                field: z.string(),
                unit: z.string().nullable(),
                every: z.string(),
                agg: z.string(),
                timeZone: z.string(),
                buckets: z.array(z.object({ key: z.string(), value: z.number(), count: z.number() })),
              }),
            ]),
          },
        },
      },
      async (c, { params: p, query, ctx }) => {
        if (query.every !== undefined || query.agg !== undefined) {
          return json(
            await series.aggregate(ctx, p.doctype, { ...query, every: query.every ?? 'day', agg: query.agg ?? 'sum' }),
          );
        }
        return jsonText((await series.read(ctx, p.doctype, query)).json);
      },
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/series/:doctype',
        operationId: 'deletePoints',
        summary: 'Delete the points in a range.',
        tag: 'series',
        auth: 'grant',
        params,
        query: z.object({ ...rangeQuery, from: bound, to: bound }),
        responses: { 200: { description: 'Deleted.', json: z.object({ ok: z.literal(true), deleted: z.number() }) } },
      },
      async (c, { params: p, query, ctx }) => {
        const r = await series.remove(ctx, p.doctype, query);
        return json({ ok: true as const, deleted: r.deleted });
      },
    ),
  ];
}
