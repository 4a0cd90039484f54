/**
 * A space's secret kept as an internal document, wrapped under the space's data key
 * (`secret-wrap.ts`): read, or made on first use, or, for a record an earlier Foyer wrote in clear,
 * wrapped and written back in place with the same value (what it signed stays valid). Both
 * writes name the revision they read, so of two processes doing it at once one wins and the
 * other reads what the winner wrote. A record that is there but does not open is an error, never
 * a reason to make a new secret.
 */
import { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { internalRecords, type InternalRecord } from '../internal-records.js';
import { unwrapSecret, wrapSecret, type WrappedSecret } from './secret-wrap.js';
import type { SpaceKeys } from './space-keys.js';

export interface SpaceSecretRecord {
  wrapped: WrappedSecret;
  createdAt: string;
}

export interface SpaceSecretSpec {
  /** Where it is stored: an internal doctype and a fixed id. */
  doctype: string;
  id: string;
  /** Bound into the wrapping (a name such as `grant-tokens`). */
  purpose: string;
  /** A new secret, for a space that has none. */
  create(): Buffer | Promise<Buffer>;
  /** The secret held in clear by a record of an earlier Foyer, or null when `data` is not such a record. */
  legacy(data: unknown): Buffer | null;
}

export interface SpaceSecretDeps {
  store: DocumentStore;
  keys: SpaceKeys;
  clock: Clock;
}

const recordSchema = z.object({ wrapped: z.unknown(), createdAt: z.string() });
const ATTEMPTS = 8;

/** The space's secret, unwrapped (the caller keeps it in memory only). */
export async function loadSpaceSecret(deps: SpaceSecretDeps, spec: SpaceSecretSpec, space: string): Promise<Buffer> {
  const { keys, clock } = deps;
  const records = internalRecords<unknown>(deps.store, spec.doctype);
  const nowIso = () => new Date(clock.now()).toISOString();

  /** Writes `secret` wrapped over `previous` (null: no record yet); false if someone wrote first. */
  async function store(secret: Buffer, previous: InternalRecord<unknown> | null): Promise<boolean> {
    const createdAt = nowIso();
    const record: SpaceSecretRecord = { wrapped: await wrapSecret(keys, space, spec.purpose, secret), createdAt };
    try {
      await records.put(space, spec.id, record, previous?.doc ?? null, createdAt);
      return true;
    } catch (error) {
      if (isFoyerError(error) && error.code === 'conflict') return false;
      throw error;
    }
  }

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const found = await records.get(space, spec.id);
    if (!found) {
      const secret = await spec.create();
      if (await store(secret, null)) return secret;
      continue;
    }
    const wrapped = recordSchema.safeParse(found.data);
    if (wrapped.success) return unwrapSecret(keys, space, spec.purpose, wrapped.data.wrapped);
    const clear = spec.legacy(found.data);
    if (!clear) {
      throw new FoyerError('integrity_failed', `The ${spec.purpose} key record of space "${space}" is damaged.`, {
        space,
        purpose: spec.purpose,
      });
    }
    if (await store(clear, found)) return clear;
  }
  throw new FoyerError('conflict', `The ${spec.purpose} key of space "${space}" kept changing while being read.`, {
    space,
    purpose: spec.purpose,
  });
}

export interface SpaceSecret<T> {
  /** The space's secret as `decode` made it, read once per process and kept in memory. */
  get(space: string): Promise<T>;
  /** Drops what is cached for a space (call it when a space is deleted). */
  forget(space: string): void;
}

/** `loadSpaceSecret` behind a per-process cache; a failure is not cached (the next call tries again). */
export function createSpaceSecret<T>(
  deps: SpaceSecretDeps,
  spec: SpaceSecretSpec,
  decode: (secret: Buffer) => T | Promise<T>,
): SpaceSecret<T> {
  const cache = new Map<string, Promise<T>>();
  return {
    get(space) {
      let loading = cache.get(space);
      if (!loading) {
        const started = loadSpaceSecret(deps, spec, space).then(decode);
        started.catch(() => {
          if (cache.get(space) === started) cache.delete(space);
        });
        cache.set(space, started);
        loading = started;
      }
      return loading;
    },
    forget(space) {
      cache.delete(space);
    },
  };
}
