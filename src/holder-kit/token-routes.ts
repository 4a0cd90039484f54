/**
 * The token endpoint (RFC 6749 §4.1.3, §6; RFC 7636 §4.5-4.6) and the revocation endpoint
 * (RFC 7009). Codes and refresh tokens are single-use: a second use is taken as a theft and
 * revokes every token of that consent (RFC 6749 §4.1.2 and §10.4).
 */
import type { Hono } from 'hono';
import type { CodeGrant } from './authorization-routes.js';
import type { StoredEntry } from './holder-kit-store.js';
import { KitError } from './kit-error.js';
import { readForm, required } from './kit-request.js';
import type { KitSettings } from './kit-settings.js';
import { digest, isCodeVerifier, newSecret, s256, sameText } from './secrets.js';

/** What an access or refresh token stands for. */
export interface TokenGrant {
  clientId: string;
  customerId: string;
  scopes: string[];
  consentExpiresAt: number;
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

export function tokenRoutes(app: Hono, s: KitSettings): void {
  function clientOf(form: Record<string, string>) {
    const client = s.clients.get(required(form, 'client_id'));
    if (!client) throw new KitError('invalid_client', 'Unknown client_id.');
    return client;
  }

  /** A single-use entry: unknown, expired or already used are all `invalid_grant`. */
  async function consumeOnce(kind: 'code' | 'refresh', secret: string): Promise<StoredEntry> {
    const entry = await s.store.consume(kind, digest(secret), s.clock.now());
    const what = kind === 'code' ? 'authorization code' : 'refresh token';
    if (!entry) throw new KitError('invalid_grant', `The ${what} is unknown, expired or revoked.`);
    if (entry.consumedAt !== null) {
      if (entry.grantId) await s.store.revokeGrant(entry.grantId);
      throw new KitError('invalid_grant', `The ${what} was already used; every token of this consent is revoked.`);
    }
    return entry;
  }

  async function issue(grantId: string, grant: TokenGrant, scopes: string[]): Promise<Response> {
    const now = s.clock.now();
    const accessToken = newSecret('hk_at_');
    const refreshToken = newSecret('hk_rt_');
    await s.store.put({
      kind: 'access',
      id: digest(accessToken),
      grantId,
      expiresAt: now + s.lifetimes.access * 1000,
      consumedAt: null,
      data: { ...grant, scopes },
    });
    await s.store.put({
      kind: 'refresh',
      id: digest(refreshToken),
      grantId,
      expiresAt: Math.min(now + s.lifetimes.refresh * 1000, grant.consentExpiresAt),
      consumedAt: null,
      data: { ...grant },
    });
    const body = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: s.lifetimes.access,
      refresh_token: refreshToken,
      scope: scopes.join(' '),
    };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json', ...NO_STORE } });
  }

  async function exchangeCode(form: Record<string, string>, clientId: string): Promise<Response> {
    const code = required(form, 'code');
    const redirectUri = required(form, 'redirect_uri');
    const verifier = required(form, 'code_verifier');
    const entry = await consumeOnce('code', code);
    const grant = entry.data as unknown as CodeGrant;
    if (grant.clientId !== clientId) throw new KitError('invalid_grant', 'The code was issued to another client.');
    if (grant.redirectUri !== redirectUri) {
      throw new KitError('invalid_grant', 'redirect_uri differs from the authorization request.');
    }
    if (!isCodeVerifier(verifier) || !sameText(s256(verifier), grant.codeChallenge)) {
      throw new KitError('invalid_grant', 'code_verifier does not match the code challenge.');
    }
    const { customerId, scopes, consentExpiresAt } = grant;
    return issue(entry.grantId!, { clientId, customerId, scopes, consentExpiresAt }, scopes);
  }

  async function refresh(form: Record<string, string>, clientId: string): Promise<Response> {
    const refreshToken = required(form, 'refresh_token');
    // A request that is wrong on its face does not spend the token: check before consuming it.
    const seen = await s.store.get('refresh', digest(refreshToken));
    const granted = (seen?.data as unknown as TokenGrant | undefined)?.scopes ?? [];
    let scopes: string[] | undefined;
    if (seen && form.scope !== undefined) {
      // RFC 6749 §6: a narrower access token; the refresh token keeps the consent's scope.
      scopes = [...new Set(form.scope.split(' ').filter((x) => x !== ''))];
      if (scopes.length === 0 || scopes.some((x) => !granted.includes(x))) {
        throw new KitError('invalid_scope', 'scope must be part of what the customer consented to.');
      }
    }
    const entry = await consumeOnce('refresh', refreshToken);
    const grant = entry.data as unknown as TokenGrant;
    if (grant.clientId !== clientId)
      throw new KitError('invalid_grant', 'The refresh token was issued to another client.');
    return issue(entry.grantId!, grant, scopes ?? grant.scopes);
  }

  app.post('/oauth/token', async (c) => {
    const form = await readForm(c.req.raw);
    const grantType = required(form, 'grant_type');
    const client = clientOf(form);
    if (grantType === 'authorization_code') return exchangeCode(form, client.clientId);
    if (grantType === 'refresh_token') return refresh(form, client.clientId);
    throw new KitError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token.');
  });

  app.post('/oauth/revoke', async (c) => {
    const form = await readForm(c.req.raw);
    const client = clientOf(form);
    const id = digest(required(form, 'token'));
    // RFC 7009 §2.1: the hint orders the search; an unknown token is not an error (§2.2).
    const kinds =
      form.token_type_hint === 'refresh_token' ? (['refresh', 'access'] as const) : (['access', 'refresh'] as const);
    for (const kind of kinds) {
      const entry = await s.store.get(kind, id);
      if (!entry) continue;
      if ((entry.data as unknown as TokenGrant).clientId !== client.clientId) {
        throw new KitError('invalid_request', 'The token was issued to another client.');
      }
      // A refresh token stands for the consent: revoking it ends every token of it.
      if (kind === 'refresh' && entry.grantId) await s.store.revokeGrant(entry.grantId);
      else await s.store.delete(kind, id);
      break;
    }
    return new Response(null, { status: 200, headers: NO_STORE });
  });
}
