/**
 * Opening Foyer's SQLite files: the pragmas every connection needs, and one space's database with
 * its prepared statements (documents, series and the access ledger), created once per open handle.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Statement } from 'better-sqlite3-multiple-ciphers';
import type { ImportBatch } from '../document-store.js';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import { migrate, notFoyers, spaceMigrations } from './sqlite-migrations.js';
import { sqliteDocuments } from './sqlite-documents.js';
import { sqliteSeries } from './sqlite-series.js';
import { sqliteLedger } from './sqlite-ledger.js';
import { encryptInPlace, isPlaintextDatabase, unlockPragmas, type DatabaseKey } from './sqlite-cipher.js';

/** Statements compiled from generated SQL (finds, series variants) kept per handle, up to this many. */
const MAX_CACHED_STATEMENTS = 200;
const BUSY_TIMEOUT_MS = 5000;
/** ~80 MB of WAL: reached only if the checkpoint worker cannot keep up or is gone. */
const SAFETY_NET_CHECKPOINT_PAGES = 20_000;
const MMAP_BYTES = 256 * 1024 * 1024;
/** Page cache of an encrypted space file, KiB: grows only as pages are read (see openSpaceDatabase). */
const ENCRYPTED_CACHE_KIB = 32 * 1024;
/**
 * WAL pages before an automatic checkpoint (default 1000). Random inserts into indexes dirty a
 * page each; checkpointing less often copies a page rewritten many times once: bulk imports of
 * 100,000 documents measured 20-30% faster at 4000 (16 MB of WAL with 4 KB pages).
 */
const WAL_AUTOCHECKPOINT_PAGES = 4000;

/** Prepares SQL once per handle: `prepare(sql)` returns the same statement for the same text. */
export type Prepare = (sql: string) => Statement<unknown[], unknown>;

export type SpaceDatabase = ReturnType<typeof openSpaceDatabase>;

/**
 * Opens (or, with `create`, creates) a SQLite file with WAL, synchronous=NORMAL, foreign keys and
 * a busy timeout. `what` names the file in errors. With a `key`, the file is encrypted
 * (sqlite-cipher.ts): a new one from its first page, one found in clear is encrypted in place.
 */
export function openSqliteFile(
  file: string,
  what: string,
  options: { create: boolean; key?: DatabaseKey | undefined },
): Database.Database {
  if (!options.create && !existsSync(file)) {
    throw new FoyerError(
      'internal',
      `${what.charAt(0).toUpperCase()}${what.slice(1)} is missing from the data folder.`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: !options.create });
    if (options.key) {
      if (isPlaintextDatabase(file)) encryptInPlace(db, options.key);
      else for (const pragma of unlockPragmas(options.key)) db.pragma(pragma);
    }
    // The first statement reads the header: this is where a damaged, foreign or locked file shows.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
    // Deleted or replaced content is overwritten with zeros, not left in free space of the file:
    // a withdrawal or a deletion must reach every copy (inserts, the hot path, pay nothing).
    db.pragma('secure_delete = ON');
    return db;
  } catch (e) {
    db?.close();
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw notFoyers(what, options.key !== undefined);
    throw e;
  }
}

/** Opens the database of space `id`; `create` makes a new one (the file must not hold anything else). */
export function openSpaceDatabase(file: string, id: string, options: { create: boolean; key?: DatabaseKey }) {
  const what = `the database of space "${id}"`;
  const db = openSqliteFile(file, what, options);
  // Checkpoints run in a worker thread (sqlite-checkpointer.ts); this is only a safety net.
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_CHECKPOINT_PAGES}`);
  // Pages are read through a memory map rather than one read() call each: a month query among
  // 100,000 documents touches ~4,000 scattered rows (measured: 14 ms to 10 ms). Mapped pages are
  // the kernel's file cache, reclaimable, but they do show in the process's RSS once touched.
  // An encrypted file gains nothing from the map (its pages must be decrypted into SQLite's own
  // cache; the month queries measured the same without it), yet a full scan such as an index
  // build after a large import mapped up to 256 MiB more RSS: so only files in clear are mapped.
  if (!options.key) db.pragma(`mmap_size = ${MMAP_BYTES}`);
  // SQLite's own page cache holds the decrypted pages of an encrypted file. Its default 2 MiB made
  // the month query among 100,000 documents decrypt most pages again each time (33 ms in clear,
  // 50-54 ms encrypted).
  if (options.key) db.pragma(`cache_size = -${ENCRYPTED_CACHE_KIB}`);
  try {
    migrate(db, spaceMigrations, what);
  } catch (e) {
    db.close();
    const code = (e as { code?: unknown }).code;
    if (!isFoyerError(e) && (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')) {
      throw notFoyers(what, options.key !== undefined);
    }
    throw e;
  }
  const statements = new Map<string, Statement<unknown[], unknown>>();
  const prepare: Prepare = (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const documents = sqliteDocuments(db, prepare);
  const ledger = sqliteLedger(db, prepare);
  const series = sqliteSeries(db, prepare);
  const applyImport = db.transaction((batches: Iterable<ImportBatch>) => {
    let written = { documents: 0, points: 0 };
    // Points' roll-ups are recomputed once, after the last batch, in the same transaction.
    const points = series.bulkAppend();
    for (const batch of batches) {
      if ('documents' in batch) {
        documents.writeNow(batch.documents);
        written = { documents: written.documents + batch.documents.length, points: written.points };
      } else {
        points.add(batch.doctype, batch.points);
        written = { documents: written.documents, points: written.points + batch.points.length };
      }
    }
    points.finish();
    return written;
  });
  return {
    db,
    documents,
    series,
    ledger,
    /**
     * One IMMEDIATE transaction: the write lock is taken up front, not midway through. Its commit
     * leaves the WAL (hundreds of MB after a large import) to the checkpoint worker rather than
     * copying it inside the commit. The safety net is back right after, so the next commit (the
     * ledger's entry for the import) copies what the worker has not reached yet: profiles of a
     * 100,000-line import show that copy there (about 0.3 s), and the import's wall time was the
     * same with the safety net left off longer (docs/performance.md, "Tried and dropped").
     */
    applyImport: (batches: Iterable<ImportBatch>) => {
      const safetyNet = db.pragma('wal_autocheckpoint', { simple: true }) as number;
      db.pragma('wal_autocheckpoint = 0');
      try {
        return applyImport.immediate(batches);
      } finally {
        db.pragma(`wal_autocheckpoint = ${safetyNet}`);
      }
    },
    close(): void {
      documents.flush();
      ledger.flush();
      statements.clear();
      db.close();
    },
  };
}
