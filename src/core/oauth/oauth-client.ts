/**
 * A third-party OAuth client of one space: who it is, where it may send the owner back, the terms
 * it asks for (the grant it gets is made from them), how it proves itself (PKCE alone for a public
 * client, plus a secret for a confidential one, stored as its SHA-256), and, for a client that
 * takes data out of the space, where it accepts deletion requests and the keys that sign its
 * confirmations. A client registers itself `pending`; only the owner's approval lets it start an
 * authorization. Stored as internal `foyer.oauth-client` documents.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { GrantTerms, Scope, Storage } from '../grants/grant.js';
import { checkTerms } from '../grants/grant-terms.js';
import { isFoyerError } from '../errors.js';
import { addIsoDuration, isIsoDuration } from './iso-duration.js';
import { OAuthError } from './oauth-error.js';

export const CLIENT_DOCTYPE = 'foyer.oauth-client';

export type ClientAuthMethod = 'none' | 'client_secret_basic' | 'client_secret_post';
export type ClientStatus = 'pending' | 'approved' | 'rejected';

/** The terms a client asks for: a grant's terms with a validity instead of an end date. */
export interface ClientTerms {
  /** Every scope the client may ask for; an authorization asks for some or all of them. */
  scopes: Scope[];
  purpose: GrantTerms['purpose'];
  storage: Storage;
  retention: string;
  /** ISO 8601 duration: each consent lasts this long from the moment it is given. */
  validity: string;
  onWithdraw: 'delete' | 'keep';
}

/** A JSON Web Key Set, as registered (public keys only). */
export interface Jwks {
  keys: Record<string, unknown>[];
}

export interface ClientMetadata {
  name: string;
  publisher?: string;
  /** The client's home page, shown to the owner. */
  uri?: string;
  redirectUris: string[];
  authMethod: ClientAuthMethod;
  terms: ClientTerms;
  /** Where Foyer POSTs deletion requests when the owner withdraws (https, or http on loopback). */
  deletionEndpoint?: string;
  /** Keys that sign the client's deletion confirmations: inline, or where to fetch them. */
  jwks?: Jwks;
  jwksUri?: string;
}

export interface OAuthClient extends ClientMetadata {
  id: string;
  status: ClientStatus;
  registeredBy: 'client' | 'owner';
  /** The issuer (Foyer's URL for the space) the client registered with. */
  issuer: string;
  createdAt: string;
  decidedAt?: string;
  /** SHA-256 hex of the client secret (confidential clients only). */
  secretHash?: string;
  /** The client's grant in this space, once an authorization asked for one. */
  grant?: string;
}

/** A client as the owner's API and the registration answer show it: never the secret's hash. */
export type ClientView = Omit<OAuthClient, 'secretHash'>;

export const clientView = ({ secretHash: _hash, ...rest }: OAuthClient): ClientView => rest;

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
const MAX_REDIRECT_URIS = 10;

/** An absolute https URL, or http on a loopback host (a native app or a test); no fragment. */
function checkEndpointUrl(value: string, what: string, code: 'invalid_redirect_uri' | 'invalid_client_metadata') {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OAuthError(code, `${what} "${value}" is not an absolute URL.`);
  }
  if (url.hash || value.includes('#')) throw new OAuthError(code, `${what} "${value}" must not have a fragment.`);
  if (url.username || url.password) throw new OAuthError(code, `${what} "${value}" must not carry credentials.`);
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new OAuthError(code, `${what} "${value}" must use https (http only on 127.0.0.1, [::1] or localhost).`);
  }
}

/** Throws `invalid_redirect_uri` or `invalid_client_metadata` naming the first problem. */
export function checkClientMetadata(catalog: Catalog, meta: ClientMetadata, now: number): void {
  if (meta.redirectUris.length === 0 || meta.redirectUris.length > MAX_REDIRECT_URIS) {
    throw new OAuthError('invalid_redirect_uri', `Register 1 to ${MAX_REDIRECT_URIS} redirect URIs.`);
  }
  for (const uri of meta.redirectUris) checkEndpointUrl(uri, 'Redirect URI', 'invalid_redirect_uri');
  if (meta.deletionEndpoint) checkEndpointUrl(meta.deletionEndpoint, 'deletion_endpoint', 'invalid_client_metadata');
  if (meta.jwksUri) checkEndpointUrl(meta.jwksUri, 'jwks_uri', 'invalid_client_metadata');
  if (meta.jwks && meta.jwksUri) {
    throw new OAuthError('invalid_client_metadata', 'Give jwks or jwks_uri, not both.');
  }
  if (meta.jwks && (meta.jwks.keys.length === 0 || meta.jwks.keys.some((k) => 'd' in k))) {
    throw new OAuthError('invalid_client_metadata', 'jwks must hold at least one key, and public keys only.');
  }
  const t = meta.terms;
  if (!isIsoDuration(t.validity)) {
    throw new OAuthError('invalid_client_metadata', 'terms.validity must be an ISO 8601 duration, e.g. P1Y.');
  }
  try {
    checkTerms(catalog, toGrantTerms(t, t.scopes, now), now);
  } catch (e) {
    if (isFoyerError(e)) throw new OAuthError('invalid_client_metadata', `terms: ${e.message}`);
    throw e;
  }
  // Reading through Foyer's API copies data to the client's servers: it must say so, and be reachable
  // for the deletion that a withdrawal asks of it.
  const reads = t.scopes.some((s) => s.verbs.includes('read'));
  if (reads && t.storage.kind !== 'recipient') {
    throw new OAuthError(
      'invalid_client_metadata',
      'A client that reads data takes it outside the space: terms.storage must name the recipient.',
    );
  }
  if (t.storage.kind === 'recipient' && (!meta.deletionEndpoint || !(meta.jwks || meta.jwksUri))) {
    throw new OAuthError(
      'invalid_client_metadata',
      'A client that keeps data outside the space needs a deletion_endpoint and the keys (jwks or jwks_uri) that sign its deletion confirmations.',
    );
  }
}

/** The grant terms for `scopes` (a subset of the client's), valid from `now` for the client's validity. */
export function toGrantTerms(terms: ClientTerms, scopes: Scope[], now: number): GrantTerms {
  return {
    scopes,
    purpose: terms.purpose,
    storage: terms.storage,
    retention: terms.retention,
    validUntil: new Date(addIsoDuration(now, terms.validity)).toISOString(),
    onWithdraw: terms.onWithdraw,
  };
}
