/** `GET /api/summary`: what the space holds per source, for the web app's Home (owner only). */
import { z } from 'zod';
import type { SpaceSummaryService } from '../../core/summary/space-summary.js';
import { json } from '../respond.js';
import { defineRoute, type Route } from '../route.js';

const doctypeSummary = z.object({
  doctype: z.string(),
  count: z.number(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  lastUpdate: z.string(),
});

export function summaryRoutes(deps: { summary: SpaceSummaryService }): Route[] {
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/summary',
        operationId: 'spaceSummary',
        summary:
          'What the space holds, per source: documents per doctype with their period and last update, and series.',
        description:
          'Sources are who created the documents: a connector, an importer, an app, or the owner. Each doctype read ' +
          'is recorded in the ledger as the owner’s read.',
        tag: 'system',
        auth: 'owner',
        responses: {
          200: {
            description: 'The summary.',
            json: z.object({
              sources: z.array(
                z.object({
                  kind: z.string(),
                  id: z.string().nullable(),
                  count: z.number(),
                  lastUpdate: z.string(),
                  doctypes: z.array(doctypeSummary),
                }),
              ),
              series: z.array(
                z.object({
                  doctype: z.string(),
                  points: z.number(),
                  from: z.string().nullable(),
                  to: z.string().nullable(),
                }),
              ),
            }),
          },
        },
      },
      async (_c, { ctx }) => json(await deps.summary.summary(ctx)),
    ),
  ];
}
