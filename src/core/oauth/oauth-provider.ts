/**
 * Foyer as an OAuth2 / OpenID Connect provider: the authorization code flow with PKCE (S256
 * only), refresh and revocation. An authorization makes or updates the client's one grant in the
 * space through the GrantService, so the consent screen shows the grant's own consent text and
 * the owner's decision is the grant's decision (same hash check); the tokens are the grant's.
 */
import type { Clock } from '../../platform/clock.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { stable } from '../grants/grant-terms.js';
import { ACCESS_TOKEN_SECONDS, type GrantService, type GrantView } from '../grants/grant-service.js';
import type { GrantTerms, GrantVersion, Scope } from '../grants/grant.js';
import type { RequestContext } from '../principal.js';
import type { AuthorizationCodes, CodeData } from './authorization-codes.js';
import { pkceMatches } from './authorization-codes.js';
import type { ClientCredentials, ClientRegistry } from './client-registry.js';
import { toGrantTerms, type OAuthClient } from './oauth-client.js';
import { OAuthError, type OAuthErrorCode } from './oauth-error.js';
import { parseScope, scopesFor, scopeString, type RequestedScope } from './oauth-scopes.js';
import type { SigningKeys } from './signing-keys.js';

const ONE_PARAM = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'nonce', 'code_challenge'];
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
const MAX_STATE = 1000;

/** An authorization request that passed every check. */
export interface AuthorizationRequest {
  client: OAuthClient;
  redirectUri: string;
  state?: string;
  nonce?: string;
  challenge: string;
  requested: RequestedScope;
  /** The client's registered scopes cut down to what it asked for. */
  scopes: Scope[];
  /** `prompt=none`: the client wants an answer without showing anything. */
  promptNone: boolean;
}

/**
 * An error to send back to the client at its redirect URI. Thrown only once the client and the
 * redirect URI are known good; before that, errors are shown to the person (never redirected, or
 * Foyer would be an open redirector for anyone who registers).
 */
export class AuthorizationRedirect extends OAuthError {
  readonly location: string;
  constructor(error: OAuthErrorCode, description: string, location: string) {
    super(error, description);
    this.name = 'AuthorizationRedirect';
    this.location = location;
  }
}

/** What the consent page shows: the grant, and the version whose text the owner reads. */
export interface ConsentPrompt {
  grant: GrantView;
  version: GrantVersion;
  /** True when the owner already consented to exactly this version (approving only confirms it). */
  consented: boolean;
}

export interface ConsentDecision {
  accept: boolean;
  grant: string;
  version: number;
  consentHash: string;
  language: 'en' | 'fr';
  /** Indexes of optional scopes the owner kept (unchecked ones are left out). */
  keep: number[];
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
  id_token?: string;
}

export interface OAuthProviderDeps {
  clock: Clock;
  grants: GrantService;
  clients: ClientRegistry;
  codes: AuthorizationCodes;
  keys: SigningKeys;
}

export type OAuthProvider = ReturnType<typeof createOAuthProvider>;

/** Where the person is sent back: the redirect URI with the answer in its query (RFC 6749 §4.1.2, RFC 9207 `iss`). */
export function redirectWith(redirectUri: string, params: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export function createOAuthProvider(deps: OAuthProviderDeps) {
  const { clock, grants, clients, codes, keys } = deps;
  const systemCtx = (space: string, client: string): RequestContext => ({
    space,
    principal: { kind: 'system', reason: `oauth client ${client}` },
  });

  /** Terms equal but for their end date: a pending version made from them can be shown again. */
  const sameButEnd = (a: GrantTerms, b: GrantTerms) =>
    stable({ ...a, validUntil: null }) === stable({ ...b, validUntil: null });

  async function grantOf(space: string, client: OAuthClient): Promise<GrantView | null> {
    if (!client.grant) return null;
    try {
      return await grants.get(systemCtx(space, client.id), client.grant);
    } catch (e) {
      if (isFoyerError(e) && e.code === 'not_found') return null;
      throw e;
    }
  }

  async function idToken(space: string, issuer: string, client: OAuthClient, nonce: string | undefined) {
    const now = Math.floor(clock.now() / 1000);
    return keys.sign(space, {
      iss: issuer,
      sub: await keys.pairwiseSubject(space, client.id),
      aud: client.id,
      iat: now,
      exp: now + ACCESS_TOKEN_SECONDS,
      auth_time: now,
      ...(nonce ? { nonce } : {}),
    });
  }

  /** A Foyer error from the grant service, as the token endpoint says it. */
  function asInvalidGrant(e: unknown): never {
    if (isFoyerError(e) && (e.code === 'invalid_token' || e.code === 'grant_inactive' || e.code === 'not_found')) {
      throw new OAuthError('invalid_grant', e.message);
    }
    throw e;
  }

  return {
    /**
     * Checks an authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1). Problems with
     * the client or the redirect URI are OAuthErrors for the person; the rest are AuthorizationRedirects.
     */
    async parseAuthorization(space: string, query: URLSearchParams, issuer: string): Promise<AuthorizationRequest> {
      for (const name of ['client_id', 'redirect_uri']) {
        if (query.getAll(name).length > 1) throw new OAuthError('invalid_request', `${name} is given twice.`);
      }
      const clientId = query.get('client_id');
      const redirectUri = query.get('redirect_uri');
      if (!clientId) throw new OAuthError('invalid_request', 'The request names no client (client_id).');
      const client = await clients.get(space, clientId);
      if (!client) throw new OAuthError('invalid_client', 'This client is not registered here.');
      if (!redirectUri) throw new OAuthError('invalid_request', 'The request has no redirect_uri.');
      if (!client.redirectUris.includes(redirectUri)) {
        throw new OAuthError('invalid_request', 'This redirect_uri is not one the client registered.');
      }
      if (client.status !== 'approved') {
        throw new OAuthError(
          'unauthorized_client',
          client.status === 'pending'
            ? `“${client.name}” is waiting for your approval: approve it in your space first.`
            : `“${client.name}” was rejected in this space.`,
        );
      }
      const state = query.get('state') ?? undefined;
      const fail = (error: OAuthErrorCode, description: string) =>
        new AuthorizationRedirect(
          error,
          description,
          redirectWith(redirectUri, {
            error,
            error_description: description,
            ...(state !== undefined && state.length <= MAX_STATE ? { state } : {}),
            iss: issuer,
          }),
        );
      for (const name of ONE_PARAM) {
        if (query.getAll(name).length > 1) throw fail('invalid_request', `${name} is given twice.`);
      }
      if (state !== undefined && state.length > MAX_STATE) throw fail('invalid_request', 'state is too long.');
      if (query.get('request') !== null || query.get('request_uri') !== null) {
        throw fail('request_not_supported', 'Request objects are not supported; send the parameters in the query.');
      }
      if (query.get('response_type') !== 'code') {
        throw fail('unsupported_response_type', 'Only response_type=code is supported.');
      }
      const challenge = query.get('code_challenge');
      if (!challenge) {
        throw fail('invalid_request', 'PKCE is required: send code_challenge with code_challenge_method=S256.');
      }
      if (query.get('code_challenge_method') !== 'S256') {
        throw fail('invalid_request', 'Only code_challenge_method=S256 is accepted (plain is not).');
      }
      if (!CHALLENGE.test(challenge)) {
        throw fail('invalid_request', 'code_challenge must be 43 base64url characters (an S256 digest).');
      }
      const nonce = query.get('nonce') ?? undefined;
      if (nonce !== undefined && nonce.length > MAX_STATE) throw fail('invalid_request', 'nonce is too long.');
      let requested: RequestedScope;
      let scopes: Scope[];
      try {
        requested = parseScope(query.get('scope') ?? undefined);
        scopes = scopesFor(client.terms.scopes, requested);
      } catch (e) {
        if (e instanceof OAuthError) throw fail(e.error, e.message);
        throw e;
      }
      return {
        client,
        redirectUri,
        ...(state !== undefined ? { state } : {}),
        ...(nonce !== undefined ? { nonce } : {}),
        challenge,
        requested,
        scopes,
        promptNone: (query.get('prompt') ?? '').split(' ').includes('none'),
      };
    },

    /** The error redirect for a request that cannot go on (`prompt=none`, the owner's refusal). */
    refusal(req: AuthorizationRequest, issuer: string, error: OAuthErrorCode, description: string): string {
      return redirectWith(req.redirectUri, { error, error_description: description, state: req.state, iss: issuer });
    },

    /**
     * Makes or updates the client's grant for this request (a pending version with its consent
     * text), reusing a pending version with the same terms so reloading the page adds nothing.
     */
    async prepareConsent(space: string, req: AuthorizationRequest): Promise<ConsentPrompt> {
      const { client } = req;
      const ctx = systemCtx(space, client.id);
      const terms = toGrantTerms(client.terms, req.scopes, clock.now());
      let grant = await grantOf(space, client);
      if (grant && grant.status !== 'withdrawn') {
        if (!(grant.pending && sameButEnd(grant.pending.terms, terms)))
          grant = await grants.propose(ctx, grant.id, terms);
      } else {
        grant = await grants.request(ctx, {
          grantee: {
            kind: 'client',
            id: client.id,
            name: client.name,
            ...(client.publisher ? { publisher: client.publisher } : {}),
            ...(client.deletionEndpoint ? { deletionEndpoint: client.deletionEndpoint } : {}),
          },
          terms,
        });
        await clients.setGrant(space, client.id, grant.id);
      }
      if (grant.pending) return { grant, version: grant.pending, consented: false };
      // Same (or narrower) terms than those consented: they applied without a new version.
      return { grant, version: grant.active!, consented: true };
    },

    /**
     * The owner's answer on the consent page: accepted through the grant service (which checks the
     * hash of the text shown) or refused. Returns where to send the person: back to the client with
     * a code, or with `access_denied`.
     */
    async decide(ctx: RequestContext, req: AuthorizationRequest, d: ConsentDecision, issuer: string): Promise<string> {
      const { client } = req;
      if (client.grant !== d.grant) {
        throw new FoyerError('consent_changed', 'This consent page is out of date: start again from the service.');
      }
      const grant = await grants.get(ctx, d.grant);
      if (grant.grantee.kind !== 'client' || grant.grantee.id !== client.id) {
        throw new FoyerError('bad_request', 'This grant is not the client’s.');
      }
      if (!d.accept) {
        if (grant.pending?.version === d.version) await grants.refuse(ctx, grant.id, d.language);
        return redirectWith(req.redirectUri, {
          error: 'access_denied',
          error_description: 'The owner refused.',
          state: req.state,
          iss: issuer,
        });
      }
      let accepted: GrantView;
      if (grant.pending?.version === d.version) {
        const omit = grant.pending.terms.scopes.flatMap((s, i) => (s.optional && !d.keep.includes(i) ? [i] : []));
        accepted = await grants.accept(ctx, grant.id, {
          version: d.version,
          consentHash: d.consentHash,
          language: d.language,
          omit,
        });
      } else if (
        grant.status === 'active' &&
        grant.active?.version === d.version &&
        grant.active.consentHash === d.consentHash
      ) {
        accepted = grant;
      } else {
        throw new FoyerError('consent_changed', 'The terms changed since this text was shown: read them again.');
      }
      const code = await codes.issue(ctx.space, {
        client: client.id,
        redirectUri: req.redirectUri,
        challenge: req.challenge,
        grant: accepted.id,
        version: accepted.active!.version,
        ...(req.nonce !== undefined ? { nonce: req.nonce } : {}),
        scope: scopeString(req.requested.openid, accepted.scopes),
        openid: req.requested.openid,
        issuer,
      });
      return redirectWith(req.redirectUri, { code, state: req.state, iss: issuer });
    },

    /** The token endpoint (RFC 6749 §4.1.3 and §6). */
    async token(
      space: string,
      form: URLSearchParams,
      creds: ClientCredentials,
      issuer: string,
    ): Promise<TokenResponse> {
      const client = await clients.authenticate(space, creds);
      const grantType = form.get('grant_type');
      if (grantType === 'authorization_code') {
        const code = form.get('code');
        const redirectUri = form.get('redirect_uri');
        const verifier = form.get('code_verifier');
        if (!code || !redirectUri) throw new OAuthError('invalid_request', 'Send code and redirect_uri.');
        if (!verifier) throw new OAuthError('invalid_request', 'PKCE is required: send code_verifier.');
        const spent = await codes.consume(space, code, (data: CodeData) => {
          if (data.client !== client.id)
            throw new OAuthError('invalid_grant', 'This code was issued to another client.');
          if (data.redirectUri !== redirectUri) {
            throw new OAuthError('invalid_grant', 'redirect_uri differs from the authorization request’s.');
          }
          if (data.issuer !== issuer) throw new OAuthError('invalid_grant', 'This code was issued by another issuer.');
          if (!pkceMatches(verifier, data.challenge)) {
            throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge.');
          }
        });
        if (spent.outcome === 'reused') {
          // Someone replays a code: whatever it gave may be in the wrong hands (RFC 6749 §4.1.2).
          if (spent.code.client === client.id) {
            await grants.revokeTokens(systemCtx(space, client.id), spent.code.grant).catch(() => undefined);
          }
          throw new OAuthError('invalid_grant', 'This code was already used; the tokens it gave are revoked.');
        }
        if (spent.outcome !== 'ok') throw new OAuthError('invalid_grant', `This code is ${spent.outcome}.`);
        const issued = await grants.issueTokens(systemCtx(space, client.id), spent.code.grant).catch(asInvalidGrant);
        return {
          access_token: issued.accessToken,
          token_type: 'Bearer',
          expires_in: issued.expiresIn,
          refresh_token: issued.refreshToken,
          scope: spent.code.scope,
          ...(spent.code.openid ? { id_token: await idToken(space, issuer, client, spent.code.nonce) } : {}),
        };
      }
      if (grantType === 'refresh_token') {
        const refreshToken = form.get('refresh_token');
        if (!refreshToken) throw new OAuthError('invalid_request', 'Send refresh_token.');
        if (!client.grant) throw new OAuthError('invalid_grant', 'This refresh token is unknown, spent or expired.');
        const issued = await grants.refresh(space, refreshToken, client.grant).catch(asInvalidGrant);
        const grant = await grants.get(systemCtx(space, client.id), client.grant);
        return {
          access_token: issued.accessToken,
          token_type: 'Bearer',
          expires_in: issued.expiresIn,
          refresh_token: issued.refreshToken,
          scope: scopeString(false, grant.scopes),
        };
      }
      throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
    },

    /**
     * RFC 7009. Revoking an access or a refresh token revokes every token of the client's grant (they
     * are one authorization); the grant itself stays, so the client may ask again. Unknown tokens
     * are not an error.
     */
    async revoke(space: string, form: URLSearchParams, creds: ClientCredentials): Promise<void> {
      const client = await clients.authenticate(space, creds);
      const token = form.get('token');
      if (!token) throw new OAuthError('invalid_request', 'Send the token to revoke.');
      const grant = await grants.tokenGrant(space, token);
      if (grant === null) return;
      if (grant !== client.grant) throw new OAuthError('unauthorized_client', 'This token was not issued to you.');
      await grants.revokeTokens(systemCtx(space, client.id), grant);
    },

    /** OIDC UserInfo: the owner's pairwise subject, for the client holding the access token. */
    async userinfo(space: string, accessToken: string): Promise<{ sub: string }> {
      let principal;
      try {
        principal = await grants.authenticate(space, accessToken);
      } catch (e) {
        if (isFoyerError(e)) throw new OAuthError('invalid_token', e.message);
        throw e;
      }
      if (principal.kind !== 'grant' || principal.grant.grantee.kind !== 'client') {
        throw new OAuthError('invalid_token', 'This token was not issued to an OAuth client.');
      }
      return { sub: await keys.pairwiseSubject(space, principal.grant.grantee.id) };
    },
  };
}
