/**
 * `/api/apps`: the catalog of apps with their state, install (asks for the grants), accept, update,
 * uninstall, the frame's session, the person's notifications, and the CSP reports of app frames.
 * Every route but the reports is the owner's.
 */
import { z } from 'zod';
import type { RecordAccess } from '../core/gate.js';
import { FoyerError } from '../core/errors.js';
import { defineRoute, type Route } from '../http/route.js';
import { json, respond } from '../http/respond.js';
import type { AppRegistry } from './app-registry.js';
import type { AppsService } from './app-service.js';
import { SESSION } from '../sdk/frame-protocol.js';
import type { ServiceRunner } from './services/service-runner.js';

const appId = z.object({ id: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'an app id') });
const bilingual = z.object({ en: z.string(), fr: z.string() });
const trigger = z.union([
  z.object({ kind: z.literal('schedule'), cron: z.string() }),
  z.object({ kind: z.literal('change'), doctype: z.string() }),
]);
const service = z.object({ name: z.string(), code: z.string(), triggers: z.array(trigger) }).loose();
/** A grant as GET /api/grants/{id} answers it (see the consent tag for every field). */
const grantView = z.looseObject({
  id: z.string(),
  status: z.enum(['pending', 'active', 'expired', 'withdrawn', 'refused']),
  grantee: z.looseObject({ kind: z.string(), id: z.string(), name: z.string() }),
});
const appView = z.object({
  id: z.string(),
  name: z.string(),
  version: z.string(),
  publisher: z.string(),
  description: bilingual,
  web: z.boolean(),
  services: z.array(service),
  installed: z
    .object({
      version: z.string(),
      status: z.enum(['pending', 'active', 'update-pending', 'refused', 'expired']),
      grants: z.array(grantView),
      services: z.array(service),
      pending: z
        .object({
          version: z.string(),
          services: z.array(service),
          retire: z.array(z.string()).optional(),
          narrow: z.array(z.looseObject({ id: z.string() })).optional(),
        })
        .nullable(),
      installedAt: z.string(),
    })
    .nullable(),
  updateAvailable: z.boolean(),
});
const receipt = z.object({ id: z.string(), at: z.string(), choice: z.enum(['delete', 'keep']) }).loose();
const REPORT_LIMIT = 16 * 1024;
/** At most this many reports per app and space per minute reach the ledger (a page can loop). */
const REPORTS_PER_MINUTE = 30;

export function appRoutes(deps: {
  apps: AppsService;
  runner: ServiceRunner;
  registry: AppRegistry;
  record: RecordAccess;
  now: () => number;
}): Route[] {
  const { apps } = deps;
  const reportCounts = new Map<string, { minute: number; count: number }>();
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/apps/notices',
        operationId: 'appNotices',
        summary: 'What apps’ services told the person (`foyer.notify`), newest first.',
        tag: 'apps',
        auth: 'owner',
        responses: {
          200: {
            description: 'Notices.',
            json: z.object({
              notices: z.array(
                z.object({ id: z.string(), app: z.string(), service: z.string(), at: z.string(), message: bilingual }),
              ),
            }),
          },
        },
      },
      async (_c, { ctx }) => {
        if (ctx.principal?.kind !== 'owner') throw new FoyerError('owner_only', 'Only the space’s owner can do this.');
        return json({ notices: await deps.runner.notices(ctx.space) });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/services/:service/run',
        operationId: 'runAppService',
        summary: 'Run one of the app’s consented services now, in its sandbox; its outcome and logs.',
        tag: 'apps',
        auth: 'owner',
        params: appId.extend({ service: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/) }),
        responses: {
          200: {
            description: 'The run.',
            json: z
              .object({
                at: z.string(),
                ok: z.boolean(),
                error: z.string().optional(),
                durationMs: z.number(),
                logs: z.array(z.string()),
              })
              .loose(),
          },
        },
      },
      async (_c, { params, ctx }) => {
        await deps.apps.get(ctx, params.id);
        return json(await deps.runner.run(ctx.space, params.id, params.service, { kind: 'manual' }));
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/apps',
        operationId: 'listApps',
        summary: 'Apps Foyer offers (the registry) and those installed, with their grants and state.',
        tag: 'apps',
        auth: 'owner',
        responses: { 200: { description: 'Apps.', json: z.object({ apps: z.array(appView) }) } },
      },
      async (_c, { ctx }) => json({ apps: await apps.list(ctx) }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/apps/:id',
        operationId: 'getApp',
        summary: 'One app: what it is, its grants (with their consent texts) and its services.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        responses: { 200: { description: 'The app.', json: appView } },
      },
      async (_c, { params, ctx }) => json(await apps.get(ctx, params.id)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/install',
        operationId: 'installApp',
        summary: 'Install: asks for the app’s grants, pending until the owner accepts; nothing is active before.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        responses: { 201: { description: 'Installed, waiting for consent.', json: appView } },
      },
      async (_c, { params, ctx }) => json(await apps.install(ctx, params.id), 201),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/accept',
        operationId: 'acceptApp',
        summary: 'Accept the app’s pending grants (each with the version and hash of the text read) and services.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        body: {
          kind: 'json',
          schema: z.object({
            language: z.enum(['en', 'fr']),
            grants: z
              .array(
                z.object({
                  id: z.string().max(100),
                  version: z.number().int().positive(),
                  consentHash: z.string().regex(/^[0-9a-f]{64}$/),
                  omit: z.array(z.number().int().min(0)).max(50).optional(),
                }),
              )
              .max(20),
          }),
        },
        responses: { 200: { description: 'The app after the decision.', json: appView } },
      },
      async (_c, { params, body, ctx }) => json(await apps.accept(ctx, params.id, body)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/update',
        operationId: 'updateApp',
        summary: 'Move to the app’s newest version: narrower terms apply at once, wider ones wait for consent.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        responses: { 200: { description: 'The app.', json: appView } },
      },
      async (_c, { params, ctx }) => json(await apps.update(ctx, params.id)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/uninstall',
        operationId: 'uninstallApp',
        summary: 'Uninstall = withdraw the app’s grants: what it created is deleted unless kept; the receipts.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        body: { kind: 'json', schema: z.object({ choice: z.enum(['delete', 'keep']).optional() }) },
        responses: {
          200: { description: 'Receipts.', json: z.object({ app: z.string(), receipts: z.array(receipt) }) },
        },
      },
      async (_c, { params, body, ctx }) => json(await apps.uninstall(ctx, params.id, body.choice)),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/session',
        operationId: 'appSession',
        summary: 'Short-lived tokens of the app’s active grants, for the host page to hand to the app’s frame.',
        tag: 'apps',
        auth: 'owner',
        params: appId,
        query: z.object({ language: z.enum(['en', 'fr']).default('en') }),
        responses: {
          200: {
            description: 'The frame session.',
            json: z.object({
              type: z.literal(SESSION),
              app: z.string(),
              api: z.string(),
              language: z.enum(['en', 'fr']),
              grants: z.array(
                z.object({
                  grant: z.string(),
                  doctypes: z.array(z.string()),
                  accessToken: z.string(),
                  expiresIn: z.number(),
                }),
              ),
            }),
          },
        },
      },
      async (c, { params, query, ctx }) =>
        json({
          type: SESSION,
          app: params.id,
          api: new URL(c.req.url).origin,
          language: query.language,
          grants: await apps.session(ctx, params.id),
        }),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/apps/:id/csp-report',
        operationId: 'appCspReport',
        summary: 'Where an app frame’s browser reports what its CSP blocked: each report is a denied ledger entry.',
        tag: 'apps',
        auth: 'none',
        params: appId,
        body: {
          kind: 'raw',
          description: 'A CSP violation report (application/csp-report or application/reports+json).',
        },
        responses: { 204: { description: 'Recorded.' } },
      },
      async (c, { params, ctx }) => {
        if (!deps.registry.get(params.id) || !ctx.space)
          throw new FoyerError('not_found', `There is no app "${params.id}".`);
        const text = await c.req.text();
        if (text.length > REPORT_LIMIT) throw new FoyerError('payload_too_large', 'A CSP report is small.');
        const directive = directiveOf(text);
        const minute = Math.floor(deps.now() / 60_000);
        const key = `${ctx.space}/${params.id}`;
        const seen = reportCounts.get(key);
        const count = seen && seen.minute === minute ? seen.count + 1 : 1;
        if (reportCounts.size > 10_000) reportCounts.clear();
        reportCounts.set(key, { minute, count });
        if (count <= REPORTS_PER_MINUTE) {
          await deps.record(ctx.space, {
            actorKind: 'app',
            actorId: params.id,
            grant: null,
            grantVersion: null,
            verb: 'read',
            doctype: '*',
            count: 0,
            idsDigest: null,
            purpose: null,
            outcome: 'denied',
            code: `csp_violation:${directive}`,
          });
        }
        return respond(null, 204);
      },
    ),
  ];
}

/** The violated directive of a report (`connect-src`, ...), or `unknown`. */
function directiveOf(text: string): string {
  try {
    const body = JSON.parse(text) as unknown;
    const first = Array.isArray(body)
      ? (body[0] as { body?: unknown })?.body
      : (body as { 'csp-report'?: unknown })['csp-report'];
    const r = first as {
      'effective-directive'?: unknown;
      effectiveDirective?: unknown;
      'violated-directive'?: unknown;
    };
    const d = r?.['effective-directive'] ?? r?.effectiveDirective ?? r?.['violated-directive'];
    return typeof d === 'string' && /^[a-z-]{1,40}$/.test(d) ? d : 'unknown';
  } catch {
    return 'unknown';
  }
}
