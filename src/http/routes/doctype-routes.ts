import { z } from 'zod';
import type { Catalog } from '../../core/catalog/catalog.js';
import type { Doctype } from '../../core/catalog/doctype.js';
import { FoyerError } from '../../core/errors.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';
import { doctypeName } from '../schemas.js';

const summary = z.object({
  name: z.string(),
  version: z.number(),
  kind: z.enum(['document', 'series']),
  title: z.object({ en: z.string(), fr: z.string() }),
  sensitivity: z.string(),
  retention: z.string(),
});

const summaryOf = (d: Doctype) => ({
  name: d.name,
  version: d.version,
  kind: d.kind,
  title: d.title,
  sensitivity: d.sensitivity,
  retention: d.retention,
});

export function doctypeRoutes(deps: { catalog: Catalog }): Route[] {
  const { catalog } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/doctypes',
        operationId: 'listDoctypes',
        summary: 'The catalog: every documented data type.',
        tag: 'catalog',
        auth: 'none',
        responses: { 200: { description: 'The doctypes.', json: z.object({ doctypes: z.array(summary) }) } },
      },
      () =>
        json({
          doctypes: catalog.list().map(summaryOf),
        }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/doctypes/:name',
        operationId: 'getDoctype',
        summary: 'One doctype: JSON Schema, description, example, retention, sensitivity.',
        tag: 'catalog',
        auth: 'none',
        params: z.object({ name: doctypeName }),
        responses: {
          200: {
            description: 'The doctype.',
            json: summary.extend({
              description: z.string(),
              schema: z.record(z.string(), z.unknown()),
              example: z.unknown(),
              indexes: z.array(z.array(z.string())),
              fileFields: z.array(z.string()),
              series: z.unknown().optional(),
            }),
          },
        },
      },
      (c, { params }) => {
        const d = catalog.get(params.name);
        if (!d) throw new FoyerError('unknown_doctype', `There is no doctype named "${params.name}".`);
        return json({
          ...summaryOf(d),
          description: d.description,
          schema: d.schema,
          example: d.example,
          indexes: d.indexes,
          fileFields: d.fileFields,
          ...(d.series ? { series: d.series } : {}),
        });
      },
    ),
  ];
}
