/**
 * Wrapping a space's data key (DEK) under a master key (KEK): AES-256-GCM with a random 96-bit
 * nonce. The associated data binds the wrapped key to its space and its version, so a wrapped key
 * copied into another space, or relabelled as another version, does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FoyerError } from '../errors.js';
import type { MasterKey, MasterKeyring } from './master-keyring.js';

export const DATA_KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface WrappedDataKey {
  /** Id of the master key it is wrapped under. */
  kek: string;
  /** base64url nonce. */
  iv: string;
  /** base64url ciphertext of the 32-byte key followed by the 16-byte tag. */
  ct: string;
}

/** AES-256-GCM under a random nonce: the nonce, and the ciphertext followed by its tag. */
export function seal(key: Buffer, aad: Buffer, plaintext: Buffer): { iv: Buffer; ct: Buffer } {
  const iv = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(aad);
  return { iv, ct: Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]) };
}

/** The plaintext of `seal`'s output; throws (the caller says what failed) if anything was altered. */
export function open(key: Buffer, aad: Buffer, iv: Buffer, ct: Buffer): Buffer {
  if (iv.length !== NONCE_BYTES || ct.length < TAG_BYTES) throw new Error('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(aad);
  decipher.setAuthTag(ct.subarray(ct.length - TAG_BYTES));
  return Buffer.concat([decipher.update(ct.subarray(0, ct.length - TAG_BYTES)), decipher.final()]);
}

const associatedData = (space: string, version: number): Buffer =>
  Buffer.from(`foyer data key v1\0${space}\0${version}`, 'utf8');

/** A 32-byte key sealed under `kek` with `aad`. */
function wrapKey(kek: MasterKey, key: Buffer, aad: Buffer): WrappedDataKey {
  const { iv, ct } = seal(kek.key, aad, key);
  return { kek: kek.id, iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

/** The key `wrapKey` sealed; `fail(cause)` when it is not under `kek` or does not open with `aad`. */
function unwrapKey(kek: MasterKey, wrapped: WrappedDataKey, aad: Buffer, fail: (cause?: unknown) => Error): Buffer {
  const ct = Buffer.from(wrapped.ct, 'base64url');
  if (wrapped.kek !== kek.id || ct.length !== DATA_KEY_BYTES + TAG_BYTES) throw fail();
  try {
    return open(kek.key, aad, Buffer.from(wrapped.iv, 'base64url'), ct);
  } catch (error) {
    throw fail(error);
  }
}

export function wrapDataKey(kek: MasterKey, dataKey: Buffer, space: string, version: number): WrappedDataKey {
  return wrapKey(kek, dataKey, associatedData(space, version));
}

/** The data key; `integrity_failed` if the wrapped key was altered, moved or is not under `kek`. */
export function unwrapDataKey(kek: MasterKey, wrapped: WrappedDataKey, space: string, version: number): Buffer {
  return unwrapKey(kek, wrapped, associatedData(space, version), (cause) => damaged(space, version, cause));
}

const databaseKeyData = (space: string): Buffer => Buffer.from(`foyer database key v1\0${space}`, 'utf8');

/**
 * Wrapping the key a space's SQLite file is encrypted under (storage/sqlite/sqlite-cipher.ts). Its
 * associated data differs from a data key's: one cannot be passed off as the other.
 */
export function wrapDatabaseKey(kek: MasterKey, key: Buffer, space: string): WrappedDataKey {
  return wrapKey(kek, key, databaseKeyData(space));
}

/** The database key; `integrity_failed` if the wrapped key was altered, moved or is not under `kek`. */
export function unwrapDatabaseKey(kek: MasterKey, wrapped: WrappedDataKey, space: string): Buffer {
  return unwrapKey(
    kek,
    wrapped,
    databaseKeyData(space),
    (cause) =>
      new FoyerError(
        'integrity_failed',
        `The database key of space "${space}" does not open: it was altered, or belongs elsewhere.`,
        { space },
        { cause },
      ),
  );
}

/**
 * The database key, opened with whichever key of the ring it is wrapped under; `unavailable` when
 * it is wrapped under none of them.
 */
export function openDatabaseKey(keyring: MasterKeyring, space: string, wrapped: readonly WrappedDataKey[]): Buffer {
  for (const kek of keyring.keys) {
    const under = wrapped.find((w) => w.kek === kek.id);
    if (under) return unwrapDatabaseKey(kek, under, space);
  }
  throw new FoyerError(
    'unavailable',
    `The database key of space "${space}" is wrapped under none of the configured master keys.`,
    { space, wrappedUnder: wrapped.map((w) => w.kek) },
  );
}

function damaged(space: string, version: number, cause?: unknown): FoyerError {
  return new FoyerError(
    'integrity_failed',
    `The data key (version ${version}) of space "${space}" does not open: it was altered, or belongs elsewhere.`,
    { space, version },
    { cause },
  );
}
