/**
 * The `scope` parameter. Items are separated by spaces:
 *  - `openid`: an ID token comes with the tokens (OpenID Connect);
 *  - `offline_access`: accepted and ignored (Foyer always issues a refresh token);
 *  - `<doctype>:<verb>`, e.g. `bank.transaction:read`, `foyer.file:create`: one verb on one doctype.
 * Each data item must be one the client registered (its terms' scopes); the grant asked for is the
 * client's registered scopes cut down to the items requested, keeping their filters, field lists,
 * reasons and optional flags. No data item means "every scope the client registered".
 */
import type { Verb } from '../gate.js';
import type { Scope } from '../grants/grant.js';
import { OAuthError } from './oauth-error.js';

const ITEM = /^([a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)*):(read|create|update|delete)$/;
const MAX_SCOPE_LENGTH = 4000;

export interface RequestedScope {
  openid: boolean;
  /** Verbs asked for per doctype, in the order first asked. */
  data: Map<string, Set<Verb>>;
}

/** Parses the parameter; throws `invalid_scope` on an item that is neither OIDC nor `<doctype>:<verb>`. */
export function parseScope(scope: string | undefined): RequestedScope {
  const out: RequestedScope = { openid: false, data: new Map() };
  if (scope === undefined) return out;
  if (scope.length > MAX_SCOPE_LENGTH) throw new OAuthError('invalid_scope', 'The scope parameter is too long.');
  for (const item of scope.split(' ')) {
    if (item === '') continue;
    if (item === 'openid') {
      out.openid = true;
      continue;
    }
    if (item === 'offline_access') continue;
    const m = ITEM.exec(item);
    if (!m) {
      throw new OAuthError(
        'invalid_scope',
        `"${item.slice(0, 100)}" is not a scope: use openid and <doctype>:<verb> items (verbs: read, create, update, delete).`,
      );
    }
    const verbs = out.data.get(m[1]!) ?? new Set<Verb>();
    verbs.add(m[2] as Verb);
    out.data.set(m[1]!, verbs);
  }
  return out;
}

/**
 * The client's registered scopes cut down to what is requested (all of them when nothing is);
 * throws `invalid_scope` for an item the client did not register.
 */
export function scopesFor(registered: readonly Scope[], requested: RequestedScope): Scope[] {
  if (requested.data.size === 0) return registered.map((s) => ({ ...s }));
  for (const [doctype, verbs] of requested.data) {
    const scope = registered.find((s) => s.doctype === doctype);
    const missing = [...verbs].filter((v) => !scope?.verbs.includes(v));
    if (missing.length > 0) {
      throw new OAuthError(
        'invalid_scope',
        `This client did not register ${missing.map((v) => `${doctype}:${v}`).join(', ')}.`,
      );
    }
  }
  return registered
    .filter((s) => requested.data.has(s.doctype))
    .map((s) => ({ ...s, verbs: s.verbs.filter((v) => requested.data.get(s.doctype)!.has(v)) }));
}

/** The scope string of what was granted, for token responses. */
export function scopeString(openid: boolean, scopes: readonly Pick<Scope, 'doctype' | 'verbs'>[]): string {
  const items = scopes.flatMap((s) => s.verbs.map((v) => `${s.doctype}:${v}`));
  return (openid ? ['openid', ...items] : items).join(' ');
}
