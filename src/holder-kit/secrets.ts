/** Random secrets, their stored digests, and PKCE (RFC 7636). */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 32 random bytes, base64url, after a readable prefix (`hk_at_`...) that secret scanners can spot. */
export const newSecret = (prefix: string): string => prefix + randomBytes(32).toString('base64url');

/** What the store keeps instead of a secret. */
export const digest = (secret: string): string => createHash('sha256').update(secret).digest('base64url');

/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
export const isCodeVerifier = (value: string): boolean => /^[A-Za-z0-9._~-]{43,128}$/.test(value);

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(verifier))), always 43 characters. */
export const isS256Challenge = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);

export const s256 = (verifier: string): string => createHash('sha256').update(verifier, 'ascii').digest('base64url');

export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
