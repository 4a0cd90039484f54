/**
 * Retention over HTTP (owner only): how long each doctype is kept (the catalog's default, the
 * owner's choice), changing it, and running the retention job now.
 */
import { z } from 'zod';
import type { RetentionSettings } from '../../core/retention/retention-settings.js';
import type { RetentionJob } from '../../core/retention/run-retention.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';
import { doctypeName } from '../schemas.js';

const doctypeRetention = z.object({
  doctype: z.string(),
  kind: z.enum(['document', 'series']),
  default: z.string().meta({ description: "The catalog's default (ISO 8601 duration)." }),
  override: z.string().nullable().meta({ description: "The owner's choice, or null for the default." }),
  effective: z.string().meta({ description: 'What the retention job applies.' }),
  countsFrom: z.string().meta({
    description: 'The field it counts from: the document’s own date, `_meta.updatedAt`, or the point’s time.',
  }),
});

const report = z.looseObject({
  space: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  deleted: z.number(),
  doctypes: z.array(
    z.looseObject({
      doctype: z.string(),
      kind: z.enum(['documents', 'points']),
      retention: z.string(),
      source: z.enum(['default', 'owner']),
      countsFrom: z.string(),
      before: z.string().nullable(),
      deleted: z.number(),
    }),
  ),
  grants: z.array(
    z.looseObject({
      grant: z.string(),
      retention: z.string(),
      before: z.string().nullable(),
      deleted: z.array(z.object({ doctype: z.string(), kind: z.string(), count: z.number() })),
    }),
  ),
});

export function retentionRoutes(deps: { settings: RetentionSettings; job: RetentionJob }): Route[] {
  const { settings, job } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/retention',
        operationId: 'listRetention',
        summary: 'How long each doctype is kept: default, the owner’s override, effective; and the last run.',
        tag: 'retention',
        auth: 'owner',
        responses: {
          200: {
            description: 'Every doctype of the catalog, and the last run’s report (null before the first).',
            json: z.object({ doctypes: z.array(doctypeRetention), lastRun: report.nullable() }),
          },
        },
      },
      async (c, { ctx }) => json({ doctypes: await settings.list(ctx), lastRun: await job.lastRun(ctx.space) }),
    ),
    defineRoute(
      {
        method: 'put',
        path: '/api/retention/:doctype',
        operationId: 'setRetention',
        summary: 'Sets how long a doctype is kept (an ISO 8601 duration of a day or more); null restores the default.',
        tag: 'retention',
        auth: 'owner',
        params: z.object({ doctype: doctypeName }),
        body: {
          kind: 'json',
          schema: z.object({
            retention: z
              .string()
              .max(40)
              .nullable()
              .meta({ description: 'e.g. `P2Y`, `P18M`, `P90D`; null for the catalog’s default.' }),
          }),
        },
        responses: { 200: { description: 'The doctype’s retention now.', json: doctypeRetention } },
      },
      async (c, { params, body, ctx }) => json(await settings.set(ctx, params.doctype, body.retention)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/retention/run',
        operationId: 'runRetention',
        summary: 'Runs the retention job now: deletes what has expired and reports it.',
        tag: 'retention',
        auth: 'owner',
        responses: { 200: { description: 'What was deleted, per doctype and per grant.', json: report } },
      },
      async (c, { ctx }) => json(await job.run(ctx.space)),
    ),
  ];
}
