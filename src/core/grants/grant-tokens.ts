/**
 * Grant tokens. An access token is short-lived and self-contained: the space, the grant, the
 * grant's token epoch and an expiry, signed with HMAC-SHA256 under a key of the space. Checking
 * one costs no store read for the token itself; the gate still reads the grant on every request,
 * which is what makes a withdrawn or expired grant's tokens fail on the very next request.
 * Refresh tokens are random secrets stored as their SHA-256 (like personal access tokens) and
 * rotated on each use.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DocumentStore } from '../../storage/document-store.js';
import { randomBase64url, sha256Hex } from '../auth/secrets.js';
import { nextRevision } from '../documents/document-id.js';

export const ACCESS_PREFIX = 'foyer_at_';
export const REFRESH_PREFIX = 'foyer_rt_';
export const KEYS_DOCTYPE = 'foyer.keys';
export const REFRESH_DOCTYPE = 'foyer.grant-refresh';
const KEY_ID = 'grant-tokens';
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

export function createGrantTokenKeys(store: DocumentStore) {
  /** Per-space signing keys, read once per process: they never change once made. */
  const keys = new Map<string, Promise<Buffer>>();
  /** Tokens already verified (a token's claims never change): one HMAC per token, not per request. */
  const verified = new Map<string, AccessClaims>();

  async function loadOrCreate(space: string): Promise<Buffer> {
    const found = await store.getDocument(space, KEYS_DOCTYPE, KEY_ID);
    if (found && found.data) return Buffer.from((JSON.parse(found.data) as { key: string }).key, 'base64url');
    const key = randomBytes(32);
    try {
      await store.writeDocuments(space, [
        {
          doctype: KEYS_DOCTYPE,
          id: KEY_ID,
          expectedRev: null,
          rev: nextRevision(null),
          deleted: false,
          data: JSON.stringify({ key: key.toString('base64url') }),
          meta: JSON.stringify({ createdAt: new Date().toISOString() }),
        },
      ]);
      return key;
    } catch {
      // Another process made it first: use theirs.
      const again = await store.getDocument(space, KEYS_DOCTYPE, KEY_ID);
      if (!again?.data) throw new Error('grant token key missing');
      return Buffer.from((JSON.parse(again.data) as { key: string }).key, 'base64url');
    }
  }

  function keyOf(space: string): Promise<Buffer> {
    let key = keys.get(space);
    if (!key) {
      key = loadOrCreate(space);
      key.catch(() => keys.delete(space));
      keys.set(space, key);
    }
    return key;
  }

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
      keys.delete(space);
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
