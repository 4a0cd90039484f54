/**
 * Authorization codes: short-lived, single use, bound to the client, the redirect URI, the PKCE
 * challenge, the grant (and version) the owner consented to, and the OIDC nonce. A code is a
 * random secret stored as its SHA-256 (like every Foyer secret). Using it marks it used in a write
 * conditioned on the revision read, so of two concurrent exchanges exactly one wins; the loser,
 * and anyone presenting it again later, learns it was reused (RFC 6749 §4.1.2: the tokens it gave
 * must then be revoked, which the provider does).
 */
import { createHash } from 'node:crypto';
import type { DocumentStore } from '../../storage/document-store.js';
import type { Clock } from '../../platform/clock.js';
import { randomBase64url, sha256Hex, constantTimeEqual } from '../auth/secrets.js';
import { internalRecords } from '../internal-records.js';

export const CODE_DOCTYPE = 'foyer.oauth-code';
export const CODE_SECONDS = 60;
const CODE_PATTERN = /^foyer_ac_[A-Za-z0-9_-]{43}$/;
/** Used codes are kept this long after they expire, to recognise a replay; then swept. */
const KEEP_USED_MS = 24 * 3600 * 1000;

export interface CodeData {
  client: string;
  redirectUri: string;
  /** PKCE S256 challenge. */
  challenge: string;
  grant: string;
  version: number;
  nonce?: string;
  /** The scope granted, as answered with the tokens. */
  scope: string;
  openid: boolean;
  issuer: string;
  expiresAt: string;
  used: boolean;
}

export type Consumed =
  { outcome: 'ok'; code: CodeData } | { outcome: 'reused'; code: CodeData } | { outcome: 'expired' | 'unknown' };

/** RFC 7636 §4.6: BASE64URL(SHA256(ASCII(code_verifier))) == code_challenge. */
export function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) return false;
  return constantTimeEqual(createHash('sha256').update(verifier, 'ascii').digest('base64url'), challenge);
}

export function createAuthorizationCodes(deps: { store: DocumentStore; clock: Clock }) {
  const { clock } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();
  const records = internalRecords<CodeData>(deps.store, CODE_DOCTYPE);

  return {
    async issue(space: string, data: Omit<CodeData, 'expiresAt' | 'used'>): Promise<string> {
      const code = 'foyer_ac_' + randomBase64url(32);
      const now = clock.now();
      const record: CodeData = { ...data, expiresAt: iso(now + CODE_SECONDS * 1000), used: false };
      await records.put(space, sha256Hex(code), record, null, iso(now));
      return code;
    },

    /**
     * Spends the code: `ok` once, `reused` ever after (until swept), `expired` past its minute.
     * `check` runs before spending (client, redirect URI, PKCE): what it throws leaves the code as it was.
     */
    async consume(space: string, code: string, check: (data: CodeData) => void): Promise<Consumed> {
      if (!CODE_PATTERN.test(code)) return { outcome: 'unknown' };
      const found = await records.get(space, sha256Hex(code));
      if (!found) return { outcome: 'unknown' };
      const data = found.data;
      if (data.used) return { outcome: 'reused', code: data };
      if (Date.parse(data.expiresAt) <= clock.now()) return { outcome: 'expired' };
      check(data);
      try {
        await records.put(space, found.id, { ...data, used: true }, found.doc, data.expiresAt);
      } catch {
        // Someone spent it between our read and our write.
        return { outcome: 'reused', code: data };
      }
      return { outcome: 'ok', code: data };
    },

    /** Deletes codes expired for a day (used or not). */
    async sweep(space: string): Promise<number> {
      const expired = { op: 'lt', field: 'expiresAt', value: iso(clock.now() - KEEP_USED_MS) } as const;
      const rows = await records.find(space, expired);
      await records.remove(
        space,
        rows.map((r) => r.doc),
      );
      return rows.length;
    },
  };
}

export type AuthorizationCodes = ReturnType<typeof createAuthorizationCodes>;
