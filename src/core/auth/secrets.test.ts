import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import {
  constantTimeEqual,
  isSessionSecret,
  isTokenSecret,
  newCsrfToken,
  newPublicId,
  newSessionSecret,
  newTokenSecret,
  sha256Hex,
} from './secrets.js';

describe('secrets', () => {
  it('makes prefixed session secrets and tokens of 256 random bits', () => {
    const session = newSessionSecret();
    const token = newTokenSecret();
    expect(session).toMatch(/^foyer_s_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatch(/^foyer_pat_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice('foyer_pat_'.length), 'base64url')).toHaveLength(32);
  });

  it('never repeats a secret', () => {
    const seen = new Set(Array.from({ length: 1000 }, () => newTokenSecret()));
    expect(seen.size).toBe(1000);
  });

  it('makes CSRF tokens and short public ids', () => {
    expect(newCsrfToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newPublicId()).toMatch(/^[0-9a-f]{12}$/);
  });

  it('recognises each kind of secret and nothing else', () => {
    const session = newSessionSecret();
    const token = newTokenSecret();
    expect(isSessionSecret(session)).toBe(true);
    expect(isTokenSecret(token)).toBe(true);
    expect(isSessionSecret(token)).toBe(false);
    expect(isTokenSecret(session)).toBe(false);
    for (const junk of [
      undefined,
      null,
      42,
      '',
      'foyer_pat_',
      token + 'x',
      token.slice(0, -1),
      token.replace(/.$/, '!'),
    ]) {
      expect(isTokenSecret(junk)).toBe(false);
      expect(isSessionSecret(junk)).toBe(false);
    }
  });

  it('digests with SHA-256 in lower-case hex', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('é')).toBe(createHash('sha256').update(Buffer.from('c3a9', 'hex')).digest('hex'));
  });

  it('compares strings of equal or different lengths', () => {
    expect(constantTimeEqual('same value', 'same value')).toBe(true);
    expect(constantTimeEqual('same value', 'same valuf')).toBe(false);
    expect(constantTimeEqual('short', 'much longer value')).toBe(false);
    expect(constantTimeEqual('', '')).toBe(true);
  });
});
