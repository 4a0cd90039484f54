/**
 * OAuth for HTTP tests: an outside service on loopback (its redirect URI, its deletion endpoint,
 * its signing key), client metadata, and the owner's browser steps (log in, read the consent
 * page, submit its form) done with fetch the way a browser does them.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { browserSession, type BrowserSession } from './browser-session.js';
import { jsonBody, type JsonBody } from './json-body.js';
import { TEST_PASSPHRASE, type TestFoyer } from './test-foyer.js';

export type ClientMode = 'ok' | 'error' | 'hang';

/** A third-party service on loopback: it receives deletion requests and signs confirmations. */
export interface FakeClientServer {
  url: string;
  redirectUri: string;
  deletionEndpoint: string;
  /** Where it publishes its public key (for clients registered with `jwks_uri`). */
  jwksUri: string;
  /** What the deletion endpoint does with the next requests. */
  mode: ClientMode;
  /** Bodies (JWTs) received at the deletion endpoint, in order. */
  received: string[];
  publicJwk: JWK;
  /** A confirmation JWT signed with this service's key (claims override the defaults). */
  sign(claims: Record<string, unknown>, key?: CryptoKey): Promise<string>;
  close(): Promise<void>;
}

export async function startFakeClient(): Promise<FakeClientServer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const publicJwk = { ...(await exportJWK(publicKey)), kid: 'client-key-1', alg: 'ES256', use: 'sig' };
  const received: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/jwks') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ keys: [publicJwk] }));
      }
      if (req.url !== '/deletion') {
        res.writeHead(404);
        return res.end();
      }
      received.push(body);
      if (fake.mode === 'hang') return;
      res.writeHead(fake.mode === 'ok' ? 202 : 500, { 'content-type': 'application/json' });
      res.end(fake.mode === 'ok' ? '{"accepted":true}' : '{"oops":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fake: FakeClientServer = {
    url,
    redirectUri: `${url}/callback`,
    deletionEndpoint: `${url}/deletion`,
    jwksUri: `${url}/jwks`,
    mode: 'ok',
    received,
    publicJwk,
    async sign(claims, key = privateKey) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iat: now, exp: now + 300, ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: 'client-key-1' })
        .sign(key);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** RFC 7591 metadata of a service that reads bank transactions (and optionally bills) and keeps a copy. */
export function clientMetadata(fake: FakeClientServer, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    client_name: 'Budget Planner',
    redirect_uris: [fake.redirectUri],
    token_endpoint_auth_method: 'none',
    publisher: 'Planner SAS',
    deletion_endpoint: fake.deletionEndpoint,
    jwks: { keys: [fake.publicJwk] },
    terms: {
      scopes: [
        { doctype: 'bank.transaction', verbs: ['read'] },
        { doctype: 'bill', verbs: ['read'], optional: true },
      ],
      purpose: { code: 'personal-insight', text: { en: 'Plan your budget.', fr: 'Planifier votre budget.' } },
      storage: { kind: 'recipient', name: 'Planner SAS', country: 'FR' },
      retention: 'P6M',
      validity: 'P1Y',
      onWithdraw: 'delete',
    },
    ...over,
  };
}

/** Registers a client as the owner (approved at once); answers the API's body. */
export async function ownerClient(f: TestFoyer, metadata: Record<string, unknown>): Promise<JsonBody> {
  const res = await f.request('/api/oauth/clients', { method: 'POST', json: metadata });
  const body = await jsonBody(res);
  if (res.status !== 201) throw new Error(`create client: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The owner logs in through the API, as the web page does. */
export async function ownerLogin(f: TestFoyer): Promise<BrowserSession> {
  const res = await f.request('/api/auth/login', {
    method: 'POST',
    json: { passphrase: TEST_PASSPHRASE },
    token: null,
  });
  if (res.status !== 200) throw new Error(`login: ${res.status}`);
  return browserSession(res.headers.getSetCookie());
}

const unescape = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The fields of a page's form as a browser would submit them (hidden inputs and checked boxes). */
export function formFields(html: string): [string, string][] {
  const out: [string, string][] = [];
  for (const m of html.matchAll(/<input ([^>]*)>/g)) {
    const attrs = m[1]!;
    const name = /name="([^"]*)"/.exec(attrs)?.[1];
    const value = /value="([^"]*)"/.exec(attrs)?.[1];
    const type = /type="([^"]*)"/.exec(attrs)?.[1];
    if (!name || value === undefined) continue;
    if (type === 'checkbox' && !/\bchecked\b/.test(attrs)) continue;
    out.push([unescape(name), unescape(value)]);
  }
  return out;
}

/** The consent text as the page shows it. */
export function consentTextOf(html: string): string {
  const m = /<div class="consent"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  if (!m) throw new Error('no consent text on this page');
  return unescape(m[1]!);
}

/** GET an authorization URL in the owner's browser (no redirect following). */
export function browse(url: string, session: BrowserSession | null): Promise<Response> {
  return fetch(url, { redirect: 'manual', headers: session ? { cookie: session.cookie } : {} });
}

/** Submits the consent form of `html` with `decision`; `fields` adjusts what is sent. */
export async function submitConsent(
  f: TestFoyer,
  session: BrowserSession,
  html: string,
  decision: 'accept' | 'refuse',
  adjust: (fields: [string, string][]) => [string, string][] = (x) => x,
): Promise<Response> {
  const body = new URLSearchParams([...adjust(formFields(html)), ['decision', decision]]);
  return fetch(`${f.url}/oauth/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
}

/** Runs a whole authorization in the browser and answers the redirect's query (code, state, iss or error). */
export async function authorizeInBrowser(
  f: TestFoyer,
  session: BrowserSession,
  url: string,
  decision: 'accept' | 'refuse' = 'accept',
): Promise<URL> {
  const page = await browse(url, session);
  const html = await page.text();
  if (page.status !== 200 || !html.includes('id="consent-text"')) {
    throw new Error(`no consent page (logged out?): ${page.status} ${html}`);
  }
  const res = await submitConsent(f, session, html, decision);
  if (res.status !== 303) throw new Error(`consent: ${res.status} ${await res.text()}`);
  return new URL(res.headers.get('location')!);
}

/** A full authorization (consent accepted in the browser) and the code exchanged: the client's tokens. */
export async function clientTokens(
  f: TestFoyer,
  session: BrowserSession,
  fake: FakeClientServer,
  clientId: string,
  scope = 'openid bank.transaction:read',
): Promise<JsonBody> {
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: fake.redirectUri,
    scope,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const back = await authorizeInBrowser(f, session, `${f.url}/oauth/authorize?${q}`);
  const res = await fetch(`${f.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: back.searchParams.get('code') ?? '',
      code_verifier: verifier,
      redirect_uri: fake.redirectUri,
      client_id: clientId,
    }),
  });
  const body = await jsonBody(res);
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
