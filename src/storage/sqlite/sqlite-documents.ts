/**
 * Documents of one space database: versions, the changes feed, finds and declared indexes.
 * Only the latest version of a document is kept (tombstones included); `seq` comes from a
 * counter row bumped inside each write transaction, so it grows in commit order even when
 * several processes share the file.
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { FoyerError } from '../../core/errors.js';
import type { ChangeRow, DocumentWrite, StoredDocument, StoreFindQuery, WrittenDocument } from '../document-store.js';
import { compileAfter, compileOrderBy, compileSelector, jsonPathLiteral, valueExpression } from './sqlite-selector.js';
import type { Prepare } from './sqlite-space.js';

/** Fields an index may cover. */
const MAX_INDEX_FIELDS = 8;

interface DocRow {
  rev: string;
  seq: number;
  deleted: 0 | 1;
  data: string | null;
  meta: string;
}

export function sqliteDocuments(db: Database, prepare: Prepare) {
  const statements = {
    get: db.prepare<[string, string], DocRow>(
      'SELECT rev, seq, deleted, data, meta FROM docs WHERE doctype = ? AND id = ?',
    ),
    current: db.prepare<[string, string], { rev: string; deleted: 0 | 1 }>(
      'SELECT rev, deleted FROM docs WHERE doctype = ? AND id = ?',
    ),
    upsert: db.prepare<[string, string, string, number, number, string | null, string]>(
      `INSERT INTO docs (doctype, id, rev, seq, deleted, data, meta) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (doctype, id) DO UPDATE SET
         rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, data = excluded.data, meta = excluded.meta`,
    ),
    takeSeqs: db.prepare<[number], { value: number }>(
      `UPDATE counters SET value = value + ? WHERE name = 'seq' RETURNING value`,
    ),
    changes: db.prepare<[string, number, number], { id: string; rev: string; seq: number; deleted: 0 | 1 }>(
      'SELECT id, rev, seq, deleted FROM docs WHERE doctype = ? AND seq > ? ORDER BY seq LIMIT ?',
    ),
    indexes: db.prepare<[string], { fields: string }>(
      'SELECT fields FROM doc_indexes WHERE doctype = ? ORDER BY position',
    ),
    hasIndex: db.prepare<[string, string], { position: number }>(
      'SELECT position FROM doc_indexes WHERE doctype = ? AND fields = ?',
    ),
    nextIndexPosition: db.prepare<[], { next: number }>('SELECT ifnull(max(position), 0) + 1 AS next FROM doc_indexes'),
    declareIndex: db.prepare<[string, string, number]>(
      'INSERT INTO doc_indexes (doctype, fields, position) VALUES (?, ?, ?)',
    ),
  };

  const stored = (doctype: string, id: string, row: DocRow): StoredDocument => ({
    doctype,
    id,
    rev: row.rev,
    seq: row.seq,
    deleted: row.deleted === 1,
    data: row.data,
    meta: row.meta,
  });

  const write = db.transaction((writes: DocumentWrite[]): WrittenDocument[] => {
    let seq = statements.takeSeqs.get(writes.length)!.value - writes.length;
    return writes.map((w, index) => {
      const current = statements.current.get(w.doctype, w.id);
      const expected = w.expectedRev;
      if (expected === null ? current !== undefined && current.deleted === 0 : current?.rev !== expected) {
        const state =
          current === undefined ? 'does not exist' : current.deleted ? 'is deleted' : `is at revision ${current.rev}`;
        throw new FoyerError(
          'conflict',
          expected === null
            ? `Document ${w.doctype}/${w.id} already exists (write ${index}).`
            : `Document ${w.doctype}/${w.id} ${state}, not at revision ${expected} (write ${index}).`,
          { index, doctype: w.doctype, id: w.id, currentRev: current?.rev ?? null },
        );
      }
      seq += 1;
      statements.upsert.run(w.doctype, w.id, w.rev, seq, w.deleted ? 1 : 0, w.deleted ? null : w.data, w.meta);
      return { doctype: w.doctype, id: w.id, rev: w.rev, seq };
    });
  });

  const declare = db.transaction((doctype: string, fields: string[]) => {
    const key = JSON.stringify(fields);
    if (statements.hasIndex.get(doctype, key)) return;
    // One physical index per list of fields, shared by doctypes: `doctype` leads it, `id` ends it
    // so that it also serves the id tie-breaker of ORDER BY. Not partial: a partial index on a
    // literal doctype is never used by queries that bind the doctype.
    const name = `docs_by_${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
    db.exec(`CREATE INDEX IF NOT EXISTS ${name} ON docs (doctype, ${fields.map(valueExpression).join(', ')}, id)`);
    statements.declareIndex.run(doctype, key, statements.nextIndexPosition.get()!.next);
  });

  return {
    get(doctype: string, id: string): StoredDocument | null {
      const row = statements.get.get(doctype, id);
      return row ? stored(doctype, id, row) : null;
    },

    getMany(doctype: string, ids: string[]): (StoredDocument | null)[] {
      return ids.map((id) => {
        const row = statements.get.get(doctype, id);
        return row ? stored(doctype, id, row) : null;
      });
    },

    /** All or nothing; a `conflict` names the failing write's index. */
    write(writes: DocumentWrite[]): WrittenDocument[] {
      return writes.length === 0 ? [] : write.immediate(writes);
    },

    find(doctype: string, query: StoreFindQuery): StoredDocument[] {
      const where = ['doctype = ?', 'deleted = 0'];
      const params: (string | number | null)[] = [doctype];
      if (query.selector) {
        const s = compileSelector(query.selector);
        where.push(s.sql);
        params.push(...s.params);
      }
      if (query.after) {
        const a = compileAfter(query.sort, query.after);
        where.push(a.sql);
        params.push(...a.params);
      }
      const sql = `SELECT id, rev, seq, data, meta FROM docs WHERE ${where.join(' AND ')} ${compileOrderBy(query.sort)} LIMIT ?`;
      params.push(Math.max(0, Math.floor(query.limit)));
      const rows = prepare(sql).all(...params) as (DocRow & { id: string })[];
      return rows.map((row) => ({
        doctype,
        id: row.id,
        rev: row.rev,
        seq: row.seq,
        deleted: false,
        data: row.data,
        meta: row.meta,
      }));
    },

    changes(doctype: string, since: number, limit: number): ChangeRow[] {
      return statements.changes
        .all(doctype, since, Math.max(0, Math.floor(limit)))
        .map((r) => ({ id: r.id, rev: r.rev, seq: r.seq, deleted: r.deleted === 1 }));
    },

    ensureIndex(doctype: string, fields: string[]): void {
      if (fields.length === 0 || fields.length > MAX_INDEX_FIELDS) {
        throw new FoyerError('invalid_selector', `An index covers 1 to ${MAX_INDEX_FIELDS} fields.`, { fields });
      }
      fields.forEach((field) => jsonPathLiteral(field));
      declare.immediate(doctype, fields);
    },

    listIndexes(doctype: string): string[][] {
      return statements.indexes.all(doctype).map((r) => JSON.parse(r.fields) as string[]);
    },
  };
}
