/**
 * The embedded DocumentStore: `<dataDir>/foyer.db` is the registry of spaces; each space has its
 * own database `<dataDir>/spaces/<id>/space.db`, opened on first use and kept in a small LRU of
 * open handles. better-sqlite3 is synchronous: each call does its work at once and returns a
 * settled promise, so no other call can interleave with a transaction.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import { DATA_KEY_BYTES, openDatabaseKey, wrapDatabaseKey } from '../../core/keys/key-wrap.js';
import type { MasterKeyring } from '../../core/keys/master-keyring.js';
import type { DatabaseKeys, DocumentStore, SpaceRecord } from '../document-store.js';
import { unlockPragmas, type DatabaseKey, type SqliteCipher } from './sqlite-cipher.js';
import { openRegistry, type WrappedDatabaseKey } from './sqlite-registry.js';
import { openSpaceDatabase } from './sqlite-space.js';
import { createCheckpointer } from './sqlite-checkpointer.js';
import type { SpaceDatabase } from './sqlite-space.js';

export interface SqliteDocumentStoreOptions {
  /** Folder holding `foyer.db` and `spaces/`; created if missing. */
  dataDir: string;
  /** Space databases kept open at once (least recently used ones are closed). Default 64. */
  maxOpenSpaces?: number;
  /**
   * Encryption at rest of the space files (sqlite-cipher.ts). `keyring` opens the files already
   * encrypted; `cipher` encrypts new spaces, and spaces found in clear, under it (null: new
   * spaces stay in clear). Without this option, every space file is in clear.
   */
  encryption?: { keyring: MasterKeyring; cipher: SqliteCipher | null };
}

const SPACE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

export function createSqliteDocumentStore(options: SqliteDocumentStoreOptions): DocumentStore {
  const maxOpen = Math.max(1, options.maxOpenSpaces ?? 64);
  mkdirSync(join(options.dataDir, 'spaces'), { recursive: true });
  const registry = openRegistry(join(options.dataDir, 'foyer.db'));
  const checkpointer = createCheckpointer();
  /** Open handles, least recently used first (a Map keeps insertion order). */
  const open = new Map<string, SpaceDatabase>();
  let closed = false;

  const folderOf = (id: string) => join(options.dataDir, 'spaces', id);
  /** Space files by id: every write names its file to the checkpointer, and `join` showed in profiles. */
  const files = new Map<string, string>();
  const fileOf = (id: string): string => {
    let file = files.get(id);
    if (file === undefined) files.set(id, (file = join(folderOf(id), 'space.db')));
    return file;
  };
  /** The unlock pragmas of the open encrypted spaces, for the checkpoint worker. */
  const unlocks = new Map<string, string[]>();
  const encryption = options.encryption;
  /** Open handles get increasing numbers: a change stamp taken on a closed handle never matches a new one's. */
  let handles = 0;
  const handleNumbers = new WeakMap<SpaceDatabase, number>();

  /** A new database key for `space`, wrapped under every key of the ring (processes on an older ring open it too). */
  function newWrappedKey(space: string, cipher: SqliteCipher): WrappedDatabaseKey {
    const key = randomBytes(DATA_KEY_BYTES);
    return { cipher, wrapped: encryption!.keyring.keys.map((kek) => wrapDatabaseKey(kek, key, space)) };
  }

  function openKey(space: string, record: WrappedDatabaseKey): DatabaseKey {
    if (!encryption) {
      throw new FoyerError(
        'unavailable',
        `The database of space "${space}" is encrypted: Foyer needs its master key ring to open it.`,
        { space },
      );
    }
    return { cipher: record.cipher, key: openDatabaseKey(encryption.keyring, space, record.wrapped) };
  }

  /** The key that opens a registered space's file; a space in clear gets one now if new spaces are encrypted. */
  function keyOf(id: string): DatabaseKey | undefined {
    let record = registry.keyOf(id);
    if (!record) {
      if (!encryption?.cipher) return undefined;
      // Recorded before the file is encrypted: a crash in between leaves a file in clear with its
      // key known, encrypted at the next open.
      record = newWrappedKey(id, encryption.cipher);
      registry.putKey(id, record);
    }
    return openKey(id, record);
  }

  function openSpace(id: string, create: boolean, key: DatabaseKey | undefined): SpaceDatabase {
    const handle = openSpaceDatabase(fileOf(id), id, { create, ...(key ? { key } : {}) });
    handleNumbers.set(handle, ++handles);
    if (key) unlocks.set(id, unlockPragmas(key));
    return remember(id, handle);
  }

  function checkId(id: string): void {
    if (!SPACE_ID.test(id)) {
      const rule = 'A space id is 1 to 63 characters: lower-case letters, digits and "-", not first.';
      throw new FoyerError('invalid_name', rule, { space: id });
    }
  }

  function remember(id: string, handle: SpaceDatabase): SpaceDatabase {
    open.set(id, handle);
    for (const [oldest, old] of open) {
      if (open.size <= maxOpen) break;
      open.delete(oldest);
      unlocks.delete(oldest);
      old.close();
    }
    return handle;
  }

  function forgetHandle(id: string): void {
    open.get(id)?.close();
    open.delete(id);
    unlocks.delete(id);
  }

  /** The open handle of an existing space; `space_not_found` otherwise. */
  function space(id: string): SpaceDatabase {
    const cached = open.get(id);
    if (cached) {
      open.delete(id);
      open.set(id, cached);
      return cached;
    }
    if (!SPACE_ID.test(id) || !registry.get(id)) {
      throw new FoyerError('space_not_found', `There is no space "${id}".`, { space: id });
    }
    return openSpace(id, false, keyOf(id));
  }

  /** After a commit to a space's file, its checkpoint is the worker's business. */
  async function written<T>(id: string, result: T | Promise<T>): Promise<T> {
    const value = await result;
    checkpointer.written(fileOf(id), unlocks.get(id));
    return value;
  }

  /** Runs a step as a promise, turning driver errors into FoyerErrors. */
  function run<T>(step: () => T | Promise<T>): Promise<T> {
    try {
      if (closed) throw new FoyerError('unavailable', 'The document store is closed.');
      const result = step();
      return result instanceof Promise
        ? result.catch((e: unknown) => {
            throw asFoyerError(e);
          })
        : Promise.resolve(result);
    } catch (e) {
      return Promise.reject(asFoyerError(e));
    }
  }

  /** The wrapped keys, for master key rotation (core/keys/key-rotation.ts). */
  function databaseKeys(): DatabaseKeys {
    return {
      list: () =>
        run(() =>
          registry.list().flatMap((space) => {
            const record = registry.keyOf(space.id);
            return record ? [{ space: space.id, wrapped: record.wrapped }] : [];
          }),
        ),
      update: (id, wrapped) =>
        run(() => {
          const record = registry.keyOf(id);
          if (!record) throw new FoyerError('not_found', `Space "${id}" has no database key.`, { space: id });
          // The new wrappings must open to the same key: a mistake here would lock the space out.
          const before = openKey(id, record).key;
          const after = openKey(id, { cipher: record.cipher, wrapped }).key;
          if (!before.equals(after))
            throw new FoyerError('integrity_failed', `New wrappings of space "${id}" hold another key.`);
          registry.putKey(id, { cipher: record.cipher, wrapped });
        }),
    };
  }

  return {
    kind: 'sqlite',

    createSpace: (record: SpaceRecord) =>
      run(() => {
        checkId(record.id);
        const wrapped = encryption?.cipher ? newWrappedKey(record.id, encryption.cipher) : undefined;
        registry.insert(record, wrapped);
        try {
          // The registry is the truth: a folder left by an interrupted delete is stale.
          rmSync(folderOf(record.id), { recursive: true, force: true });
          mkdirSync(folderOf(record.id), { recursive: true });
          openSpace(record.id, true, wrapped ? openKey(record.id, wrapped) : undefined);
        } catch (e) {
          registry.remove(record.id);
          throw e;
        }
      }),

    getSpace: (id) => run(() => registry.get(id)),
    findSpaceByHost: (host) => run(() => registry.findByHost(host)),
    listSpaces: () => run(() => registry.list()),

    deleteSpace: (id) =>
      run(async () => {
        if (!SPACE_ID.test(id) || !registry.get(id)) {
          throw new FoyerError('space_not_found', `There is no space "${id}".`, { space: id });
        }
        forgetHandle(id);
        await checkpointer.forget(fileOf(id));
        // Again: a request may have opened the space while the checkpointer let go of it.
        forgetHandle(id);
        // The folder first, then the registry row (with its hosts and wrapped key): interrupted in
        // between, the space is still registered, without a file, and deleting it again finishes.
        rmSync(folderOf(id), { recursive: true, force: true });
        registry.remove(id);
      }),

    countSpace: (id) =>
      run(() => {
        const handle = space(id);
        // Writes waiting for the end of this turn are counted too.
        handle.documents.flush();
        handle.ledger.flush();
        const documents = handle.db
          .prepare<[], { doctype: string; live: number; deleted: number }>(
            'SELECT doctype, sum(deleted = 0) AS live, sum(deleted <> 0) AS deleted FROM docs GROUP BY doctype ORDER BY doctype',
          )
          .all();
        const points = handle.db
          .prepare<[], { doctype: string; count: number }>(
            'SELECT doctype, count(*) AS count FROM points GROUP BY doctype ORDER BY doctype',
          )
          .all();
        const entries = handle.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM ledger').get()!.n;
        return { documents, points, ledger: { entries, head: handle.ledger.head() } };
      }),

    getDocument: (id, doctype, docId) => run(() => space(id).documents.get(doctype, docId)),
    getDocuments: (id, doctype, ids) => run(() => space(id).documents.getMany(doctype, ids)),
    changeStamp: (id, doctype) =>
      run(() => {
        const handle = space(id);
        return handle.documents.changeStamp(handleNumbers.get(handle)!, doctype);
      }),
    writeDocuments: (id, writes) => run(() => written(id, space(id).documents.write(writes))),
    findDocuments: (id, doctype, query) => run(() => space(id).documents.find(doctype, query)),
    findRendered: (id, doctype, query) => run(() => space(id).documents.findRendered(doctype, query)),
    changes: (id, doctype, since, limit) => run(() => space(id).documents.changes(doctype, since, limit)),
    ensureIndex: (id, doctype, fields) => run(() => space(id).documents.ensureIndex(doctype, fields)),
    listIndexes: (id, doctype) => run(() => space(id).documents.listIndexes(doctype)),

    applyImport: (id, batches) => run(() => written(id, space(id).applyImport(batches))),
    appendPoints: (id, doctype, points) => run(() => written(id, space(id).series.append(doctype, points))),
    readPoints: (id, doctype, range, limit, after) => run(() => space(id).series.read(doctype, range, limit, after)),
    aggregatePoints: (id, doctype, range, every, timeZone) =>
      run(() => space(id).series.aggregate(doctype, range, every, timeZone)),
    deletePoints: (id, doctype, range) => run(() => written(id, space(id).series.remove(doctype, range))),
    deletePointsOfGrant: (id, doctype, grant, before) =>
      run(() => written(id, space(id).series.removeOfGrant(doctype, grant, before))),

    appendLedger: (id, drafts) => run(() => written(id, space(id).ledger.append(drafts))),
    readLedger: (id, query, limit, beforeSeq) => run(() => space(id).ledger.read(query, limit, beforeSeq)),
    scanLedger: (id, afterSeq, limit) => run(() => space(id).ledger.scan(afterSeq, limit)),
    aggregateLedger: (id, query, by) => run(() => space(id).ledger.aggregate(query, by)),
    ledgerHead: (id) => run(() => space(id).ledger.head()),

    databaseKeys: databaseKeys(),

    async close() {
      if (closed) return;
      closed = true;
      for (const handle of open.values()) handle.close();
      open.clear();
      unlocks.clear();
      registry.close();
      await checkpointer.close();
    },
  };
}

/** Driver errors never reach clients: busy files become `unavailable`, the rest `internal`. */
function asFoyerError(e: unknown): FoyerError {
  if (isFoyerError(e)) return e;
  const code = String((e as { code?: unknown }).code ?? '');
  const error =
    code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED'
      ? new FoyerError('unavailable', 'The space database is busy; try again.')
      : code === 'SQLITE_FULL'
        ? new FoyerError('unavailable', 'The disk holding the data folder is full.')
        : code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB'
          ? // An encrypted page whose tag does not match lands here too: altered on disk.
            new FoyerError('internal', 'A space database is damaged or was altered on disk; restore it from a backup.')
          : new FoyerError('internal', 'The SQLite store failed.');
  // Kept for logs, never serialised to clients.
  (error as Error).cause = e;
  return error;
}
