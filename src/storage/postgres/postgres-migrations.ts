/**
 * The PostgreSQL schema, as a plain list of versioned migrations applied at start.
 *
 * Several processes may start at once: each runs the pending migrations in one transaction under
 * a transaction-level advisory lock, so exactly one applies them and the others then find them
 * recorded in `schema_migrations`. DDL is transactional in PostgreSQL: a failed migration leaves
 * nothing behind.
 *
 * Sharding (Citus): every table holding a space's data carries `space` as the first column of its
 * primary key and of every index, so each is ready to be a distributed table with distribution
 * column `space` (`SELECT create_distributed_table('documents', 'space')`, the same for
 * space_sequences, declared_indexes, series_points, series_days, series_hours), co-located by
 * space: a space's rows then live on one node and every query of the adapter, which always
 * filters on one space, is routed to it. `spaces` and `space_hosts` are the small directory of
 * spaces, looked up by id or host before anything else: they are meant to be reference tables
 * (copied to every node), which is also what lets the unique index on `host` span all spaces.
 *
 * Text keys use the "C" collation, so that ids, streams and string values order by code point
 * whatever the database's locale, the same order as SQLite.
 */
import pg from 'pg';
import type { Pool } from 'pg';
import { FoyerError } from '../../core/errors.js';
import { advisoryXactLock, inTransaction, lockKey } from './postgres-transaction.js';

export interface Migration {
  version: number;
  name: string;
  /** SQL for the schema named by the quoted identifier `s`. */
  sql(s: string): string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'spaces, documents, declared indexes, series and roll-ups',
    sql: (s) => `
      CREATE TABLE ${s}.spaces (
        space text COLLATE "C" PRIMARY KEY,
        time_zone text NOT NULL,
        created_at text NOT NULL
      );
      CREATE TABLE ${s}.space_hosts (
        space text COLLATE "C" NOT NULL,
        host text COLLATE "C" NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (space, host)
      );
      CREATE UNIQUE INDEX space_hosts_host ON ${s}.space_hosts (host);

      -- One row per space, bumped by every document write: see writeDocuments.
      CREATE TABLE ${s}.space_sequences (
        space text COLLATE "C" PRIMARY KEY,
        seq bigint NOT NULL
      );

      -- The latest version of each document, tombstones included.
      CREATE TABLE ${s}.documents (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        rev text NOT NULL,
        seq bigint NOT NULL,
        deleted boolean NOT NULL,
        data jsonb,
        meta text NOT NULL,
        PRIMARY KEY (space, doctype, id)
      );
      CREATE INDEX documents_changes ON ${s}.documents (space, doctype, seq);

      -- Indexes declared per space; the physical expression indexes are per doctype and fields.
      CREATE TABLE ${s}.declared_indexes (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        fields text[] NOT NULL,
        position bigint GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (space, doctype, fields)
      );

      -- Points ordered as they are read: by time, then stream.
      CREATE TABLE ${s}.series_points (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        t bigint NOT NULL,
        stream text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        value double precision,
        data text NOT NULL,
        PRIMARY KEY (space, doctype, t, stream)
      );
      -- Roll-ups of the non-null values, per local day (the points' own day) and per UTC hour.
      CREATE TABLE ${s}.series_days (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        stream text COLLATE "C" NOT NULL,
        count bigint NOT NULL,
        sum double precision,
        min double precision,
        max double precision,
        PRIMARY KEY (space, doctype, day, stream)
      );
      CREATE TABLE ${s}.series_hours (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        hour bigint NOT NULL,
        stream text COLLATE "C" NOT NULL,
        count bigint NOT NULL,
        sum double precision,
        min double precision,
        max double precision,
        PRIMARY KEY (space, doctype, hour, stream)
      );
    `,
  },
];

/** Creates the schema if needed and applies the pending migrations, once across processes. */
export async function migrate(pool: Pool, schema: string): Promise<void> {
  const s = pg.escapeIdentifier(schema);
  await inTransaction(pool, async (client) => {
    await advisoryXactLock(client, lockKey('foyer-migrations', schema));
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY,
         name text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const applied = await client.query<{ version: number }>(`SELECT version FROM ${s}.schema_migrations`);
    const done = new Set(applied.rows.map((r) => r.version));
    const known = Math.max(...migrations.map((m) => m.version));
    const newest = Math.max(0, ...done);
    if (newest > known) {
      throw new FoyerError(
        'internal',
        `The database schema "${schema}" is at version ${newest}, newer than this Foyer knows (${known}).`,
      );
    }
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
  });
}
