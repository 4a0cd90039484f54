/**
 * A space's own small secrets (the grant token key, the OAuth signing key) wrapped under the
 * space's data key: AES-256-GCM with a random 96-bit nonce. The associated data binds a wrapped
 * secret to its space, its purpose and the data key version it is under, so that one copied into
 * another space, stored as another purpose's secret, or relabelled as under another data key
 * version does not open (`integrity_failed`). Whoever reads the database without a master key
 * reads none of them.
 */
import { z } from 'zod';
import { FoyerError } from '../errors.js';
import { open, seal } from './key-wrap.js';
import type { SpaceKeys } from './space-keys.js';

export interface WrappedSecret {
  /** The data key version it is wrapped under. */
  v: number;
  /** base64url nonce. */
  iv: string;
  /** base64url ciphertext followed by the 16-byte tag. */
  ct: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

const wrappedSecretSchema = z.object({
  v: z.number().int().positive(),
  iv: z.string().regex(BASE64URL),
  ct: z.string().regex(BASE64URL),
});

const PURPOSE = /^[a-z0-9][a-z0-9.-]{0,63}$/;

function associatedData(space: string, purpose: string, version: number): Buffer {
  // A purpose is a fixed name chosen in code; checked so that no separator can make two bindings alike.
  if (!PURPOSE.test(purpose)) throw new FoyerError('internal', `"${purpose}" is not a secret purpose name.`);
  return Buffer.from(`foyer secret v1\0${space}\0${purpose}\0${version}`, 'utf8');
}

/**
 * `plaintext` sealed under the space's newest data key (made on first use); `aad(version)` is the
 * associated data for the version used, which names where the result belongs.
 */
export async function sealUnderDataKey(
  keys: SpaceKeys,
  space: string,
  aad: (version: number) => Buffer,
  plaintext: Buffer,
): Promise<WrappedSecret> {
  const { version, key } = await keys.current(space);
  const { iv, ct } = seal(key, aad(version), plaintext);
  return { v: version, iv: iv.toString('base64url'), ct: ct.toString('base64url') };
}

/**
 * The plaintext of `sealUnderDataKey`'s result; `damaged(cause)` is thrown when `wrapped` is
 * malformed or does not open under the version it names with `aad` (altered, or moved elsewhere).
 * A version the space lacks is `integrity_failed`, one no master key opens `unavailable`.
 */
export async function openUnderDataKey(
  keys: SpaceKeys,
  space: string,
  aad: (version: number) => Buffer,
  wrapped: unknown,
  damaged: (cause?: unknown) => FoyerError,
): Promise<Buffer> {
  const parsed = wrappedSecretSchema.safeParse(wrapped);
  if (!parsed.success) throw damaged();
  const { v, iv, ct } = parsed.data;
  const { key } = await keys.version(space, v);
  try {
    return open(key, aad(v), Buffer.from(iv, 'base64url'), Buffer.from(ct, 'base64url'));
  } catch (error) {
    throw damaged(error);
  }
}

/** `secret` wrapped under the space's newest data key (made on first use). */
export function wrapSecret(keys: SpaceKeys, space: string, purpose: string, secret: Buffer): Promise<WrappedSecret> {
  return sealUnderDataKey(keys, space, (version) => associatedData(space, purpose, version), secret);
}

/**
 * The secret; `integrity_failed` if `wrapped` is malformed, was altered, belongs to another space
 * or purpose, or names a data key version the space does not have.
 */
export function unwrapSecret(keys: SpaceKeys, space: string, purpose: string, wrapped: unknown): Promise<Buffer> {
  return openUnderDataKey(
    keys,
    space,
    (version) => associatedData(space, purpose, version),
    wrapped,
    (cause) => damaged(space, purpose, cause),
  );
}

function damaged(space: string, purpose: string, cause?: unknown): FoyerError {
  return new FoyerError(
    'integrity_failed',
    `The ${purpose} secret of space "${space}" does not open: it was altered, or belongs elsewhere.`,
    { space, purpose },
    { cause },
  );
}
