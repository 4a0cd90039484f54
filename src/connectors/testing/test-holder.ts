/**
 * A tiny data holder for the runtime's tests, on a loopback port: a login (with an optional second
 * factor), OAuth2 (authorization code + PKCE, refresh), bills paged by a sequence cursor, each
 * with its PDF (`files`, which a test may change, break or enlarge), daily electricity points, and
 * faults switched on by the test (`holder.mode`).
 */
import { serve, type ServerType } from '@hono/node-server';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Hono, type Context } from 'hono';
import { minimalPdf } from '../../holder-kit/minimal-pdf.js';

export const HOLDER_LOGIN = { username: 'alice@example.org', password: 'Tlaloc-4412-secret' };
export const HOLDER_OTP = '246810';

export type HolderMode = 'ok' | 'down' | 'quota' | 'terms' | 'format' | 'garbage' | 'hang' | 'second-factor';

export interface TestBill {
  seq: number;
  number: string;
  issued: string;
  amount: number | string;
  /** Where its PDF is (a path on the holder, or any URL). */
  pdf?: string;
}

/** What the holder answers at `/files/{name}`. */
export interface TestFile {
  contentType: string;
  body: Uint8Array;
  status?: number;
  /** Answers only after this long. */
  delayMs?: number;
}

export interface TestHolder {
  url: string;
  mode: HolderMode;
  bills: TestBill[];
  days: { date: string; kwh: number }[];
  /** By name, served at `/files/{name}` to a logged-in client. */
  files: Map<string, TestFile>;
  /** Every request: method, path and query, and its authorization header. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  /** Refresh tokens the holder accepts (a test empties it to revoke). */
  refreshTokens: Set<string>;
  close(): Promise<void>;
}

const PAGE = 2;

export async function startTestHolder(): Promise<TestHolder> {
  const sessions = new Set<string>();
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const token = () => randomBytes(12).toString('hex');
  const app = new Hono();
  const holder: TestHolder = {
    url: '',
    mode: 'ok',
    bills: [
      { seq: 1, number: 'F-001', issued: '2024-01-05', amount: 61.2, pdf: '/files/F-001.pdf' },
      { seq: 2, number: 'F-002', issued: '2024-02-05', amount: 58.4, pdf: '/files/F-002.pdf' },
      { seq: 3, number: 'F-003', issued: '2024-03-05', amount: 49.9, pdf: '/files/F-003.pdf' },
    ],
    files: new Map(
      ['F-001', 'F-002', 'F-003'].map((n) => [
        `${n}.pdf`,
        { contentType: 'application/pdf', body: minimalPdf(`Facture ${n}`, ['Test Holder']) },
      ]),
    ),
    days: [
      { date: '2024-03-01', kwh: 11.5 },
      { date: '2024-03-02', kwh: 12.25 },
    ],
    requests: [],
    refreshTokens: new Set(),
    close: async () => undefined,
  };

  app.use('*', async (c, next) => {
    holder.requests.push({
      method: c.req.method,
      path: c.req.url.slice(holder.url.length),
      authorization: c.req.header('authorization'),
    });
    if (holder.mode === 'down') return c.json({ error: 'maintenance' }, 503);
    if (holder.mode === 'quota') return c.json({ error: 'slow down' }, 429, { 'retry-after': '120' });
    if (holder.mode === 'hang') await new Promise((resolve) => setTimeout(resolve, 60_000));
    return next();
  });

  app.post('/api/login', async (c) => {
    const body = await c.req.json<{ username?: string; password?: string }>();
    if (body.username !== HOLDER_LOGIN.username || body.password !== HOLDER_LOGIN.password) {
      return c.json({ error: 'bad login' }, 401);
    }
    if (holder.mode === 'second-factor') return c.json({ challenge: 'otp' });
    const t = token();
    sessions.add(t);
    return c.json({ token: t });
  });
  app.post('/api/login/otp', async (c) => {
    const body = await c.req.json<{ otp?: string }>();
    if (body.otp !== HOLDER_OTP) return c.json({ error: 'bad code' }, 401);
    const t = token();
    sessions.add(t);
    return c.json({ token: t });
  });

  const authorised = (c: Context) => sessions.has((c.req.header('authorization') ?? '').replace(/^Bearer /, ''));
  app.get('/api/bills', (c) => {
    if (!authorised(c)) return c.json({ error: 'unauthorised' }, 401);
    if (holder.mode === 'terms') return c.json({ error: 'accept the new terms' }, 403);
    if (holder.mode === 'garbage') return c.json({ nothing: true });
    const since = Number(c.req.query('since') ?? 0);
    const after = holder.bills.filter((b) => b.seq > since).sort((a, b) => a.seq - b.seq);
    const page = after.slice(0, PAGE);
    const more = after.length > PAGE;
    const bills =
      holder.mode === 'format' ? page.map((b) => ({ ...b, amount: String(b.amount).replace('.', ',') })) : page;
    return c.json({ bills, next: more ? page[page.length - 1]!.seq : null, total: after.length });
  });
  app.get('/files/:name', async (c) => {
    if (!authorised(c)) return c.json({ error: 'unauthorised' }, 401);
    const file = holder.files.get(c.req.param('name'));
    if (!file) return c.json({ error: 'no such file' }, 404);
    if (file.delayMs) await new Promise((resolve) => setTimeout(resolve, file.delayMs));
    return new Response(file.body.slice(), {
      status: file.status ?? 200,
      headers: { 'content-type': file.contentType },
    });
  });
  app.get('/api/daily', (c) => {
    if (!authorised(c)) return c.json({ error: 'unauthorised' }, 401);
    const since = c.req.query('since') ?? '';
    return c.json({ days: holder.days.filter((d) => d.date > since) });
  });

  app.get('/oauth/authorize', (c) => {
    // The person "logs in and consents" at once: the holder sends them back with a code.
    const redirect = new URL(c.req.query('redirect_uri')!);
    const code = token();
    codes.set(code, { challenge: c.req.query('code_challenge')!, redirectUri: redirect.href });
    redirect.searchParams.set('code', code);
    redirect.searchParams.set('state', c.req.query('state')!);
    return c.redirect(redirect.href, 302);
  });
  app.post('/oauth/token', async (c) => {
    const form = new URLSearchParams(await c.req.text());
    const issue = () => {
      const access = token();
      const refresh = token();
      sessions.add(access);
      holder.refreshTokens.add(refresh);
      return c.json({ access_token: access, refresh_token: refresh, token_type: 'Bearer', expires_in: 600 });
    };
    if (form.get('grant_type') === 'authorization_code') {
      const pending = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const challenge = createHash('sha256')
        .update(form.get('code_verifier') ?? '')
        .digest('base64url');
      if (!pending || pending.challenge !== challenge || pending.redirectUri !== form.get('redirect_uri')) {
        return c.json({ error: 'invalid_grant' }, 400);
      }
      return issue();
    }
    const refresh = form.get('refresh_token') ?? '';
    if (!holder.refreshTokens.delete(refresh)) return c.json({ error: 'invalid_grant' }, 400);
    return issue();
  });

  const server: ServerType = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  holder.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  holder.close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    await closed;
  };
  return holder;
}
