/**
 * Per-space data keys for a running process: made on first use, opened with the master key
 * ring, and kept in memory (unwrapped) for the life of the process, never written anywhere.
 *
 * The newest version is looked up again after `refreshMs`, so a data key rotated by
 * `foyer keys rotate --space ID --data-key` in another process is used for new content within
 * that delay; a version this process has not seen yet (content written by another process) is
 * looked up at once.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';
import { readDataKeys, updateDataKeys, type DataKeyEntry, type DataKeysRecord } from './data-key-record.js';
import { DATA_KEY_BYTES, unwrapDataKey, wrapDataKey } from './key-wrap.js';
import type { MasterKeyring } from './master-keyring.js';

export interface DataKey {
  version: number;
  key: Buffer;
}

export interface SpaceKeys {
  /** The space's newest data key (version 1 is made on first use): what new content is encrypted under. */
  current(space: string): Promise<DataKey>;
  /** A given version: what opens content written under it. `integrity_failed` if the space has no such version. */
  version(space: string, version: number): Promise<DataKey>;
  /** Drops what is cached for a space (call it when a space is deleted). */
  forget(space: string): void;
}

export interface SpaceKeysOptions {
  store: DocumentStore;
  keyring: MasterKeyring;
  clock: Clock;
  /** How long the newest version is trusted before being looked up again (default one minute). */
  refreshMs?: number;
}

interface Loaded {
  at: number;
  newest: DataKey;
  versions: Map<number, Buffer>;
}

/** Opens one version with whichever key of the ring it is wrapped under. */
export function openDataKey(keyring: MasterKeyring, space: string, entry: DataKeyEntry): Buffer {
  for (const kek of keyring.keys) {
    const wrapped = entry.wrapped.find((w) => w.kek === kek.id);
    if (wrapped) return unwrapDataKey(kek, wrapped, space, entry.version);
  }
  throw new FoyerError(
    'unavailable',
    `The data key (version ${entry.version}) of space "${space}" is wrapped under none of the configured master keys.`,
    { space, version: entry.version, wrappedUnder: entry.wrapped.map((w) => w.kek) },
  );
}

/** A new data key version, wrapped under every key of the ring (processes still on an older ring can open it). */
export function newDataKeyEntry(
  keyring: MasterKeyring,
  space: string,
  version: number,
  createdAt: string,
): DataKeyEntry {
  const key = randomBytes(DATA_KEY_BYTES);
  return { version, createdAt, wrapped: keyring.keys.map((kek) => wrapDataKey(kek, key, space, version)) };
}

export function createSpaceKeys(options: SpaceKeysOptions): SpaceKeys {
  const { store, keyring, clock } = options;
  const refreshMs = options.refreshMs ?? 60_000;
  const cache = new Map<string, Promise<Loaded>>();
  const nowIso = () => new Date(clock.now()).toISOString();

  async function load(space: string): Promise<Loaded> {
    let { record } = await readDataKeys(store, space);
    if (!record || record.dataKeys.length === 0) {
      record = await updateDataKeys(store, space, nowIso, (found) =>
        found && found.dataKeys.length > 0 ? null : { dataKeys: [newDataKeyEntry(keyring, space, 1, nowIso())] },
      );
    }
    return opened(space, record!);
  }

  function opened(space: string, record: DataKeysRecord): Loaded {
    const versions = new Map<number, Buffer>();
    let newest: DataKey | undefined;
    for (const entry of record.dataKeys) {
      const key = openDataKey(keyring, space, entry);
      versions.set(entry.version, key);
      if (!newest || entry.version > newest.version) newest = { version: entry.version, key };
    }
    return { at: clock.now(), newest: newest!, versions };
  }

  function reload(space: string): Promise<Loaded> {
    const loading = load(space);
    cache.set(space, loading);
    // A failure is not cached: the next call tries again.
    loading.catch(() => {
      if (cache.get(space) === loading) cache.delete(space);
    });
    return loading;
  }

  async function loaded(space: string, fresh: (l: Loaded) => boolean): Promise<Loaded> {
    const cached = cache.get(space);
    if (cached) {
      const l = await cached;
      if (fresh(l)) return l;
      // Someone else is reloading already: share their read.
      const newer = cache.get(space);
      if (newer && newer !== cached) return newer;
    }
    return reload(space);
  }

  return {
    async current(space) {
      return (await loaded(space, (l) => clock.now() - l.at < refreshMs)).newest;
    },
    async version(space, version) {
      const l = await loaded(space, (found) => found.versions.has(version));
      const key = l.versions.get(version);
      if (!key) {
        throw new FoyerError('integrity_failed', `Space "${space}" has no data key version ${version}.`, {
          space,
          version,
        });
      }
      return { version, key };
    },
    forget(space) {
      cache.delete(space);
    },
  };
}
