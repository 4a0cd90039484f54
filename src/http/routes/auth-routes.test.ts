import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { browserSession, parseSetCookie, type BrowserSession } from '../../testing/browser-session.js';
import { jsonBody as json } from '../../testing/json-body.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../../testing/test-foyer.js';
import { transaction } from '../../testing/transactions.js';

const NEW_PASSPHRASE = 'a brand new passphrase 2026';
const TX = '/api/data/bank.transaction';
const tx = transaction();

/** Request options of a browser holding `s`; `csrf: false` leaves the header out, as a cross-site form would. */
function as(s: BrowserSession, options: { csrf?: string | false } = {}) {
  const csrf = options.csrf === undefined ? s.csrfToken : options.csrf;
  return { token: null, headers: { cookie: s.cookie, ...(csrf === false ? {} : { 'x-csrf-token': csrf }) } };
}

async function loginRaw(f: TestFoyer, passphrase: string, userAgent = 'test-browser'): Promise<Response> {
  return f.request('/api/auth/login', {
    method: 'POST',
    json: { passphrase },
    token: null,
    headers: { 'user-agent': userAgent },
  });
}

async function login(f: TestFoyer, passphrase = TEST_PASSPHRASE, userAgent?: string): Promise<BrowserSession> {
  const res = await loginRaw(f, passphrase, userAgent);
  expect(res.status).toBe(200);
  return browserSession(res.headers.getSetCookie());
}

/** 200 while the session is alive, 401 once it has ended. */
const tokensStatus = async (f: TestFoyer, s: BrowserSession) => (await f.request('/api/tokens', as(s))).status;

describe('first run over HTTP', () => {
  const clock = manualClock();
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
  });
  afterAll(() => f.close());

  const init = (body: unknown) => f.request('/api/auth/init', { method: 'POST', json: body, token: null });

  it('reports a space without a passphrase as not initialised', async () => {
    const res = await f.request('/api/auth/status', { token: null });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ initialised: false, authenticated: false, via: null });
  });

  it('refuses to initialise without a setup code, with a wrong one, or before any was issued', async () => {
    const missing = await init({ passphrase: TEST_PASSPHRASE });
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.message).toMatch(/setupCode/);

    const notIssued = await init({ passphrase: TEST_PASSPHRASE, setupCode: 'AAAAAAAAAAAAAAAA' });
    expect(notIssued.status).toBe(401);
    expect((await json(notIssued)).error.code).toBe('invalid_credentials');

    f.foyer.setupCodes.issue('default');
    const wrong = await init({ passphrase: TEST_PASSPHRASE, setupCode: 'AAAAAAAAAAAAAAAA' });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.code).toBe('invalid_credentials');
    expect(wrong.headers.getSetCookie()).toEqual([]);
    expect((await json(await f.request('/api/auth/status', { token: null }))).initialised).toBe(false);
  });

  it('refuses an expired setup code', async () => {
    const code = f.foyer.setupCodes.issue('default');
    clock.advance(24 * 60 * 60 * 1000);
    const res = await init({ passphrase: TEST_PASSPHRASE, setupCode: code });
    expect(res.status).toBe(401);
    expect((await json(res)).error.code).toBe('invalid_credentials');
  });

  it.each([
    ['too short', 'short one', 'minLength', /at least 12 characters/],
    ['one repeated character', 'zzzzzzzzzzzzzzzz', 'notRepeated', /must not repeat a single character/],
    ['a NUL character', 'twelve chars\u0000 and more', 'noNul', /NUL/],
  ])(
    'refuses a passphrase that is %s, naming the rule, and keeps the setup code usable',
    async (_l, passphrase, rule, message) => {
      const code = f.foyer.setupCodes.issue('default');
      const res = await init({ passphrase, setupCode: code });
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(message);
      expect(error.details).toMatchObject({ field: 'passphrase', rule });
      expect(f.foyer.setupCodes.check('default', code)).toBe(true);
    },
  );

  it('initialises with the right setup code, logging the owner in with strict cookies', async () => {
    const code = f.foyer.setupCodes.issue('default');
    const res = await init({ passphrase: TEST_PASSPHRASE, setupCode: code });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ ok: true, csrfToken: expect.any(String), expiresAt: expect.any(String) });

    const cookies = res.headers.getSetCookie().map(parseSetCookie);
    const session = cookies.find((c) => c.name === 'foyer_session')!;
    const csrf = cookies.find((c) => c.name === 'foyer_csrf')!;
    expect(session.value).toMatch(/^foyer_s_[A-Za-z0-9_-]{43}$/);
    expect(session.attributes.get('httponly')).toBe(true);
    expect(session.attributes.get('samesite')).toBe('Strict');
    expect(session.attributes.get('path')).toBe('/');
    expect(session.attributes.has('secure')).toBe(false);
    // The cookie outlasts the idle expiry: the server ends an unused session, not the browser.
    expect(Date.parse(session.attributes.get('expires') as string)).toBeGreaterThan(Date.parse(body.expiresAt));
    // The page reads the CSRF cookie to echo it: it must not be HttpOnly.
    expect(csrf.value).toBe(body.csrfToken);
    expect(csrf.attributes.has('httponly')).toBe(false);
    expect(csrf.attributes.get('samesite')).toBe('Strict');

    const s = browserSession(res.headers.getSetCookie());
    const status = await json(await f.request('/api/auth/status', as(s)));
    expect(status).toEqual({ initialised: true, authenticated: true, via: 'session' });
    // The code was used up.
    expect(f.foyer.setupCodes.check('default', code)).toBe(false);
  });

  it('refuses a second initialisation, even with a fresh setup code', async () => {
    const code = f.foyer.setupCodes.issue('default');
    const res = await init({ passphrase: NEW_PASSPHRASE, setupCode: code });
    expect(res.status).toBe(409);
    expect((await json(res)).error.code).toBe('already_initialised');
    expect((await loginRaw(f, NEW_PASSPHRASE)).status).toBe(401);
    expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(200);
  });
});

describe('sessions over HTTP', () => {
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer();
    await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
  });
  afterAll(() => f.close());
  afterEach(async () => {
    // Each test starts with no session open and the original passphrase.
    await f.foyer.ownerAuth.logoutEverywhere('default');
  });

  it('logs in with the right passphrase and refuses a wrong one without setting cookies', async () => {
    const wrong = await loginRaw(f, 'not the passphrase at all');
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.code).toBe('invalid_credentials');
    expect(wrong.headers.getSetCookie()).toEqual([]);

    const right = await loginRaw(f, TEST_PASSPHRASE);
    expect(right.status).toBe(200);
    expect((await json(right)).csrfToken).toEqual(expect.any(String));
    expect(
      right.headers
        .getSetCookie()
        .map((c) => parseSetCookie(c).name)
        .sort(),
    ).toEqual(['foyer_csrf', 'foyer_session']);
  });

  it('refuses a login body that is not a passphrase', async () => {
    const res = await f.request('/api/auth/login', { method: 'POST', json: { passphrase: 42 }, token: null });
    expect(res.status).toBe(400);
    expect((await json(res)).error.code).toBe('validation_failed');
  });

  it('reads and writes data with the session cookie and the CSRF header', async () => {
    const s = await login(f);
    const put = await f.request(`${TX}/by-session`, { method: 'PUT', json: tx, ...as(s) });
    expect(put.status).toBe(201);
    // Safe methods need the cookie only.
    const get = await f.request(`${TX}/by-session`, as(s, { csrf: false }));
    expect(get.status).toBe(200);
    expect((await json(get))._meta.createdBy).toMatchObject({ kind: 'owner', via: 'session' });
  });

  it('refuses an unsafe request without the CSRF header, or with a wrong one, and writes nothing', async () => {
    const s = await login(f);
    const other = await login(f);
    for (const csrf of [false, 'x'.repeat(43), other.csrfToken, ''] as const) {
      const res = await f.request(`${TX}/csrf-victim`, { method: 'PUT', json: tx, ...as(s, { csrf }) });
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe('csrf_failed');
    }
    expect((await f.request(`${TX}/csrf-victim`, as(s))).status).toBe(404);
    expect((await f.request(`${TX}/csrf-victim`, { method: 'PUT', json: tx, ...as(s) })).status).toBe(201);
  });

  it('refuses a cross-site form post that carries the cookie but not the header', async () => {
    const s = await login(f);
    const forms = [
      ['/api/tokens', 'label=stolen'],
      ['/api/auth/logout-everywhere', ''],
      ['/api/auth/passphrase', `currentPassphrase=${TEST_PASSPHRASE}&newPassphrase=${NEW_PASSPHRASE}`],
    ] as const;
    for (const [path, body] of forms) {
      const res = await f.request(path, {
        method: 'POST',
        body,
        token: null,
        headers: {
          cookie: s.cookie,
          origin: 'https://evil.example',
          'content-type': 'application/x-www-form-urlencoded',
        },
      });
      expect(res.status).toBe(403);
      expect((await json(res)).error.code).toBe('csrf_failed');
    }
    // Nothing happened: no token, the session lives on, the passphrase is unchanged.
    expect((await json(await f.request('/api/tokens', as(s)))).tokens).toEqual([]);
    expect(await tokensStatus(f, s)).toBe(200);
    expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(200);
  });

  it('ends the session at logout and clears the cookies', async () => {
    const s = await login(f);
    const other = await login(f);
    const res = await f.request('/api/auth/logout', { method: 'POST', ...as(s) });
    expect(res.status).toBe(200);
    const cleared = res.headers.getSetCookie().map(parseSetCookie);
    expect(cleared.map((c) => [c.name, c.value, c.attributes.get('max-age')])).toEqual([
      ['foyer_session', '', '0'],
      ['foyer_csrf', '', '0'],
    ]);
    expect(await tokensStatus(f, s)).toBe(401);
    expect((await json(await f.request('/api/auth/status', as(s)))).authenticated).toBe(false);
    expect(await tokensStatus(f, other)).toBe(200);
  });

  it('answers a logout without a session with success', async () => {
    const res = await f.request('/api/auth/logout', { method: 'POST', token: null });
    expect(res.status).toBe(200);
  });

  it('ends every session at logout everywhere', async () => {
    const a = await login(f);
    const b = await login(f);
    const res = await f.request('/api/auth/logout-everywhere', { method: 'POST', ...as(a) });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ ok: true, ended: 2 });
    expect(await tokensStatus(f, a)).toBe(401);
    expect(await tokensStatus(f, b)).toBe(401);
  });

  it('refuses owner-only auth routes without a session or token', async () => {
    for (const [method, path] of [
      ['GET', '/api/auth/sessions'],
      ['POST', '/api/auth/logout-everywhere'],
      ['DELETE', '/api/auth/sessions/0123456789ab'],
      ['POST', '/api/auth/passphrase'],
    ] as const) {
      const res = await f.request(path, { method, token: null });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('lists the open sessions, marking the current one, without their secrets', async () => {
    const a = await login(f, TEST_PASSPHRASE, 'browser-a');
    const b = await login(f, TEST_PASSPHRASE, 'browser-b');
    const fromA = (await json(await f.request('/api/auth/sessions', as(a)))).sessions as Record<string, unknown>[];
    expect(fromA).toHaveLength(2);
    expect(fromA.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['browser-a']);
    const fromB = (await json(await f.request('/api/auth/sessions', as(b)))).sessions as Record<string, unknown>[];
    expect(fromB.filter((s) => s.current).map((s) => s.userAgent)).toEqual(['browser-b']);
    for (const s of fromA) {
      expect(Object.keys(s).sort()).toEqual([
        'createdAt',
        'current',
        'expiresAt',
        'ip',
        'lastSeenAt',
        'sessionId',
        'userAgent',
      ]);
      expect(s.ip).toMatch(/127\.0\.0\.1/);
    }
    const text = JSON.stringify(fromA);
    for (const secret of [a.csrfToken, b.csrfToken, a.cookie.split('; ')[0]!.split('=')[1]!])
      expect(text).not.toContain(secret);
  });

  it('revokes one session, leaving the others', async () => {
    const a = await login(f, TEST_PASSPHRASE, 'browser-a');
    const b = await login(f, TEST_PASSPHRASE, 'browser-b');
    const sessions = (await json(await f.request('/api/auth/sessions', as(a)))).sessions as Record<string, string>[];
    const bId = sessions.find((s) => s.userAgent === 'browser-b')!.sessionId;
    const res = await f.request(`/api/auth/sessions/${bId}`, { method: 'DELETE', ...as(a) });
    expect(res.status).toBe(200);
    expect(await tokensStatus(f, b)).toBe(401);
    expect(await tokensStatus(f, a)).toBe(200);
    const again = await f.request(`/api/auth/sessions/${bId}`, { method: 'DELETE', ...as(a) });
    expect(again.status).toBe(404);
    expect((await json(again)).error.code).toBe('not_found');
  });

  describe('changing the passphrase', () => {
    afterAll(async () => {
      // Later tests log in with the original passphrase.
      const s = await login(f, NEW_PASSPHRASE);
      await f.request('/api/auth/passphrase', {
        method: 'POST',
        json: { currentPassphrase: NEW_PASSPHRASE, newPassphrase: TEST_PASSPHRASE },
        ...as(s),
      });
    });

    const change = (s: BrowserSession, currentPassphrase: string, newPassphrase: string) =>
      f.request('/api/auth/passphrase', { method: 'POST', json: { currentPassphrase, newPassphrase }, ...as(s) });

    it('refuses a weak new passphrase, naming the field and the rule', async () => {
      const s = await login(f);
      const res = await change(s, TEST_PASSPHRASE, 'too short');
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error.message).toMatch(/newPassphrase must be at least 12 characters/);
      expect(error.details).toMatchObject({ field: 'newPassphrase', rule: 'minLength' });
      expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(200);
    });

    it('refuses a wrong current passphrase and changes nothing', async () => {
      const s = await login(f);
      const other = await login(f);
      const res = await change(s, 'not the passphrase at all', NEW_PASSPHRASE);
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('invalid_credentials');
      expect(await tokensStatus(f, other)).toBe(200);
      expect((await loginRaw(f, NEW_PASSPHRASE)).status).toBe(401);
    });

    it('refuses to change it with a token: that needs a browser session', async () => {
      const { token } = await f.foyer.ownerAuth.createToken('default', { label: 'script' });
      const res = await f.request('/api/auth/passphrase', {
        method: 'POST',
        json: { currentPassphrase: TEST_PASSPHRASE, newPassphrase: NEW_PASSPHRASE },
        token,
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toMatch(/browser session/);
      expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(200);
    });

    it('ends the other sessions, keeps this one, and retires the old passphrase', async () => {
      const s = await login(f);
      const other = await login(f);
      const res = await change(s, TEST_PASSPHRASE, NEW_PASSPHRASE);
      expect(res.status).toBe(200);
      expect(await json(res)).toEqual({ ok: true, sessionsEnded: 1 });
      expect(await tokensStatus(f, other)).toBe(401);
      expect(await tokensStatus(f, s)).toBe(200);
      const old = await loginRaw(f, TEST_PASSPHRASE);
      expect(old.status).toBe(401);
      expect((await loginRaw(f, NEW_PASSPHRASE)).status).toBe(200);
    });
  });
});

describe('session lifetime over HTTP', () => {
  const clock = manualClock();
  const day = 24 * 60 * 60 * 1000;
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
    await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
  });
  afterAll(() => f.close());

  const cookieExpiry = (res: Response) => {
    const session = res.headers
      .getSetCookie()
      .map(parseSetCookie)
      .find((c) => c.name === 'foyer_session')!;
    return Date.parse(session.attributes.get('expires') as string);
  };

  it('keeps the cookie as long as use keeps the session alive, and ends an idle session', async () => {
    const res = await loginRaw(f, TEST_PASSPHRASE);
    const s = browserSession(res.headers.getSetCookie());
    const expires = cookieExpiry(res);
    // Used every six days, the session outlives its first week: the browser must still hold the cookie.
    for (let i = 0; i < 3; i++) {
      clock.advance(6 * day);
      expect(clock.now()).toBeLessThan(expires);
      expect(await tokensStatus(f, s)).toBe(200);
    }
    // Left idle for its sliding lifetime, it ends even though the cookie is still there.
    clock.advance(7 * day);
    expect(clock.now()).toBeLessThan(expires);
    expect(await tokensStatus(f, s)).toBe(401);
  });

  it('ends a session at its absolute lifetime however much it is used, when the cookie goes too', async () => {
    const res = await loginRaw(f, TEST_PASSPHRASE);
    const s = browserSession(res.headers.getSetCookie());
    const expires = cookieExpiry(res);
    while (clock.now() + 6 * day < expires) {
      clock.advance(6 * day);
      expect(await tokensStatus(f, s)).toBe(200);
    }
    clock.set(expires);
    expect(await tokensStatus(f, s)).toBe(401);
  });
});

describe('client addresses and X-Forwarded-For', () => {
  const wrongLogin = (f: TestFoyer, forwardedFor: string) =>
    f.request('/api/auth/login', {
      method: 'POST',
      json: { passphrase: 'guess guess guess' },
      token: null,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('behind a trusted proxy, takes the address the proxy appended, so a client cannot spoof its way past the throttle', async () => {
    const f = await startTestFoyer({ env: { FOYER_TRUST_PROXY: 'true' } });
    try {
      await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
      // The client sends its own X-Forwarded-For; the proxy appends the address it really saw.
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await wrongLogin(f, `10.0.0.${i}, 203.0.113.7`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
      // Another client behind the same proxy is not held back.
      const other = await f.request('/api/auth/login', {
        method: 'POST',
        json: { passphrase: TEST_PASSPHRASE },
        token: null,
        headers: { 'x-forwarded-for': '198.51.100.1' },
      });
      expect(other.status).toBe(200);
      const s = browserSession(other.headers.getSetCookie());
      const { sessions } = await json(await f.request('/api/auth/sessions', as(s)));
      expect(sessions.map((x: { ip: string }) => x.ip)).toEqual(['198.51.100.1']);
    } finally {
      await f.close();
    }
  });

  it('without a trusted proxy, ignores X-Forwarded-For entirely', async () => {
    const f = await startTestFoyer();
    try {
      await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await wrongLogin(f, `10.0.0.${i}`)).status);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    } finally {
      await f.close();
    }
  });
});

describe('cookies behind https', () => {
  it('marks both cookies Secure when the public URL is https', async () => {
    const f = await startTestFoyer({ env: { FOYER_PUBLIC_URL: 'https://foyer.example' } });
    try {
      await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
      const res = await loginRaw(f, TEST_PASSPHRASE);
      const cookies = res.headers.getSetCookie().map(parseSetCookie);
      expect(cookies.map((c) => [c.name, c.attributes.get('secure')])).toEqual([
        ['foyer_session', true],
        ['foyer_csrf', true],
      ]);
    } finally {
      await f.close();
    }
  });
});

describe('login throttling over HTTP', () => {
  const clock = manualClock();
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
    await f.foyer.ownerAuth.init('default', TEST_PASSPHRASE);
  });
  afterAll(() => f.close());

  it('answers 429 with Retry-After after repeated failures, refusing even the right passphrase until the delay passes', async () => {
    const wrong = 'guess guess guess';
    for (let i = 0; i < 5; i++) expect((await loginRaw(f, wrong)).status).toBe(401);

    const limited = await loginRaw(f, wrong);
    expect(limited.status).toBe(429);
    expect((await json(limited)).error.code).toBe('too_many_requests');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);

    const right = await loginRaw(f, TEST_PASSPHRASE);
    expect(right.status).toBe(429);
    expect(right.headers.getSetCookie()).toEqual([]);

    clock.advance(retryAfter * 1000 - 1);
    expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(429);
    clock.advance(1);
    // One more wrong guess is heard, and the next delay is longer.
    expect((await loginRaw(f, wrong)).status).toBe(401);
    const longer = await loginRaw(f, TEST_PASSPHRASE);
    expect(longer.status).toBe(429);
    expect(Number(longer.headers.get('retry-after'))).toBeGreaterThan(retryAfter);

    clock.advance(Number(longer.headers.get('retry-after')) * 1000);
    expect((await loginRaw(f, TEST_PASSPHRASE)).status).toBe(200);
    // A success forgets the failures.
    expect((await loginRaw(f, wrong)).status).toBe(401);
  });
});
