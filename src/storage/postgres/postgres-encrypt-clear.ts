/**
 * Sealing in place what a PostgreSQL database holds in clear from before encryption at rest
 * (migration 4 added the sealed columns; rows written earlier keep their clear data until this
 * pass): document bodies and metadata, series points (`series_points`, which only such points
 * are left in) and their day roll-ups. Run when the store
 * is given its data keys, before it serves anything; each step is in batches and can be
 * interrupted and run again (it only picks rows still in clear).
 *
 * Documents: each batch seals the rows it read, updating only those still at the revision read
 * and still clear, so a concurrent write (already sealed) is never overwritten. Declarations not
 * yet ready (declared before, their terms never written) are then filled in (`ensureIndex`).
 */
import pg from 'pg';
import type { Pool } from 'pg';
import type { PostgresCipher } from './postgres-cipher.js';
import { bodyPlaintext, documentAad, isSealed } from './postgres-document-writes.js';

const BATCH = 500;

export interface ClearRowsReport {
  documents: number;
  points: number;
}

interface Parts {
  pool: Pool;
  schema: string;
  cipher: PostgresCipher;
  ensureIndex(space: string, doctype: string, fields: string[]): Promise<void>;
  encryptClearPoints(space: string, doctype: string): Promise<number>;
}

export async function encryptClearRows({
  pool,
  schema,
  cipher,
  ensureIndex,
  encryptClearPoints,
}: Parts): Promise<ClearRowsReport> {
  const s = pg.escapeIdentifier(schema);
  const report: ClearRowsReport = { documents: 0, points: 0 };
  // Served by the partial index documents_clear: nothing to read once every row is sealed. In
  // key order, so that a row left clear (changed meanwhile) is not read again and again.
  let last: [string, string, string] = ['', '', ''];
  for (;;) {
    const rows = await pool.query<{
      space: string;
      doctype: string;
      id: string;
      rev: string;
      deleted: boolean;
      data: string | null;
      meta: string | null;
    }>(
      `SELECT space, doctype, id, rev, deleted, data::text AS data, meta FROM ${s}.documents
        WHERE body IS NULL AND doctype <> 'foyer.keys' AND (space, doctype, id) > ($1, $2, $3)
        ORDER BY space, doctype, id LIMIT ${BATCH}`,
      last,
    );
    if (rows.rows.length === 0) break;
    const sealed: { space: string; doctype: string; id: string; rev: string; body: string }[] = [];
    for (const r of rows.rows) {
      if (!isSealed(r.doctype)) continue;
      const sc = await cipher.forSpace(r.space);
      const body = sc.seal(
        'documents',
        documentAad(r.space, r.doctype, r.id, r.rev),
        bodyPlaintext(r.meta ?? '{}', r.deleted ? null : r.data),
      );
      sealed.push({ space: r.space, doctype: r.doctype, id: r.id, rev: r.rev, body: `\\x${body.toString('hex')}` });
    }
    await pool.query(
      `UPDATE ${s}.documents d SET body = x.body, data = NULL, meta = NULL
         FROM json_to_recordset($1::json) AS x(space text, doctype text, id text, rev text, body bytea)
        WHERE d.space = x.space AND d.doctype = x.doctype AND d.id = x.id AND d.rev = x.rev AND d.body IS NULL`,
      [JSON.stringify(sealed)],
    );
    report.documents += sealed.length;
    const end = rows.rows[rows.rows.length - 1]!;
    last = [end.space, end.doctype, end.id];
  }

  const pending = await pool.query<{ space: string; doctype: string; fields: string[] }>(
    `SELECT space, doctype, fields FROM ${s}.declared_indexes WHERE NOT ready ORDER BY position`,
  );
  for (const d of pending.rows) await ensureIndex(d.space, d.doctype, d.fields);

  const series = await pool.query<{ space: string; doctype: string }>(
    `SELECT DISTINCT space, doctype FROM ${s}.series_points`,
  );
  for (const { space, doctype } of series.rows) report.points += await encryptClearPoints(space, doctype);
  return report;
}
