/**
 * The Holder Kit v1 conformance test: runs against any implementation's base URL with one
 * customer's login, and reports every check passed, failed (with why) or skipped. It logs in four
 * times (wrong password then right; the main visit; one doctype only; a refusal), reads every
 * doctype in full a few times, and revokes what it was given at the end.
 */
import { discoveryDocumentSchema, type DiscoveryDocument } from '../discovery-document.js';
import { createRecorder, CheckSkipped, ensure } from './check-recorder.js';
import { CheckFailure, createConformanceClient } from './conformance-client.js';
import {
  CHECKS,
  DOCTYPE_CHECKS,
  doctypeCheckId,
  type ConformanceCheck,
  type ConformanceReport,
  type StaticCheckId,
} from './conformance-report.js';
import { checkDoctype, dataUrl, type DataContext, type WalkedItem } from './data-checks.js';
import {
  authorizeUrl,
  callbackParams,
  consentAfterLogin,
  consentOf,
  decide,
  exchangeCode,
  expectError,
  type FlowContext,
  loginFormOf,
  loginPage,
  logIn,
  newPkce,
  newState,
  obtainCode,
  open,
  refresh,
  revoke,
  tokensOf,
} from './oauth-flow.js';
import { pageText } from './html-forms.js';

export interface HolderKitConformanceOptions {
  /** Where the holder serves `/.well-known/holder-kit`. */
  baseUrl: string;
  /** A customer's login at the holder. */
  username: string;
  password: string;
  /** A client the holder registered (default `foyer`) and one of its redirect URIs. */
  clientId?: string;
  redirectUri?: string;
  /** Problems of `data` against a schema by `$id`, or null when it does not know that schema. */
  validate?: DataContext['validate'];
  fetch?: typeof fetch;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** The most items read from one doctype (default 1,000,000). */
  maxItems?: number;
  /** Told of each check as it ends (progress). */
  onCheck?: (check: ConformanceCheck) => void;
}

export const DEFAULT_REDIRECT_URI = 'http://127.0.0.1/holder-kit/callback';

export async function runHolderKitConformance(options: HolderKitConformanceOptions): Promise<ConformanceReport> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const rec = createRecorder(options.onCheck);
  const check = <T>(id: StaticCheckId, fn: () => Promise<T>) => rec.check(id, CHECKS[id], fn);
  const redirectUri = options.redirectUri ?? DEFAULT_REDIRECT_URI;
  const client = createConformanceClient({
    fetch: options.fetch ?? fetch,
    holderOrigin: new URL(baseUrl).origin,
    redirectUri,
    timeoutMs: options.timeoutMs ?? 30_000,
    patienceMs: 120_000,
  });
  const planned: Record<string, string> = { ...CHECKS };

  const doc = await check('discovery.document', async () => {
    const r = await client.get(`${baseUrl}/.well-known/holder-kit`, { accept: 'application/json' });
    ensure(r.status === 200, `GET /.well-known/holder-kit answered ${r.status}`);
    ensure(r.json !== undefined, `the discovery document is not JSON (${r.headers.get('content-type')})`);
    const parsed = discoveryDocumentSchema.safeParse(r.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CheckFailure(`discovery is malformed at ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    }
    const names = parsed.data.doctypes.map((d) => d.name);
    ensure(new Set(names).size === names.length, 'a doctype is listed twice');
    return parsed.data;
  });
  if (doc) {
    for (const d of doc.doctypes) {
      for (const [c, title] of Object.entries(DOCTYPE_CHECKS)) planned[doctypeCheckId(d.name, c as never)] = title;
    }
    await runWithDiscovery(doc);
  }
  rec.notReached(planned);

  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const c of rec.checks) counts[c.status]++;
  return { baseUrl, kitVersion: doc?.kitVersion ?? null, passed: counts.fail === 0, checks: rec.checks, counts };

  async function runWithDiscovery(doc: DiscoveryDocument): Promise<void> {
    const ctx: FlowContext = {
      client,
      doc,
      clientId: options.clientId ?? 'foyer',
      redirectUri,
      username: options.username,
      password: options.password,
    };
    const allScopes = doc.doctypes.map((d) => d.scope);

    await check('discovery.oauth-metadata', async () => {
      const r = await client.get(doc.endpoints.oauthMetadata, { accept: 'application/json' });
      ensure(r.status === 200, `${doc.endpoints.oauthMetadata} answered ${r.status}`);
      const m = r.json as Record<string, unknown> | undefined;
      ensure(m, 'the metadata is not JSON');
      ensure(m.issuer === doc.issuer, `issuer ${String(m.issuer)} differs from discovery's ${doc.issuer}`);
      ensure(m.authorization_endpoint === doc.endpoints.authorization, 'authorization_endpoint differs from discovery');
      ensure(m.token_endpoint === doc.endpoints.token, 'token_endpoint differs from discovery');
      ensure(m.revocation_endpoint === doc.endpoints.revocation, 'revocation_endpoint differs from discovery');
      const methods = m.code_challenge_methods_supported;
      ensure(Array.isArray(methods) && methods.includes('S256'), 'code_challenge_methods_supported lacks S256');
    });

    await authorizationRequestChecks(ctx, allScopes);
    const codeA = await firstVisit(ctx, allScopes);
    if (codeA) await codeExchangeChecks(ctx, codeA);

    const main = await check('token.issued', async () => {
      const { code, pkce } = await obtainCode(ctx, allScopes);
      const r = await exchangeCode(ctx, code, pkce.verifier);
      const tokens = tokensOf(r);
      ensure(
        /no-store/i.test(r.headers.get('cache-control') ?? ''),
        'the token response lacks Cache-Control: no-store',
      );
      ensure(
        tokens.expiresIn <= 3600,
        `expires_in is ${tokens.expiresIn} s: access tokens must be short-lived (≤ 1 h)`,
      );
      return tokens;
    });
    if (!main) return;
    const data: DataContext = {
      client,
      doc,
      accessToken: main.accessToken,
      ...(options.validate ? { validate: options.validate } : {}),
      maxItems: options.maxItems ?? 1_000_000,
    };
    const first = doc.doctypes[0]!;

    await check('data.requires-token', async () => {
      const r = await client.get(dataUrl(first, {}), { accept: 'application/json' });
      ensure(r.status === 401, `without a token: ${r.status}`);
      ensure(/^bearer\b/i.test(r.headers.get('www-authenticate') ?? ''), 'no WWW-Authenticate: Bearer challenge');
    });
    await check('data.invalid-token', async () => {
      const r = await client.bearer(dataUrl(first, {}), 'not-a-token-this-holder-issued');
      expectError(r, [401], ['invalid_token'], 'an unknown token');
    });
    await check('data.unknown-doctype', async () => {
      const r = await client.bearer(first.endpoint.replace(/[^/]+$/, 'no.such-doctype'), main.accessToken);
      ensure(r.status === 403 || r.status === 404, `a doctype not offered answered ${r.status}`);
    });

    const items = new Map<string, WalkedItem[]>();
    let foreignCursor: string | null = null;
    for (const d of doc.doctypes) {
      const result = await checkDoctype(rec, data, d, foreignCursor);
      items.set(d.name, result.items);
      foreignCursor = result.cursor ?? foreignCursor;
    }

    await fileChecks(data, items);
    await oneDoctypeVisit(ctx);
    await check('consent.deny', async () => {
      const state = newState();
      const consent = await consentAfterLogin(ctx, await loginPage(ctx, allScopes, newPkce(), state));
      const params = callbackParams(await decide(ctx, consent, 'deny'));
      ensure(params.error === 'access_denied', `refusing gave ${JSON.stringify(params)}, not error=access_denied`);
      ensure(params.state === state, 'refusing did not carry the state back');
      ensure(params.code === undefined, 'refusing still gave a code');
    });
    await revocationChecks(ctx, data, main.refreshToken);
  }

  async function authorizationRequestChecks(ctx: FlowContext, scopes: string[]) {
    const staysAtHolder = async (url: string, what: string) => {
      const nav = await open(ctx, url);
      ensure(nav.kind === 'page', `${what}: the holder redirected to ${nav.kind === 'callback' ? nav.url.href : ''}`);
      ensure(nav.result.status >= 400 && nav.result.status < 500, `${what}: answered ${nav.result.status}, not a 4xx`);
      ensure(!nav.result.headers.get('location'), `${what}: redirected`);
    };
    const refusedTo = async (url: string, state: string, error: string, what: string) => {
      const nav = await open(ctx, url);
      ensure(nav.kind === 'callback', `${what}: not sent back to the client with an error`);
      const params = callbackParams(nav.url);
      ensure(params.error === error, `${what}: error=${params.error ?? '(none)'}, expected ${error}`);
      ensure(params.state === state, `${what}: the state was not carried back`);
      ensure(params.code === undefined, `${what}: a code was issued`);
    };
    await check('authorize.unknown-client', () =>
      staysAtHolder(authorizeUrl(ctx, { scopes, state: newState(), clientId: 'no-such-client-id' }), 'unknown client'),
    );
    await check('authorize.redirect-uri-checked', () =>
      staysAtHolder(
        authorizeUrl(ctx, { scopes, state: newState(), redirectUri: 'https://attacker.invalid/callback' }),
        'unregistered redirect_uri',
      ),
    );
    const state = newState();
    await check('authorize.pkce-required', () =>
      refusedTo(authorizeUrl(ctx, { scopes, state, challenge: null }), state, 'invalid_request', 'without PKCE'),
    );
    await check('authorize.plain-refused', () =>
      refusedTo(
        authorizeUrl(ctx, { scopes, state, challenge: newPkce().verifier, method: 'plain' }),
        state,
        'invalid_request',
        'with method plain',
      ),
    );
    await check('authorize.unknown-scope', () =>
      refusedTo(authorizeUrl(ctx, { scopes: ['no.such-doctype'], state }), state, 'invalid_scope', 'unknown scope'),
    );
  }

  /** Wrong password, then the right one; the consent page; allow. The code is for the exchange checks. */
  async function firstVisit(ctx: FlowContext, scopes: string[]) {
    const pkce = newPkce();
    const state = newState();
    const form = await check('login.page', () => loginPage(ctx, scopes, pkce, state));
    if (!form) return undefined;
    const retry = await check('login.wrong-password', async () => {
      const nav = await logIn(ctx, form, `${ctx.password}-wrong`);
      ensure(nav.kind === 'page', 'a wrong password sent the browser back to the client');
      ensure(!consentOf(ctx, nav), 'a wrong password reached the consent page');
      const again = loginFormOf(ctx, nav);
      if (!again) throw new CheckSkipped('no login form after a wrong password: starting a new visit');
      return again;
    });
    const loginForm = retry ?? (await loginPage(ctx, scopes, pkce, state));
    const consent = await check('consent.page', async () => {
      const consent = await consentAfterLogin(ctx, loginForm);
      const text = pageText(consent.page.text);
      const absent = ctx.doc.doctypes.filter((d) => !text.includes(d.name) && !text.includes(d.title));
      ensure(absent.length === 0, `the consent page does not name ${absent.map((d) => d.name).join(', ')}`);
      return consent;
    });
    if (!consent) return undefined;
    return check('consent.allow', async () => {
      const params = callbackParams(await decide(ctx, consent, 'allow'));
      ensure(params.code, `no code: ${JSON.stringify(params)}`);
      ensure(params.state === state, 'the state was not carried back');
      return { code: params.code, verifier: pkce.verifier };
    });
  }

  async function codeExchangeChecks(ctx: FlowContext, a: { code: string; verifier: string }) {
    await check('token.missing-verifier', async () =>
      expectError(await exchangeCode(ctx, a.code, null), [400], ['invalid_request'], 'without code_verifier'),
    );
    await check('token.unknown-client', async () =>
      expectError(
        await exchangeCode(ctx, a.code, a.verifier, 'no-such-client-id'),
        [400, 401],
        ['invalid_client'],
        'an unknown client',
      ),
    );
    await check('token.wrong-verifier', async () =>
      expectError(await exchangeCode(ctx, a.code, newPkce().verifier), [400], ['invalid_grant'], 'a wrong verifier'),
    );
    // The failed attempts may have spent the code (RFC 6749 leaves it open); if not, it works once, then never.
    await check('token.reused-code', async () => {
      const once = await exchangeCode(ctx, a.code, a.verifier);
      if (once.status === 200) tokensOf(once);
      else expectError(once, [400], ['invalid_grant'], 'the code after failed attempts');
      expectError(await exchangeCode(ctx, a.code, a.verifier), [400], ['invalid_grant'], 'a code used before');
    });
  }

  async function fileChecks(data: DataContext, items: Map<string, WalkedItem[]>) {
    const template = data.doc.endpoints.files;
    const fileUrl = (id: string) => template!.replace('{id}', encodeURIComponent(id));
    const ids = new Set<string>();
    for (const d of data.doc.doctypes) {
      for (const item of items.get(d.name) ?? []) {
        for (const file of item.files ?? []) ids.add(file.id);
        if (ids.size >= 3) break;
      }
    }
    const noFiles = () => {
      if (!template) throw new CheckSkipped('discovery names no files endpoint');
      if (ids.size === 0) throw new CheckSkipped('no item names a file');
    };
    const etags = await check('files.served', async () => {
      noFiles();
      const tags = new Map<string, string>();
      for (const id of [...ids].slice(0, 3)) {
        const r = await client.bearer(fileUrl(id), data.accessToken, { accept: '*/*' });
        ensure(r.status === 200, `file ${id}: ${r.status}`);
        const type = r.headers.get('content-type');
        ensure(type, `file ${id}: no Content-Type`);
        ensure(
          Number(r.headers.get('content-length')) === r.bytes.length,
          `file ${id}: Content-Length is not the size`,
        );
        const etag = r.headers.get('etag');
        ensure(etag, `file ${id}: no ETag`);
        ensure(r.bytes.length > 0, `file ${id} is empty`);
        if (/pdf/i.test(type)) ensure(r.text.startsWith('%PDF-'), `file ${id} says PDF but is not one`);
        tags.set(id, etag);
      }
      return tags;
    });
    await check('files.conditional', async () => {
      noFiles();
      if (!etags) throw new CheckSkipped('files.served failed');
      for (const [id, etag] of etags) {
        const r = await client.bearer(fileUrl(id), data.accessToken, { 'if-none-match': etag });
        ensure(r.status === 304, `file ${id} with If-None-Match: ${r.status}`);
      }
    });
    await check('files.unknown', async () => {
      if (!template) throw new CheckSkipped('discovery names no files endpoint');
      const r = await client.bearer(fileUrl('no-such-file-0000'), data.accessToken);
      ensure(r.status === 404, `an unknown file answered ${r.status}`);
    });
    await check('files.requires-token', async () => {
      noFiles();
      const r = await client.get(fileUrl([...ids][0]!));
      ensure(r.status === 401, `a file without a token answered ${r.status}`);
    });
  }

  /** A consent to the first doctype only: scope, refresh and rotation. */
  async function oneDoctypeVisit(ctx: FlowContext) {
    const [first, second] = ctx.doc.doctypes;
    const b = await check('data.scope-enforced', async () => {
      const { code, pkce } = await obtainCode(ctx, [first!.scope]);
      const tokens = tokensOf(await exchangeCode(ctx, code, pkce.verifier));
      const own = await client.bearer(dataUrl(first!, { limit: 1 }), tokens.accessToken);
      ensure(own.status === 200, `the consented doctype ${first!.name} answered ${own.status}`);
      if (second) {
        const other = await client.bearer(dataUrl(second, { limit: 1 }), tokens.accessToken);
        expectError(other, [403], ['insufficient_scope'], `${second.name}, not consented to`);
      }
      return { tokens };
    });
    if (!b) return;
    const renewed = await check('token.refresh', async () => {
      const tokens = tokensOf(await refresh(ctx, b.tokens.refreshToken));
      ensure(tokens.accessToken !== b.tokens.accessToken, 'the refreshed access token is the same');
      const r = await client.bearer(dataUrl(first!, { limit: 1 }), tokens.accessToken);
      ensure(r.status === 200, `the refreshed access token answered ${r.status}`);
      return tokens;
    });
    if (renewed) {
      await check('token.refresh-rotated', async () =>
        expectError(await refresh(ctx, b.tokens.refreshToken), [400], ['invalid_grant'], 'a used refresh token'),
      );
    }
  }

  async function revocationChecks(ctx: FlowContext, data: DataContext, refreshToken: string) {
    const probe = dataUrl(ctx.doc.doctypes[0]!, { limit: 1 });
    await check('revoke.unknown-token', async () => {
      const r = await revoke(ctx, 'not-a-token-this-holder-issued', 'access_token');
      ensure(r.status === 200, `revoking an unknown token answered ${r.status}`);
    });
    await check('revoke.access-token', async () => {
      const r = await revoke(ctx, data.accessToken, 'access_token');
      ensure(r.status === 200, `revocation answered ${r.status}: ${r.text.slice(0, 200)}`);
      const after = await client.bearer(probe, data.accessToken);
      expectError(after, [401], ['invalid_token'], 'the revoked access token');
    });
    await check('revoke.refresh-token', async () => {
      const r = await revoke(ctx, refreshToken, 'refresh_token');
      ensure(r.status === 200, `revocation answered ${r.status}: ${r.text.slice(0, 200)}`);
      expectError(await refresh(ctx, refreshToken), [400], ['invalid_grant'], 'the revoked refresh token');
    });
  }
}
