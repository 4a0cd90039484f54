/**
 * Each space signs as an OpenID provider with its own key: ID tokens and the deletion requests
 * sent to outside recipients are JWTs (ES256) that anyone can check against the space's JWKS.
 * The key is made on first use with a random salt for pairwise subject identifiers (each client
 * sees the owner under its own `sub`, stable for that client, and two clients cannot tell they
 * serve the same person). Both are kept as an internal document (`foyer.oauth-key`), wrapped
 * under the space's data key; a key an earlier Foyer stored in clear is wrapped in place on first
 * read, unchanged, so what it signed still verifies.
 */
import { createHmac, randomBytes } from 'node:crypto';
// jose is loaded at the first signature, not at startup: an idle Foyer stays ~5 MB smaller.
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import { FoyerError } from '../errors.js';
import { createSpaceSecret, type SpaceSecretDeps } from '../keys/space-secret-record.js';

export const SIGNING_KEY_DOCTYPE = 'foyer.oauth-key';
export const SIGNING_KEY_ID = 'signing';
/** Bound into the wrapping of the stored key. */
export const SIGNING_KEY_PURPOSE = 'oauth-signing';
export const SIGNING_ALG = 'ES256';

/** What is wrapped: the private JWK (with `d`) and the pairwise salt (base64url). */
interface SigningSecret {
  jwk: JWK;
  salt: string;
}

interface LoadedKey {
  key: CryptoKey | Uint8Array;
  publicJwk: JWK;
  kid: string;
  salt: Buffer;
}

const isSigningSecret = (v: unknown): v is SigningSecret => {
  const s = v as Partial<SigningSecret> | null;
  return (
    typeof s?.salt === 'string' &&
    typeof s.jwk === 'object' &&
    s.jwk !== null &&
    s.jwk.kty === 'EC' &&
    s.jwk.crv === 'P-256' &&
    typeof s.jwk.d === 'string'
  );
};

/** The key as an earlier Foyer stored it, in clear: `{ privateJwk, kid, salt, createdAt }`. */
function clearKey(data: unknown): Buffer | null {
  const old = data as { privateJwk?: JWK; salt?: unknown } | null;
  const secret = { jwk: old?.privateJwk, salt: old?.salt };
  return isSigningSecret(secret) ? Buffer.from(JSON.stringify(secret)) : null;
}

async function newSecret(): Promise<Buffer> {
  const { generateKeyPair, exportJWK } = await import('jose');
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const secret: SigningSecret = { jwk: await exportJWK(privateKey), salt: randomBytes(32).toString('base64url') };
  return Buffer.from(JSON.stringify(secret));
}

async function decode(bytes: Buffer): Promise<LoadedKey> {
  let secret: unknown;
  try {
    secret = JSON.parse(bytes.toString('utf8'));
  } catch {
    secret = undefined;
  }
  if (!isSigningSecret(secret)) throw new FoyerError('integrity_failed', 'The OAuth signing key does not parse.');
  const { d: _private, ...publicJwk } = secret.jwk;
  const { calculateJwkThumbprint, importJWK } = await import('jose');
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    key: await importJWK(secret.jwk, SIGNING_ALG),
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
    kid,
    salt: Buffer.from(secret.salt, 'base64url'),
  };
}

export function createSigningKeys(deps: SpaceSecretDeps) {
  const { clock } = deps;
  /** Per-space keys, unwrapped once per process: they never change once made. */
  const keys = createSpaceSecret(
    deps,
    {
      doctype: SIGNING_KEY_DOCTYPE,
      id: SIGNING_KEY_ID,
      purpose: SIGNING_KEY_PURPOSE,
      create: newSecret,
      legacy: clearKey,
    },
    decode,
  );
  const keyOf = (space: string) => keys.get(space);

  return {
    /** The space's public keys, as served at the JWKS endpoint. */
    async jwks(space: string): Promise<{ keys: JWK[] }> {
      return { keys: [(await keyOf(space)).publicJwk] };
    },

    /** A JWT signed by the space; `iat` is Foyer's clock, the caller sets the rest. */
    async sign(space: string, claims: JWTPayload, typ = 'JWT'): Promise<string> {
      const { key, kid } = await keyOf(space);
      const { SignJWT } = await import('jose');
      return new SignJWT({ iat: Math.floor(clock.now() / 1000), ...claims })
        .setProtectedHeader({ alg: SIGNING_ALG, kid, typ })
        .sign(key);
    },

    /** The owner's subject identifier as one client sees it. */
    async pairwiseSubject(space: string, clientId: string): Promise<string> {
      const { salt } = await keyOf(space);
      return createHmac('sha256', salt).update(`${space}\n${clientId}`).digest('base64url');
    },

    /** Forgets the cached key of a deleted space. */
    forget(space: string): void {
      keys.forget(space);
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
