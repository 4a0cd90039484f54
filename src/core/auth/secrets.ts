/**
 * Secrets handed to the owner's browser and scripts. They are random, carry a recognisable
 * prefix (so secret scanners can spot a leaked one in a repository or a log) and are stored only
 * as their SHA-256 digest: the secrets are 256-bit random values, so a fast hash is enough (no
 * salt or slow hash needed) and it keeps lookups to one primary-key read.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const sessionSecretPrefix = 'foyer_s_';
export const tokenSecretPrefix = 'foyer_pat_';

/** 32 random bytes are 43 base64url characters. */
const secretBytes = 32;
const secretBodyPattern = '[A-Za-z0-9_-]{43}';
const sessionSecretPattern = new RegExp(`^${sessionSecretPrefix}${secretBodyPattern}$`);
const tokenSecretPattern = new RegExp(`^${tokenSecretPrefix}${secretBodyPattern}$`);

/** `bytes` random bytes as base64url text (no padding). */
export function randomBase64url(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new browser session secret, `foyer_s_` followed by 43 base64url characters. */
export function newSessionSecret(): string {
  return sessionSecretPrefix + randomBase64url(secretBytes);
}

/** A new personal access token, `foyer_pat_` followed by 43 base64url characters. */
export function newTokenSecret(): string {
  return tokenSecretPrefix + randomBase64url(secretBytes);
}

/** A CSRF token (no prefix: it is not a credential on its own). */
export function newCsrfToken(): string {
  return randomBase64url(secretBytes);
}

/**
 * A short public identifier shown in lists and used to revoke (12 lower-case hex characters:
 * safe in URLs and on a command line, unlike base64url which can start with `-`).
 */
export function newPublicId(): string {
  return randomBytes(6).toString('hex');
}

/** Checks the shape before any lookup, so junk never reaches the store. */
export function isSessionSecret(value: unknown): value is string {
  return typeof value === 'string' && sessionSecretPattern.test(value);
}

export function isTokenSecret(value: unknown): value is string {
  return typeof value === 'string' && tokenSecretPattern.test(value);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Compares two strings in time independent of where they differ. Both sides are hashed first so
 * the comparison also hides their lengths (`timingSafeEqual` needs equal lengths).
 */
export function constantTimeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db);
}
