/**
 * Schemas of Foyer's SQLite files, as plain lists of SQL steps. `PRAGMA user_version` counts the
 * steps applied; `PRAGMA application_id` marks the file as Foyer's, so that a foreign or damaged
 * file is refused instead of being "migrated". Append new steps; never edit an applied one.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { FoyerError } from '../../core/errors.js';
import { GENESIS_HASH } from '../../core/ledger/ledger-entry.js';
import { rebuildDocIndexes } from './sqlite-doc-indexes.js';

export interface Migrations {
  /** Written in the file header; a file with another id is not ours. */
  applicationId: number;
  /** SQL, or a function for steps that depend on what the file holds. */
  steps: (string | ((db: Database) => void))[];
}

/** `<dataDir>/foyer.db`: which spaces exist, and the host names routing to them. */
export const registryMigrations: Migrations = {
  applicationId: 0x466f7952, // "FoyR"
  steps: [
    `CREATE TABLE spaces (
       id TEXT PRIMARY KEY,
       time_zone TEXT NOT NULL,
       created_at TEXT NOT NULL
     ) WITHOUT ROWID;
     CREATE TABLE space_hosts (
       host TEXT PRIMARY KEY,
       space_id TEXT NOT NULL REFERENCES spaces (id) ON DELETE CASCADE,
       position INTEGER NOT NULL
     ) WITHOUT ROWID;
     CREATE INDEX space_hosts_by_space ON space_hosts (space_id, position);`,
    // The key each space's file is encrypted under, wrapped under the master keys (sqlite-cipher.ts).
    `CREATE TABLE space_keys (
       space_id TEXT PRIMARY KEY REFERENCES spaces (id) ON DELETE CASCADE,
       cipher TEXT NOT NULL,
       wrapped TEXT NOT NULL
     ) WITHOUT ROWID;`,
  ],
};

/** `<dataDir>/spaces/<id>/space.db`: one space's documents and time series. */
export const spaceMigrations: Migrations = {
  applicationId: 0x466f7953, // "FoyS"
  steps: [
    // Declared indexes are added later as expression indexes (sqlite-doc-indexes.ts).
    `CREATE TABLE docs (
       doctype TEXT NOT NULL,
       id TEXT NOT NULL,
       rev TEXT NOT NULL,
       seq INTEGER NOT NULL,
       deleted INTEGER NOT NULL,
       data TEXT,
       meta TEXT NOT NULL,
       PRIMARY KEY (doctype, id)
     );
     CREATE UNIQUE INDEX docs_by_seq ON docs (doctype, seq);
     CREATE TABLE doc_indexes (
       doctype TEXT NOT NULL,
       fields TEXT NOT NULL,
       position INTEGER NOT NULL,
       PRIMARY KEY (doctype, fields)
     ) WITHOUT ROWID;
     CREATE TABLE points (
       doctype TEXT NOT NULL,
       t INTEGER NOT NULL,
       stream TEXT NOT NULL,
       day TEXT NOT NULL,
       value REAL,
       data TEXT NOT NULL,
       PRIMARY KEY (doctype, t, stream)
     ) WITHOUT ROWID;
     CREATE TABLE point_days (
       doctype TEXT NOT NULL,
       day TEXT NOT NULL,
       stream TEXT NOT NULL,
       count INTEGER NOT NULL,
       sum REAL,
       min REAL,
       max REAL,
       PRIMARY KEY (doctype, day, stream)
     ) WITHOUT ROWID;
     CREATE TABLE point_hours (
       doctype TEXT NOT NULL,
       hour INTEGER NOT NULL,
       stream TEXT NOT NULL,
       count INTEGER NOT NULL,
       sum REAL,
       min REAL,
       max REAL,
       PRIMARY KEY (doctype, hour, stream)
     ) WITHOUT ROWID;`,
    // The access ledger (see sqlite-ledger.ts), and what a withdrawal finds: documents and
    // points written under a grant. Partial indexes: the owner's own writes (no grant) skip them.
    `CREATE TABLE ledger (
       seq INTEGER PRIMARY KEY,
       at TEXT NOT NULL,
       day TEXT NOT NULL,
       actor_kind TEXT NOT NULL,
       actor_id TEXT NOT NULL,
       grant_id TEXT,
       grant_version INTEGER,
       verb TEXT NOT NULL,
       doctype TEXT NOT NULL,
       count INTEGER NOT NULL,
       ids_digest TEXT,
       purpose TEXT,
       outcome TEXT NOT NULL,
       code TEXT,
       prev_hash TEXT NOT NULL,
       hash TEXT NOT NULL
     );
     -- Secondary indexes of a rowid table end with the rowid: (doctype) is (doctype, seq), which
     -- serves a filter and the newest-first order together.
     CREATE INDEX ledger_by_at ON ledger (at);
     CREATE INDEX ledger_by_actor ON ledger (actor_kind, actor_id);
     CREATE INDEX ledger_by_doctype ON ledger (doctype);
     CREATE INDEX ledger_by_grant ON ledger (grant_id) WHERE grant_id IS NOT NULL;
     CREATE TABLE ledger_head (
       one INTEGER PRIMARY KEY CHECK (one = 1),
       seq INTEGER NOT NULL,
       hash TEXT NOT NULL
     );
     INSERT INTO ledger_head (one, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
     CREATE INDEX docs_by_grant ON docs (doctype, json_extract(meta, '$.createdBy.grant'), id)
       WHERE json_extract(meta, '$.createdBy.grant') IS NOT NULL;
     ALTER TABLE points ADD COLUMN grant_id TEXT;
     CREATE INDEX points_by_grant ON points (doctype, grant_id) WHERE grant_id IS NOT NULL;`,
    // Every request appends a ledger entry: each index is paid on every request, while the owner's
    // dashboard filters rarely. Entries by time and by grant are read by scanning seq order (the
    // newest first, which is what a dashboard asks); measured: 17 µs per entry with four indexes,
    // 10 with two.
    `DROP INDEX ledger_by_at;
     DROP INDEX ledger_by_grant;`,
    // Declared indexes become partial, one per doctype (see sqlite-doc-indexes.ts).
    rebuildDocIndexes,
    // What a grant created, as a column written with the row (from `meta.createdBy.grant`), indexed
    // by grant then seq: a create appends at the end of its grant's range instead of dirtying a
    // random page of an index keyed by id (measured: 57 -> 48 µs of store CPU per app create), and
    // no longer parses the metadata twice. Live rows only: a withdrawal's batches do not walk the
    // tombstones of the batches before.
    `ALTER TABLE docs ADD COLUMN grant_id TEXT;
     UPDATE docs SET grant_id = json_extract(meta, '$.createdBy.grant')
       WHERE json_extract(meta, '$.createdBy.grant') IS NOT NULL;
     DROP INDEX docs_by_grant;
     CREATE INDEX docs_by_grant ON docs (grant_id, doctype, seq) WHERE grant_id IS NOT NULL AND deleted = 0;`,
  ],
};

/**
 * Brings `db` to the last step of `migrations`, refusing a file that belongs to something else or
 * to a newer Foyer. `what` names the file in error messages.
 */
export function migrate(db: Database, migrations: Migrations, what: string): void {
  const { applicationId, steps } = migrations;
  const run = db.transaction(() => {
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId === 0 && version === 0) {
      const objects = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
      if (objects > 0) throw notFoyers(what);
      db.pragma(`application_id = ${applicationId}`);
    } else if (appId !== applicationId) {
      throw notFoyers(what);
    }
    if (version > steps.length) {
      throw new FoyerError(
        'unavailable',
        `${capitalise(what)} was written by a newer version of Foyer (schema ${version}, this one knows ${steps.length}).`,
      );
    }
    for (let i = version; i < steps.length; i++) {
      const step = steps[i]!;
      if (typeof step === 'string') db.exec(step);
      else step(db);
    }
    if (version < steps.length) db.pragma(`user_version = ${steps.length}`);
  });
  run.immediate();
}

/** The error for a file that is not the Foyer database it should be (`keyed`: opened with its key). */
export function notFoyers(what: string, keyed = false): FoyerError {
  return new FoyerError(
    'internal',
    keyed
      ? `${capitalise(what)} does not open with its key: the file is damaged or belongs to something else; restore it from a backup.`
      : `${capitalise(what)} is not a Foyer database (the file is damaged, encrypted, or belongs to something else); restore it from a backup.`,
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
