/**
 * Connectors over HTTP, for the owner: the catalog with each connector's state here, install
 * (answers the pending grant to accept through `/api/grants`), the login or the OAuth connection,
 * runs (with `Accept: text/event-stream`, server-sent progress), the run history, the answer to a
 * second factor, uninstall. docs/connectors.md tells the whole story.
 */
import { z } from 'zod';
import { isFoyerError } from '../../core/errors.js';
import type { ConnectorService } from '../../connectors/connector-service.js';
import { RUNS_DEFAULT_LIMIT, RUNS_MAX_LIMIT } from '../../connectors/connector-service.js';
import { RUN_ERROR_CODES } from '../../connectors/run-errors.js';
import { eventStream } from '../event-stream.js';
import { json, respond } from '../respond.js';
import { defineRoute, type Route } from '../route.js';

const connectorId = z.object({
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/)
    .meta({ description: 'Connector id, e.g. `enedis`.' }),
});

const counts = z.object({ created: z.number(), updated: z.number(), unchanged: z.number(), kept: z.number() });
const runError = z.object({
  code: z.enum(RUN_ERROR_CODES),
  message: z.string().meta({ description: 'For the person: what happened and what to do.' }),
  detail: z.string().meta({ description: 'What the connector or the runtime said (credentials masked).' }),
  retry: z.enum(['person', 'backoff', 'next']),
  retryAfterSeconds: z.number().optional(),
});
const run = z
  .object({
    id: z.string(),
    connector: z.string(),
    version: z.string(),
    trigger: z.enum(['manual', 'schedule']),
    backfill: z.boolean(),
    startedAt: z.string(),
    endedAt: z.string(),
    durationMs: z.number(),
    outcome: z.enum(['succeeded', 'failed']),
    counts: z.record(z.string(), counts),
    calls: z.record(z.string(), z.object({ allowed: z.number(), denied: z.number() })),
    error: runError.nullable(),
    logs: z.array(z.string()),
    logsDropped: z.number(),
  })
  .meta({ description: 'One run: its outcome, counts per doctype, calls per host, error.' });
const installation = z.looseObject({
  connector: z.string(),
  version: z.string(),
  grant: z.string(),
  origin: z.string().nullable(),
  installedAt: z.string(),
  cursor: z.unknown(),
  credential: z.string().nullable(),
  attention: z.object({ code: z.string(), since: z.string(), run: z.string() }).nullable(),
  running: z.object({ run: z.string(), until: z.string() }).nullable(),
  lastRun: z
    .object({ id: z.string(), outcome: z.string(), code: z.string().nullable(), endedAt: z.string() })
    .nullable(),
  actedAt: z.string().nullable(),
});
const listing = z.object({
  manifest: z.record(z.string(), z.unknown()).meta({ description: 'The connector’s manifest (docs/connectors.md).' }),
  installed: installation
    .extend({
      grantStatus: z.string(),
      credentials: z.object({ kind: z.string(), label: z.string(), updatedAt: z.string() }).nullable(),
      question: z.object({ prompt: z.string(), deadline: z.string(), run: z.string() }).nullable(),
    })
    .nullable(),
});

export function connectorRoutes(deps: { connectors: ConnectorService }): Route[] {
  const { connectors } = deps;
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/connectors',
        operationId: 'listConnectors',
        summary: 'The connectors available, each with its state in this space.',
        tag: 'connectors',
        auth: 'owner',
        responses: { 200: { description: 'Catalog.', json: z.object({ connectors: z.array(listing) }) } },
      },
      async (_c, { ctx }) => json({ connectors: await connectors.list(ctx) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/connectors/:id/install',
        operationId: 'installConnector',
        summary: 'Install a connector: asks for its grant, pending until you accept it (POST /api/grants/{id}/accept).',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        body: {
          kind: 'json',
          schema: z
            .object({
              origin: z
                .string()
                .max(200)
                .optional()
                .meta({ description: 'Run against another server of the same API (a simulated holder).' }),
            })
            .strict(),
        },
        responses: {
          201: {
            description: 'Installed; the grant with its consent text.',
            json: z.object({ installation, grant: z.record(z.string(), z.unknown()) }),
          },
        },
      },
      async (_c, { params, body, ctx }) =>
        json(await connectors.install(ctx, params.id, body.origin !== undefined ? { origin: body.origin } : {}), 201),
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/connectors/:id',
        operationId: 'uninstallConnector',
        summary: 'Uninstall: withdraws the grant, forgets the login; what it collected is kept unless choice=delete.',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        query: z.object({ choice: z.enum(['keep', 'delete']).optional() }),
        responses: {
          200: {
            description: 'The withdrawal receipt.',
            json: z.object({ receipt: z.record(z.string(), z.unknown()) }),
          },
        },
      },
      async (_c, { params, query, ctx }) => json({ receipt: await connectors.uninstall(ctx, params.id, query.choice) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/connectors/:id/credentials',
        operationId: 'setConnectorCredentials',
        summary: 'Your login at the holder, encrypted into the vault (never shown again).',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        body: {
          kind: 'json',
          maxBytes: 64 * 1024,
          schema: z
            .object({
              values: z
                .record(z.string().max(64), z.string().min(1).max(4096))
                .meta({ description: 'The manifest’s login fields, e.g. `{ "username": …, "password": … }`.' }),
            })
            .strict(),
        },
        responses: {
          200: {
            description: 'Stored (metadata only).',
            json: z.object({
              credential: z.object({ ref: z.string(), kind: z.string(), label: z.string(), updatedAt: z.string() }),
            }),
          },
        },
      },
      async (_c, { params, body, ctx }) => {
        const info = await connectors.setCredentials(ctx, params.id, body.values);
        return json({ credential: { ref: info.ref, kind: info.kind, label: info.label, updatedAt: info.updatedAt } });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/connectors/:id/oauth/start',
        operationId: 'startConnectorOAuth',
        summary: 'Start the connection at the holder: open the URL answered, log in and consent there.',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        responses: {
          200: {
            description: 'Where to send the person; the holder sends them back to the callback.',
            json: z.object({ authorizationUrl: z.string(), expiresAt: z.string() }),
          },
        },
      },
      async (c, { params, ctx }) => {
        const callback = `${new URL(c.req.url).origin}/api/connectors/${params.id}/oauth/callback`;
        return json(await connectors.startOAuth(ctx, params.id, callback));
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/connectors/:id/oauth/callback',
        operationId: 'connectorOAuthCallback',
        summary: 'Where the holder sends the person back (the state proves the connection was started here).',
        tag: 'connectors',
        auth: 'none',
        params: connectorId,
        query: z.object({
          state: z.string().min(1).max(200),
          code: z.string().min(1).max(2000).optional(),
          error: z.string().max(200).optional(),
        }),
        responses: { 200: { description: 'A page saying the connection is made.', content: ['text/html'] } },
      },
      async (c, { params, query }) => {
        const space = c.get('space')!;
        try {
          await connectors.finishOAuth(space, params.id, {
            state: query.state,
            ...(query.code !== undefined ? { code: query.code } : {}),
            ...(query.error !== undefined ? { error: query.error } : {}),
            params: c.req.query(),
          });
          return page(200, 'Connected', 'The connection is made. You can close this window and go back to Foyer.');
        } catch (e) {
          if (!isFoyerError(e)) throw e;
          return page(e.status, 'Not connected', e.message);
        }
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/connectors/:id/run',
        operationId: 'runConnector',
        summary: 'Run the connector now; the answer is the run record (a failed run too: see its error).',
        description:
          'With `Accept: text/event-stream` the answer is a stream of `started`, `progress` and `second-factor` ' +
          'events, then `done` holding `{ run }` (or `error` if the run could not start).',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        body: {
          kind: 'json',
          schema: z
            .object({
              backfill: z
                .boolean()
                .optional()
                .meta({ description: 'Collect everything again from nothing (the cursor starts empty).' }),
            })
            .strict(),
        },
        responses: { 200: { description: 'The run.', json: z.object({ run }) } },
      },
      async (c, { params, body, ctx }) => {
        const options = { trigger: 'manual' as const, backfill: body.backfill === true };
        if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
          return eventStream(
            async (send) => ({
              run: await connectors.runConnector(ctx, params.id, { ...options, onEvent: (e) => send(e.type, e) }),
            }),
            'The run could not start.',
          );
        }
        return json({ run: await connectors.runConnector(ctx, params.id, options) });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/connectors/:id/runs',
        operationId: 'listConnectorRuns',
        summary: 'The run history, newest first.',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        query: z.object({ limit: z.coerce.number().int().min(1).max(RUNS_MAX_LIMIT).optional() }),
        responses: { 200: { description: 'Runs.', json: z.object({ runs: z.array(run) }) } },
      },
      async (_c, { params, query, ctx }) =>
        json({ runs: await connectors.runs(ctx, params.id, query.limit ?? RUNS_DEFAULT_LIMIT) }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/connectors/:id/second-factor',
        operationId: 'answerConnectorSecondFactor',
        summary: 'Answer the second factor a run is waiting for (409 when none is).',
        tag: 'connectors',
        auth: 'owner',
        params: connectorId,
        body: { kind: 'json', schema: z.object({ answer: z.string().min(1).max(200) }).strict() },
        responses: { 204: { description: 'Handed to the waiting run.' } },
      },
      async (_c, { params, body, ctx }) => {
        await connectors.answerSecondFactor(ctx, params.id, body.answer);
        return respond(null, 204);
      },
    ),
  ];
}

function page(status: number, title: string, message: string): Response {
  const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
  const html =
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>${esc(title)}</title>` +
    `<h1>${esc(title)}</h1><p>${esc(message)}</p></html>`;
  return respond(html, status, { 'content-type': 'text/html; charset=utf-8' });
}
