/**
 * Documents in PostgreSQL: versions, the changes feed, finds and declared indexes. Bodies and
 * metadata are sealed (`postgres-cipher.ts`): reads open them in the process, and finds narrow
 * candidates with blind terms of declared indexes (`postgres-document-terms.ts`), or scan the
 * doctype in batches, then match, sort and page in the process (`postgres-find.ts`). Writes,
 * and how they keep the changes feed gap-free, are in `postgres-document-writes.ts`.
 *
 * Terms are never missing for a field a find narrows on: each write computes them for the
 * space's declared indexes as of its commit (write_documents refuses a stale list, after taking
 * the space's counter lock), `ensureIndex` takes that lock to declare, then fills in the terms
 * of the documents already there, and only then marks the declaration ready for finds.
 */
import pg from 'pg';
import { assertFieldPath } from '../../core/documents/selector.js';
import { matchesSelector } from '../../core/documents/match-selector.js';
import { FoyerError } from '../../core/errors.js';
import type { ChangeRow, DocumentWrite, StoredDocument, StoreFindQuery, WrittenDocument } from '../document-store.js';
import type { PostgresCipher } from './postgres-cipher.js';
import { limitOf } from './postgres-context.js';
import type { PostgresContext } from './postgres-context.js';
import { candidateTerms, documentTerms } from './postgres-document-terms.js';
import {
  type DeclaredFields,
  documentAad,
  postgresDocumentWrites,
  readBodyPlaintext,
  type WriteContext,
} from './postgres-document-writes.js';
import {
  checkSelector,
  checkSort,
  compareSortables,
  cursorOf,
  sortableOf,
  topOf,
  type Sortable,
} from './postgres-find.js';
import { inTransaction } from './postgres-transaction.js';

/** Fields an index may cover (as on SQLite). */
const MAX_INDEX_FIELDS = 8;
/** Rows read per round trip by finds and backfills. */
const BATCH = 1000;

export interface DocumentRow {
  doctype: string;
  id: string;
  rev: string;
  seq: string;
  deleted: boolean;
  body: Buffer | null;
  data: string | null;
  meta: string | null;
}

export const COLUMNS = 'doctype, id, rev, seq, deleted, body, data::text AS data, meta';

/** Opens rows of one space: sealed bodies (any key version), or rows still in clear. */
export async function openRows(cipher: PostgresCipher | null, space: string, rows: DocumentRow[]) {
  const out: StoredDocument[] = [];
  for (const row of rows) {
    let data = row.data;
    let meta = row.meta ?? '{}';
    if (row.body) {
      if (!cipher) {
        throw new FoyerError('unavailable', 'This PostgreSQL store was given no data keys: it cannot read documents.');
      }
      const aad = documentAad(space, row.doctype, row.id, row.rev);
      const plain =
        cipher.openSync(space, 'documents', aad, row.body) ?? (await cipher.open(space, 'documents', aad, row.body));
      ({ data, meta } = readBodyPlaintext(plain));
    }
    out.push({
      doctype: row.doctype,
      id: row.id,
      rev: row.rev,
      seq: Number(row.seq),
      deleted: row.deleted,
      data,
      meta,
    });
  }
  return out;
}

export function postgresDocuments(
  { pool, schema, assertSpace, lockSpace }: PostgresContext,
  cipher: () => PostgresCipher | null,
) {
  const s = pg.escapeIdentifier(schema);
  const declaredCache = new Map<string, Promise<DeclaredFields>>();

  async function loadDeclared(space: string): Promise<DeclaredFields> {
    const result = await pool.query<{ doctype: string; fields: string[]; position: string }>(
      `SELECT doctype, fields, position FROM ${s}.declared_indexes WHERE space = $1`,
      [space],
    );
    const fields = new Map<string, string[]>();
    let generation = 0;
    for (const r of result.rows) {
      generation = Math.max(generation, Number(r.position));
      fields.set(r.doctype, [...new Set([...(fields.get(r.doctype) ?? []), ...r.fields])]);
    }
    return { generation, fields };
  }

  const context: WriteContext = {
    cipher,
    declared(space, reload) {
      let found = declaredCache.get(space);
      if (!found || reload) {
        found = loadDeclared(space);
        declaredCache.set(space, found);
        found.catch(() => declaredCache.delete(space));
      }
      return found;
    },
  };

  async function getDocuments(space: string, doctype: string, ids: string[]): Promise<(StoredDocument | null)[]> {
    if (ids.length === 0) {
      await assertSpace(space);
      return [];
    }
    const { text, values } = documentsQuery(schema, space, doctype, ids);
    const result = await pool.query<DocumentRow>(text, values);
    const byId = new Map((await openRows(cipher(), space, result.rows)).map((d) => [d.id, d]));
    const found = ids.map((id) => byId.get(id) ?? null);
    if (found.includes(null)) await assertSpace(space);
    return found;
  }

  const write = postgresDocumentWrites(pool, schema, context);
  async function writeDocuments(space: string, writes: DocumentWrite[]): Promise<WrittenDocument[]> {
    if (writes.length === 0) {
      await assertSpace(space);
      return [];
    }
    await refuseExisting(space, writes);
    return write(space, writes);
  }

  /**
   * Fresh writes (creations planned without a read) must find no row at all, not even a tombstone.
   * Checked before the group commit, as the read a caller would otherwise have made: a row that
   * appears in between is a live one refused by write_documents, or a tombstone overwritten.
   */
  async function refuseExisting(space: string, writes: DocumentWrite[]): Promise<void> {
    const fresh = writes.filter((w) => w.fresh);
    if (fresh.length === 0) return;
    const result = await pool.query<{ doctype: string; id: string; deleted: boolean }>(
      `SELECT d.doctype, d.id, d.deleted FROM unnest($2::text[], $3::text[]) AS wanted(doctype, id)
         JOIN ${s}.documents d ON d.space = $1 AND d.doctype = wanted.doctype AND d.id = wanted.id`,
      [space, fresh.map((w) => w.doctype), fresh.map((w) => w.id)],
    );
    if (result.rows.length === 0) return;
    const found = new Map(result.rows.map((r) => [`${r.doctype}\u0000${r.id}`, r.deleted]));
    const index = writes.findIndex((w) => w.fresh && found.has(`${w.doctype}\u0000${w.id}`));
    const w = writes[index]!;
    const what = found.get(`${w.doctype}\u0000${w.id}`) ? 'has a tombstone' : 'already exists';
    throw new FoyerError('conflict', `Document ${w.doctype}/${w.id} ${what} (write ${index}).`, {
      index,
      doctype: w.doctype,
      id: w.id,
    });
  }

  /** Fields with terms every live document of the doctype has (declarations marked ready). */
  async function readyFields(space: string, doctype: string): Promise<Set<string>> {
    const result = await pool.query<{ fields: string[] }>(
      `SELECT fields FROM ${s}.declared_indexes WHERE space = $1 AND doctype = $2 AND ready`,
      [space, doctype],
    );
    return new Set(result.rows.flatMap((r) => r.fields));
  }

  async function findDocuments(space: string, doctype: string, query: StoreFindQuery): Promise<StoredDocument[]> {
    checkSelector(query.selector);
    checkSort(query.sort);
    const limit = limitOf(query.limit);
    const cursor = query.after ? cursorOf(query.sort, query.after) : null;
    const c = cipher();
    const ready = c ? await readyFields(space, doctype) : new Set<string>();
    const terms = c && ready.size > 0 ? candidateTerms(await c.forSpace(space), doctype, ready, query.selector) : null;

    const params: unknown[] = [space, doctype];
    const where = ['NOT deleted'];
    const add = (sql: (p: string) => string, value: unknown) => where.push(sql(`$${params.push(value)}`));
    if (query.createdByGrant !== undefined) add((p) => `grant_id = ${p}`, String(query.createdByGrant));
    if (query.createdBefore !== undefined) add((p) => `created_at < ${p}`, String(query.createdBefore));
    if (query.updatedBefore !== undefined) add((p) => `updated_at < ${p}`, String(query.updatedBefore));
    // In id order, ids are the whole sort: the reading starts after the cursor and stops at `limit`.
    const byId = query.sort.length === 0;
    const from = byId && cursor ? cursor.id : null;
    // Candidates by their terms (a few index probes), then each one by primary key: plans that
    // no statistics can turn into a scan of the space (a new table, a new space: a join of
    // documents and terms was once planned as a nested loop over both, minutes for 10,000 rows).
    const candidates = terms ? await candidateIds(space, doctype, terms, from) : null;
    const compare = (a: { key: Sortable }, b: { key: Sortable }) => compareSortables(query.sort, a.key, b.key);
    const top = topOf<{ key: Sortable; doc: StoredDocument }>(limit, compare);
    let last = from;
    let found = 0;
    let rows = 0;
    for (let chunk = 0; limit > 0; chunk++) {
      let batch: DocumentRow[];
      if (candidates) {
        const ids = candidates.slice(chunk * BATCH, (chunk + 1) * BATCH);
        if (ids.length === 0) break;
        batch = (
          await pool.query<DocumentRow>(
            `SELECT found.* FROM unnest($${params.length + 1}::text[]) WITH ORDINALITY AS wanted(id, n)
               CROSS JOIN LATERAL (SELECT ${COLUMNS} FROM ${s}.documents d
                                    WHERE d.space = $1 AND d.doctype = $2 AND d.id = wanted.id AND ${where.join(' AND ')}
                                    LIMIT 1) found
              ORDER BY wanted.n`,
            [...params, ids],
          )
        ).rows;
        rows += ids.length;
      } else {
        const after = last === null ? '' : `AND id > $${params.length + 1}`;
        batch = (
          await pool.query<DocumentRow>(
            `SELECT ${COLUMNS} FROM ${s}.documents WHERE space = $1 AND doctype = $2 AND ${where.join(' AND ')} ${after}
              ORDER BY id LIMIT ${BATCH}`,
            last === null ? params : [...params, last],
          )
        ).rows;
        rows += batch.length;
        if (batch.length > 0) last = batch[batch.length - 1]!.id;
      }
      for (const doc of await openRows(c, space, batch)) {
        const data = JSON.parse(doc.data ?? 'null') as Record<string, unknown>;
        if (!matchesSelector(query.selector, data)) continue;
        const key = sortableOf(query.sort, doc.id, data);
        if (cursor && compareSortables(query.sort, key, cursor) <= 0) continue;
        top.add({ key, doc });
        found++;
      }
      if ((!candidates && batch.length < BATCH) || (byId && found >= limit)) break;
    }
    if (rows === 0) await assertSpace(space);
    return top.result().map((r) => r.doc);
  }

  /**
   * Ids holding any of the terms, in id order, after `from` when given: one primary key range per
   * term. OFFSET 0 keeps the subquery from being flattened into a join, which a planner that
   * believes the space has one row turned into a scan of all its terms per term (247 ms for 35
   * terms among 40,000); no other index of the table starts with (space, doctype).
   */
  async function candidateIds(space: string, doctype: string, terms: string[], from: string | null): Promise<string[]> {
    const result = await pool.query<{ id: string }>(
      `SELECT DISTINCT t.id FROM unnest($3::text[]) AS wanted(term)
         CROSS JOIN LATERAL (SELECT id FROM ${s}.document_terms
                              WHERE space = $1 AND doctype = $2 AND term = wanted.term AND ($4::text IS NULL OR id > $4)
                              OFFSET 0) t
        ORDER BY t.id`,
      [space, doctype, terms, from],
    );
    return result.rows.map((r) => r.id);
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
    const known = await pool.query<{ ready: boolean }>(
      `SELECT ready FROM ${s}.declared_indexes WHERE space = $1 AND doctype = $2 AND fields = $3`,
      [space, doctype, fields],
    );
    if (known.rows[0]?.ready) return;
    if (known.rows.length === 0) {
      await inTransaction(pool, async (client) => {
        await lockSpace(client, space);
        // The writers' lock: a write in flight commits first (its documents are then backfilled),
        // and every later one sees this declaration and writes its terms.
        await client.query(`SELECT 1 FROM ${s}.space_sequences WHERE space = $1 FOR UPDATE`, [space]);
        await client.query(
          `INSERT INTO ${s}.declared_indexes (space, doctype, fields, ready) VALUES ($1, $2, $3, false)
           ON CONFLICT DO NOTHING`,
          [space, doctype, fields],
        );
      });
    }
    await backfillTerms(space, doctype);
    await pool.query(
      `UPDATE ${s}.declared_indexes SET ready = true WHERE space = $1 AND doctype = $2 AND fields = $3`,
      [space, doctype, fields],
    );
  }

  /**
   * Writes the terms of every live document of the doctype for its declared fields, in batches.
   * Idempotent; a document changed meanwhile got its own terms from its writer.
   */
  async function backfillTerms(space: string, doctype: string): Promise<void> {
    const c = cipher();
    const fields = (await context.declared(space, true)).fields.get(doctype) ?? [];
    if (!c || fields.length === 0) return;
    const spaceCipher = await c.forSpace(space);
    let last = '';
    for (;;) {
      const batch = await pool.query<DocumentRow>(
        `SELECT ${COLUMNS} FROM ${s}.documents WHERE space = $1 AND doctype = $2 AND NOT deleted AND id > $3
          ORDER BY id LIMIT ${BATCH}`,
        [space, doctype, last],
      );
      const ids: string[] = [];
      const terms: string[] = [];
      for (const doc of await openRows(c, space, batch.rows)) {
        for (const term of documentTerms(spaceCipher, doctype, fields, JSON.parse(doc.data ?? 'null'))) {
          ids.push(doc.id);
          terms.push(term);
        }
      }
      if (ids.length > 0) {
        await pool.query(
          `INSERT INTO ${s}.document_terms (space, doctype, term, id)
           SELECT $1, $2, x.term, x.id FROM unnest($3::text[], $4::text[]) AS x(term, id) ON CONFLICT DO NOTHING`,
          [space, doctype, terms, ids],
        );
      }
      if (batch.rows.length < BATCH) return;
      last = batch.rows[batch.rows.length - 1]!.id;
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
    backfillTerms,
    /** What imports need to write in their own transaction. */
    writeContext: context,
    forget(space: string) {
      declaredCache.delete(space);
    },
  };
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
