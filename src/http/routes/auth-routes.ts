import { z } from 'zod';
import type { OwnerAuth } from '../../core/auth/owner-auth.js';
import type { SetupCodes } from '../../core/auth/setup-codes.js';
import { FoyerError } from '../../core/errors.js';
import type { RequestContext } from '../../core/principal.js';
import { clearedCookies, sessionCookies } from '../cookies.js';
import { defineRoute, type Route } from '../route.js';
import { json } from '../respond.js';
import { requestHeader } from '../request-header.js';

const passphrase = z.string().max(1024);
const ok = z.object({ ok: z.literal(true) });
const sessionInfo = z.object({
  sessionId: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  expiresAt: z.string(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  current: z.boolean(),
});

const currentSessionId = (ctx: RequestContext) =>
  ctx.principal?.kind === 'owner' && ctx.principal.via === 'session' ? ctx.principal.sessionId : undefined;

function requireSession(ctx: RequestContext): string {
  const id = currentSessionId(ctx);
  if (!id) throw new FoyerError('bad_request', 'This needs a browser session, not a token.');
  return id;
}

function withCookies(res: Response, cookies: string[]): Response {
  for (const cookie of cookies) res.headers.append('set-cookie', cookie);
  return res;
}

export function authRoutes(deps: { ownerAuth: OwnerAuth; setupCodes: SetupCodes; secureCookies: boolean }): Route[] {
  const { ownerAuth, setupCodes, secureCookies } = deps;
  const loginResponse = {
    description: 'Logged in: the session cookie is set; send `csrfToken` as X-CSRF-Token on unsafe requests.',
    json: z.object({ ok: z.literal(true), csrfToken: z.string(), expiresAt: z.string() }),
  };
  return [
    defineRoute(
      {
        method: 'get',
        path: '/api/auth/status',
        operationId: 'authStatus',
        summary: 'Whether the space has a passphrase yet, and whether this request is authenticated.',
        tag: 'auth',
        auth: 'none',
        responses: {
          200: {
            description: 'Status.',
            json: z.object({
              initialised: z.boolean(),
              authenticated: z.boolean(),
              via: z.enum(['session', 'token']).nullable(),
            }),
          },
        },
      },
      async (c, { ctx }) => {
        const { initialised } = await ownerAuth.status(ctx.space);
        const p = ctx.principal;
        return json({ initialised, authenticated: p !== null, via: p?.kind === 'owner' ? p.via : null });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/auth/init',
        operationId: 'initPassphrase',
        summary: "First run: set the owner's passphrase, with the setup code `foyer serve` printed.",
        description: 'Refused once a passphrase exists (409 `already_initialised`). Logs the owner in.',
        tag: 'auth',
        auth: 'none',
        body: { kind: 'json', schema: z.object({ passphrase, setupCode: z.string().max(200) }) },
        responses: { 201: loginResponse },
      },
      async (c, { body, ctx }) => {
        if ((await ownerAuth.status(ctx.space)).initialised) {
          throw new FoyerError('already_initialised', 'This space already has a passphrase: log in instead.');
        }
        if (!setupCodes.check(ctx.space, body.setupCode)) {
          throw new FoyerError(
            'invalid_credentials',
            'This setup code is wrong or expired: use the one Foyer printed when it started, or run "foyer init".',
          );
        }
        await ownerAuth.init(ctx.space, body.passphrase);
        setupCodes.consume(ctx.space);
        const session = await ownerAuth.login(ctx.space, body.passphrase, client(requestHeader(c, 'user-agent'), ctx));
        return withCookies(
          json({ ok: true as const, csrfToken: session.csrfToken, expiresAt: session.expiresAt }, 201),
          sessionCookies(
            { secret: session.sessionSecret, csrfToken: session.csrfToken, maxExpiresAt: session.maxExpiresAt },
            secureCookies,
          ),
        );
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/auth/login',
        operationId: 'login',
        summary: 'Log in with the passphrase.',
        description: 'Repeated failures are throttled: 429 with Retry-After.',
        tag: 'auth',
        auth: 'none',
        body: { kind: 'json', schema: z.object({ passphrase }) },
        responses: { 200: loginResponse },
      },
      async (c, { body, ctx }) => {
        const session = await ownerAuth.login(ctx.space, body.passphrase, client(requestHeader(c, 'user-agent'), ctx));
        return withCookies(
          json({ ok: true as const, csrfToken: session.csrfToken, expiresAt: session.expiresAt }),
          sessionCookies(
            { secret: session.sessionSecret, csrfToken: session.csrfToken, maxExpiresAt: session.maxExpiresAt },
            secureCookies,
          ),
        );
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/auth/logout',
        operationId: 'logout',
        summary: 'End this session.',
        tag: 'auth',
        auth: 'none',
        responses: { 200: { description: 'Logged out (also when no session was open).', json: ok } },
      },
      async (c, { ctx }) => {
        await ownerAuth.logout(ctx.space, c.get('sessionSecret'));
        return withCookies(json({ ok: true as const }), clearedCookies(secureCookies));
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/auth/logout-everywhere',
        operationId: 'logoutEverywhere',
        summary: 'End every session of this space, this one included.',
        tag: 'auth',
        auth: 'owner',
        responses: {
          200: { description: 'Sessions ended.', json: z.object({ ok: z.literal(true), ended: z.number() }) },
        },
      },
      async (c, { ctx }) => {
        const ended = await ownerAuth.logoutEverywhere(ctx.space);
        return withCookies(json({ ok: true as const, ended }), clearedCookies(secureCookies));
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/auth/sessions',
        operationId: 'listSessions',
        summary: 'Open sessions: when, from where, which is this one.',
        tag: 'auth',
        auth: 'owner',
        responses: { 200: { description: 'Sessions.', json: z.object({ sessions: z.array(sessionInfo) }) } },
      },
      async (c, { ctx }) => json({ sessions: await ownerAuth.listSessions(ctx.space, currentSessionId(ctx)) }),
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/auth/sessions/:sessionId',
        operationId: 'revokeSession',
        summary: 'End one session.',
        tag: 'auth',
        auth: 'owner',
        params: z.object({ sessionId: z.string().max(200) }),
        responses: { 200: { description: 'Ended.', json: ok } },
      },
      async (c, { params, ctx }) => {
        await ownerAuth.revokeSession(ctx.space, params.sessionId);
        return json({ ok: true as const });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/auth/passphrase',
        operationId: 'changePassphrase',
        summary: 'Change the passphrase; every other session ends.',
        tag: 'auth',
        auth: 'owner',
        body: { kind: 'json', schema: z.object({ currentPassphrase: passphrase, newPassphrase: passphrase }) },
        responses: {
          200: { description: 'Changed.', json: z.object({ ok: z.literal(true), sessionsEnded: z.number() }) },
        },
      },
      async (c, { body, ctx }) => {
        const sessionId = requireSession(ctx);
        const r = await ownerAuth.changePassphrase(ctx.space, body.currentPassphrase, body.newPassphrase, {
          ip: ctx.ip ?? 'unknown',
          currentSessionId: sessionId,
        });
        return json({ ok: true as const, sessionsEnded: r.sessionsEnded });
      },
    ),
  ];
}

const client = (userAgent: string | undefined, ctx: RequestContext) => ({
  ip: ctx.ip ?? 'unknown',
  ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
});
