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
import { GENESIS_HASH } from '../../core/ledger/ledger-entry.js';
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
  {
    version: 2,
    name: 'write_documents: a group of document writes in one statement; documents_changes for the feed only',
    sql: (s) => `
      -- The changes index serves only queries that say seq > something (the feed): every seq is
      -- at least 1, so it still holds every row. Usable by any query on (space, doctype), it was
      -- the planner's pick for lookups by id whenever the statistics underestimated a space (a
      -- new table, a space new since the last ANALYZE), as it is the smaller index: then every
      -- lookup read the whole space instead of one primary key entry.
      DROP INDEX ${s}.documents_changes;
      CREATE INDEX documents_changes ON ${s}.documents (space, doctype, seq) WHERE seq > 0;

      -- Writes a group of calls to one space in one statement (see postgres-document-writes.ts).
      -- p_writes: [[call, doctype, id, expected rev, rev, deleted, data, meta], ...] in call order
      -- (jsonb: parsed once, when the call is bound, then read by each statement). A call fails
      -- whole on its first write whose expected revision does not match the document as the
      -- writes before it in the group left it (failed calls left out); the other calls' writes
      -- are stored, each numbered base + its 1-based position in p_writes (the numbers of failed
      -- calls go unused: seqs only need to increase in commit order). Answers base (NULL: no such
      -- space) and, per failed call, the call, the position of its failing write, and that
      -- document's revision and tombstone flag then.
      --
      -- VOLATILE, so each statement takes a fresh snapshot: the checks run after the counter
      -- UPDATE has waited for the previous writer of the space and see what it committed.
      CREATE FUNCTION ${s}.write_documents(
        p_space text, p_writes jsonb,
        OUT base bigint, OUT failed integer[], OUT positions bigint[],
        OUT current_revs text[], OUT current_deleted boolean[])
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_total bigint := jsonb_array_length(p_writes);
        -- The stored state of the documents written: {'["doctype","id"]': [rev, deleted]}.
        v_stored jsonb;
        v_conflict record;
      BEGIN
        failed := '{}'; positions := '{}'; current_revs := '{}'; current_deleted := '{}';
        -- The statements reading tables run through EXECUTE, so are planned with their values at
        -- each call: a plan cached while a table was small would go on scanning it whole. The
        -- others read only p_writes and keep their cached plans.
        EXECUTE 'UPDATE ${s}.space_sequences SET seq = seq + $2 WHERE space = $1 RETURNING seq - $2'
          INTO base USING p_space, v_total;
        IF base IS NULL THEN
          RETURN;
        END IF;
        -- One primary key probe per write, as a subquery per row (never turned into a join): the
        -- planner cannot trade it for a scan of the space, which it does, with a join or with
        -- = ANY of the ids, whenever the statistics underestimate the space (a new table, a space
        -- new since the last ANALYZE), making each write read the whole space. OFFSET 0 keeps the
        -- outer query from inlining it, which would probe twice (state is used twice).
        EXECUTE 'SELECT jsonb_object_agg(jsonb_build_array(k.doctype, k.id)::text, k.state) FROM (
                   SELECT k.doctype, k.id,
                          (SELECT jsonb_build_array(d.rev, d.deleted) FROM ${s}.documents d
                            WHERE d.space = $1 AND d.doctype = k.doctype AND d.id = k.id) AS state
                     FROM (SELECT w->>1 AS doctype, w->>2 AS id FROM jsonb_array_elements($2) w) k
                   OFFSET 0) k
                  WHERE k.state IS NOT NULL'
          INTO v_stored USING p_space, p_writes;
        -- Each round either finds the first conflicting write (its call is then left out and the
        -- rest checked again) or stores every write left: one round when nothing conflicts.
        LOOP
          WITH w AS (
            SELECT (k.w->>0)::integer AS c, k.w->>1 AS doctype, k.w->>2 AS id, k.w->>3 AS expected,
                   k.w->>4 AS rev, (k.w->>5)::boolean AS deleted, k.w, k.n
              FROM jsonb_array_elements(p_writes) WITH ORDINALITY AS k(w, n)
             WHERE (k.w->>0)::integer <> ALL (failed)
          ), chain AS (
            -- Per document, in order: the write before (the stored row for the first), and whether
            -- it is the last (the one stored).
            SELECT w.*, lead(w.n) OVER k IS NULL AS last,
                   CASE WHEN lag(w.n) OVER k IS NULL
                        THEN v_stored -> jsonb_build_array(w.doctype, w.id)::text
                        ELSE jsonb_build_array(lag(w.rev) OVER k, lag(w.deleted) OVER k) END AS now
              FROM w WINDOW k AS (PARTITION BY w.doctype, w.id ORDER BY w.n)
          ), conflict AS (
            SELECT chain.c, chain.n, chain.now->>0 AS now_rev, (chain.now->>1)::boolean AS now_deleted
              FROM chain
             WHERE CASE WHEN chain.expected IS NULL THEN chain.now IS NOT NULL AND NOT (chain.now->>1)::boolean
                        ELSE chain.now->>0 IS DISTINCT FROM chain.expected END
             ORDER BY chain.n LIMIT 1
          ), stored AS (
            INSERT INTO ${s}.documents (space, doctype, id, rev, seq, deleted, data, meta)
            SELECT p_space, chain.doctype, chain.id, chain.rev, base + chain.n, chain.deleted,
                   (chain.w->>6)::jsonb, chain.w->>7
              FROM chain WHERE chain.last AND NOT EXISTS (SELECT FROM conflict)
            ON CONFLICT (space, doctype, id) DO UPDATE SET
              rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, data = excluded.data,
              meta = excluded.meta
          )
          SELECT * INTO v_conflict FROM conflict;
          EXIT WHEN NOT FOUND;
          failed := failed || v_conflict.c;
          positions := positions || v_conflict.n;
          current_revs := current_revs || v_conflict.now_rev;
          current_deleted := current_deleted || v_conflict.now_deleted;
        END LOOP;
      END
      $fn$;
    `,
  },
  {
    version: 3,
    name: 'access ledger (entries, heads, append_ledger); grant of documents and points',
    sql: (s) => `
      -- The access ledger, per space (see postgres-ledger.ts). Texts compare by code point, as on
      -- SQLite; at is an ISO instant in UTC with milliseconds, so its text order is time order.
      CREATE TABLE ${s}.ledger_entries (
        space text COLLATE "C" NOT NULL,
        seq bigint NOT NULL,
        at text COLLATE "C" NOT NULL,
        day text COLLATE "C" NOT NULL,
        actor_kind text COLLATE "C" NOT NULL,
        actor_id text COLLATE "C" NOT NULL,
        grant_id text COLLATE "C",
        grant_version integer,
        verb text NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        count bigint NOT NULL,
        ids_digest text,
        purpose text,
        outcome text NOT NULL,
        code text,
        prev_hash text NOT NULL,
        hash text NOT NULL,
        PRIMARY KEY (space, seq)
      );
      -- What the owner filters on; each ends with seq, the newest-first order of a listing.
      CREATE INDEX ledger_entries_at ON ${s}.ledger_entries (space, at);
      CREATE INDEX ledger_entries_actor ON ${s}.ledger_entries (space, actor_kind, actor_id, seq);
      CREATE INDEX ledger_entries_doctype ON ${s}.ledger_entries (space, doctype, seq);
      CREATE INDEX ledger_entries_grant ON ${s}.ledger_entries (space, grant_id, seq) WHERE grant_id IS NOT NULL;

      -- The head of each space's chain, apart from the entries: a cut tail still shows. Appends
      -- lock this row, so that two processes chain one after the other.
      CREATE TABLE ${s}.ledger_heads (
        space text COLLATE "C" PRIMARY KEY,
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO ${s}.ledger_heads (space, seq, hash) SELECT space, 0, '${GENESIS_HASH}' FROM ${s}.spaces;

      -- Appends entries after the space's head, in one statement: p_bodies holds each entry's
      -- canonical body (ledgerBody in core/ledger/ledger-entry.ts), the text that is hashed, and
      -- the columns are read back from it. The chain is the one chainEntries computes:
      -- hash_n = sha256hex(hash_{n-1} || E'\\n' || n || E'\\n' || body_n), over UTF-8 bytes.
      -- Answers the head before (base NULL: no such space) and the new entries' hashes.
      CREATE FUNCTION ${s}.append_ledger(p_space text, p_bodies jsonb, OUT base bigint, OUT base_hash text, OUT hashes text[])
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_seq bigint;
        v_hash text;
        v_body text;
        v_bodies text[] := '{}';
      BEGIN
        hashes := '{}';
        -- FOR UPDATE waits for another appender of the space and then reads the head it left.
        SELECT h.seq, h.hash INTO base, base_hash FROM ${s}.ledger_heads h WHERE h.space = p_space FOR UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        v_seq := base;
        v_hash := base_hash;
        FOR i IN 0 .. jsonb_array_length(p_bodies) - 1 LOOP
          v_seq := v_seq + 1;
          v_body := p_bodies ->> i;
          v_bodies := v_bodies || v_body;
          v_hash := encode(sha256(convert_to(v_hash || E'\\n' || v_seq::text || E'\\n' || v_body, 'UTF8')), 'hex');
          hashes := hashes || v_hash;
        END LOOP;
        INSERT INTO ${s}.ledger_entries (space, seq, at, day, actor_kind, actor_id, grant_id, grant_version, verb,
                                         doctype, count, ids_digest, purpose, outcome, code, prev_hash, hash)
        SELECT p_space, base + x.n, b ->> 0, b ->> 1, b ->> 2, b ->> 3, b ->> 4, (b ->> 5)::integer, b ->> 6,
               b ->> 7, (b ->> 8)::bigint, b ->> 9, b ->> 10, b ->> 11, b ->> 12,
               CASE WHEN x.n = 1 THEN base_hash ELSE hashes[x.n - 1] END, x.hash
          FROM unnest(v_bodies, hashes) WITH ORDINALITY AS x(body, hash, n)
               CROSS JOIN LATERAL (SELECT x.body::jsonb AS b) AS parsed;
        UPDATE ${s}.ledger_heads SET seq = v_seq, hash = v_hash WHERE space = p_space;
      END
      $fn$;

      -- What a withdrawal deletes: documents and points written under a grant. Partial indexes,
      -- so that the owner's own writes (no grant) add nothing to them.
      CREATE INDEX documents_by_grant ON ${s}.documents (space, doctype, (meta::jsonb -> 'createdBy' ->> 'grant'), id)
        WHERE (meta::jsonb -> 'createdBy' ->> 'grant') IS NOT NULL;
      ALTER TABLE ${s}.series_points ADD COLUMN grant_id text COLLATE "C";
      CREATE INDEX series_points_by_grant ON ${s}.series_points (space, doctype, grant_id) WHERE grant_id IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'encryption at rest: sealed document bodies and series values, blind terms, clear structural columns',
    sql: (s) => `
      -- Documents: body holds data and meta sealed (postgres-cipher.ts); data and meta stay only
      -- on rows written before this migration until encryptClearRows seals them, and on the
      -- foyer.keys records (wrapped keys, needed to open everything else). What the store's own
      -- queries need stays in columns: the grant a document was created under, and its times.
      ALTER TABLE ${s}.documents ALTER COLUMN meta DROP NOT NULL,
        ADD COLUMN body bytea, ADD COLUMN grant_id text COLLATE "C",
        ADD COLUMN created_at text COLLATE "C", ADD COLUMN updated_at text COLLATE "C";
      UPDATE ${s}.documents SET grant_id = meta::jsonb -> 'createdBy' ->> 'grant',
        created_at = meta::jsonb ->> 'createdAt', updated_at = meta::jsonb ->> 'updatedAt';
      DROP INDEX ${s}.documents_by_grant;
      CREATE INDEX documents_by_grant ON ${s}.documents (space, doctype, grant_id, id) WHERE grant_id IS NOT NULL;
      -- The expression indexes over data would index nothing once bodies are sealed.
      DO $do$
      DECLARE r record;
      BEGIN
        FOR r IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = ${pgLiteral(s)} AND c.relkind = 'i' AND c.relname ~ '^documents_[0-9a-f]{24}_[jt]$'
        LOOP
          EXECUTE 'DROP INDEX ${s}.' || quote_ident(r.relname);
        END LOOP;
      END
      $do$;
      -- Blind index terms of declared indexes' fields (postgres-document-terms.ts), per document.
      CREATE TABLE ${s}.document_terms (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        term text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        PRIMARY KEY (space, doctype, term, id)
      );
      -- By document, for a write's old terms. Led by id, the one index of the schema not led by
      -- space: one led by (space, doctype) could serve a term lookup, and a planner believing the
      -- space small picks it and reads every term of the space (see candidateIds).
      CREATE INDEX document_terms_by_id ON ${s}.document_terms (id, space, doctype);
      -- What is still in clear (rows from before this migration), for encryptClearRows: empty once sealed.
      CREATE INDEX documents_clear ON ${s}.documents (space, doctype, id) WHERE body IS NULL AND doctype <> 'foyer.keys';
      -- A declaration is ready once every document it covers has its terms (finds narrow on it only then).
      ALTER TABLE ${s}.declared_indexes ADD COLUMN ready boolean NOT NULL DEFAULT false;

      -- Series, sealed per (doctype, stream term, local day) in series_days: points holds the
      -- day's points (real stream, value, data, grant) sealed together; t_min, t_max and n say which times the row spans and how many points it
      -- holds, grants which grants wrote some. Rows from before keep count/sum/min/max in clear
      -- (points NULL), and series_points their points, until encryptClearRows seals them here.
      ALTER TABLE ${s}.series_days ALTER COLUMN count DROP NOT NULL,
        ADD COLUMN points bytea, ADD COLUMN t_min bigint, ADD COLUMN t_max bigint,
        ADD COLUMN n integer, ADD COLUMN grants text[];
      CREATE INDEX series_days_span ON ${s}.series_days (space, doctype, t_min) WHERE points IS NOT NULL;
      -- The day roll-ups (count, sum, min, max) of a stream's month, sealed together: what day, week
      -- and month aggregates open (120 rows for ten years).
      CREATE TABLE ${s}.series_months (
        space text COLLATE "C" NOT NULL,
        doctype text COLLATE "C" NOT NULL,
        month text COLLATE "C" NOT NULL,
        stream text COLLATE "C" NOT NULL,
        rollups bytea NOT NULL,
        PRIMARY KEY (space, doctype, month, stream)
      );
      DROP TABLE ${s}.series_hours;

      -- p_writes: [[call, doctype, id, expected rev, rev, deleted, body (hex or null), meta (clear
      -- or null), data (clear or null), grant, created at, updated at, [terms]], ...]. As the
      -- version of migration 2, plus: p_generation is the newest declared index of the space the
      -- writer computed terms for; if another was declared since, nothing is written and stale
      -- is true (the writer computes the terms again). The check follows the counter's lock, which
      -- ensureIndex also takes: a writer that passes it commits before the new index's backfill reads.
      DROP FUNCTION ${s}.write_documents(text, jsonb);
      CREATE FUNCTION ${s}.write_documents(
        p_space text, p_writes jsonb, p_generation bigint,
        OUT base bigint, OUT failed integer[], OUT positions bigint[],
        OUT current_revs text[], OUT current_deleted boolean[], OUT stale boolean)
      LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        v_total bigint := jsonb_array_length(p_writes);
        v_stored jsonb;
        v_conflict record;
        v_generation bigint;
      BEGIN
        failed := '{}'; positions := '{}'; current_revs := '{}'; current_deleted := '{}'; stale := false;
        EXECUTE 'UPDATE ${s}.space_sequences SET seq = seq + $2 WHERE space = $1 RETURNING seq - $2'
          INTO base USING p_space, v_total;
        IF base IS NULL THEN
          RETURN;
        END IF;
        EXECUTE 'SELECT coalesce(max(position), 0) FROM ${s}.declared_indexes WHERE space = $1'
          INTO v_generation USING p_space;
        IF v_generation <> p_generation THEN
          stale := true;
          RETURN;
        END IF;
        EXECUTE 'SELECT jsonb_object_agg(jsonb_build_array(k.doctype, k.id)::text, k.state) FROM (
                   SELECT k.doctype, k.id,
                          (SELECT jsonb_build_array(d.rev, d.deleted) FROM ${s}.documents d
                            WHERE d.space = $1 AND d.doctype = k.doctype AND d.id = k.id) AS state
                     FROM (SELECT w->>1 AS doctype, w->>2 AS id FROM jsonb_array_elements($2) w) k
                   OFFSET 0) k
                  WHERE k.state IS NOT NULL'
          INTO v_stored USING p_space, p_writes;
        LOOP
          WITH w AS (
            SELECT (k.w->>0)::integer AS c, k.w->>1 AS doctype, k.w->>2 AS id, k.w->>3 AS expected,
                   k.w->>4 AS rev, (k.w->>5)::boolean AS deleted, k.w, k.n
              FROM jsonb_array_elements(p_writes) WITH ORDINALITY AS k(w, n)
             WHERE (k.w->>0)::integer <> ALL (failed)
          ), chain AS (
            SELECT w.*, lead(w.n) OVER k IS NULL AS last,
                   CASE WHEN lag(w.n) OVER k IS NULL
                        THEN v_stored -> jsonb_build_array(w.doctype, w.id)::text
                        ELSE jsonb_build_array(lag(w.rev) OVER k, lag(w.deleted) OVER k) END AS now
              FROM w WINDOW k AS (PARTITION BY w.doctype, w.id ORDER BY w.n)
          ), conflict AS (
            SELECT chain.c, chain.n, chain.now->>0 AS now_rev, (chain.now->>1)::boolean AS now_deleted
              FROM chain
             WHERE CASE WHEN chain.expected IS NULL THEN chain.now IS NOT NULL AND NOT (chain.now->>1)::boolean
                        ELSE chain.now->>0 IS DISTINCT FROM chain.expected END
             ORDER BY chain.n LIMIT 1
          ), stored AS (
            INSERT INTO ${s}.documents (space, doctype, id, rev, seq, deleted, body, meta, data,
                                        grant_id, created_at, updated_at)
            SELECT p_space, chain.doctype, chain.id, chain.rev, base + chain.n, chain.deleted,
                   decode(chain.w->>6, 'hex'), chain.w->>7, (chain.w->>8)::jsonb,
                   chain.w->>9, chain.w->>10, chain.w->>11
              FROM chain WHERE chain.last AND NOT EXISTS (SELECT FROM conflict)
            ON CONFLICT (space, doctype, id) DO UPDATE SET
              rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, body = excluded.body,
              meta = excluded.meta, data = excluded.data, grant_id = excluded.grant_id,
              created_at = excluded.created_at, updated_at = excluded.updated_at
          ), unterm AS (
            -- Only the terms a document no longer has: deleting and inserting the same row in one
            -- statement would leave it to the order the two run in.
            -- A creation (expected NULL) replaces nothing or a tombstone, which has no terms.
            DELETE FROM ${s}.document_terms t USING chain
             WHERE chain.last AND chain.expected IS NOT NULL AND NOT EXISTS (SELECT FROM conflict)
               AND t.space = p_space AND t.doctype = chain.doctype AND t.id = chain.id
               AND NOT (coalesce(chain.w->12, '[]') ? t.term)
          ), term AS (
            INSERT INTO ${s}.document_terms (space, doctype, term, id)
            SELECT DISTINCT p_space, chain.doctype, x.term, chain.id
              FROM chain CROSS JOIN LATERAL jsonb_array_elements_text(chain.w->12) AS x(term)
             WHERE chain.last AND NOT EXISTS (SELECT FROM conflict)
            ON CONFLICT DO NOTHING
          )
          SELECT * INTO v_conflict FROM conflict;
          EXIT WHEN NOT FOUND;
          failed := failed || v_conflict.c;
          positions := positions || v_conflict.n;
          current_revs := current_revs || v_conflict.now_rev;
          current_deleted := current_deleted || v_conflict.now_deleted;
        END LOOP;
      END
      $fn$;
    `,
  },
];

/** The unquoted name of a quoted schema identifier, as an SQL string literal (names are plain: see SCHEMA_NAME). */
function pgLiteral(quoted: string): string {
  return pg.escapeLiteral(quoted.slice(1, -1).replaceAll('""', '"'));
}

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
