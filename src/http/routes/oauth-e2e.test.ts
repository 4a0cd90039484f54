/**
 * Foyer as an OpenID provider, driven by openid-client as a real third-party client: discovery,
 * registration, authorization with PKCE, the owner's consent in the browser, code exchange, calls
 * within and outside the scope, userinfo, refresh, revocation, and withdrawal (tokens die at once,
 * the client gets a signed deletion request and confirms it).
 */
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonBody } from '../../testing/json-body.js';
import {
  authorizeInBrowser,
  browse,
  clientMetadata,
  consentTextOf,
  ownerLogin,
  startFakeClient,
  submitConsent,
  type FakeClientServer,
} from '../../testing/oauth.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import type { BrowserSession } from '../../testing/browser-session.js';
import { transaction } from '../../testing/transactions.js';

const tx = transaction({ date: '2026-03-11T23:00:00Z' });
const insecure = { execute: [oidc.allowInsecureRequests] };

describe('OpenID Connect end to end with openid-client', () => {
  let f: TestFoyer;
  let fake: FakeClientServer;
  let session: BrowserSession;
  let config: oidc.Configuration;
  let clientId: string;

  beforeAll(async () => {
    f = await startTestFoyer();
    await f.ownerToken();
    session = await ownerLogin(f);
    fake = await startFakeClient();
    expect((await f.request('/api/data/bank.transaction', { method: 'POST', json: tx })).status).toBe(201);
  });
  afterAll(async () => {
    await f.close();
    await fake.close();
  });

  async function authorize(scope: string) {
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: fake.redirectUri,
      scope,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const back = await authorizeInBrowser(f, session, url.href);
    return oidc.authorizationCodeGrant(config, back, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
    });
  }

  it('registers dynamically (pending), and the owner approves', async () => {
    const registered = await oidc.dynamicClientRegistration(
      new URL(f.url),
      clientMetadata(fake) as Partial<oidc.ClientMetadata>,
      oidc.None(),
      insecure,
    );
    clientId = registered.clientMetadata().client_id;
    expect(registered.clientMetadata()).toMatchObject({ status: 'pending', token_endpoint_auth_method: 'none' });
    const approved = await f.request(`/api/oauth/clients/${clientId}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await jsonBody(approved)).status).toBe('approved');
  });

  it('discovers the provider metadata', async () => {
    config = await oidc.discovery(new URL(f.url), clientId, undefined, oidc.None(), insecure);
    const meta = config.serverMetadata();
    expect(meta).toMatchObject({
      issuer: f.url,
      authorization_endpoint: `${f.url}/oauth/authorize`,
      token_endpoint: `${f.url}/oauth/token`,
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['ES256'],
      subject_types_supported: ['pairwise'],
    });
  });

  it('authorizes with PKCE: the consent page shows the grant’s text, the code buys tokens and an ID token', async () => {
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: fake.redirectUri,
      scope: 'openid bank.transaction:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
      ui_locales: 'fr',
    });
    const page = await browse(url.href, session);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain(`form-action 'self' ${fake.url}`);
    const html = await page.text();
    const client = await jsonBody(await f.request(`/api/oauth/clients/${clientId}`));
    const grant = await jsonBody(await f.request(`/api/grants/${client.grant}`));
    expect(grant.status).toBe('pending');
    expect(consentTextOf(html)).toBe(grant.pending.consentText.fr);
    expect(grant.pending.consentText.fr).toContain('Le service extérieur “Budget Planner” (Planner SAS)');

    const tokens = await authorize('openid bank.transaction:read');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('openid bank.transaction:read');
    expect(tokens.access_token).toMatch(/^foyer_at_/);
    expect(tokens.refresh_token).toMatch(/^foyer_rt_/);
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: f.url, aud: clientId });
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(info.sub).toBe(claims.sub);
  });

  it('reads within the scope, is refused outside it, and the ledger names the client', async () => {
    const tokens = await authorize('openid bank.transaction:read');
    const inScope = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${f.url}/api/data/bank.transaction/_find`),
      'POST',
      JSON.stringify({}),
      new Headers({ 'content-type': 'application/json' }),
    );
    expect(inScope.status).toBe(200);
    expect((await jsonBody(inScope)).docs).toHaveLength(1);
    const outside = await oidc.fetchProtectedResource(
      config,
      tokens.access_token,
      new URL(`${f.url}/api/data/bill/_find`),
      'POST',
      JSON.stringify({}),
      new Headers({ 'content-type': 'application/json' }),
    );
    expect(outside.status).toBe(403);
    expect((await jsonBody(outside)).error.code).toBe('scope_denied');
    const ledger = await jsonBody(await f.request(`/api/ledger?grantee=client:${clientId}&limit=100`));
    const entries = ledger.entries as { actorKind: string; actorId: string; outcome: string; doctype: string }[];
    expect(entries.every((e) => e.actorKind === 'client' && e.actorId === clientId)).toBe(true);
    expect(entries.some((e) => e.doctype === 'bank.transaction' && e.outcome === 'allowed')).toBe(true);
    expect(entries.some((e) => e.doctype === 'bill' && e.outcome === 'denied')).toBe(true);
  });

  it('refreshes, then revocation kills the client’s tokens', async () => {
    const tokens = await authorize('openid bank.transaction:read');
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.scope).toBe('bank.transaction:read');
    const read = () =>
      f.request('/api/data/bank.transaction/_find', { method: 'POST', json: {}, token: refreshed.access_token });
    expect((await read()).status).toBe(200);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await read()).status).toBe(401);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });
  });

  it('the owner deselects an optional scope: the tokens carry only the rest', async () => {
    const verifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: fake.redirectUri,
      scope: 'openid bank.transaction:read bill:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 's1',
      nonce: 'n1',
    });
    const page = await (await browse(url.href, session)).text();
    expect(page).toContain('name="keep" value="1" checked');
    const res = await submitConsent(f, session, page, 'accept', (fields) => fields.filter(([k]) => k !== 'keep'));
    expect(res.status).toBe(303);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), {
      pkceCodeVerifier: verifier,
      expectedState: 's1',
      expectedNonce: 'n1',
    });
    expect(tokens.scope).toBe('openid bank.transaction:read');
    const bills = await f.request('/api/data/bill/_find', { method: 'POST', json: {}, token: tokens.access_token });
    expect(bills.status).toBe(403);
  });

  it('withdrawal: the next request and refresh fail; the client gets a signed deletion request and confirms it', async () => {
    const tokens = await authorize('openid bank.transaction:read');
    const client = await jsonBody(await f.request(`/api/oauth/clients/${clientId}`));
    const withdrawn = await f.request(`/api/grants/${client.grant}/withdraw`, { method: 'POST', json: {} });
    expect(withdrawn.status).toBe(200);
    const { receipt } = await jsonBody(withdrawn);
    expect(receipt.remote).toMatchObject({ endpoint: fake.deletionEndpoint, status: 'pending' });

    const next = await f.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: {},
      token: tokens.access_token,
    });
    expect([401, 403]).toContain(next.status);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({
      error: 'invalid_grant',
    });

    await f.foyer.oauth.deletions.settled();
    expect(fake.received).toHaveLength(1);
    const request = fake.received[0]!;
    expect(decodeProtectedHeader(request)).toMatchObject({ alg: 'ES256', typ: 'deletion-request+jwt' });
    const { payload } = await jwtVerify(request, createRemoteJWKSet(new URL(`${f.url}/oauth/jwks`)), {
      issuer: f.url,
      audience: clientId,
    });
    expect(payload).toMatchObject({
      grant_id: client.grant,
      confirm_to: `${f.url}/oauth/deletion-confirmations`,
      delete: { scopes: expect.arrayContaining([{ doctype: 'bank.transaction', verbs: ['read'] }]) },
    });
    expect(Date.parse(payload.deadline as string)).toBe(Date.parse(receipt.remote.dueBy));

    const confirmation = await fake.sign({
      iss: clientId,
      aud: f.url,
      request_id: payload.jti,
      grant_id: client.grant,
      deleted_at: new Date().toISOString(),
    });
    const confirmed = await fetch(`${f.url}/oauth/deletion-confirmations`, {
      method: 'POST',
      headers: { 'content-type': 'application/jwt' },
      body: confirmation,
    });
    expect(confirmed.status).toBe(200);
    expect(await jsonBody(confirmed)).toMatchObject({ request_id: payload.jti, status: 'confirmed' });
    const grant = await jsonBody(await f.request(`/api/grants/${client.grant}`));
    expect(grant.receipts.at(-1).remote).toMatchObject({ status: 'confirmed', confirmedAt: expect.any(String) });
  });

  it('after withdrawal, a new authorization makes a new grant that needs consent again', async () => {
    const before = (await jsonBody(await f.request(`/api/oauth/clients/${clientId}`))).grant;
    const tokens = await authorize('openid bank.transaction:read');
    const after = (await jsonBody(await f.request(`/api/oauth/clients/${clientId}`))).grant;
    expect(after).not.toBe(before);
    const read = await f.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: {},
      token: tokens.access_token,
    });
    expect(read.status).toBe(200);
  });
});
