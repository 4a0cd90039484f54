/**
 * Key rotation, as `foyer keys` runs it against the stores while servers keep running.
 *
 * Master key rotation never re-encrypts content: it re-wraps each space's data keys. It is done in
 * two steps so that every process can open every data key at every moment (docs/security.md):
 *  1. `wrapAllUnder(newKey)`: every data key gains a wrapping under the new master key, keeping the
 *     old ones (processes still on the old ring go on working);
 *  2. once every process runs with the new key first in its ring, `finishRotation()`: every data
 *     key is wrapped under the current key (catching those made meanwhile by old processes), then
 *     its wrappings under any other key are dropped.
 * Data key rotation adds a new version: new content is encrypted under it, older content stays
 * readable under the version its header names.
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';
import { readDataKeys, updateDataKeys, type DataKeyEntry } from './data-key-record.js';
import {
  openDatabaseKey,
  unwrapDataKey,
  unwrapDatabaseKey,
  wrapDataKey,
  wrapDatabaseKey,
  type WrappedDataKey,
} from './key-wrap.js';
import type { MasterKey, MasterKeyring } from './master-keyring.js';
import { newDataKeyEntry, openDataKey } from './space-keys.js';

export interface SpaceKeyStatus {
  space: string;
  /** The key the space's database file is encrypted under (SQLite); null when it is in clear. */
  databaseKey: { wrappedUnder: string[] } | null;
  /** Empty when the space has not encrypted anything yet; null when its database does not open with the ring. */
  dataKeys: { version: number; createdAt: string; wrappedUnder: string[] }[] | null;
}

export async function keyStatus(store: DocumentStore): Promise<SpaceKeyStatus[]> {
  const out: SpaceKeyStatus[] = [];
  const databaseKeys = new Map(((await store.databaseKeys?.list()) ?? []).map((k) => [k.space, k.wrapped]));
  for (const space of await store.listSpaces()) {
    const wrapped = databaseKeys.get(space.id);
    const databaseKey = wrapped ? { wrappedUnder: wrapped.map((w) => w.kek) } : null;
    let record;
    try {
      ({ record } = await readDataKeys(store, space.id));
    } catch (error) {
      // The space's file does not open with this ring: its data keys are out of sight.
      if (error instanceof FoyerError && error.code === 'unavailable') {
        out.push({ space: space.id, databaseKey, dataKeys: null });
        continue;
      }
      throw error;
    }
    out.push({
      space: space.id,
      databaseKey,
      dataKeys: (record?.dataKeys ?? []).map((e) => ({
        version: e.version,
        createdAt: e.createdAt,
        wrappedUnder: e.wrapped.map((w) => w.kek),
      })),
    });
  }
  return out;
}

export interface RewrapReport {
  spaces: number;
  /** Wrappings added under the target key. */
  wrapped: number;
  /** Wrappings removed (finish only). */
  dropped: number;
  /** The same, for the keys of the space database files (SQLite). */
  database: { wrapped: number; dropped: number };
  /**
   * Keys that could not be re-wrapped: wrapped under none of the ring's keys. Nothing was dropped
   * for them. Version 0 is a space's database key: its data keys, inside that database, are then
   * out of reach too.
   */
  stuck: { space: string; version: number; wrappedUnder: string[] }[];
}

/**
 * Wraps every version of every space's data key under `target` too, opening it with any key of
 * `keyring`; with `dropOthers`, then removes its wrappings under every other key. A data key no
 * key of the ring opens is reported as stuck and left as it is.
 */
async function rewrapAll(
  store: DocumentStore,
  keyring: MasterKeyring,
  target: MasterKey,
  clock: Clock,
  dropOthers: boolean,
): Promise<RewrapReport> {
  const report: RewrapReport = { spaces: 0, wrapped: 0, dropped: 0, database: { wrapped: 0, dropped: 0 }, stuck: [] };
  const nowIso = () => new Date(clock.now()).toISOString();
  // The keys whole space files are encrypted under (SQLite), reported as version 0.
  for (const { space, wrapped } of (await store.databaseKeys?.list()) ?? []) {
    const tally = { wrapped: 0, dropped: 0 };
    const next = rewrapped(wrapped, {
      open: (kek, w) => unwrapDatabaseKey(kek, w, space),
      openAny: () => openDatabaseKey(keyring, space, wrapped),
      wrap: (key) => wrapDatabaseKey(target, key, space),
      stuck: () => report.stuck.push({ space, version: 0, wrappedUnder: wrapped.map((w) => w.kek) }),
      tally,
    });
    if (next !== wrapped) await store.databaseKeys!.update(space, next);
    report.database.wrapped += tally.wrapped;
    report.database.dropped += tally.dropped;
  }
  for (const space of await store.listSpaces()) {
    report.spaces++;
    if (report.stuck.some((s) => s.space === space.id && s.version === 0)) continue;
    let tally = { wrapped: 0, dropped: 0, stuck: [] as RewrapReport['stuck'] };
    await updateDataKeys(store, space.id, nowIso, (record) => {
      // Recounted from scratch if a conflict makes this run again.
      tally = { wrapped: 0, dropped: 0, stuck: [] };
      if (!record) return null;
      const dataKeys = record.dataKeys.map((entry) => rewrapEntry(space.id, entry));
      return tally.wrapped + tally.dropped > 0 ? { ...record, dataKeys } : null;
    });
    report.wrapped += tally.wrapped;
    report.dropped += tally.dropped;
    report.stuck.push(...tally.stuck);

    function rewrapEntry(spaceId: string, entry: DataKeyEntry): DataKeyEntry {
      const wrapped = rewrapped(entry.wrapped, {
        open: (kek, w) => unwrapDataKey(kek, w, spaceId, entry.version),
        openAny: () => openDataKey(keyring, spaceId, entry),
        wrap: (key) => wrapDataKey(target, key, spaceId, entry.version),
        stuck: () =>
          tally.stuck.push({ space: spaceId, version: entry.version, wrappedUnder: entry.wrapped.map((w) => w.kek) }),
        tally,
      });
      return wrapped === entry.wrapped ? entry : { ...entry, wrapped };
    }
  }

  return report;

  /**
   * One key's wrappings, with one under `target` (added if missing, proven to open if present)
   * and, with `dropOthers`, none under another key. The same array when nothing changes.
   */
  function rewrapped(
    wrapped: WrappedDataKey[],
    ops: {
      open: (kek: MasterKey, w: WrappedDataKey) => Buffer;
      openAny: () => Buffer;
      wrap: (key: Buffer) => WrappedDataKey;
      stuck: () => void;
      tally: { wrapped: number; dropped: number };
    },
  ): WrappedDataKey[] {
    let next = wrapped;
    const under = next.find((w) => w.kek === target.id);
    if (under) {
      // Proves the wrapping under the target opens before anything else is dropped.
      ops.open(target, under);
    } else {
      let key: Buffer;
      try {
        key = ops.openAny();
      } catch (error) {
        if (error instanceof FoyerError && error.code === 'unavailable') {
          ops.stuck();
          return wrapped;
        }
        throw error;
      }
      next = [ops.wrap(key), ...next];
      ops.tally.wrapped++;
    }
    if (dropOthers && next.length > 1) {
      ops.tally.dropped += next.length - 1;
      next = next.filter((w) => w.kek === target.id);
    }
    return next;
  }
}

/** Step 1 of a master key rotation: every data key also wrapped under `newKey`; nothing dropped. */
export function wrapAllUnder(
  store: DocumentStore,
  keyring: MasterKeyring,
  newKey: MasterKey,
  clock: Clock,
): Promise<RewrapReport> {
  return rewrapAll(store, keyring, newKey, clock, false);
}

/** Step 2: every data key wrapped under the ring's current key, and under no other. */
export function finishRotation(store: DocumentStore, keyring: MasterKeyring, clock: Clock): Promise<RewrapReport> {
  return rewrapAll(store, keyring, keyring.keys[0]!, clock, true);
}

/** A new data key version for `space`; returns it. `not_found` if the space does not exist. */
export async function rotateDataKey(
  store: DocumentStore,
  keyring: MasterKeyring,
  space: string,
  clock: Clock,
): Promise<number> {
  if (!(await store.getSpace(space))) throw new FoyerError('space_not_found', `No space "${space}".`);
  const nowIso = () => new Date(clock.now()).toISOString();
  let version = 0;
  await updateDataKeys(store, space, nowIso, (record) => {
    const entries = record?.dataKeys ?? [];
    // Every existing version must stay openable: refuse before adding one if one is not.
    for (const entry of entries) openDataKey(keyring, space, entry);
    version = entries.reduce((max, e) => Math.max(max, e.version), 0) + 1;
    return { dataKeys: [...entries, newDataKeyEntry(keyring, space, version, nowIso())] };
  });
  return version;
}
