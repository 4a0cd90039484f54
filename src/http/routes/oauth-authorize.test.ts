/**
 * The OAuth provider refusing what it must: bad redirect URIs, missing or plain PKCE, wrong
 * verifiers, reused and expired codes, unapproved clients, bad client credentials, CSRF on the
 * consent form, clients trying to approve themselves, and bad registrations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { BrowserSession } from '../../testing/browser-session.js';
import { jsonBody } from '../../testing/json-body.js';
import {
  authorizeInBrowser,
  browse,
  clientMetadata,
  formFields,
  ownerClient,
  ownerLogin,
  pkce,
  startFakeClient,
  submitConsent,
  type FakeClientServer,
} from '../../testing/oauth.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

describe('the OAuth provider refuses bad requests', () => {
  const clock = manualClock(Date.now());
  let f: TestFoyer;
  let fake: FakeClientServer;
  let session: BrowserSession;
  let clientId: string;

  beforeAll(async () => {
    f = await startTestFoyer({ overrides: { clock } });
    await f.ownerToken();
    session = await ownerLogin(f);
    fake = await startFakeClient();
    clientId = (await ownerClient(f, clientMetadata(fake))).client.id;
  });
  afterAll(async () => {
    await f.close();
    await fake.close();
  });

  const authUrl = (params: Record<string, string | null> = {}, id = clientId, challenge = pkce().challenge) => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: id,
      redirect_uri: fake.redirectUri,
      scope: 'openid bank.transaction:read',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 'st-1',
    });
    for (const [k, v] of Object.entries(params)) {
      if (v === null) q.delete(k);
      else q.set(k, v);
    }
    return `${f.url}/oauth/authorize?${q}`;
  };

  const token = (form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${f.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(form),
    });

  /** A fresh code for the client, with its verifier. */
  async function codeFor(id = clientId) {
    const p = pkce();
    const back = await authorizeInBrowser(f, session, authUrl({}, id, p.challenge));
    return { code: back.searchParams.get('code')!, verifier: p.verifier };
  }

  const exchange = (code: string, verifier: string, over: Record<string, string> = {}) =>
    token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: fake.redirectUri,
      client_id: clientId,
      ...over,
    });

  async function expectOAuthError(res: Response, status: number, error: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await jsonBody(res);
    expect(body.error).toBe(error);
    expect(typeof body.error_description).toBe('string');
  }

  describe('authorization requests', () => {
    it('shows an error page, never a redirect, for an unregistered redirect_uri or client', async () => {
      for (const url of [
        authUrl({ redirect_uri: `${fake.url}/other` }),
        authUrl({ redirect_uri: 'https://evil.example/cb' }),
        authUrl({ redirect_uri: null }),
        authUrl({}, 'fc_AAAAAAAAAAAAAAAAAAAAAA'),
        authUrl({ client_id: null }),
      ]) {
        const res = await browse(url, session);
        expect(res.status, url).toBeGreaterThanOrEqual(400);
        expect(res.headers.get('location'), url).toBeNull();
        expect(res.headers.get('content-type')).toContain('text/html');
      }
    });

    it('sends PKCE, response_type and scope errors back to the client with state and iss', async () => {
      const cases: [Record<string, string | null>, string, string][] = [
        [{ code_challenge: null, code_challenge_method: null }, 'invalid_request', 'PKCE is required'],
        [{ code_challenge_method: 'plain' }, 'invalid_request', 'S256'],
        [{ code_challenge_method: null }, 'invalid_request', 'S256'],
        [{ code_challenge: 'too-short' }, 'invalid_request', 'code_challenge'],
        [{ response_type: 'token' }, 'unsupported_response_type', 'code'],
        [{ scope: 'openid bank.transaction:delete' }, 'invalid_scope', 'bank.transaction:delete'],
        [{ scope: 'openid energy.contract:read' }, 'invalid_scope', 'energy.contract:read'],
        [{ scope: 'openid email' }, 'invalid_scope', 'email'],
        [{ request: 'eyJ.x.y' }, 'request_not_supported', 'Request objects'],
      ];
      for (const [params, error, words] of cases) {
        const res = await browse(authUrl(params), session);
        expect(res.status, JSON.stringify(params)).toBe(303);
        const back = new URL(res.headers.get('location')!);
        expect(`${back.origin}${back.pathname}`).toBe(fake.redirectUri);
        expect(back.searchParams.get('error'), JSON.stringify(params)).toBe(error);
        expect(back.searchParams.get('error_description')).toContain(words);
        expect(back.searchParams.get('state')).toBe('st-1');
        expect(back.searchParams.get('iss')).toBe(f.url);
      }
    });

    it('refuses a duplicated parameter', async () => {
      const res = await browse(`${authUrl()}&code_challenge=${pkce().challenge}`, session);
      expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
    });

    it('lets a pending or rejected client start nothing, without redirecting to it', async () => {
      const reg = await fetch(`${f.url}/oauth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(clientMetadata(fake, { client_name: 'Unknown Co' })),
      });
      expect(reg.status).toBe(201);
      const pendingId = (await jsonBody(reg)).client_id;
      const pending = await browse(authUrl({}, pendingId), session);
      expect(pending.status).toBe(400);
      expect(pending.headers.get('location')).toBeNull();
      expect(await pending.text()).toContain('waiting for your approval');
      expect((await f.request(`/api/oauth/clients/${pendingId}/reject`, { method: 'POST' })).status).toBe(200);
      const rejected = await browse(authUrl({}, pendingId), session);
      expect(rejected.status).toBe(400);
      expect(await rejected.text()).toContain('was rejected');
      const approveRejected = await f.request(`/api/oauth/clients/${pendingId}/approve`, { method: 'POST' });
      expect(approveRejected.status).toBe(409);
      const client = await jsonBody(await f.request(`/api/oauth/clients/${pendingId}`));
      expect(client.grant).toBeUndefined();
    });

    it('answers prompt=none with login_required or consent_required', async () => {
      const anonymous = await browse(authUrl({ prompt: 'none' }), null);
      expect(new URL(anonymous.headers.get('location')!).searchParams.get('error')).toBe('login_required');
      const logged = await browse(authUrl({ prompt: 'none' }), session);
      expect(new URL(logged.headers.get('location')!).searchParams.get('error')).toBe('consent_required');
    });
  });

  describe('the owner’s login and consent', () => {
    it('asks an owner who is not logged in to log in, then comes back to the consent page', async () => {
      const url = authUrl();
      const page = await browse(url, null);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('action="/oauth/login"');
      const request = formFields(html).find(([k]) => k === 'request')![1];
      const login = (passphrase: string) =>
        fetch(`${f.url}/oauth/login`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request, passphrase }),
        });
      const wrong = await login('not the passphrase at all');
      expect(wrong.status).toBe(401);
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const right = await login('correct horse battery staple');
      expect(right.status).toBe(303);
      expect(right.headers.get('location')).toBe(`/oauth/authorize?${new URL(url).searchParams}`);
      const cookies = right.headers.getSetCookie();
      expect(cookies.some((c) => c.startsWith('foyer_session=') && c.includes('HttpOnly'))).toBe(true);
    });

    it('refuses a consent form without the session’s CSRF token or without a session, changing nothing', async () => {
      const html = await (await browse(authUrl(), session)).text();
      const grantId = formFields(html).find(([k]) => k === 'grant')![1];
      const noCsrf = await submitConsent(f, session, html, 'accept', (fs) => fs.filter(([k]) => k !== 'csrf_token'));
      expect(noCsrf.status).toBe(403);
      const badCsrf = await submitConsent(f, session, html, 'accept', (fs) =>
        fs.map(([k, v]) => [k, k === 'csrf_token' ? 'x'.repeat(43) : v]),
      );
      expect(badCsrf.status).toBe(403);
      const noSession = await submitConsent(f, { cookie: '', csrfToken: '' }, html, 'accept');
      expect(noSession.status).toBe(401);
      const grant = await jsonBody(await f.request(`/api/grants/${grantId}`));
      expect(grant.pending).not.toBeNull();
    });

    it('shows the current text again when the hash does not match the one shown', async () => {
      const html = await (await browse(authUrl(), session)).text();
      const res = await submitConsent(f, session, html, 'accept', (fs) =>
        fs.map(([k, v]) => [k, k === 'consent_hash' ? '0'.repeat(64) : v]),
      );
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('id="consent-text"');
      const grantId = formFields(html).find(([k]) => k === 'grant')![1];
      expect((await jsonBody(await f.request(`/api/grants/${grantId}`))).pending).not.toBeNull();
    });

    it('refuses to accept another grant than the client’s through its form', async () => {
      const other = await f.request('/api/grants', {
        method: 'POST',
        json: {
          grantee: { kind: 'app', id: 'other-app', name: 'Other' },
          terms: {
            scopes: [{ doctype: 'bank.transaction', verbs: ['read'] }],
            purpose: { code: 'personal-insight', text: { en: 'x', fr: 'x' } },
            storage: { kind: 'space' },
            retention: 'P1Y',
            validUntil: new Date(clock.now() + 86400_000).toISOString(),
            onWithdraw: 'delete',
          },
        },
      });
      const otherGrant = await jsonBody(other);
      const html = await (await browse(authUrl(), session)).text();
      const res = await submitConsent(f, session, html, 'accept', (fs) =>
        fs.map(([k, v]): [string, string] =>
          k === 'grant' ? [k, otherGrant.id] : k === 'consent_hash' ? [k, otherGrant.pending.consentHash] : [k, v],
        ),
      );
      expect(res.headers.get('location')).toBeNull();
      expect((await jsonBody(await f.request(`/api/grants/${otherGrant.id}`))).status).toBe('pending');
    });

    it('sends access_denied back when the owner refuses', async () => {
      const back = await authorizeInBrowser(f, session, authUrl({ state: 'refused' }), 'refuse');
      expect(back.searchParams.get('error')).toBe('access_denied');
      expect(back.searchParams.get('state')).toBe('refused');
      expect(back.searchParams.get('code')).toBeNull();
    });
  });

  describe('the token endpoint', () => {
    it('refuses a wrong verifier, a missing one, or another redirect_uri; the code stays good for the right one', async () => {
      const { code, verifier } = await codeFor();
      await expectOAuthError(await exchange(code, pkce().verifier), 400, 'invalid_grant');
      await expectOAuthError(await exchange(code, 'short'), 400, 'invalid_grant');
      await expectOAuthError(
        await token({ grant_type: 'authorization_code', code, redirect_uri: fake.redirectUri, client_id: clientId }),
        400,
        'invalid_request',
      );
      await expectOAuthError(
        await exchange(code, verifier, { redirect_uri: `${fake.url}/other` }),
        400,
        'invalid_grant',
      );
      const ok = await exchange(code, verifier);
      expect(ok.status).toBe(200);
      expect(await jsonBody(ok)).toMatchObject({ token_type: 'Bearer', scope: 'openid bank.transaction:read' });
    });

    it('refuses a reused code and revokes what it gave', async () => {
      const { code, verifier } = await codeFor();
      const first = await jsonBody(await exchange(code, verifier));
      const read = () =>
        f.request('/api/data/bank.transaction/_find', { method: 'POST', json: {}, token: first.access_token });
      expect((await read()).status).toBe(200);
      await expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
      expect((await read()).status).toBe(401);
      await expectOAuthError(
        await token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId }),
        400,
        'invalid_grant',
      );
    });

    it('refuses an expired code', async () => {
      const { code, verifier } = await codeFor();
      clock.advance(61_000);
      await expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
    });

    it('sweeps codes a day after they expired, used or not', async () => {
      const codes = () =>
        f.foyer.documentStore.findDocuments('default', 'foyer.oauth-code', { selector: null, sort: [], limit: 1000 });
      const { code, verifier } = await codeFor();
      expect((await exchange(code, verifier)).status).toBe(200);
      await codeFor();
      const before = (await codes()).length;
      expect(before).toBeGreaterThanOrEqual(2);
      clock.advance(23 * 3600_000);
      await f.foyer.oauth.sweepAll();
      expect((await codes()).length).toBe(before);
      clock.advance(3600_000 + 61_000);
      await f.foyer.oauth.sweepAll();
      expect(await codes()).toHaveLength(0);
      await expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
      session = await ownerLogin(f);
    });

    it('refuses a code issued to another client, and an unknown one', async () => {
      const other = (await ownerClient(f, clientMetadata(fake, { client_name: 'Other Service' }))).client.id;
      const { code, verifier } = await codeFor(other);
      await expectOAuthError(await exchange(code, verifier), 400, 'invalid_grant');
      await expectOAuthError(await exchange('foyer_ac_' + 'A'.repeat(43), verifier), 400, 'invalid_grant');
      const theirs = await exchange(code, verifier, { client_id: other });
      expect(theirs.status).toBe(200);
    });

    it('refuses unknown grant types, bodies that are not forms, and unnamed clients', async () => {
      await expectOAuthError(
        await token({ grant_type: 'password', client_id: clientId }),
        400,
        'unsupported_grant_type',
      );
      const asJson = await fetch(`${f.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ grant_type: 'authorization_code' }),
      });
      await expectOAuthError(asJson, 400, 'invalid_request');
      await expectOAuthError(await token({ grant_type: 'authorization_code' }), 401, 'invalid_client');
    });

    it('authenticates confidential clients by the registered method only', async () => {
      const created = await ownerClient(f, clientMetadata(fake, { token_endpoint_auth_method: 'client_secret_basic' }));
      const id = created.client.id as string;
      const secret = created.clientSecret as string;
      expect(secret).toMatch(/^foyer_cs_/);
      expect(JSON.stringify(created.client)).not.toContain('secretHash');
      const basic = (s: string) => `Basic ${Buffer.from(`${id}:${s}`).toString('base64')}`;
      const { code, verifier } = await codeFor(id);
      const form = { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: fake.redirectUri };
      const wrong = await token(form, { authorization: basic('foyer_cs_wrong') });
      await expectOAuthError(wrong, 401, 'invalid_client');
      expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="foyer"');
      await expectOAuthError(await token({ ...form, client_id: id, client_secret: secret }), 401, 'invalid_client');
      await expectOAuthError(await token({ ...form, client_id: id }), 401, 'invalid_client');
      await expectOAuthError(
        await token({ ...form, client_secret: secret }, { authorization: basic(secret) }),
        400,
        'invalid_request',
      );
      const ok = await token(form, { authorization: basic(secret) });
      expect(ok.status).toBe(200);
      // A public client presenting a secret is refused too.
      await expectOAuthError(
        await token({ ...form, client_id: clientId, client_secret: 'anything' }),
        401,
        'invalid_client',
      );
    });

    it('refuses a pending client at the token endpoint', async () => {
      const reg = await jsonBody(
        await fetch(`${f.url}/oauth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(clientMetadata(fake)),
        }),
      );
      await expectOAuthError(
        await token({ grant_type: 'refresh_token', refresh_token: 'x', client_id: reg.client_id }),
        400,
        'unauthorized_client',
      );
    });
  });

  describe('revocation and userinfo', () => {
    it('revokes only the caller’s tokens; unknown tokens are fine', async () => {
      const { code, verifier } = await codeFor();
      const tokens = await jsonBody(await exchange(code, verifier));
      const other = (await ownerClient(f, clientMetadata(fake, { client_name: 'Third' }))).client.id;
      const revoke = (t: string, id: string) =>
        fetch(`${f.url}/oauth/revoke`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: t, client_id: id }),
        });
      await expectOAuthError(await revoke(tokens.access_token, other), 400, 'unauthorized_client');
      expect((await revoke('foyer_at_nothing.here', clientId)).status).toBe(200);
      const read = () =>
        f.request('/api/data/bank.transaction/_find', { method: 'POST', json: {}, token: tokens.access_token });
      expect((await read()).status).toBe(200);
      expect((await revoke(tokens.refresh_token, clientId)).status).toBe(200);
      expect((await read()).status).toBe(401);
    });

    it('userinfo needs a live access token of a client', async () => {
      const none = await fetch(`${f.url}/oauth/userinfo`);
      await expectOAuthError(none, 401, 'invalid_token');
      expect(none.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
      const owner = await fetch(`${f.url}/oauth/userinfo`, {
        headers: { authorization: `Bearer ${await f.ownerToken()}` },
      });
      await expectOAuthError(owner, 401, 'invalid_token');
    });
  });

  describe('clients and their approval', () => {
    it('a client cannot approve itself: not anonymously, not with its own token, not by registering approved', async () => {
      const reg = await jsonBody(
        await fetch(`${f.url}/oauth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...clientMetadata(fake), status: 'approved', registeredBy: 'owner' }),
        }),
      );
      expect(reg.status).toBe('pending');
      const anonymous = await f.request(`/api/oauth/clients/${reg.client_id}/approve`, { method: 'POST', token: null });
      expect(anonymous.status).toBe(401);
      const { code, verifier } = await codeFor();
      const tokens = await jsonBody(await exchange(code, verifier));
      for (const path of [`/api/oauth/clients/${reg.client_id}/approve`, `/api/oauth/clients/${clientId}/approve`]) {
        const res = await f.request(path, { method: 'POST', token: tokens.access_token });
        expect(res.status).toBe(403);
        expect((await jsonBody(res)).error.code).toBe('owner_only');
      }
      const list = await f.request('/api/oauth/clients', { token: tokens.access_token });
      expect(list.status).toBe(403);
      expect((await jsonBody(await f.request(`/api/oauth/clients/${reg.client_id}`))).status).toBe('pending');
    });

    it('refuses registrations with bad redirect URIs or terms, naming the problem', async () => {
      const register = (over: Record<string, unknown>) =>
        fetch(`${f.url}/oauth/register`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(clientMetadata(fake, over)),
        });
      const base = clientMetadata(fake).terms as Record<string, unknown>;
      const cases: [Record<string, unknown>, string, string][] = [
        [{ redirect_uris: ['http://example.com/cb'] }, 'invalid_redirect_uri', 'https'],
        [{ redirect_uris: ['https://example.com/cb#x'] }, 'invalid_redirect_uri', 'fragment'],
        [{ redirect_uris: ['/relative'] }, 'invalid_redirect_uri', 'absolute'],
        [{ redirect_uris: [] }, 'invalid_redirect_uri', 'redirect_uris'],
        [{ terms: undefined }, 'invalid_client_metadata', 'terms'],
        [{ terms: { ...base, validity: 'forever' } }, 'invalid_client_metadata', 'validity'],
        [
          { terms: { ...base, scopes: [{ doctype: 'bank.nothing', verbs: ['read'] }] } },
          'invalid_client_metadata',
          'bank.nothing',
        ],
        [{ terms: { ...base, storage: { kind: 'space' } } }, 'invalid_client_metadata', 'recipient'],
        [{ deletion_endpoint: undefined }, 'invalid_client_metadata', 'deletion_endpoint'],
        [{ jwks: undefined }, 'invalid_client_metadata', 'jwks'],
        [{ jwks_uri: fake.jwksUri }, 'invalid_client_metadata', 'not both'],
        [{ jwks: { keys: [{ ...fake.publicJwk, d: 'secret' }] } }, 'invalid_client_metadata', 'public keys'],
        [{ deletion_endpoint: 'http://example.com/delete' }, 'invalid_client_metadata', 'https'],
        [{ token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata', 'token_endpoint_auth_method'],
      ];
      for (const [over, error, words] of cases) {
        const res = await register(over);
        expect(res.status, JSON.stringify(over)).toBe(400);
        const body = await jsonBody(res);
        expect(body.error, JSON.stringify(over)).toBe(error);
        expect(body.error_description, JSON.stringify(over)).toContain(words);
      }
      const notJson = await fetch(`${f.url}/oauth/register`, { method: 'POST', body: 'x' });
      expect((await jsonBody(notJson)).error).toBe('invalid_client_metadata');
    });

    it('the owner’s API answers in Foyer’s error form', async () => {
      const res = await f.request('/api/oauth/clients', {
        method: 'POST',
        json: clientMetadata(fake, { redirect_uris: ['http://example.com/cb'] }),
      });
      expect(res.status).toBe(400);
      expect((await jsonBody(res)).error.code).toBe('validation_failed');
      expect((await f.request('/api/oauth/clients/fc_nothing', {})).status).toBe(404);
    });
  });
});
