/**
 * The physical index behind a declared one: partial on its doctype's live rows,
 * `(doctype, json_extract(data, field)..., id) WHERE doctype = '<doctype>' AND deleted = 0`. A write pays only
 * for its own doctype's indexes (a shared index on `date` made every document of every doctype
 * parse its JSON once more, and bank.account's indexes cost each bank line 40% more, measured).
 * Queries name the doctype as a literal so that the planner can use them (`doctypeLiteral`).
 */
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { valueExpression } from './sqlite-selector.js';

/** The doctype as an SQL literal: doctype names are dotted words, but quotes are doubled all the same. */
export function doctypeLiteral(doctype: string): string {
  return `'${doctype.replace(/'/g, "''")}'`;
}

export function createDocIndex(db: Database, doctype: string, fields: readonly string[]): void {
  const name = `docs_of_${createHash('sha256').update(doctype).update('\n').update(JSON.stringify(fields)).digest('hex').slice(0, 16)}`;
  db.exec(
    // `doctype` leads it all the same: without statistics the planner prefers an index whose
    // columns match more of the WHERE's terms, and would otherwise pick docs_by_seq (doctype, seq).
    `CREATE INDEX IF NOT EXISTS ${name} ON docs (doctype, ${fields.map(valueExpression).join(', ')}, id)
       WHERE doctype = ${doctypeLiteral(doctype)} AND deleted = 0`,
  );
}

/** Migration: the shared indexes of earlier versions become partial ones, one per doctype. */
export function rebuildDocIndexes(db: Database): void {
  const shared = db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'docs' AND name GLOB 'docs_by_[0-9a-f]*' AND name NOT IN ('docs_by_seq', 'docs_by_grant')",
    )
    .all();
  for (const { name } of shared) db.exec(`DROP INDEX ${name}`);
  const declared = db.prepare<[], { doctype: string; fields: string }>('SELECT doctype, fields FROM doc_indexes').all();
  for (const { doctype, fields } of declared) createDocIndex(db, doctype, JSON.parse(fields) as string[]);
}
