import { describe, it, expect } from 'vitest';
import { parseOptions } from '@node-rs/argon2';
import { FoyerError } from '../errors.js';
import {
  checkPassphrasePolicy,
  defaultPassphraseOptions,
  hashPassphrase,
  isPlausiblePassphrase,
  verifyPassphrase,
} from './passphrase.js';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

function policyFailure(passphrase: unknown, field?: string): FoyerError {
  try {
    checkPassphrasePolicy(passphrase, field);
  } catch (e) {
    if (e instanceof FoyerError) return e;
    throw e;
  }
  throw new Error('the policy accepted the passphrase');
}

describe('passphrase policy', () => {
  it('accepts a passphrase of twelve varied characters', () => {
    expect(() => checkPassphrasePolicy('correct hors')).not.toThrow();
  });

  it('accepts a passphrase of exactly 1,024 characters', () => {
    expect(() => checkPassphrasePolicy('ab'.repeat(512))).not.toThrow();
  });

  it('refuses a short passphrase and says how long it must be', () => {
    const e = policyFailure('short pass');
    expect(e.code).toBe('validation_failed');
    expect(e.message).toBe('The passphrase must be at least 12 characters long (it has 10).');
    expect(e.details).toEqual({ field: 'passphrase', rule: 'minLength', limit: 12 });
  });

  it('counts characters, not UTF-16 units', () => {
    // Eleven emoji are 22 UTF-16 units but 11 characters.
    const e = policyFailure('🔑🔒🔑🔒🔑🔒🔑🔒🔑🔒🔑');
    expect(e.details).toMatchObject({ rule: 'minLength' });
    expect(() => checkPassphrasePolicy('🔑🔒🔑🔒🔑🔒🔑🔒🔑🔒🔑🔒')).not.toThrow();
  });

  it('refuses a passphrase longer than 1,024 characters', () => {
    const e = policyFailure('ab'.repeat(512) + 'c');
    expect(e.code).toBe('validation_failed');
    expect(e.message).toBe('The passphrase must be at most 1024 characters long (it has 1025).');
    expect(e.details).toEqual({ field: 'passphrase', rule: 'maxLength', limit: 1024 });
  });

  it('refuses a passphrase that repeats one character', () => {
    const e = policyFailure('aaaaaaaaaaaaaaaa');
    expect(e.message).toBe('The passphrase must not repeat a single character.');
    expect(e.details).toEqual({ field: 'passphrase', rule: 'notRepeated' });
  });

  it('refuses a NUL character', () => {
    const e = policyFailure('correct horse\u0000battery');
    expect(e.message).toBe('The passphrase must not contain a NUL character.');
    expect(e.details).toEqual({ field: 'passphrase', rule: 'noNul' });
  });

  it('refuses a value that is not a string', () => {
    for (const value of [undefined, null, 123456789012, ['correct horse battery']]) {
      const e = policyFailure(value);
      expect(e.details).toEqual({ field: 'passphrase', rule: 'type' });
    }
  });

  it('names the field it was given', () => {
    const e = policyFailure('short', 'newPassphrase');
    expect(e.message).toMatch(/^The newPassphrase must be at least 12/);
    expect(e.details).toMatchObject({ field: 'newPassphrase' });
  });

  it('tells plausible login candidates from junk', () => {
    expect(isPlausiblePassphrase('anything at all')).toBe(true);
    expect(isPlausiblePassphrase(42)).toBe(false);
    expect(isPlausiblePassphrase('a\u0000b')).toBe(false);
    expect(isPlausiblePassphrase('x'.repeat(5000))).toBe(false);
  });
});

describe('passphrase hashing', () => {
  it('hashes with argon2id and the OWASP parameters by default', async () => {
    const stored = await hashPassphrase('correct horse battery staple');
    expect(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    const params = parseOptions(stored);
    expect(params).toMatchObject({ memoryCost: 19456, timeCost: 2, parallelism: 1, saltLen: 16 });
    expect(defaultPassphraseOptions).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
  });

  it('salts every hash', async () => {
    const a = await hashPassphrase('correct horse battery staple', cheap);
    const b = await hashPassphrase('correct horse battery staple', cheap);
    expect(a).not.toBe(b);
  });

  it('verifies the right passphrase and rejects a wrong one', async () => {
    const stored = await hashPassphrase('correct horse battery staple', cheap);
    expect(await verifyPassphrase(stored, 'correct horse battery staple', cheap)).toEqual({
      valid: true,
      needsRehash: false,
    });
    expect((await verifyPassphrase(stored, 'correct horse battery stapl', cheap)).valid).toBe(false);
    expect((await verifyPassphrase(stored, '', cheap)).valid).toBe(false);
  });

  it('matches a passphrase typed with composed or decomposed accents', async () => {
    const stored = await hashPassphrase('d\u00e9j\u00e0 vu, mon c\u0153ur', cheap);
    expect((await verifyPassphrase(stored, 'de\u0301ja\u0300 vu, mon c\u0153ur', cheap)).valid).toBe(true);
  });

  it('asks for a rehash when the parameters changed', async () => {
    const stored = await hashPassphrase('correct horse battery staple', cheap);
    const stronger = { ...cheap, timeCost: 2 };
    expect(await verifyPassphrase(stored, 'correct horse battery staple', stronger)).toEqual({
      valid: true,
      needsRehash: true,
    });
  });

  it('treats an unreadable stored hash as an internal error', async () => {
    await expect(verifyPassphrase('not a hash', 'correct horse battery staple', cheap)).rejects.toMatchObject({
      code: 'internal',
    });
  });
});
