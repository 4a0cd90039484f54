/**
 * Documents in PostgreSQL: versions, the changes feed, finds and declared indexes. Writes, and
 * how they keep the changes feed gap-free, are in `postgres-document-writes.ts`.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import type { PoolClient } from 'pg';
import { assertFieldPath } from '../../core/documents/selector.js';
import { FoyerError } from '../../core/errors.js';
import type { ChangeRow, DocumentWrite, StoredDocument, StoreFindQuery, WrittenDocument } from '../document-store.js';
import { limitOf } from './postgres-context.js';
import type { PostgresContext } from './postgres-context.js';
import {
  SqlParams,
  compileAfter,
  compileOrderBy,
  compileSelector,
  jsonExpression,
  textExpression,
} from './postgres-selector.js';
import { postgresDocumentWrites } from './postgres-document-writes.js';
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
    const { text, values } = documentsQuery(schema, space, doctype, ids);
    const result = await pool.query<DocumentRow>(text, values);
    const byId = new Map(result.rows.map((row) => [row.id, stored(row)]));
    const found = ids.map((id) => byId.get(id) ?? null);
    if (found.includes(null)) await assertSpace(space);
    return found;
  }

  const write = postgresDocumentWrites(pool, schema);
  async function writeDocuments(space: string, writes: DocumentWrite[]): Promise<WrittenDocument[]> {
    if (writes.length > 0) return write(space, writes);
    await assertSpace(space);
    return [];
  }

  async function findDocuments(space: string, doctype: string, query: StoreFindQuery): Promise<StoredDocument[]> {
    const { text, values } = findQuery(schema, space, doctype, query);
    const result = await pool.query<DocumentRow>(text, values);
    if (result.rows.length === 0) await assertSpace(space);
    return result.rows.map(stored);
  }

  async function changes(space: string, doctype: string, since: number, limit: number): Promise<ChangeRow[]> {
    if (!Number.isFinite(since)) throw new FoyerError('bad_request', '`since` must be a number.');
    const { text, values } = changesQuery(schema, space, doctype, since, limit);
    const result = await pool.query<{ id: string; rev: string; seq: string; deleted: boolean }>(text, values);
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

/**
 * The SQL of getDocuments (exported for tests that check what it reads): one primary key probe
 * per id, through a LATERAL subquery that LIMIT keeps from being turned into a join. With
 * `id = ANY($3)`, or a join, the planner scans the whole (space, doctype) and filters the ids
 * whenever the statistics underestimate the space (a new table, a space new since the last
 * ANALYZE): 100,000 rows read for one document.
 */
export function documentsQuery(
  schema: string,
  space: string,
  doctype: string,
  ids: string[],
): { text: string; values: unknown[] } {
  return {
    text: `SELECT found.* FROM unnest($3::text[]) AS wanted(id)
             CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM ${pg.escapeIdentifier(schema)}.documents d
                                  WHERE d.space = $1 AND d.doctype = $2 AND d.id = wanted.id LIMIT 1) found`,
    values: [space, doctype, ids],
  };
}

/** The SQL of a page of the changes feed (exported for tests that check which index serves it). */
export function changesQuery(
  schema: string,
  space: string,
  doctype: string,
  since: number,
  limit: number,
): { text: string; values: unknown[] } {
  return {
    text: `SELECT id, rev, seq, deleted FROM ${pg.escapeIdentifier(schema)}.documents
            WHERE space = $1 AND doctype = $2 AND seq > $3 ORDER BY seq LIMIT $4`,
    // Seqs start at 1, so a negative `since` means 0; never below 0, so that the planner can
    // prove the changes index's predicate (seq > 0) from the query's.
    values: [space, doctype, Math.max(0, Math.floor(since)), limitOf(limit)],
  };
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
  // The expression of the partial index documents_by_grant (migration 3), which this term lets
  // the planner use (it implies the index's IS NOT NULL).
  if (query.createdByGrant !== undefined)
    where.push(`(meta::jsonb -> 'createdBy' ->> 'grant') = ${params.add(String(query.createdByGrant))}`);
  // Stamped with toISOString: code point order is time order.
  if (query.createdBefore !== undefined)
    where.push(`(meta::jsonb ->> 'createdAt') COLLATE "C" < ${params.add(String(query.createdBefore))}`);
  if (query.updatedBefore !== undefined)
    where.push(`(meta::jsonb ->> 'updatedAt') COLLATE "C" < ${params.add(String(query.updatedBefore))}`);
  if (query.after) where.push(compileAfter(query.sort, query.after, params));
  const orderBy = compileOrderBy(query.sort);
  const limit = params.add(limitOf(query.limit));
  return {
    text: `SELECT ${COLUMNS} FROM ${pg.escapeIdentifier(schema)}.documents WHERE ${where.join(' AND ')} ${orderBy} LIMIT ${limit}`,
    values: params.values,
  };
}
