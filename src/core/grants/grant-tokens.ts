/**
 * Grant tokens. An access token is short-lived and self-contained: the space, the grant, the
 * grant's token epoch and an expiry, signed with HMAC-SHA256 under a key of the space. Checking
 * one costs no store read for the token itself; the gate still reads the grant on every request,
 * which is what makes a withdrawn or expired grant's tokens fail on the very next request.
 * Refresh tokens are random secrets stored as their SHA-256 (like personal access tokens) and
 * rotated on each use.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { randomBase64url, sha256Hex } from '../auth/secrets.js';
import { KEYS_DOCTYPE } from '../keys/data-key-record.js';
import { createSpaceSecret, type SpaceSecretDeps } from '../keys/space-secret-record.js';

export const ACCESS_PREFIX = 'foyer_at_';
export const REFRESH_PREFIX = 'foyer_rt_';
export const REFRESH_DOCTYPE = 'foyer.grant-refresh';
export const GRANT_TOKEN_KEY_ID = 'grant-tokens';
const KEY_BYTES = 32;
const VERIFIED_MAX = 10_000;
const REFRESH_PATTERN = new RegExp(`^${REFRESH_PREFIX}[A-Za-z0-9_-]{43}$`);
const ACCESS_PATTERN = new RegExp(`^${ACCESS_PREFIX}([A-Za-z0-9_-]{1,400})\\.([A-Za-z0-9_-]{43})$`);

export interface AccessClaims {
  /** Space id. */
  s: string;
  /** Grant id. */
  g: string;
  /** The grant's token epoch when issued. */
  n: number;
  /** Expiry, epoch seconds. */
  e: number;
  /** Random, so two tokens issued in the same second differ. */
  j: string;
}

export interface RefreshRecord {
  grant: string;
  expiresAt: string;
  createdAt: string;
}

/** The grant token key as an earlier Foyer stored it, in clear: `{ key: base64url }`. */
function clearKey(data: unknown): Buffer | null {
  const key = (data as { key?: unknown } | null)?.key;
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(key)) return null;
  return Buffer.from(key, 'base64url');
}

/**
 * Each space's key is stored wrapped under the space's data key (`foyer.keys`, id `grant-tokens`),
 * made on first use; a key an earlier Foyer stored in clear is wrapped in place on first read.
 */
export function createGrantTokenKeys(deps: SpaceSecretDeps) {
  /** Per-space signing keys, unwrapped once per process: they never change once made. */
  const keys = createSpaceSecret(
    deps,
    {
      doctype: KEYS_DOCTYPE,
      id: GRANT_TOKEN_KEY_ID,
      purpose: GRANT_TOKEN_KEY_ID,
      create: () => randomBytes(KEY_BYTES),
      legacy: clearKey,
    },
    (key) => key,
  );
  const keyOf = (space: string) => keys.get(space);
  /** Tokens already verified (a token's claims never change): one HMAC per token, not per request. */
  const verified = new Map<string, AccessClaims>();

  return {
    async sign(claims: Omit<AccessClaims, 'j'>): Promise<string> {
      const payload = Buffer.from(JSON.stringify({ ...claims, j: randomBase64url(6) })).toString('base64url');
      const mac = createHmac('sha256', await keyOf(claims.s))
        .update(payload)
        .digest('base64url');
      return `${ACCESS_PREFIX}${payload}.${mac}`;
    },

    /** The claims of a well-formed token signed for `space`, else null (expiry is the caller's to check). */
    async verify(space: string, token: string): Promise<AccessClaims | null> {
      const known = verified.get(token);
      if (known) return known.s === space ? known : null;
      const m = ACCESS_PATTERN.exec(token);
      if (!m) return null;
      const expected = createHmac('sha256', await keyOf(space))
        .update(m[1]!)
        .digest();
      const given = Buffer.from(m[2]!, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      try {
        const claims = JSON.parse(Buffer.from(m[1]!, 'base64url').toString('utf8')) as AccessClaims;
        if (claims.s !== space || typeof claims.g !== 'string' || typeof claims.e !== 'number') return null;
        if (verified.size >= VERIFIED_MAX) verified.clear();
        verified.set(token, claims);
        return claims;
      } catch {
        return null;
      }
    },

    /** Forgets cached keys of a deleted space. */
    forget(space: string): void {
      keys.forget(space);
      verified.clear();
    },
  };
}

export type GrantTokenKeys = ReturnType<typeof createGrantTokenKeys>;

export function newRefreshSecret(): string {
  return REFRESH_PREFIX + randomBase64url(32);
}

export function isRefreshSecret(value: unknown): value is string {
  return typeof value === 'string' && REFRESH_PATTERN.test(value);
}

export const refreshIdOf = (secret: string) => sha256Hex(secret);
