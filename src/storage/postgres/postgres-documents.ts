/**
 * Documents in PostgreSQL: versions, the changes feed, finds and declared indexes.
 *
 * The changes feed must never let a reader skip a write. A plain sequence would: writer A takes
 * seq 5, writer B takes seq 6 and commits first; a reader sees 6, remembers it, and never sees 5
 * when A commits. Here every write transaction bumps its space's row in `space_sequences` first:
 * the row lock makes writers of a space take their seqs one after the other, each only after the
 * previous one committed, so seq order is commit order and the committed seqs a reader sees are
 * always a prefix. The same lock serialises the revision checks, so no other row lock is needed.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { PoolClient } from 'pg';
import { assertFieldPath } from '../../core/documents/selector.js';
import { FoyerError } from '../../core/errors.js';
import type { ChangeRow, DocumentWrite, StoredDocument, StoreFindQuery, WrittenDocument } from '../document-store.js';
import { limitOf, spaceNotFound } from './postgres-context.js';
import type { PostgresContext } from './postgres-context.js';
import {
  SqlParams,
  compileAfter,
  compileOrderBy,
  compileSelector,
  jsonExpression,
  textExpression,
} from './postgres-selector.js';
import { inTransaction, lockKey } from './postgres-transaction.js';

/** Fields an index may cover (as on SQLite). */
const MAX_INDEX_FIELDS = 8;

interface DocumentRow {
  doctype: string;
  id: string;
  rev: string;
  seq: string;
  deleted: boolean;
  data: string | null;
  meta: string;
}

const COLUMNS = 'doctype, id, rev, seq, deleted, data::text AS data, meta';

function stored(row: DocumentRow): StoredDocument {
  return {
    doctype: row.doctype,
    id: row.id,
    rev: row.rev,
    seq: Number(row.seq),
    deleted: row.deleted,
    data: row.data,
    meta: row.meta,
  };
}

export function postgresDocuments({ pool, schema, assertSpace, lockSpace }: PostgresContext) {
  const s = pg.escapeIdentifier(schema);

  async function getDocuments(space: string, doctype: string, ids: string[]): Promise<(StoredDocument | null)[]> {
    if (ids.length === 0) {
      await assertSpace(space);
      return [];
    }
    const result = await pool.query<DocumentRow>(
      `SELECT ${COLUMNS} FROM ${s}.documents WHERE space = $1 AND doctype = $2 AND id = ANY($3::text[])`,
      [space, doctype, ids],
    );
    const byId = new Map(result.rows.map((row) => [row.id, stored(row)]));
    const found = ids.map((id) => byId.get(id) ?? null);
    if (found.includes(null)) await assertSpace(space);
    return found;
  }

  async function writeDocuments(space: string, writes: DocumentWrite[]): Promise<WrittenDocument[]> {
    if (writes.length === 0) {
      await assertSpace(space);
      return [];
    }
    return inTransaction(pool, async (client) => {
      const counter = await client.query<{ seq: string }>(
        `UPDATE ${s}.space_sequences SET seq = seq + $2 WHERE space = $1 RETURNING seq`,
        [space, writes.length],
      );
      if (counter.rows.length === 0) throw spaceNotFound(space);
      let seq = Number(counter.rows[0]!.seq) - writes.length;

      // A statement of its own, after the counter: a statement's snapshot is taken when it starts,
      // so reading the documents in the UPDATE's statement could miss the write it waited for.
      // `= ANY` on both key columns is an index scan whatever the table's statistics say (a join
      // with the batch can turn into a scan per write while a bulk import outgrows them); it may
      // return a few rows pairing another doctype with an id, which the map below ignores.
      const current = await client.query<{ doctype: string; id: string; rev: string; deleted: boolean }>(
        `SELECT doctype, id, rev, deleted FROM ${s}.documents
          WHERE space = $1 AND doctype = ANY($2::text[]) AND id = ANY($3::text[])`,
        [space, [...new Set(writes.map((w) => w.doctype))], writes.map((w) => w.id)],
      );
      const key = (doctype: string, id: string) => `${doctype}\u0000${id}`;
      const state = new Map(current.rows.map((r) => [key(r.doctype, r.id), { rev: r.rev, deleted: r.deleted }]));

      // Check each write against the state left by the writes before it, as SQLite does row by row;
      // only the last version of each document is stored.
      const latest = new Map<string, { write: DocumentWrite; seq: number }>();
      const written = writes.map((w, index): WrittenDocument => {
        const k = key(w.doctype, w.id);
        const now = state.get(k);
        const expected = w.expectedRev;
        if (expected === null ? now !== undefined && !now.deleted : now?.rev !== expected) {
          const what = now === undefined ? 'does not exist' : now.deleted ? 'is deleted' : `is at revision ${now.rev}`;
          throw new FoyerError(
            'conflict',
            expected === null
              ? `Document ${w.doctype}/${w.id} already exists (write ${index}).`
              : `Document ${w.doctype}/${w.id} ${what}, not at revision ${expected} (write ${index}).`,
            { index, doctype: w.doctype, id: w.id, currentRev: now?.rev ?? null },
          );
        }
        seq += 1;
        state.set(k, { rev: w.rev, deleted: w.deleted });
        latest.set(k, { write: w, seq });
        return { doctype: w.doctype, id: w.id, rev: w.rev, seq };
      });

      // Rows travel as one JSON parameter: JSON.stringify and PostgreSQL's JSON parser are much
      // faster than pg's serialisation of large arrays.
      const rows = [...latest.values()].map(({ write: w, seq }) => ({
        doctype: w.doctype,
        id: w.id,
        rev: w.rev,
        seq,
        deleted: w.deleted,
        data: w.deleted ? null : w.data,
        meta: w.meta,
      }));
      await client.query(
        `INSERT INTO ${s}.documents (space, doctype, id, rev, seq, deleted, data, meta)
         SELECT $1, doctype, id, rev, seq, deleted, data::jsonb, meta
           FROM json_to_recordset($2::json)
             AS w(doctype text, id text, rev text, seq bigint, deleted boolean, data text, meta text)
         ON CONFLICT (space, doctype, id) DO UPDATE SET
           rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, data = excluded.data, meta = excluded.meta`,
        [space, JSON.stringify(rows)],
      );
      return written;
    });
  }

  async function findDocuments(space: string, doctype: string, query: StoreFindQuery): Promise<StoredDocument[]> {
    const { text, values } = findQuery(schema, space, doctype, query);
    const result = await pool.query<DocumentRow>(text, values);
    if (result.rows.length === 0) await assertSpace(space);
    return result.rows.map(stored);
  }

  async function changes(space: string, doctype: string, since: number, limit: number): Promise<ChangeRow[]> {
    if (!Number.isFinite(since)) throw new FoyerError('bad_request', '`since` must be a number.');
    const result = await pool.query<{ id: string; rev: string; seq: string; deleted: boolean }>(
      `SELECT id, rev, seq, deleted FROM ${s}.documents
        WHERE space = $1 AND doctype = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
      [space, doctype, Math.floor(since), limitOf(limit)],
    );
    if (result.rows.length === 0) await assertSpace(space);
    return result.rows.map((r) => ({ id: r.id, rev: r.rev, seq: Number(r.seq), deleted: r.deleted }));
  }

  async function ensureIndex(space: string, doctype: string, fields: string[]): Promise<void> {
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_INDEX_FIELDS) {
      throw new FoyerError('invalid_selector', `An index covers 1 to ${MAX_INDEX_FIELDS} fields.`, { fields });
    }
    for (const field of fields) assertFieldPath(field);
    await assertSpace(space);
    await buildIndexes(doctype, fields);
    await inTransaction(pool, async (client) => {
      await lockSpace(client, space);
      await client.query(
        `INSERT INTO ${s}.declared_indexes (space, doctype, fields) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [space, doctype, fields],
      );
    });
  }

  /**
   * The physical indexes, shared by every space declaring the same doctype and fields. Built
   * CONCURRENTLY, so that writes to the documents table (every space's) go on meanwhile; that
   * cannot run in a transaction, and a failed build leaves an invalid index, rebuilt here next
   * time. Builders take turns on a session advisory lock per schema: only one concurrent build
   * may run on a table anyway. The lock is tried, not awaited: a session waiting for it inside
   * a statement holds a snapshot, which a running concurrent build waits for (a deadlock).
   */
  async function buildIndexes(doctype: string, fields: string[]): Promise<void> {
    const name = physicalIndexName(doctype, fields);
    const predicate = `WHERE doctype = ${pg.escapeLiteral(doctype)} AND NOT deleted`;
    const indexes = [
      { name: `${name}_j`, columns: fields.map((f) => `(${jsonExpression(f)})`).join(', ') },
      { name: `${name}_t`, columns: fields.map((f) => `(${textExpression(f)})`).join(', ') },
    ];
    const validity = async (client: PoolClient, index: string) =>
      (
        await client.query<{ valid: boolean }>(
          `SELECT i.indisvalid AS valid FROM pg_index i
             JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relname = $2`,
          [schema, index],
        )
      ).rows[0]?.valid;
    const client = await pool.connect();
    const key = lockKey('foyer-index', schema);
    let locked = false;
    try {
      if ((await validity(client, indexes[0]!.name)) && (await validity(client, indexes[1]!.name))) return;
      while (!locked) {
        const attempt = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [key]);
        locked = attempt.rows[0]?.ok === true;
        if (!locked) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const index of indexes) {
        const valid = await validity(client, index.name);
        if (valid) continue;
        if (valid === false) await client.query(`DROP INDEX CONCURRENTLY IF EXISTS ${s}.${index.name}`);
        await client.query(
          `CREATE INDEX CONCURRENTLY IF NOT EXISTS ${index.name} ON ${s}.documents (space, ${index.columns}) ${predicate}`,
        );
      }
    } finally {
      if (locked) await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => {});
      client.release();
    }
  }

  async function listIndexes(space: string, doctype: string): Promise<string[][]> {
    const result = await pool.query<{ fields: string[] }>(
      `SELECT fields FROM ${s}.declared_indexes WHERE space = $1 AND doctype = $2 ORDER BY position`,
      [space, doctype],
    );
    if (result.rows.length === 0) await assertSpace(space);
    return result.rows.map((r) => r.fields);
  }

  return {
    async getDocument(space: string, doctype: string, id: string): Promise<StoredDocument | null> {
      const [doc] = await getDocuments(space, doctype, [id]);
      return doc ?? null;
    },
    getDocuments,
    writeDocuments,
    findDocuments,
    changes,
    ensureIndex,
    listIndexes,
  };
}

/** The physical indexes of (doctype, fields) are this name with `_j` (jsonb) and `_t` (text). */
export function physicalIndexName(doctype: string, fields: string[]): string {
  return `documents_${createHash('sha256')
    .update([doctype, ...fields].join('\u0000'))
    .digest('hex')
    .slice(0, 24)}`;
}

/** The SQL of a find (exported for tests that check which index serves it). */
export function findQuery(
  schema: string,
  space: string,
  doctype: string,
  query: StoreFindQuery,
): { text: string; values: unknown[] } {
  const params = new SqlParams();
  // The doctype is a literal, not a parameter, so that the planner can prove the partial
  // indexes' `doctype = '...'` predicate whatever plan it caches.
  const where = [`space = ${params.add(space)}`, `doctype = ${pg.escapeLiteral(doctype)}`, 'NOT deleted'];
  if (query.selector) where.push(compileSelector(query.selector, params));
  if (query.after) where.push(compileAfter(query.sort, query.after, params));
  const orderBy = compileOrderBy(query.sort);
  const limit = params.add(limitOf(query.limit));
  return {
    text: `SELECT ${COLUMNS} FROM ${pg.escapeIdentifier(schema)}.documents WHERE ${where.join(' AND ')} ${orderBy} LIMIT ${limit}`,
    values: params.values,
  };
}
