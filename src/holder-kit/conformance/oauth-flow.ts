/**
 * Driving a holder's authorization as a customer would: open the authorization URL, fill in the
 * login form, read the consent page, allow or refuse, and land back on the client's redirect URI;
 * then the client's side: code exchange, refresh, revocation.
 */
import { randomBytes } from 'node:crypto';
import type { DiscoveryDocument } from '../discovery-document.js';
import { s256 } from '../secrets.js';
import { ensure } from './check-recorder.js';
import { CheckFailure, type ConformanceClient, type HttpResult, type Navigation } from './conformance-client.js';
import type { HtmlForm } from './html-forms.js';

export interface FlowContext {
  client: ConformanceClient;
  doc: DiscoveryDocument;
  clientId: string;
  redirectUri: string;
  username: string;
  password: string;
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: s256(verifier) };
}

export const newState = () => randomBytes(12).toString('base64url');

export function authorizeUrl(
  ctx: FlowContext,
  p: {
    scopes: string[];
    state: string;
    challenge?: string | null;
    method?: string;
    clientId?: string;
    redirectUri?: string;
  },
): string {
  const url = new URL(ctx.doc.endpoints.authorization);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', p.clientId ?? ctx.clientId);
  url.searchParams.set('redirect_uri', p.redirectUri ?? ctx.redirectUri);
  url.searchParams.set('scope', p.scopes.join(' '));
  url.searchParams.set('state', p.state);
  if (p.challenge !== null) {
    url.searchParams.set('code_challenge', p.challenge ?? newPkce().challenge);
    url.searchParams.set('code_challenge_method', p.method ?? 'S256');
  }
  return url.href;
}

const snippet = (r: HttpResult) => r.text.replace(/\s+/g, ' ').slice(0, 200);

/** The response's RFC 6749 error, or a failure saying what came instead. */
export function expectError(r: HttpResult, statuses: number[], codes: string[], what: string): void {
  const error = (r.json as { error?: unknown } | undefined)?.error;
  if (!statuses.includes(r.status) || typeof error !== 'string' || !codes.includes(error)) {
    throw new CheckFailure(
      `${what}: expected ${statuses.join(' or ')} with error ${codes.join(' or ')}, got ${r.status} ${snippet(r)}`,
    );
  }
}

export const callbackParams = (url: URL) => Object.fromEntries(url.searchParams);

/** Where the authorization request ends up: a page of the holder, or back at the client. */
export async function open(ctx: FlowContext, url: string): Promise<Navigation> {
  return ctx.client.navigate(await ctx.client.get(url));
}

const formWith = (forms: HtmlForm[], test: (f: HtmlForm) => boolean) => forms.find(test);
const isLoginForm = (f: HtmlForm) =>
  f.fields.some((x) => x.name === 'username') && f.fields.some((x) => x.name === 'password');
const allowButton = (f: HtmlForm) => f.buttons.find((b) => b.name === 'decision' && b.value === 'allow');
const denyButton = (f: HtmlForm) => f.buttons.find((b) => b.name === 'decision' && b.value === 'deny');

export function loginFormOf(ctx: FlowContext, nav: Navigation): HtmlForm | undefined {
  return nav.kind === 'page' ? formWith(ctx.client.forms(nav.result), isLoginForm) : undefined;
}

export async function loginPage(ctx: FlowContext, scopes: string[], pkce: Pkce, state: string): Promise<HtmlForm> {
  const nav = await open(ctx, authorizeUrl(ctx, { scopes, state, challenge: pkce.challenge }));
  ensure(
    nav.kind === 'page',
    `the authorization request went straight back to the client: ${nav.kind === 'callback' ? nav.url.href : ''}`,
  );
  ensure(nav.result.status === 200, `the login page answered ${nav.result.status}: ${snippet(nav.result)}`);
  const form = loginFormOf(ctx, nav);
  ensure(form, 'no form with inputs named "username" and "password" on the login page');
  return form;
}

export function logIn(ctx: FlowContext, form: HtmlForm, password = ctx.password): Promise<Navigation> {
  return ctx.client.submit(form, { username: ctx.username, password }).then((r) => ctx.client.navigate(r));
}

export interface ConsentPage {
  page: HttpResult;
  form: HtmlForm;
}

export function consentOf(ctx: FlowContext, nav: Navigation): ConsentPage | undefined {
  if (nav.kind !== 'page') return undefined;
  const form = formWith(
    ctx.client.forms(nav.result),
    (f) => allowButton(f) !== undefined && denyButton(f) !== undefined,
  );
  return form && { page: nav.result, form };
}

export async function consentAfterLogin(ctx: FlowContext, form: HtmlForm): Promise<ConsentPage> {
  const nav = await logIn(ctx, form);
  if (nav.kind === 'callback')
    throw new CheckFailure(`logging in sent the browser back to the client: ${nav.url.href}`);
  const consent = consentOf(ctx, nav);
  ensure(
    consent,
    `after logging in, no consent form with buttons decision=allow and decision=deny (${nav.result.status}: ${snippet(nav.result)})`,
  );
  return consent;
}

/** Allows or refuses; the URL the holder sends the browser back to. */
export async function decide(ctx: FlowContext, consent: ConsentPage, decision: 'allow' | 'deny'): Promise<URL> {
  const button = decision === 'allow' ? allowButton(consent.form)! : denyButton(consent.form)!;
  const nav = await ctx.client.navigate(await ctx.client.submit(consent.form, {}, button));
  ensure(nav.kind === 'callback', `after ${decision}, the browser was not sent back to the redirect URI`);
  return nav.url;
}

/** The happy path to a code: log in, allow. */
export async function obtainCode(ctx: FlowContext, scopes: string[]): Promise<{ code: string; pkce: Pkce }> {
  const pkce = newPkce();
  const state = newState();
  const consent = await consentAfterLogin(ctx, await loginPage(ctx, scopes, pkce, state));
  const params = callbackParams(await decide(ctx, consent, 'allow'));
  ensure(params.code, `no code in the redirect: ${JSON.stringify(params)}`);
  ensure(params.state === state, `the redirect did not carry the request's state back`);
  return { code: params.code, pkce };
}

export interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string | undefined;
}

/** A successful token response (RFC 6749 §5.1), or a failure naming what is wrong. */
export function tokensOf(r: HttpResult): Tokens {
  ensure(r.status === 200, `the token endpoint answered ${r.status}: ${snippet(r)}`);
  const body = r.json as Record<string, unknown> | undefined;
  ensure(body, 'the token response is not JSON');
  ensure(typeof body.access_token === 'string' && body.access_token !== '', 'no access_token');
  ensure(String(body.token_type).toLowerCase() === 'bearer', `token_type is ${String(body.token_type)}, not Bearer`);
  ensure(typeof body.refresh_token === 'string' && body.refresh_token !== '', 'no refresh_token');
  ensure(typeof body.expires_in === 'number' && body.expires_in > 0, 'no positive expires_in');
  return {
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: body.expires_in,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

export function exchangeCode(ctx: FlowContext, code: string, verifier: string | null, clientId = ctx.clientId) {
  return ctx.client.postForm(ctx.doc.endpoints.token, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: ctx.redirectUri,
    client_id: clientId,
    ...(verifier !== null ? { code_verifier: verifier } : {}),
  });
}

export function refresh(ctx: FlowContext, refreshToken: string) {
  return ctx.client.postForm(ctx.doc.endpoints.token, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: ctx.clientId,
  });
}

export function revoke(ctx: FlowContext, token: string, hint: 'access_token' | 'refresh_token') {
  return ctx.client.postForm(ctx.doc.endpoints.revocation, { token, token_type_hint: hint, client_id: ctx.clientId });
}
