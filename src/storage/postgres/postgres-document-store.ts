/**
 * The PostgreSQL DocumentStore (hosted mode): one schema, the space id on every row and leading
 * every key, ready to shard by space (see `postgres-migrations.ts`). Every method answers with
 * FoyerErrors only; driver errors are wrapped (`postgres-errors.ts`).
 */
import pg from 'pg';
import type { PoolClient } from 'pg';
import { FoyerError } from '../../core/errors.js';
import type { DocumentStore, SpaceRecord } from '../document-store.js';
import { spaceNotFound } from './postgres-context.js';
import { postgresDocuments } from './postgres-documents.js';
import { guarded, isUniqueViolation, toFoyerError } from './postgres-errors.js';
import { migrate } from './postgres-migrations.js';
import { postgresSeries } from './postgres-series.js';
import { postgresLedger } from './postgres-ledger.js';
import { GENESIS_HASH } from '../../core/ledger/ledger-entry.js';
import { inTransaction } from './postgres-transaction.js';
import { cipherFor, writeDocumentsIn } from './postgres-document-writes.js';
import { createPostgresCipher, type PostgresCipher } from './postgres-cipher.js';
import { encryptClearRows } from './postgres-encrypt-clear.js';

export interface PostgresDocumentStoreOptions {
  connectionString: string;
  /** The schema holding Foyer's tables (created if missing). */
  schema?: string;
  poolSize?: number;
  /**
   * Bulk appends of points use `COPY FROM STDIN`, ledger scans `COPY TO STDOUT` (the default).
   * False for servers that do not speak that sub-protocol, such as PGlite's socket server.
   */
  copy?: boolean;
}

const SPACE_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

interface SpaceRow {
  space: string;
  time_zone: string;
  created_at: string;
  hosts: string[];
}

/** Connects, applies pending migrations, and returns the store. */
export async function createPostgresDocumentStore({
  connectionString,
  schema = 'foyer',
  poolSize = 10,
  copy = true,
}: PostgresDocumentStoreOptions): Promise<DocumentStore> {
  if (!SCHEMA_NAME.test(schema)) {
    throw new FoyerError('bad_request', `"${schema}" is not a schema name: use lower-case letters, digits and "_".`);
  }
  if (!Number.isInteger(poolSize) || poolSize < 1)
    throw new FoyerError('bad_request', 'The pool size must be at least 1.');
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle client losing its connection (a server restart) emits 'error' on the pool, which
  // would otherwise crash the process; the next query reports the problem as `unavailable`.
  pool.on('error', () => {});
  try {
    await migrate(pool, schema);
  } catch (e) {
    await pool.end().catch(() => {});
    throw toFoyerError(e);
  }

  const s = pg.escapeIdentifier(schema);
  const spaceSelect = `
    SELECT sp.space, sp.time_zone, sp.created_at,
           coalesce(array_agg(h.host ORDER BY h.position) FILTER (WHERE h.host IS NOT NULL), '{}') AS hosts
      FROM ${s}.spaces sp LEFT JOIN ${s}.space_hosts h ON h.space = sp.space`;
  const toRecord = (row: SpaceRow): SpaceRecord => ({
    id: row.space,
    hosts: row.hosts,
    timeZone: row.time_zone,
    createdAt: row.created_at,
  });

  async function assertSpace(space: string): Promise<void> {
    const result = await pool.query(`SELECT 1 FROM ${s}.spaces WHERE space = $1`, [space]);
    if (result.rows.length === 0) throw spaceNotFound(space);
  }

  /** Holds the space row until the transaction ends, so deleteSpace waits for this write. */
  async function lockSpace(client: PoolClient, space: string): Promise<void> {
    const result = await client.query(`SELECT 1 FROM ${s}.spaces WHERE space = $1 FOR SHARE`, [space]);
    if (result.rows.length === 0) throw spaceNotFound(space);
  }

  // Given by the composition root (useDataKeys): until then, only clear rows and the data key
  // records themselves can be read or written.
  let cipher: PostgresCipher | null = null;
  const documents = postgresDocuments({ pool, schema, assertSpace, lockSpace }, () => cipher);
  const series = postgresSeries({ pool, schema, assertSpace, lockSpace, copy }, () => cipher);
  const ledger = postgresLedger({ pool, schema, assertSpace, copy });
  let closed = false;

  return {
    kind: 'postgres',

    async useDataKeys(keys) {
      const given = createPostgresCipher(keys);
      cipher = given;
      await guarded(() =>
        encryptClearRows({
          pool,
          schema,
          cipher: given,
          ensureIndex: documents.ensureIndex,
          encryptClearPoints: series.encryptClearPoints,
        }),
      );
    },

    createSpace: (space) =>
      guarded(async () => {
        if (typeof space.id !== 'string' || !SPACE_ID.test(space.id)) {
          throw new FoyerError(
            'invalid_name',
            'A space id is 1 to 63 lower-case letters, digits and "-", starting with a letter or digit.',
            {
              id: space.id,
            },
          );
        }
        try {
          await inTransaction(pool, async (client) => {
            await client.query(`INSERT INTO ${s}.spaces (space, time_zone, created_at) VALUES ($1, $2, $3)`, [
              space.id,
              space.timeZone,
              space.createdAt,
            ]);
            await client.query(
              `INSERT INTO ${s}.space_hosts (space, host, position) SELECT $1, * FROM unnest($2::text[]) WITH ORDINALITY`,
              [space.id, space.hosts],
            );
            await client.query(`INSERT INTO ${s}.space_sequences (space, seq) VALUES ($1, 0)`, [space.id]);
            await client.query(`INSERT INTO ${s}.ledger_heads (space, seq, hash) VALUES ($1, 0, $2)`, [
              space.id,
              GENESIS_HASH,
            ]);
          });
        } catch (e) {
          if (isUniqueViolation(e)) {
            throw new FoyerError(
              'conflict',
              `A space "${space.id}" or one of its hosts already exists.`,
              { id: space.id },
              { cause: e },
            );
          }
          throw e;
        }
      }),

    getSpace: (id) =>
      guarded(async () => {
        const result = await pool.query<SpaceRow>(`${spaceSelect} WHERE sp.space = $1 GROUP BY sp.space`, [id]);
        return result.rows[0] ? toRecord(result.rows[0]) : null;
      }),

    findSpaceByHost: (host) =>
      guarded(async () => {
        const result = await pool.query<SpaceRow>(
          `${spaceSelect} WHERE sp.space = (SELECT space FROM ${s}.space_hosts WHERE host = $1) GROUP BY sp.space`,
          [host],
        );
        return result.rows[0] ? toRecord(result.rows[0]) : null;
      }),

    listSpaces: () =>
      guarded(async () => {
        const result = await pool.query<SpaceRow>(`${spaceSelect} GROUP BY sp.space ORDER BY sp.space`);
        return result.rows.map(toRecord);
      }),

    deleteSpace: (id) =>
      guarded(() =>
        inTransaction(pool, async (client) => {
          // The space row first: it waits for writers holding it (lockSpace), and writers
          // arriving later find no space. space_sequences next, for document writers, and
          // ledger_heads for ledger appenders, before the rows they may still be adding.
          const deleted = await client.query(`DELETE FROM ${s}.spaces WHERE space = $1`, [id]);
          if (deleted.rowCount === 0) throw spaceNotFound(id);
          for (const table of [
            'space_sequences',
            'ledger_heads',
            'space_hosts',
            'documents',
            'document_terms',
            'declared_indexes',
            'series_points',
            'series_days',
            'series_months',
            'ledger_entries',
          ]) {
            await client.query(`DELETE FROM ${s}.${table} WHERE space = $1`, [id]);
          }
        }).finally(() => {
          documents.forget(id);
          cipher?.forget(id);
        }),
      ),

    countSpace: (id) =>
      guarded(async () => {
        await assertSpace(id);
        const docs = await pool.query<{ doctype: string; live: string; deleted: string }>(
          `SELECT doctype, count(*) FILTER (WHERE NOT deleted) AS live, count(*) FILTER (WHERE deleted) AS deleted
             FROM ${s}.documents WHERE space = $1 GROUP BY doctype ORDER BY doctype`,
          [id],
        );
        // Sealed points are counted by their day rows (n); series_points holds only points from
        // before encryption, until they are sealed.
        const points = await pool.query<{ doctype: string; count: string }>(
          `SELECT doctype, sum(count) AS count FROM (
             SELECT doctype, n AS count FROM ${s}.series_days WHERE space = $1 AND points IS NOT NULL
             UNION ALL SELECT doctype, 1 FROM ${s}.series_points WHERE space = $1) AS p
            GROUP BY doctype ORDER BY doctype`,
          [id],
        );
        const entries = await pool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${s}.ledger_entries WHERE space = $1`,
          [id],
        );
        return {
          documents: docs.rows.map((r) => ({ doctype: r.doctype, live: Number(r.live), deleted: Number(r.deleted) })),
          points: points.rows.map((r) => ({ doctype: r.doctype, count: Number(r.count) })),
          ledger: { entries: Number(entries.rows[0]?.n ?? 0), head: await ledger.ledgerHead(id) },
        };
      }),

    getDocument: (space, doctype, id) => guarded(() => documents.getDocument(space, doctype, id)),
    getDocuments: (space, doctype, ids) => guarded(() => documents.getDocuments(space, doctype, ids)),
    writeDocuments: (space, writes) => guarded(() => documents.writeDocuments(space, writes)),
    findDocuments: (space, doctype, query) => guarded(() => documents.findDocuments(space, doctype, query)),
    changes: (space, doctype, since, limit) => guarded(() => documents.changes(space, doctype, since, limit)),
    ensureIndex: (space, doctype, fields) => guarded(() => documents.ensureIndex(space, doctype, fields)),
    listIndexes: (space, doctype) => guarded(() => documents.listIndexes(space, doctype)),

    applyImport: (space, batches) =>
      guarded(async () => {
        // The space's data key before the transaction: making it is a write of its own, which
        // would wait for this transaction's hold on the space's counter.
        if (cipher) await cipher.forSpace(space).catch(() => {});
        return inTransaction(pool, async (client) => {
          await lockSpace(client, space);
          const written = { documents: 0, points: 0 };
          for (const batch of batches) {
            if ('documents' in batch) {
              const doctypes = new Set(batch.documents.map((w) => w.doctype));
              const spaceCipher = await cipherFor(documents.writeContext, space, doctypes);
              await writeDocumentsIn(client, schema, documents.writeContext, space, batch.documents, spaceCipher);
              written.documents += batch.documents.length;
            } else {
              written.points += await series.appendPointsIn(client, space, batch.doctype, batch.points);
            }
          }
          return written;
        });
      }),
    appendPoints: (space, doctype, points) => guarded(() => series.appendPoints(space, doctype, points)),
    readPoints: (space, doctype, range, limit, after) =>
      guarded(() => series.readPoints(space, doctype, range, limit, after)),
    aggregatePoints: (space, doctype, range, every, timeZone) =>
      guarded(() => series.aggregatePoints(space, doctype, range, every, timeZone)),
    deletePoints: (space, doctype, range) => guarded(() => series.deletePoints(space, doctype, range)),
    deletePointsOfGrant: (space, doctype, grant, before) =>
      guarded(() => series.deletePointsOfGrant(space, doctype, grant, before)),

    appendLedger: (space, drafts) => guarded(() => ledger.appendLedger(space, drafts)),
    readLedger: (space, query, limit, beforeSeq) => guarded(() => ledger.readLedger(space, query, limit, beforeSeq)),
    scanLedger: (space, afterSeq, limit) => guarded(() => ledger.scanLedger(space, afterSeq, limit)),
    aggregateLedger: (space, query, by) => guarded(() => ledger.aggregateLedger(space, query, by)),
    ledgerHead: (space) => guarded(() => ledger.ledgerHead(space)),

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
