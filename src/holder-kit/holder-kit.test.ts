import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { discoveryDocumentSchema } from './discovery-document.js';
import { createHolderKit } from './holder-kit.js';
import type { HolderKitOptions } from './holder-kit-options.js';
import { createMemoryHolderKitStore } from './holder-kit-store.js';
import { createReferenceHolder, REFERENCE_CLIENT } from './reference-holder.js';
import { s256 } from './secrets.js';

const CALLBACK = REFERENCE_CLIENT.redirectUris[0]!;

function setup(overrides: Partial<HolderKitOptions> = {}) {
  const clock = manualClock(Date.UTC(2026, 2, 10, 12));
  const reference = createReferenceHolder({ clock, ...overrides });
  const app = createHolderKit(reference.options);
  const request = async (path: string, init: RequestInit = {}) => app.request(`http://holder.test${path}`, init);
  const form = (path: string, params: Record<string, string>, cookie?: string) =>
    request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie ? { cookie } : {}) },
      body: new URLSearchParams(params).toString(),
    });

  /** An authorization request for `bill` with a valid PKCE challenge, changed by `p`. */
  const authorizeQuery = (p: Record<string, string> = {}) =>
    new URLSearchParams({
      response_type: 'code',
      client_id: 'foyer',
      redirect_uri: CALLBACK,
      scope: 'bill',
      code_challenge: s256('v'.repeat(43)),
      code_challenge_method: 'S256',
      ...p,
    });

  /** The login page: its visit cookie and form token. */
  async function openLogin(p: Record<string, string> = {}) {
    const login = await request(`/oauth/authorize?${authorizeQuery(p)}`);
    const setCookie = login.headers.get('set-cookie')!;
    const formToken = /name="visit" value="([^"]+)"/.exec(await login.text())![1]!;
    return { setCookie, cookie: setCookie.split(';')[0]!, formToken };
  }

  /** Through the login and consent pages: the redirect back to the client. */
  async function visit(p: { scopes?: string[]; username?: string; password?: string; decision?: string } = {}) {
    const verifier = randomBytes(32).toString('base64url');
    const { cookie, formToken } = await openLogin({
      scope: (p.scopes ?? ['water.daily', 'bill']).join(' '),
      state: 'st',
      code_challenge: s256(verifier),
    });
    const credentials = { username: p.username ?? 'alice', password: p.password ?? 'alice-password' };
    await form('/oauth/login', { visit: formToken, ...credentials }, cookie);
    const decided = await form('/oauth/consent', { visit: formToken, decision: p.decision ?? 'allow' }, cookie);
    const location = new URL(decided.headers.get('location')!);
    return { location, code: location.searchParams.get('code')!, verifier };
  }

  const exchange = (code: string, verifier: string, extra: Record<string, string> = {}) =>
    form('/oauth/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: 'foyer',
      code_verifier: verifier,
      ...extra,
    });

  async function tokens(p: Parameters<typeof visit>[0] = {}) {
    const { code, verifier } = await visit(p);
    return (await (await exchange(code, verifier)).json()) as {
      access_token: string;
      refresh_token: string;
      scope: string;
    };
  }

  const refresh = (refreshToken: string, extra: Record<string, string> = {}) =>
    form('/oauth/token', { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'foyer', ...extra });

  const data = (token: string, path: string) => request(path, { headers: { authorization: `Bearer ${token}` } });

  return { clock, reference, app, request, form, authorizeQuery, openLogin, visit, exchange, tokens, refresh, data };
}

async function walkAll(data: (path: string) => Promise<Response>, path: string) {
  const keys: string[] = [];
  let next: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const r = await data(next ? `${path}${sep}cursor=${encodeURIComponent(next)}` : path);
    const body = (await r.json()) as { items: { key: string }[]; next: string | null };
    keys.push(...body.items.map((i) => i.key));
    next = body.next;
  } while (next);
  return keys;
}

describe('createHolderKit: discovery', () => {
  it('publishes a discovery document valid for its own schema, with the request origin or the public URL', async () => {
    const { request } = setup();
    const doc = discoveryDocumentSchema.parse(await (await request('/.well-known/holder-kit')).json());
    expect(doc.endpoints.token).toBe('http://holder.test/oauth/token');
    expect(doc.doctypes.map((d) => [d.name, d.schemaId])).toEqual([
      ['water.daily', 'urn:foyer:doctype:water.daily:1'],
      ['bill', 'urn:foyer:doctype:bill:1'],
    ]);
    expect(doc.paging).toMatchObject({ maxPageSize: 50, defaultPageSize: 20, since: true });

    const other = setup({ publicUrl: 'https://data.example.com/kit/' });
    const moved = discoveryDocumentSchema.parse(await (await other.request('/.well-known/holder-kit')).json());
    expect(moved.endpoints.data).toBe('https://data.example.com/kit/v1/data/{doctype}');
  });

  it('publishes RFC 8414 metadata offering only S256 and public clients', async () => {
    const meta = (await (await setup().request('/.well-known/oauth-authorization-server')).json()) as Record<
      string,
      unknown
    >;
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['none']);
    expect(meta.scopes_supported).toEqual(['water.daily', 'bill']);
  });

  it('refuses options that cannot work, naming the problem', () => {
    const clock = manualClock();
    const base = createReferenceHolder({ clock }).options;
    expect(() => createHolderKit({ ...base, datasets: [] })).toThrow(/datasets/);
    expect(() => createHolderKit({ ...base, datasets: [base.datasets[0]!, base.datasets[0]!] })).toThrow(/twice/);
    expect(() => createHolderKit({ ...base, clients: [{ ...REFERENCE_CLIENT, redirectUris: ['not a url'] }] })).toThrow(
      /redirectUris/,
    );
    expect(() => createHolderKit({ ...base, paging: { maxPageSize: 0 } })).toThrow(/maxPageSize/);
    expect(() => createHolderKit({ ...base, cursorSecret: new Uint8Array(8) })).toThrow(/32 bytes/);
  });
});

describe('createHolderKit: authorization', () => {
  it('answers an unknown client or redirect URI with a page of its own, never a redirect', async () => {
    const { request, authorizeQuery: q } = setup();
    const bads: Record<string, string>[] = [
      { client_id: 'nobody' },
      { redirect_uri: 'https://evil.example/cb' },
      { redirect_uri: '' },
    ];
    for (const bad of bads) {
      const r = await request(`/oauth/authorize?${q(bad)}`);
      expect(r.status).toBe(400);
      expect(r.headers.get('location')).toBeNull();
      expect(r.headers.get('content-type')).toContain('text/html');
    }
    const repeated = await request(`/oauth/authorize?${q({})}&scope=water.daily`);
    expect(repeated.status).toBe(400);
  });

  it('accepts a loopback redirect URI on any port (RFC 8252), but not another path or host', async () => {
    const { request, authorizeQuery } = setup();
    const ask = (redirect: string) => request(`/oauth/authorize?${authorizeQuery({ redirect_uri: redirect })}`);
    expect((await ask('http://127.0.0.1:49152/holder-kit/callback')).status).toBe(200);
    expect((await ask('http://127.0.0.1:49152/other')).status).toBe(400);
    expect((await ask('http://localhost:49152/holder-kit/callback')).status).toBe(400);
  });

  it('refuses a login or consent form posted without the visit cookie or with another form token', async () => {
    const { form, openLogin } = setup();
    const { cookie, formToken, setCookie } = await openLogin();
    expect(setCookie).toMatch(/HttpOnly; SameSite=Lax/);
    const credentials = { username: 'alice', password: 'alice-password' };
    expect((await form('/oauth/login', { visit: formToken, ...credentials })).status).toBe(400);
    expect((await form('/oauth/login', { visit: 'forged', ...credentials }, cookie)).status).toBe(403);
    expect((await form('/oauth/consent', { visit: formToken, decision: 'allow' }, cookie)).status).toBe(400);
    const ok = await form('/oauth/login', { visit: formToken, ...credentials }, cookie);
    expect(ok.status).toBe(303);
    expect((await form('/oauth/consent', { visit: formToken, decision: 'maybe' }, cookie)).status).toBe(400);
  });

  it('ends the visit after five wrong passwords', async () => {
    const { form, openLogin } = setup();
    const { cookie, formToken } = await openLogin();
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(
        (await form('/oauth/login', { visit: formToken, username: 'alice', password: 'nope' }, cookie)).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const right = await form(
      '/oauth/login',
      { visit: formToken, username: 'alice', password: 'alice-password' },
      cookie,
    );
    expect(right.status).toBe(400);
    expect(await right.text()).toContain('expired');
  });

  it('asks for a second factor when the holder requires one, and reaches consent only with the right code', async () => {
    const s = setup({
      secondFactor: {
        required: (customerId, request) => customerId === 'c1' && request.headers.get('x-new-device') === '1',
        verify: (_customerId, code) => code === '123456',
      },
    });
    const { cookie, formToken } = await s.openLogin();
    const asked = await s.request('/oauth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, 'x-new-device': '1' },
      body: new URLSearchParams({ visit: formToken, username: 'alice', password: 'alice-password' }).toString(),
    });
    expect(asked.status).toBe(200);
    expect(await asked.text()).toContain('name="otp"');
    expect((await s.request('/oauth/consent', { headers: { cookie } })).status).toBe(400);
    const wrong = await s.form('/oauth/second-factor', { visit: formToken, otp: '000000' }, cookie);
    expect(wrong.status).toBe(401);
    const right = await s.form('/oauth/second-factor', { visit: formToken, otp: '123456' }, cookie);
    expect(right.headers.get('location')).toBe('consent');
    expect((await s.request('/oauth/consent', { headers: { cookie } })).status).toBe(200);
    // Without the rule's condition, no second factor: the usual visit goes straight to consent.
    expect((await s.visit()).code).toBeTruthy();
  });

  it('accepts the redirect URIs a client admits by rule, besides its list', async () => {
    const s = setup({
      clients: [{ ...REFERENCE_CLIENT, acceptsRedirectUri: (uri) => uri.startsWith('http://localhost:8080/api/') }],
    });
    const ask = (redirect: string) => s.request(`/oauth/authorize?${s.authorizeQuery({ redirect_uri: redirect })}`);
    expect((await ask('http://localhost:8080/api/connectors/water/oauth/callback')).status).toBe(200);
    expect((await ask('http://localhost:8081/api/connectors/water/oauth/callback')).status).toBe(400);
  });

  it('lists the doctypes asked for, the client and its purpose on the consent page, escaped', async () => {
    const s = setup({
      clients: [{ ...REFERENCE_CLIENT, name: 'Foyer <script>', purpose: 'Your own copy & nothing else.' }],
    });
    const { cookie, formToken } = await s.openLogin();
    await s.form('/oauth/login', { visit: formToken, username: 'alice', password: 'alice-password' }, cookie);
    const consent = await s.request('/oauth/consent', { headers: { cookie } });
    const html = await consent.text();
    expect(html).toContain('Foyer &lt;script&gt;');
    expect(html).toContain('Your own copy &amp; nothing else.');
    expect(html).toContain('<code>bill</code>');
    expect(html).not.toContain('water.daily');
    expect(consent.headers.get('content-security-policy')).toContain('form-action');
  });

  it('sends a refusal back as access_denied with the state and the issuer', async () => {
    const { location } = await setup().visit({ decision: 'deny' });
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'st',
      iss: 'http://holder.test',
    });
  });
});

describe('createHolderKit: tokens', () => {
  it('refuses an expired code, a code for another redirect URI, and malformed token requests', async () => {
    const s = setup();
    const a = await s.visit();
    s.clock.advance(61_000);
    expect(await (await s.exchange(a.code, a.verifier)).json()).toMatchObject({ error: 'invalid_grant' });

    const b = await s.visit();
    const other = await s.exchange(b.code, b.verifier, { redirect_uri: 'http://127.0.0.1/elsewhere' });
    expect(await other.json()).toMatchObject({ error: 'invalid_grant' });

    const json = await s.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const repeated = await s.request('/oauth/token', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&grant_type=refresh_token&client_id=foyer',
    });
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });
    const password = await s.form('/oauth/token', { grant_type: 'password', client_id: 'foyer' });
    expect(await password.json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await s.form('/oauth/token', { grant_type: 'refresh_token' })).status).toBe(400);
  });

  it('revokes the tokens a code gave when the code is used again', async () => {
    const s = setup();
    const { code, verifier } = await s.visit();
    const first = (await (await s.exchange(code, verifier)).json()) as { access_token: string };
    expect((await s.data(first.access_token, '/v1/data/bill')).status).toBe(200);
    expect(await (await s.exchange(code, verifier)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await s.data(first.access_token, '/v1/data/bill')).status).toBe(401);
  });

  it('lets access tokens expire on the clock, and refresh give new ones', async () => {
    const s = setup();
    const t = await s.tokens();
    s.clock.advance(601_000);
    const expired = await s.data(t.access_token, '/v1/data/bill');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const renewed = (await (await s.refresh(t.refresh_token)).json()) as { access_token: string };
    expect((await s.data(renewed.access_token, '/v1/data/bill')).status).toBe(200);
  });

  it('narrows an access token on refresh, refuses widening, and revokes the consent when an old refresh token returns', async () => {
    const s = setup();
    const t = await s.tokens();
    const wider = await s.refresh(t.refresh_token, { scope: 'bill telecom.call' });
    expect(await wider.json()).toMatchObject({ error: 'invalid_scope' });
    // A refused request does not spend the refresh token.
    const u = t;
    const narrow = (await (await s.refresh(u.refresh_token, { scope: 'bill' })).json()) as {
      access_token: string;
      refresh_token: string;
      scope: string;
    };
    expect(narrow.scope).toBe('bill');
    expect((await s.data(narrow.access_token, '/v1/data/water.daily')).status).toBe(403);
    const again = (await (await s.refresh(narrow.refresh_token)).json()) as { access_token: string; scope: string };
    expect(again.scope).toBe('water.daily bill');
    expect(await (await s.refresh(u.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
    expect((await s.data(again.access_token, '/v1/data/bill')).status).toBe(401);
  });

  it('stops refreshing once the consent has expired', async () => {
    const s = setup({ lifetimes: { consentSeconds: 3600, refreshTokenSeconds: 7200 } });
    const t = await s.tokens();
    s.clock.advance(3_601_000);
    expect(await (await s.refresh(t.refresh_token)).json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes: an access token alone, a refresh token with its whole consent; another client may not', async () => {
    const other = { ...REFERENCE_CLIENT, clientId: 'other' };
    const s = setup({ clients: [REFERENCE_CLIENT, other] });
    const t = await s.tokens();
    const byOther = await s.form('/oauth/revoke', { token: t.access_token, client_id: 'other' });
    expect(await byOther.json()).toMatchObject({ error: 'invalid_request' });
    expect((await s.form('/oauth/revoke', { token: t.access_token, client_id: 'foyer' })).status).toBe(200);
    expect((await s.data(t.access_token, '/v1/data/bill')).status).toBe(401);
    const renewed = (await (await s.refresh(t.refresh_token)).json()) as {
      access_token: string;
      refresh_token: string;
    };
    expect((await s.data(renewed.access_token, '/v1/data/bill')).status).toBe(200);
    await s.form('/oauth/revoke', {
      token: renewed.refresh_token,
      client_id: 'foyer',
      token_type_hint: 'refresh_token',
    });
    expect((await s.data(renewed.access_token, '/v1/data/bill')).status).toBe(401);
    expect((await s.form('/oauth/revoke', { client_id: 'foyer' })).status).toBe(400);
    expect((await s.form('/oauth/revoke', { token: 'x', client_id: 'nobody' })).status).toBe(401);
  });
});

describe('createHolderKit: data', () => {
  it('serves the customer who logged in, and only them', async () => {
    const s = setup();
    const alice = await s.tokens();
    const bob = await s.tokens({ username: 'bob', password: 'bob-password' });
    const aliceKeys = await walkAll((p) => s.data(alice.access_token, p), '/v1/data/water.daily?limit=50');
    const bobKeys = await walkAll((p) => s.data(bob.access_token, p), '/v1/data/water.daily?limit=50');
    expect(aliceKeys).toHaveLength(180);
    expect(bobKeys).toHaveLength(90);
    expect(aliceKeys.every((k) => k.startsWith('W1-'))).toBe(true);
    expect(bobKeys.every((k) => k.startsWith('W2-'))).toBe(true);
  });

  it('refuses a cursor issued to another customer, for another doctype, or by another secret', async () => {
    const s = setup();
    const alice = await s.tokens();
    const bob = await s.tokens({ username: 'bob', password: 'bob-password' });
    const page = (await (await s.data(alice.access_token, '/v1/data/water.daily?limit=5')).json()) as { next: string };
    const ok = await s.data(alice.access_token, `/v1/data/water.daily?cursor=${page.next}`);
    expect(ok.status).toBe(200);
    for (const [token, path] of [
      [bob.access_token, `/v1/data/water.daily?cursor=${page.next}`],
      [alice.access_token, `/v1/data/bill?cursor=${page.next}`],
    ] as const) {
      expect(await (await s.data(token, path)).json()).toMatchObject({ error: 'invalid_cursor' });
    }
    const elsewhere = setup();
    const t = await elsewhere.tokens();
    const foreign = await elsewhere.data(t.access_token, `/v1/data/water.daily?cursor=${page.next}`);
    expect(await foreign.json()).toMatchObject({ error: 'invalid_cursor' });
  });

  it('keeps tokens and cursors valid across instances that share a store and a cursor secret', async () => {
    const a = setup({ store: createMemoryHolderKitStore({ clock: manualClock() }), cursorSecret: randomBytes(32) });
    const t = await a.tokens();
    const page = (await (await a.data(t.access_token, '/v1/data/water.daily?limit=5')).json()) as { next: string };
    // A second instance behind the same load balancer: same options, so same store and secret.
    const b = createHolderKit(a.reference.options);
    const r = await b.request(`http://holder.test/v1/data/water.daily?cursor=${page.next}`, {
      headers: { authorization: `Bearer ${t.access_token}` },
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0);
  });

  it('refuses since together with a cursor of another since, and accepts the same since', async () => {
    const s = setup();
    const t = await s.tokens();
    const since = encodeURIComponent('2026-02-01T00:00:00+01:00');
    const page = (await (await s.data(t.access_token, `/v1/data/water.daily?since=${since}&limit=5`)).json()) as {
      next: string;
    };
    const same = await s.data(t.access_token, `/v1/data/water.daily?since=${since}&cursor=${page.next}`);
    expect(same.status).toBe(200);
    const other = await s.data(t.access_token, `/v1/data/water.daily?since=2026-01-01T00:00:00Z&cursor=${page.next}`);
    expect(await other.json()).toMatchObject({ error: 'invalid_cursor' });
  });

  it('answers items changed strictly after since, as RFC 3339 instants in UTC', async () => {
    const s = setup();
    const t = await s.tokens();
    const body = (await (await s.data(t.access_token, '/v1/data/bill?since=2026-02-07T06:00:00Z')).json()) as {
      items: { key: string; updatedAt: string }[];
    };
    expect(body.items.map((i) => i.updatedAt)).toEqual(['2026-03-09T06:00:00.000Z']);
  });

  it('keeps a walk stable while items are appended or changed behind it; the next since picks them up', async () => {
    const s = setup();
    const t = await s.tokens();
    const get = async (path: string) =>
      (await (await s.data(t.access_token, path)).json()) as {
        items: { key: string; updatedAt: string }[];
        next: string | null;
      };
    const first = await get('/v1/data/water.daily?limit=50');
    // While the customer's client walks, the holder appends a reading and corrects an old one.
    s.clock.advance(1000);
    const now = s.clock.now();
    s.reference.upsert('c1', 'water.daily', {
      key: 'W1-0001/2026-03-10',
      updatedAt: now,
      data: { meterId: 'W1-0001', date: '2026-03-10', volumeLitres: 1 },
    });
    s.reference.upsert('c1', 'water.daily', {
      key: first.items[0]!.key,
      updatedAt: now,
      data: { meterId: 'W1-0001', date: '2025-12-10', volumeLitres: 2 },
    });
    const keys = first.items.map((i) => i.key);
    let next = first.next;
    let last = first.items[first.items.length - 1]!.updatedAt;
    while (next) {
      const page = await get(`/v1/data/water.daily?limit=50&cursor=${next}`);
      keys.push(...page.items.map((i) => i.key));
      last = page.items[page.items.length - 1]?.updatedAt ?? last;
      next = page.next;
    }
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).not.toContain('W1-0001/2026-03-10');
    expect(keys).toHaveLength(180);
    s.clock.advance(1);
    const after = await get(`/v1/data/water.daily?since=${last}`);
    expect(after.items.map((i) => i.key).sort()).toEqual([first.items[0]!.key, 'W1-0001/2026-03-10'].sort());
  });

  it('never serves an item before its updatedAt: a day appears at 06:00 the next day', async () => {
    const s = setup({ lifetimes: { accessTokenSeconds: 86_400 } });
    const t = await s.tokens();
    s.reference.upsert('c1', 'water.daily', {
      key: 'W1-0001/2026-03-10',
      updatedAt: Date.UTC(2026, 2, 11, 6),
      data: { meterId: 'W1-0001', date: '2026-03-10', volumeLitres: 1 },
    });
    const keys = () => walkAll((p) => s.data(t.access_token, p), '/v1/data/water.daily?limit=50');
    expect(await keys()).not.toContain('W1-0001/2026-03-10');
    s.clock.set(Date.UTC(2026, 2, 11, 5, 59));
    expect(await keys()).not.toContain('W1-0001/2026-03-10');
    s.clock.set(Date.UTC(2026, 2, 11, 6, 0, 0, 1));
    expect(await keys()).toContain('W1-0001/2026-03-10');
  });

  it('refuses a malformed since, limit or cursor with its own error code', async () => {
    const s = setup();
    const t = await s.tokens();
    const cases: [string, string][] = [
      ['since=2026-03-01', 'invalid_since'],
      ['since=2026-02-29T00:00:00Z', 'invalid_since'],
      ['since=2026-03-01T24:00:00Z', 'invalid_since'],
      ['limit=51', 'invalid_limit'],
      ['limit=-1', 'invalid_limit'],
      ['limit=1.5', 'invalid_limit'],
      ['limit=', 'invalid_limit'],
      ['cursor=', 'invalid_cursor'],
      [`cursor=${'a'.repeat(5000)}.b`, 'invalid_cursor'],
      ['cursor=abc.def.ghi', 'invalid_cursor'],
    ];
    for (const [query, error] of cases) {
      const r = await s.data(t.access_token, `/v1/data/water.daily?${query}`);
      expect([query, r.status, ((await r.json()) as { error: string }).error]).toEqual([query, 400, error]);
    }
  });

  it('answers 404 for a doctype it does not offer and 403 with the scope for one not consented to', async () => {
    const s = setup();
    const t = await s.tokens({ scopes: ['bill'] });
    expect(await (await s.data(t.access_token, '/v1/data/telecom.call')).json()).toMatchObject({
      error: 'unknown_doctype',
    });
    const denied = await s.data(t.access_token, '/v1/data/water.daily');
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('scope="water.daily"');
  });

  it('answers 429 with Retry-After past the rate limit, per consent and per minute of the clock', async () => {
    const s = setup({ rateLimit: { requestsPerMinute: 3 } });
    const t = await s.tokens();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await s.data(t.access_token, '/v1/data/bill')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await s.data(t.access_token, '/v1/data/bill');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await s.tokens();
    expect((await s.data(other.access_token, '/v1/data/bill')).status).toBe(200);
    s.clock.advance(60_000);
    expect((await s.data(t.access_token, '/v1/data/bill')).status).toBe(200);
  });

  it('answers a plain server_error when a dataset fails or breaks its limit, and tells the holder', async () => {
    const errors: unknown[] = [];
    const clock = manualClock(Date.UTC(2026, 2, 10, 12));
    const reference = createReferenceHolder({ clock });
    const [water, bill] = reference.options.datasets;
    const s = setup({
      onError: (e) => errors.push(e),
      datasets: [
        { ...water!, list: () => Promise.reject(new Error('connection to db-7 refused')) },
        {
          ...bill!,
          list: (_c, q) => ({
            items: Array.from({ length: q.limit + 1 }, (_, i) => ({ key: `k${i}`, updatedAt: 0, data: {} })),
            next: null,
          }),
        },
      ],
    });
    const t = await s.tokens();
    for (const path of ['/v1/data/water.daily', '/v1/data/bill?limit=2']) {
      const r = await s.data(t.access_token, path);
      expect(r.status).toBe(500);
      const text = await r.text();
      expect(text).toContain('server_error');
      expect(text).not.toContain('db-7');
    }
    expect(errors).toHaveLength(2);
  });
});

describe('createHolderKit: files', () => {
  it('serves a bill PDF with its length and ETag, 304 on a match, 404 for another customer’s file', async () => {
    const s = setup();
    const t = await s.tokens();
    const bills = (await (await s.data(t.access_token, '/v1/data/bill')).json()) as {
      items: { files: { id: string; contentType: string }[] }[];
    };
    const fileId = bills.items[0]!.files[0]!.id;
    expect(bills.items[0]!.files[0]!.contentType).toBe('application/pdf');
    const r = await s.data(t.access_token, `/v1/files/${fileId}`);
    const bytes = new Uint8Array(await r.arrayBuffer());
    expect(r.headers.get('content-type')).toBe('application/pdf');
    expect(Number(r.headers.get('content-length'))).toBe(bytes.length);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    const etag = r.headers.get('etag')!;
    const again = await s.request(`/v1/files/${fileId}`, {
      headers: { authorization: `Bearer ${t.access_token}`, 'if-none-match': `W/${etag}` },
    });
    expect(again.status).toBe(304);
    const bob = await s.tokens({ username: 'bob', password: 'bob-password' });
    expect((await s.data(bob.access_token, `/v1/files/${fileId}`)).status).toBe(404);
    expect((await s.data(t.access_token, '/v1/files/..%2Fetc')).status).toBe(404);
  });

  it('refuses a file whose doctype the token was not given', async () => {
    const s = setup();
    const all = await s.tokens();
    const fileId = (
      (await (await s.data(all.access_token, '/v1/data/bill')).json()) as { items: { files: { id: string }[] }[] }
    ).items[0]!.files[0]!.id;
    const water = await s.tokens({ scopes: ['water.daily'] });
    expect(await (await s.data(water.access_token, `/v1/files/${fileId}`)).json()).toMatchObject({
      error: 'insufficient_scope',
    });
  });
});

describe('docs/holder-kit.openapi.yaml', () => {
  it('documents every route the Kit serves and every member of the discovery document', async () => {
    const { readFile } = await import('node:fs/promises');
    const yaml = await readFile(new URL('../../docs/holder-kit.openapi.yaml', import.meta.url), 'utf8');
    const { app } = setup();
    const paths = new Set(app.routes.map((r) => r.path.replace(/:(\w+)/g, '{$1}')).filter((p) => p !== '/*'));
    expect(paths.size).toBeGreaterThan(8);
    for (const path of paths) expect(yaml).toContain(`\n  ${path}:\n`);
    const required = /Discovery:\n\s+type: object\n\s+required: \[([^\]]+)\]/.exec(yaml)![1]!.split(/,\s*/);
    expect(required.sort()).toEqual(Object.keys(discoveryDocumentSchema.shape).sort());
  });
});
