/** Builds the OpenAPI 3.1 document from the route definitions (never written by hand). */
import { z } from 'zod';
import type { Route } from './route.js';

const errorSchema = z.object({
  error: z.object({
    code: z.string().meta({ description: 'Stable machine-readable code, e.g. `validation_failed`.' }),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export function buildOpenApi(routes: Route[], info: { version: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { spec } of routes) {
    const path = spec.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    const parameters = [...objectParams(spec.params, 'path'), ...objectParams(spec.query, 'query')];
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      const content: Record<string, unknown> = {};
      if (r.json) content['application/json'] = { schema: jsonSchema(r.json) };
      for (const type of r.content ?? []) content[type] = { schema: { type: 'string', format: 'binary' } };
      responses[status] = { description: r.description, ...(Object.keys(content).length ? { content } : {}) };
    }
    responses.default = {
      description: 'Error, with a stable code (see docs/api.md for the list).',
      content: { 'application/json': { schema: jsonSchema(errorSchema) } },
    };
    const op: Record<string, unknown> = {
      operationId: spec.operationId,
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags: [spec.tag],
      ...(parameters.length ? { parameters } : {}),
      responses,
      ...(spec.auth === 'none' ? { security: [] } : {}),
      ...(spec.auth === 'owner'
        ? { 'x-foyer-access': 'owner' }
        : spec.auth === 'grant'
          ? { 'x-foyer-access': 'owner or grant' }
          : {}),
    };
    if (spec.body?.kind === 'json') {
      op.requestBody = {
        required: true,
        ...(spec.body.description ? { description: spec.body.description } : {}),
        content: { 'application/json': { schema: jsonSchema(spec.body.schema) } },
      };
    } else if (spec.body?.kind === 'raw') {
      op.requestBody = {
        required: true,
        description: spec.body.description,
        content: { '*/*': { schema: { type: 'string', format: 'binary' } } },
      };
    }
    (paths[path] ??= {})[spec.method] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Foyer API',
      version: info.version,
      description:
        'The HTTP API of a Foyer personal data space. Every read and write of personal data passes through the gate. ' +
        'Authenticate with the session cookie (and the X-CSRF-Token header on unsafe methods) or a personal access token.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The owner’s personal access token (`foyer_pat_...`), or a grant access token (`foyer_at_...`) limited to its grant’s scopes.',
        },
        session: { type: 'apiKey', in: 'cookie', name: 'foyer_session' },
      },
    },
    security: [{ bearer: [] }, { session: [] }],
  };
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const s = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  delete s.$schema;
  return s;
}

function objectParams(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const s = jsonSchema(schema) as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(s.properties ?? {}).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || (s.required ?? []).includes(name),
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
    schema: p,
  }));
}
