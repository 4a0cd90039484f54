/**
 * OAuth2 at a data holder, for connectors whose manifest says `auth.kind: oauth`: the person logs
 * in and consents at the holder (authorization code with PKCE, RFC 7636), so their password never
 * reaches Foyer; Foyer keeps the tokens in the vault and refreshes the access token before each run.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ConnectorManifest } from './manifest.js';
import { RunFailure } from './run-errors.js';
import type { HolderAnswer, HolderRequest } from './holder-net.js';

export type OAuthAuth = Extract<ConnectorManifest['auth'], { kind: 'oauth' }>;
/** Where the person consents and where tokens come from: the manifest's, or read from discovery. */
export interface OAuthEndpoints {
  authorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  scopes: string[];
}
type TokenEndpoint = Pick<OAuthEndpoints, 'tokenUrl' | 'clientId'>;
type Send = (url: string, init: HolderRequest) => Promise<HolderAnswer>;

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** ISO instant the access token stops working, when the holder says. */
  expiresAt?: string;
}

export interface AuthorizationStart {
  url: string;
  state: string;
  verifier: string;
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');

export function startAuthorization(auth: OAuthEndpoints, redirectUri: string): AuthorizationStart {
  const state = b64url(randomBytes(24));
  const verifier = b64url(randomBytes(32));
  const url = new URL(auth.authorizationUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', auth.clientId);
  url.searchParams.set('redirect_uri', redirectUri);
  if (auth.scopes.length > 0) url.searchParams.set('scope', auth.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', b64url(createHash('sha256').update(verifier).digest()));
  url.searchParams.set('code_challenge_method', 'S256');
  return { url: url.href, state, verifier };
}

/** The authorization code for tokens; a refusal is `login_failed`, no answer `holder_unavailable`. */
export function exchangeCode(
  send: Send,
  auth: TokenEndpoint,
  input: { code: string; verifier: string; redirectUri: string },
  now: number,
): Promise<TokenSet> {
  return tokenRequest(
    send,
    auth,
    {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      client_id: auth.clientId,
      code_verifier: input.verifier,
    },
    'login_failed',
    now,
  );
}

/** A fresh access token; a refused refresh token means the person must connect again. */
export function refreshTokens(send: Send, auth: TokenEndpoint, refreshToken: string, now: number): Promise<TokenSet> {
  return tokenRequest(
    send,
    auth,
    { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: auth.clientId },
    'user_action_needed',
    now,
  );
}

async function tokenRequest(
  send: Send,
  auth: TokenEndpoint,
  form: Record<string, string>,
  refusal: 'login_failed' | 'user_action_needed',
  now: number,
): Promise<TokenSet> {
  let answer: HolderAnswer;
  try {
    answer = await send(auth.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch (e) {
    if (e instanceof RunFailure) throw e;
    throw new RunFailure('holder_unavailable', `The holder's token endpoint did not answer: ${(e as Error).message}`);
  }
  const host = new URL(auth.tokenUrl).host;
  if (answer.status >= 500 || answer.status === 429) {
    throw new RunFailure(answer.status === 429 ? 'quota' : 'holder_unavailable', `${host} answered ${answer.status}.`);
  }
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(answer.body) as Record<string, unknown>;
  } catch {
    // judged below
  }
  if (answer.status >= 400) {
    const code = typeof body.error === 'string' ? body.error.slice(0, 60) : String(answer.status);
    throw new RunFailure(refusal, `${host} refused the ${form.grant_type} request (${code}).`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') {
    throw new RunFailure('holder_format_changed', `${host} answered tokens without an access_token.`);
  }
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : null;
  return {
    accessToken: body.access_token,
    ...(typeof body.refresh_token === 'string' ? { refreshToken: body.refresh_token } : {}),
    ...(expiresIn !== null ? { expiresAt: new Date(now + expiresIn * 1000).toISOString() } : {}),
  };
}
