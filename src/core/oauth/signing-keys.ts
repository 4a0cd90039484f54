/**
 * Each space signs as an OpenID provider with its own key: ID tokens and the deletion requests
 * sent to outside recipients are JWTs (ES256) that anyone can check against the space's JWKS.
 * The key is made on first use and kept as an internal document (`foyer.oauth-key`), with a
 * random salt for pairwise subject identifiers: each client sees the owner under its own `sub`,
 * stable for that client, and two clients cannot tell they serve the same person.
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import type { DocumentStore } from '../../storage/document-store.js';
import type { Clock } from '../../platform/clock.js';
import { internalRecords } from '../internal-records.js';

export const SIGNING_KEY_DOCTYPE = 'foyer.oauth-key';
const KEY_ID = 'signing';
export const SIGNING_ALG = 'ES256';

interface StoredKey {
  privateJwk: JWK;
  kid: string;
  salt: string;
  createdAt: string;
}

interface LoadedKey {
  key: CryptoKey | Uint8Array;
  publicJwk: JWK;
  kid: string;
  salt: Buffer;
}

export function createSigningKeys(deps: { store: DocumentStore; clock: Clock }) {
  const { clock } = deps;
  const records = internalRecords<StoredKey>(deps.store, SIGNING_KEY_DOCTYPE);
  /** Per-space keys, read once per process: they never change once made. */
  const cache = new Map<string, Promise<LoadedKey>>();

  async function load(stored: StoredKey): Promise<LoadedKey> {
    const { d: _private, ...publicJwk } = stored.privateJwk;
    return {
      key: await importJWK(stored.privateJwk, SIGNING_ALG),
      publicJwk: { ...publicJwk, kid: stored.kid, alg: SIGNING_ALG, use: 'sig' },
      kid: stored.kid,
      salt: Buffer.from(stored.salt, 'base64url'),
    };
  }

  async function loadOrCreate(space: string): Promise<LoadedKey> {
    const found = await records.get(space, KEY_ID);
    if (found) return load(found.data);
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    const { d: _private, ...publicJwk } = privateJwk;
    const stored: StoredKey = {
      privateJwk,
      kid: await calculateJwkThumbprint(publicJwk),
      salt: randomBytes(32).toString('base64url'),
      createdAt: new Date(clock.now()).toISOString(),
    };
    try {
      await records.put(space, KEY_ID, stored, null, stored.createdAt);
      return load(stored);
    } catch (e) {
      // Another process made it first: use theirs.
      const again = await records.get(space, KEY_ID);
      if (!again) throw e;
      return load(again.data);
    }
  }

  function keyOf(space: string): Promise<LoadedKey> {
    let key = cache.get(space);
    if (!key) {
      key = loadOrCreate(space);
      key.catch(() => cache.delete(space));
      cache.set(space, key);
    }
    return key;
  }

  return {
    /** The space's public keys, as served at the JWKS endpoint. */
    async jwks(space: string): Promise<{ keys: JWK[] }> {
      return { keys: [(await keyOf(space)).publicJwk] };
    },

    /** A JWT signed by the space; `iat` is Foyer's clock, the caller sets the rest. */
    async sign(space: string, claims: JWTPayload, typ = 'JWT'): Promise<string> {
      const { key, kid } = await keyOf(space);
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
      cache.delete(space);
    },
  };
}

export type SigningKeys = ReturnType<typeof createSigningKeys>;
