/**
 * The customer's visit at the holder (RFC 6749 §4.1.1, RFC 7636 §4.3): the authorization request,
 * the login page, the consent page, and the redirect back to the client with a code or an error.
 * A visit is bound to the browser by an HttpOnly cookie and to each form by a token, so another
 * site cannot post a login or a consent in the customer's name.
 */
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { HolderKitClient } from './holder-kit-options.js';
import type { StoredEntry } from './holder-kit-store.js';
import { KitError, type KitErrorCode } from './kit-error.js';
import { consentPage, errorPage, loginPage, secondFactorPage } from './kit-pages.js';
import { queryParams, readForm } from './kit-request.js';
import { baseUrlOf, redirectUriAllowed, type KitSettings } from './kit-settings.js';
import { digest, isS256Challenge, newSecret, sameText } from './secrets.js';

const VISIT_COOKIE = 'holder_kit_visit';
const MAX_LOGIN_FAILURES = 5;
const MAX_STATE_LENGTH = 1024;

interface Visit {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string | null;
  codeChallenge: string;
  formToken: string;
  customerId: string | null;
  /** Logged in with the password, waiting for the second factor. */
  pendingCustomerId?: string | null;
  failures: number;
}

/** What an authorization code stands for, until the client exchanges it. */
export interface CodeGrant {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  customerId: string;
  consentExpiresAt: number;
}

function visitCookie(value: string, maxAge: number, secure: boolean): string {
  return `${VISIT_COOKIE}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Back to the client with the outcome (RFC 6749 §4.1.2, §4.1.2.1; `iss` per RFC 9207). */
function backToClient(redirectUri: string, params: Record<string, string | null>): Response {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.set(name, value);
  return new Response(null, { status: 303, headers: { location: url.href, 'cache-control': 'no-store' } });
}

export function authorizationRoutes(app: Hono, s: KitSettings): void {
  const fail = (message: string, status = 400) => errorPage(s.holder, message, status);

  async function visitOf(c: Context): Promise<{ id: string; entry: StoredEntry; visit: Visit } | undefined> {
    const secret = getCookie(c, VISIT_COOKIE);
    if (!secret) return undefined;
    const id = digest(secret);
    const entry = await s.store.get('visit', id);
    return entry && { id, entry, visit: entry.data as unknown as Visit };
  }

  /** The posted form, or null when it is not one (these endpoints answer pages, not JSON). */
  const formOf = (c: Context) =>
    readForm(c.req.raw).catch((e: unknown) => (e instanceof KitError ? null : Promise.reject(e)));

  const saveVisit = (id: string, expiresAt: number, visit: Visit) =>
    s.store.put({ kind: 'visit', id, grantId: null, expiresAt, consumedAt: null, data: { ...visit } });

  /** Counts a wrong password or code; past the limit the visit ends and the answer is that page. */
  async function failedOnce(id: string, entry: StoredEntry, visit: Visit): Promise<Response | undefined> {
    visit.failures++;
    if (visit.failures >= MAX_LOGIN_FAILURES) {
      await s.store.delete('visit', id);
      return fail('Too many failed attempts.', 401);
    }
    await saveVisit(id, entry.expiresAt, visit);
    return undefined;
  }

  const toConsent = () =>
    new Response(null, { status: 303, headers: { location: 'consent', 'cache-control': 'no-store' } });

  app.get('/oauth/authorize', async (c) => {
    let params: Record<string, string>;
    try {
      params = queryParams(c.req.url);
    } catch (e) {
      return fail((e as Error).message);
    }
    // Until the client and its redirect URI are known good, errors stay here (RFC 6749 §4.1.2.1).
    const client: HolderKitClient | undefined = s.clients.get(params.client_id ?? '');
    if (!client) return fail('The service that sent you here is unknown to this organisation.');
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !redirectUriAllowed(client, redirectUri)) {
      return fail('The address to send you back to is not one this service registered.');
    }
    const state = params.state ?? null;
    const refuse = (error: KitErrorCode, description: string) =>
      backToClient(redirectUri, { error, error_description: description, state });

    if (params.response_type !== 'code') return refuse('unsupported_response_type', 'response_type must be "code".');
    const challenge = params.code_challenge;
    if (!challenge) return refuse('invalid_request', 'PKCE is required: code_challenge is missing.');
    if (params.code_challenge_method !== 'S256') {
      return refuse('invalid_request', 'code_challenge_method must be S256 (plain is not supported).');
    }
    if (!isS256Challenge(challenge)) return refuse('invalid_request', 'code_challenge is not an S256 challenge.');
    if (state !== null && state.length > MAX_STATE_LENGTH) return refuse('invalid_request', 'state is too long.');
    const scopes = [...new Set((params.scope ?? '').split(' ').filter((x) => x !== ''))];
    if (scopes.length === 0) return refuse('invalid_scope', 'scope must list the doctypes asked for.');
    const unknown = scopes.filter((x) => !s.datasets.has(x));
    if (unknown.length > 0) return refuse('invalid_scope', `Not offered here: ${unknown.join(', ')}.`);

    const secret = newSecret('hk_v_');
    const visit: Visit = {
      clientId: client.clientId,
      redirectUri,
      scopes,
      state,
      codeChallenge: challenge,
      formToken: newSecret(''),
      customerId: null,
      failures: 0,
    };
    await saveVisit(digest(secret), s.clock.now() + s.lifetimes.visit * 1000, visit);
    const page = loginPage(s.holder, client, visit.formToken, null);
    const secure = baseUrlOf(s, c.req.url).startsWith('https:');
    page.headers.append('set-cookie', visitCookie(secret, s.lifetimes.visit, secure));
    return page;
  });

  app.post('/oauth/login', async (c) => {
    const found = await visitOf(c);
    if (!found) return fail('This login page has expired.');
    const { id, entry, visit } = found;
    const form = await formOf(c);
    if (!form || !sameText(form.visit ?? '', visit.formToken))
      return fail('This form was not sent from this page.', 403);
    const client = s.clients.get(visit.clientId)!;
    const customerId = await s.authenticate(form.username ?? '', form.password ?? '');
    if (customerId === null) {
      return (
        (await failedOnce(id, entry, visit)) ??
        loginPage(s.holder, client, visit.formToken, 'Wrong login or password.', 401)
      );
    }
    if (s.secondFactor && (await s.secondFactor.required(customerId, c.req.raw))) {
      await saveVisit(id, entry.expiresAt, { ...visit, pendingCustomerId: customerId });
      return secondFactorPage(s.holder, visit.formToken, null);
    }
    await saveVisit(id, entry.expiresAt, { ...visit, customerId });
    return toConsent();
  });

  app.post('/oauth/second-factor', async (c) => {
    const found = await visitOf(c);
    if (!found || !found.visit.pendingCustomerId || !s.secondFactor) return fail('This login page has expired.');
    const { id, entry, visit } = found;
    const form = await formOf(c);
    if (!form || !sameText(form.visit ?? '', visit.formToken))
      return fail('This form was not sent from this page.', 403);
    const customerId = visit.pendingCustomerId!;
    if (!(await s.secondFactor.verify(customerId, form.otp ?? ''))) {
      return (await failedOnce(id, entry, visit)) ?? secondFactorPage(s.holder, visit.formToken, 'Wrong code.', 401);
    }
    await saveVisit(id, entry.expiresAt, { ...visit, pendingCustomerId: null, customerId });
    return toConsent();
  });

  app.get('/oauth/consent', async (c) => {
    const found = await visitOf(c);
    if (!found || found.visit.customerId === null) return fail('This consent page has expired.');
    const { visit } = found;
    const datasets = visit.scopes.map((d) => s.datasets.get(d)!);
    return consentPage(s.holder, s.clients.get(visit.clientId)!, datasets, visit.formToken, visit.redirectUri);
  });

  app.post('/oauth/consent', async (c) => {
    const found = await visitOf(c);
    if (!found || found.visit.customerId === null) return fail('This consent page has expired.');
    const { id, visit } = found;
    const form = await formOf(c);
    if (!form || !sameText(form.visit ?? '', visit.formToken))
      return fail('This form was not sent from this page.', 403);
    if (form.decision !== 'allow' && form.decision !== 'deny') return fail('Choose to allow or to refuse.');
    await s.store.delete('visit', id);
    const issuer = baseUrlOf(s, c.req.url);
    let response: Response;
    if (form.decision === 'deny') {
      response = backToClient(visit.redirectUri, {
        error: 'access_denied',
        error_description: 'The customer refused.',
        state: visit.state,
        iss: issuer,
      });
    } else {
      const code = newSecret('hk_c_');
      const now = s.clock.now();
      const grant: CodeGrant = {
        clientId: visit.clientId,
        redirectUri: visit.redirectUri,
        scopes: visit.scopes,
        codeChallenge: visit.codeChallenge,
        customerId: visit.customerId!,
        consentExpiresAt: now + s.lifetimes.consent * 1000,
      };
      await s.store.put({
        kind: 'code',
        id: digest(code),
        grantId: newSecret('hk_g_'),
        expiresAt: now + s.lifetimes.code * 1000,
        consumedAt: null,
        data: { ...grant },
      });
      response = backToClient(visit.redirectUri, { code, state: visit.state, iss: issuer });
    }
    response.headers.append('set-cookie', visitCookie('', 0, issuer.startsWith('https:')));
    return response;
  });
}
