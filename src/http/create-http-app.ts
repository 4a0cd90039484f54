/**
 * The HTTP interface: resolves the space, authenticates, mounts the routes, maps errors. Routes
 * talk only to services; services ask the gate before touching any store.
 */
import { Hono, type Context } from 'hono';
import type { OwnerAuth } from '../core/auth/owner-auth.js';
import { FoyerError } from '../core/errors.js';
import { baseEntry, DENIAL_CODES, wasRecorded, type RecordAccess, type Verb } from '../core/gate.js';
import { ACCESS_PREFIX } from '../core/grants/grant-tokens.js';
import type { Principal, RequestContext } from '../core/principal.js';
import type { SpaceService } from '../core/spaces/space-service.js';
import { errorResponse, toFoyerError } from './error-response.js';
import { buildOpenApi } from './openapi.js';
import { jsonText } from './respond.js';
import { defineRoute, type AppEnv, type Route } from './route.js';
import { z } from 'zod';
import { readCookie, SESSION_COOKIE, CSRF_HEADER } from './cookies.js';
import { requestHeader } from './request-header.js';
import { frameCors } from '../apps/frame/frame-cors.js';

export interface HttpAppDeps {
  version: string;
  spaces: SpaceService;
  ownerAuth: OwnerAuth;
  /** The principal behind a grant access token (`foyer_at_…`); throws `invalid_token` or `grant_inactive`. */
  authenticateGrant: (space: string, token: string) => Promise<Principal>;
  /** Writes denials that never reached the gate (bad credentials, owner-only routes) to the ledger. */
  record: RecordAccess;
  routes: Route[];
  /** Extra non-API handlers (pages, assets), mounted after the API. */
  pages?: (app: Hono<AppEnv>) => void;
  trustProxy: boolean;
  log: (level: 'error' | 'warn' | 'info', message: string, extra?: unknown) => void;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createHttpApp(deps: HttpAppDeps): Hono<AppEnv> {
  const { spaces, ownerAuth } = deps;
  const app = new Hono<AppEnv>();
  // Static segments first, so `/_find` never reaches the `/:id` handler.
  // Built on first request: it is large, and an idle embedded Foyer should stay small.
  let openApi: string | undefined;
  const routes: Route[] = [
    ...deps.routes,
    openApiRoute(() => (openApi ??= JSON.stringify(buildOpenApi(routes, { version: deps.version })))),
  ].sort((a, b) => paramCount(a.spec.path) - paramCount(b.spec.path));

  app.onError(async (e, c) => {
    const err = toFoyerError(e, (x) => deps.log('error', `${c.req.method} ${c.req.path} failed`, x));
    const ctx = c.get('ctx') as RequestContext | undefined;
    const space = ctx?.space || c.get('space');
    if (space && DENIAL_CODES.has(err.code) && !wasRecorded(e)) {
      const entry = baseEntry(ctx?.principal ?? null, verbOf(c.req.method), doctypeOf(c.req.path));
      await deps
        .record(space, { ...entry, count: 0, idsDigest: null, outcome: 'denied', code: err.code })
        .catch((x) => deps.log('error', 'could not write a denial to the ledger', x));
    }
    return errorResponse(err);
  });

  // Apps' sandboxed frames (Origin: null) call the API with their grant's token (src/apps/frame/).
  app.use('/api/*', frameCors);

  // Who is asking, and for which space. Health answers before any of this.
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/health' || c.req.path === '/api/openapi.json' || c.req.path.startsWith('/api/doctypes')) {
      c.set('ctx', { space: '', principal: null });
      return next();
    }
    const space = await spaces.resolve(requestHeader(c, 'host'));
    c.set('space', space);
    const ip = clientIp(c, deps.trustProxy);
    let principal: Principal | null = null;
    const authorization = requestHeader(c, 'authorization');
    if (authorization !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!m) throw new FoyerError('unauthenticated', 'The Authorization header must be "Bearer <token>".');
      if (m[1]!.startsWith(ACCESS_PREFIX)) {
        principal = await deps.authenticateGrant(space, m[1]!);
      } else {
        principal = await ownerAuth.authenticateToken(space, m[1]!);
        if (!principal) throw new FoyerError('invalid_token', 'This token is unknown, expired or revoked.');
      }
    } else {
      const secret = readCookie(requestHeader(c, 'cookie'), SESSION_COOKIE);
      if (secret) {
        principal = await ownerAuth.authenticateSession(space, secret);
        if (principal) {
          c.set('sessionSecret', secret);
          if (!SAFE_METHODS.has(c.req.method)) {
            const token = requestHeader(c, CSRF_HEADER);
            if (!token || !(await ownerAuth.verifyCsrf(space, secret, token))) {
              throw new FoyerError(
                'csrf_failed',
                `Send the CSRF token you received at login in the ${CSRF_HEADER} header.`,
              );
            }
          }
        }
      }
    }
    c.set('ctx', { space, principal, ...(ip ? { ip } : {}) });
    return next();
  });

  for (const route of routes) {
    app.on(route.spec.method.toUpperCase(), route.spec.path, (c) => route.handle(c));
  }

  deps.pages?.(app);

  app.notFound((c) => {
    const allowed = routes.filter((r) => matches(r.spec.path, c.req.path)).map((r) => r.spec.method.toUpperCase());
    if (allowed.length > 0) {
      return errorResponse(
        new FoyerError('method_not_allowed', `${c.req.method} is not allowed here; use ${allowed.join(', ')}.`),
        { allow: allowed.join(', ') },
      );
    }
    return errorResponse(new FoyerError('not_found', `Nothing at ${c.req.path}.`));
  });

  return app;
}

function openApiRoute(document: () => string): Route {
  return defineRoute(
    {
      method: 'get',
      path: '/api/openapi.json',
      operationId: 'openApi',
      summary: 'This API, described in OpenAPI 3.1.',
      tag: 'system',
      auth: 'none',
      responses: { 200: { description: 'The OpenAPI document.', json: z.record(z.string(), z.unknown()) } },
    },
    () => jsonText(document()),
  );
}

const VERBS: Record<string, Verb> = {
  GET: 'read',
  HEAD: 'read',
  POST: 'create',
  PUT: 'update',
  PATCH: 'update',
  DELETE: 'delete',
};
const verbOf = (method: string): Verb => VERBS[method] ?? 'read';

/** The doctype a path is about, for ledger entries of requests refused before any service. */
function doctypeOf(path: string): string {
  const m = /^\/api\/(data|series)\/([^/]+)/.exec(path);
  if (m) return decodeURIComponent(m[2]!).slice(0, 100);
  if (path.startsWith('/api/files')) return 'foyer.file';
  if (path.startsWith('/api/grants')) return 'foyer.grant';
  if (path.startsWith('/api/ledger')) return 'foyer.ledger';
  return '*';
}

const paramCount = (path: string) => (path.match(/:/g) ?? []).length;

function matches(pattern: string, path: string): boolean {
  const re = new RegExp(`^${pattern.replace(/:[A-Za-z0-9_]+/g, '[^/]+')}$`);
  return re.test(path);
}

export function clientIp(c: Context<AppEnv>, trustProxy: boolean): string | undefined {
  if (trustProxy) {
    // The last entry is the one our proxy appended; earlier ones are whatever the client sent.
    const forwarded = requestHeader(c, 'x-forwarded-for')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress;
}
