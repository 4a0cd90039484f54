import { z } from 'zod';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';

export function healthRoutes(deps: { version: string; storage: string; files: string }): Route[] {
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/health',
        operationId: 'health',
        summary: 'Answers once the server is ready; no authentication.',
        tag: 'system',
        auth: 'none',
        responses: {
          200: {
            description: 'Ready.',
            json: z.object({ status: z.literal('ok'), version: z.string(), storage: z.string(), files: z.string() }),
          },
        },
      },
      () => json({ status: 'ok' as const, version: deps.version, storage: deps.storage, files: deps.files }),
    ),
  ];
}
