/**
 * The embedded DocumentStore: `<dataDir>/foyer.db` is the registry of spaces; each space has its
 * own database `<dataDir>/spaces/<id>/space.db`, opened on first use and kept in a small LRU of
 * open handles. better-sqlite3 is synchronous: each call does its work at once and returns a
 * settled promise, so no other call can interleave with a transaction.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import type { DocumentStore, SpaceRecord } from '../document-store.js';
import { openRegistry } from './sqlite-registry.js';
import { openSpaceDatabase } from './sqlite-space.js';
import { createCheckpointer } from './sqlite-checkpointer.js';
import type { SpaceDatabase } from './sqlite-space.js';

export interface SqliteDocumentStoreOptions {
  /** Folder holding `foyer.db` and `spaces/`; created if missing. */
  dataDir: string;
  /** Space databases kept open at once (least recently used ones are closed). Default 64. */
  maxOpenSpaces?: number;
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
  const fileOf = (id: string) => join(folderOf(id), 'space.db');

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
      old.close();
    }
    return handle;
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
    return remember(id, openSpaceDatabase(fileOf(id), id, { create: false }));
  }

  /** After a commit to a space's file, its checkpoint is the worker's business. */
  async function written<T>(id: string, result: T | Promise<T>): Promise<T> {
    const value = await result;
    checkpointer.written(fileOf(id));
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

  return {
    kind: 'sqlite',

    createSpace: (record: SpaceRecord) =>
      run(() => {
        checkId(record.id);
        registry.insert(record);
        try {
          // The registry is the truth: a folder left by an interrupted delete is stale.
          rmSync(folderOf(record.id), { recursive: true, force: true });
          mkdirSync(folderOf(record.id), { recursive: true });
          remember(record.id, openSpaceDatabase(fileOf(record.id), record.id, { create: true }));
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
        if (!registry.remove(id)) throw new FoyerError('space_not_found', `There is no space "${id}".`, { space: id });
        open.get(id)?.close();
        open.delete(id);
        await checkpointer.forget(fileOf(id));
        // checkId cannot fail for a registered id; it guards the path all the same.
        checkId(id);
        rmSync(folderOf(id), { recursive: true, force: true });
      }),

    getDocument: (id, doctype, docId) => run(() => space(id).documents.get(doctype, docId)),
    getDocuments: (id, doctype, ids) => run(() => space(id).documents.getMany(doctype, ids)),
    writeDocuments: (id, writes) => run(() => written(id, space(id).documents.write(writes))),
    findDocuments: (id, doctype, query) => run(() => space(id).documents.find(doctype, query)),
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

    async close() {
      if (closed) return;
      closed = true;
      for (const handle of open.values()) handle.close();
      open.clear();
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
        : new FoyerError('internal', 'The SQLite store failed.');
  // Kept for logs, never serialised to clients.
  (error as Error).cause = e;
  return error;
}
