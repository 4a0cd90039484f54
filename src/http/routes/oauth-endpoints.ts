/**
 * The OAuth2 / OpenID Connect protocol endpoints, outside `/api`: discovery, JWKS, dynamic
 * registration, the authorization pages (login, consent), token, revocation, userinfo and the
 * deletion confirmations of outside recipients. They speak the protocol's forms (form-encoded
 * requests, RFC 6749 error bodies, redirects), not Foyer's JSON API, so they are plain handlers.
 * See docs/oauth.md.
 */
import type { Context, Hono } from 'hono';
import type { OwnerAuth } from '../../core/auth/owner-auth.js';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import type { ClientCredentials } from '../../core/oauth/client-registry.js';
import { clientView } from '../../core/oauth/oauth-client.js';
import { isOAuthError, OAuthError } from '../../core/oauth/oauth-error.js';
import { AuthorizationRedirect, type AuthorizationRequest } from '../../core/oauth/oauth-provider.js';
import type { OAuth } from '../../core/oauth/oauth.js';
import { CONFIRMATION_PATH } from '../../core/oauth/deletion-requests.js';
import { SIGNING_ALG } from '../../core/oauth/signing-keys.js';
import type { Principal, RequestContext } from '../../core/principal.js';
import type { SpaceService } from '../../core/spaces/space-service.js';
import type { Log } from '../../platform/logger.js';
import { clientIp } from '../create-http-app.js';
import { CSRF_COOKIE, readCookie, SESSION_COOKIE, sessionCookies } from '../cookies.js';
import { consentPage, errorPage, loginPage, OAUTH_CSS_PATH, oauthCss, type Lang } from '../pages/oauth-pages.js';
import { readCapped } from '../read-body.js';
import { json, respond } from '../respond.js';
import { requestHeader } from '../request-header.js';
import type { AppEnv } from '../route.js';
import { clientMetadata, toClientMetadata } from './oauth-client-routes.js';

export interface OAuthEndpointsDeps {
  oauth: OAuth;
  spaces: SpaceService;
  ownerAuth: OwnerAuth;
  /** The issuer of the space served at this Host (Foyer's public URL for it). */
  issuerOf: (host: string | undefined) => string;
  secureCookies: boolean;
  trustProxy: boolean;
  log: Log;
}

const FORM_LIMIT = 64 * 1024;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

/** `http(s)://host[:port]`: the issuer of one space. Embedded mode uses the public URL when set. */
export function issuerResolver(config: {
  mode: 'embedded' | 'hosted';
  publicUrl?: string | undefined;
}): (host: string | undefined) => string {
  const scheme = config.publicUrl?.startsWith('https://') ? 'https' : 'http';
  return (host) => {
    if (config.mode === 'embedded' && config.publicUrl) return config.publicUrl.replace(/\/$/, '');
    const h = (host ?? '').toLowerCase();
    if (!/^([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(h)) {
      throw new OAuthError('invalid_request', 'The Host header is missing or malformed.');
    }
    return `${scheme}://${h}`;
  };
}

/** The protocol's error body (RFC 6749 §5.2). */
function oauthError(e: OAuthError, headers: Record<string, string> = {}): Response {
  return json(e.body(), e.status, { ...NO_STORE, ...headers });
}

function redirect(location: string): Response {
  return respond(null, 303, { location });
}

function languageOf(c: Context<AppEnv>, query: URLSearchParams): Lang {
  for (const tag of (query.get('ui_locales') ?? '').split(' ')) {
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  const accept = requestHeader(c, 'accept-language') ?? '';
  const fr = accept.search(/\bfr\b/i);
  const en = accept.search(/\ben\b/i);
  return fr >= 0 && (en < 0 || fr < en) ? 'fr' : 'en';
}

async function readForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const type = requestHeader(c, 'content-type') ?? '';
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type)) {
    throw new OAuthError('invalid_request', 'Send the parameters as application/x-www-form-urlencoded.');
  }
  return new URLSearchParams(await readText(c, FORM_LIMIT));
}

async function readText(c: Context<AppEnv>, limit: number): Promise<string> {
  const declared = requestHeader(c, 'content-length');
  try {
    if (declared !== undefined && Number(declared) > limit) throw new Error('too large');
    return await readCapped(c.req.raw.body, limit);
  } catch {
    throw new OAuthError('invalid_request', `The request body is larger than ${limit} bytes.`);
  }
}

/**
 * How the client authenticates (RFC 6749 §2.3.1): HTTP Basic, or `client_id`/`client_secret` in
 * the form, or `client_id` alone for a public client. More than one way is an error.
 */
function credentialsOf(c: Context<AppEnv>, form: URLSearchParams): ClientCredentials {
  const header = requestHeader(c, 'authorization');
  const formId = form.get('client_id') ?? undefined;
  const formSecret = form.get('client_secret') ?? undefined;
  if (header !== undefined) {
    const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header);
    if (!m) throw new OAuthError('invalid_client', 'The Authorization header must be HTTP Basic.');
    if (formSecret !== undefined) {
      throw new OAuthError('invalid_request', 'Authenticate one way only: Basic or client_secret, not both.');
    }
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
    let id: string, secret: string;
    try {
      id = decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, ' '));
      secret = decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, ' '));
    } catch {
      throw new OAuthError('invalid_client', 'Malformed Basic credentials.');
    }
    if (formId !== undefined && formId !== id) throw new OAuthError('invalid_request', 'client_id differs from Basic.');
    return { clientId: id, secret, method: 'client_secret_basic' };
  }
  if (!formId) throw new OAuthError('invalid_client', 'Name the client: client_id, or HTTP Basic.');
  return formSecret !== undefined
    ? { clientId: formId, secret: formSecret, method: 'client_secret_post' }
    : { clientId: formId, method: 'none' };
}

export function oauthEndpoints(deps: OAuthEndpointsDeps): (app: Hono<AppEnv>) => void {
  const { oauth, spaces, ownerAuth, log } = deps;
  const { provider } = oauth;

  /** Runs a protocol endpoint: any failure becomes an RFC 6749 error body, never Foyer's error JSON. */
  const endpoint =
    (handle: (c: Context<AppEnv>, space: string, issuer: string) => Promise<Response>) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      try {
        const host = requestHeader(c, 'host');
        const issuer = deps.issuerOf(host);
        return await handle(c, await spaces.resolve(host), issuer);
      } catch (e) {
        if (isOAuthError(e)) {
          const basic = e.error === 'invalid_client' && requestHeader(c, 'authorization') !== undefined;
          return oauthError(e, basic ? { 'www-authenticate': 'Basic realm="foyer"' } : {});
        }
        if (isFoyerError(e) && e.code === 'space_not_found')
          return oauthError(new OAuthError('invalid_request', e.message, 404));
        log('error', `${c.req.method} ${c.req.path} failed`, e);
        return oauthError(new OAuthError('server_error', 'Something went wrong on our side. It has been logged.'));
      }
    };

  /** The owner behind the session cookie, if any (pages only: the API has its own middleware). */
  async function ownerOf(c: Context<AppEnv>, space: string): Promise<{ principal: Principal; secret: string } | null> {
    const secret = readCookie(requestHeader(c, 'cookie'), SESSION_COOKIE);
    if (!secret) return null;
    const principal = await ownerAuth.authenticateSession(space, secret);
    return principal ? { principal, secret } : null;
  }

  /** A page of the authorization flow: errors become pages (or redirects once the client is trusted). */
  const pageHandler =
    (handle: (c: Context<AppEnv>, space: string, issuer: string, lang: Lang) => Promise<Response>) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      const lang = languageOf(c, new URL(c.req.url).searchParams);
      try {
        const host = requestHeader(c, 'host');
        const issuer = deps.issuerOf(host);
        return await handle(c, await spaces.resolve(host), issuer, lang);
      } catch (e) {
        if (e instanceof AuthorizationRedirect) return redirect(e.location);
        if (isOAuthError(e)) return errorPage(lang, e.message, e.status);
        if (isFoyerError(e) && e.status < 500) return errorPage(lang, e.message, e.status);
        log('error', `${c.req.method} ${c.req.path} failed`, e);
        return errorPage(lang, 'Something went wrong on our side. It has been logged.', 500);
      }
    };

  async function showConsent(
    c: Context<AppEnv>,
    space: string,
    req: AuthorizationRequest,
    lang: Lang,
    query: string,
  ): Promise<Response> {
    const prompt = await provider.prepareConsent(space, req);
    return consentPage({
      lang,
      client: req.client,
      ...prompt,
      redirectUri: req.redirectUri,
      request: query,
      csrfToken: readCookie(requestHeader(c, 'cookie'), CSRF_COOKIE) ?? '',
    });
  }

  return (app) => {
    app.get(OAUTH_CSS_PATH, () =>
      respond(oauthCss, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'no-cache' }),
    );

    const discovery = endpoint(async (c, space, issuer) =>
      json(
        {
          issuer,
          authorization_endpoint: `${issuer}/oauth/authorize`,
          token_endpoint: `${issuer}/oauth/token`,
          revocation_endpoint: `${issuer}/oauth/revoke`,
          userinfo_endpoint: `${issuer}/oauth/userinfo`,
          jwks_uri: `${issuer}/oauth/jwks`,
          registration_endpoint: `${issuer}/oauth/register`,
          scopes_supported: ['openid', 'offline_access'],
          response_types_supported: ['code'],
          response_modes_supported: ['query'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: [SIGNING_ALG],
          token_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
          revocation_endpoint_auth_methods_supported: ['none', 'client_secret_basic', 'client_secret_post'],
          code_challenge_methods_supported: ['S256'],
          claims_supported: ['iss', 'sub', 'aud', 'exp', 'iat', 'auth_time', 'nonce'],
          ui_locales_supported: ['en', 'fr'],
          authorization_response_iss_parameter_supported: true,
          request_parameter_supported: false,
          request_uri_parameter_supported: false,
          deletion_confirmation_endpoint: `${issuer}${CONFIRMATION_PATH}`,
        },
        200,
        { 'cache-control': 'max-age=300' },
      ),
    );
    app.get('/.well-known/openid-configuration', discovery);
    app.get('/.well-known/oauth-authorization-server', discovery);

    app.get(
      '/oauth/jwks',
      endpoint(async (c, space) =>
        json(await oauth.keys.jwks(space), 200, {
          'content-type': 'application/jwk-set+json',
          'cache-control': 'max-age=300',
        }),
      ),
    );

    app.post(
      '/oauth/register',
      endpoint(async (c, space, issuer) => {
        const type = requestHeader(c, 'content-type') ?? '';
        if (!/^application\/json\s*(;|$)/i.test(type)) {
          throw new OAuthError('invalid_client_metadata', 'Send the client metadata as application/json.');
        }
        let raw: unknown;
        try {
          raw = JSON.parse(await readText(c, FORM_LIMIT));
        } catch (e) {
          if (isOAuthError(e)) throw e;
          throw new OAuthError('invalid_client_metadata', 'The body is not valid JSON.');
        }
        const parsed = clientMetadata.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          const path = issue.path.map(String).join('.');
          throw new OAuthError(
            path.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata',
            `${path || 'body'}: ${issue.message}`,
          );
        }
        const { client, secret } = await oauth.clients.register(space, toClientMetadata(parsed.data), {
          registeredBy: 'client',
          issuer,
        });
        const view = clientView(client);
        return json(
          {
            client_id: client.id,
            ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
            client_id_issued_at: Math.floor(Date.parse(client.createdAt) / 1000),
            ...parsed.data,
            grant_types: ['authorization_code', 'refresh_token'],
            response_types: ['code'],
            status: view.status,
          },
          201,
          NO_STORE,
        );
      }),
    );

    app.get(
      '/oauth/authorize',
      pageHandler(async (c, space, issuer, lang) => {
        const url = new URL(c.req.url);
        const req = await provider.parseAuthorization(space, url.searchParams, issuer);
        const owner = await ownerOf(c, space);
        if (req.promptNone) {
          const [error, text] = owner
            ? (['consent_required', 'Foyer asks the owner every time.'] as const)
            : (['login_required', 'The owner is not logged in.'] as const);
          return redirect(provider.refusal(req, issuer, error, text));
        }
        if (!owner) return loginPage({ lang, client: req.client, request: url.search.slice(1) });
        return showConsent(c, space, req, lang, url.search.slice(1));
      }),
    );

    app.post(
      '/oauth/login',
      pageHandler(async (c, space, issuer, lang) => {
        const form = await readForm(c);
        const request = form.get('request') ?? '';
        const req = await provider.parseAuthorization(space, new URLSearchParams(request), issuer);
        const again = (error: string, status: number) =>
          loginPage({ lang, client: req.client, request, error, status });
        let session;
        try {
          const userAgent = requestHeader(c, 'user-agent');
          const ip = clientIp(c, deps.trustProxy);
          session = await ownerAuth.login(space, form.get('passphrase') ?? '', {
            ip: ip ?? 'unknown',
            ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
          });
        } catch (e) {
          if (isFoyerError(e) && (e.code === 'invalid_credentials' || e.code === 'too_many_requests')) {
            return again(e.message, e.status);
          }
          throw e;
        }
        const res = redirect(`/oauth/authorize?${new URLSearchParams(request).toString()}`);
        for (const cookie of sessionCookies(
          { secret: session.sessionSecret, csrfToken: session.csrfToken, maxExpiresAt: session.maxExpiresAt },
          deps.secureCookies,
        )) {
          res.headers.append('set-cookie', cookie);
        }
        return res;
      }),
    );

    app.post(
      '/oauth/authorize',
      pageHandler(async (c, space, issuer) => {
        const form = await readForm(c);
        const owner = await ownerOf(c, space);
        if (!owner) throw new FoyerError('unauthenticated', 'Your session ended: start again from the service.');
        if (!(await ownerAuth.verifyCsrf(space, owner.secret, form.get('csrf_token') ?? undefined))) {
          throw new FoyerError('csrf_failed', 'This form did not come from your space: start again from the service.');
        }
        const request = new URLSearchParams(form.get('request') ?? '');
        const req = await provider.parseAuthorization(space, request, issuer);
        const ip = clientIp(c, deps.trustProxy);
        const ctx: RequestContext = { space, principal: owner.principal, ...(ip ? { ip } : {}) };
        const decision = form.get('decision');
        if (decision !== 'accept' && decision !== 'refuse') throw new FoyerError('bad_request', 'Accept or refuse.');
        const language = form.get('language') === 'fr' ? 'fr' : 'en';
        try {
          return redirect(
            await provider.decide(
              ctx,
              req,
              {
                accept: decision === 'accept',
                grant: form.get('grant') ?? '',
                version: Number(form.get('version')),
                consentHash: form.get('consent_hash') ?? '',
                language,
                keep: form.getAll('keep').map(Number),
              },
              issuer,
            ),
          );
        } catch (e) {
          // The terms changed while the page was open: show the current ones.
          if (isFoyerError(e) && e.code === 'consent_changed')
            return showConsent(c, space, req, language, request.toString());
          throw e;
        }
      }),
    );

    app.post(
      '/oauth/token',
      endpoint(async (c, space, issuer) => {
        const form = await readForm(c);
        return json(await provider.token(space, form, credentialsOf(c, form), issuer), 200, NO_STORE);
      }),
    );

    app.post(
      '/oauth/revoke',
      endpoint(async (c, space) => {
        const form = await readForm(c);
        await provider.revoke(space, form, credentialsOf(c, form));
        return respond(null, 200, NO_STORE);
      }),
    );

    const userinfo = endpoint(async (c, space) => {
      const m = /^Bearer\s+(\S+)$/i.exec(requestHeader(c, 'authorization') ?? '');
      try {
        if (!m) throw new OAuthError('invalid_token', 'Send the access token as "Authorization: Bearer <token>".');
        return json(await provider.userinfo(space, m[1]!), 200, NO_STORE);
      } catch (e) {
        if (isOAuthError(e) && e.error === 'invalid_token') {
          return oauthError(e, { 'www-authenticate': `Bearer error="invalid_token"` });
        }
        throw e;
      }
    });
    app.get('/oauth/userinfo', userinfo);
    app.post('/oauth/userinfo', userinfo);

    app.post(
      CONFIRMATION_PATH,
      endpoint(async (c, space) => {
        const type = requestHeader(c, 'content-type') ?? '';
        if (!/^application\/jwt\s*(;|$)/i.test(type)) {
          throw new OAuthError('invalid_request', 'Send the signed confirmation as application/jwt.');
        }
        const confirmed = await oauth.deletions.confirm(space, (await readText(c, 16 * 1024)).trim());
        return json(
          {
            request_id: confirmed.id,
            grant_id: confirmed.grant,
            status: confirmed.status,
            confirmed_at: confirmed.confirmedAt,
          },
          200,
          NO_STORE,
        );
      }),
    );
  };
}
