/**
 * Documents of one space database: versions, the changes feed, finds and declared indexes.
 * Only the latest version of a document is kept (tombstones included), so the largest `seq` in
 * `docs` is the last one given; it is cached and re-read only when another connection committed.
 *
 * Group commit: writes called in the same turn of the event loop (concurrent requests) are
 * committed together in one transaction, each in its own savepoint, so each call is still all or
 * nothing while the cost of a commit (several syscalls and page writes) is shared.
 */
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { FoyerError } from '../../core/errors.js';
import type {
  ChangeRow,
  DocumentWrite,
  RenderedPage,
  StoredDocument,
  StoreFindQuery,
  WrittenDocument,
} from '../document-store.js';
import { compileAfter, compileOrderBy, compileSelector, jsonPathLiteral } from './sqlite-selector.js';
import { createDocIndex, doctypeLiteral } from './sqlite-doc-indexes.js';
import type { Prepare } from './sqlite-space.js';

/** Fields an index may cover. */
const MAX_INDEX_FIELDS = 8;

const EMPTY_ARRAY = Buffer.from('[]');

/** What one rendering statement returns: the row count, ids and byte lengths as JSON arrays, the rows' bytes. */
type RenderedRows = [number, string, string, Buffer | null];

/**
 * The JSON array of the first `take` rendered rows in id order: `ids[i]` names the `lengths[i]`
 * bytes that follow the previous rows in `blob`.
 */
function inIdOrder([count, idList, lengthList, blob]: RenderedRows, take: number): Omit<RenderedPage, 'more'> {
  if (count === 0 || blob === null || take === 0) return { ids: [], json: EMPTY_ARRAY };
  // Parsed from JSON, the ids are flat strings: split() would give slices, twice as slow to sort.
  const ids = JSON.parse(idList) as string[];
  const lengths = JSON.parse(lengthList) as number[];
  const starts = new Array<number>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    starts[i] = total;
    total += lengths[i]!;
  }
  const order = ids
    .map((_, i) => i)
    .sort((a, b) => (ids[a]! < ids[b]! ? -1 : 1))
    .slice(0, take);
  const json = Buffer.allocUnsafe(total + take + 1);
  let at = 0;
  order.forEach((i, k) => {
    json[at++] = k === 0 ? 0x5b : 0x2c; // '[' then ','
    at += blob.copy(json, at, starts[i], starts[i]! + lengths[i]!);
  });
  json[at++] = 0x5d; // ']'
  return { ids: order.map((i) => ids[i]!), json: json.subarray(0, at) };
}

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
    /**
     * A creation's fast path: no read first; a row already there (a tombstone, or a conflict)
     * inserts nothing. The metadata is bound twice: stored, and read for `grant_id`.
     */
    create: db.prepare<[string, string, string, number, string | null, string, string]>(
      `INSERT INTO docs (doctype, id, rev, seq, deleted, data, meta, grant_id)
       VALUES (?, ?, ?, ?, 0, ?, ?, json_extract(?, '$.createdBy.grant'))
       ON CONFLICT (doctype, id) DO NOTHING`,
    ),
    upsert: db.prepare<[string, string, string, number, number, string | null, string, string]>(
      `INSERT INTO docs (doctype, id, rev, seq, deleted, data, meta, grant_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, json_extract(?, '$.createdBy.grant'))
       ON CONFLICT (doctype, id) DO UPDATE SET
         rev = excluded.rev, seq = excluded.seq, deleted = excluded.deleted, data = excluded.data,
         meta = excluded.meta, grant_id = excluded.grant_id`,
    ),
    dataVersion: db.prepare<[], number>('PRAGMA data_version').pluck(),
    lastSeq: db.prepare<[], number | null>('SELECT max(seq) FROM docs').pluck(),
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

  /** The last seq given, valid while `seqVersion` is the file's data_version (no other writer since). */
  let lastSeq = 0;
  let seqVersion = -1;
  /**
   * The last seq given, checked once per call: inside a write transaction no other connection can
   * commit, so the next seqs are simply counted on (a read of data_version per row cost an import
   * of 1,000,000 documents a statement each).
   */
  function seqBase(): number {
    const version = statements.dataVersion.get()!;
    if (version !== seqVersion) {
      lastSeq = statements.lastSeq.get() ?? 0;
      seqVersion = version;
    }
    return lastSeq;
  }

  function refuse(w: DocumentWrite, index: number, current: { rev: string; deleted: 0 | 1 } | undefined): never {
    const expected = w.expectedRev;
    const state =
      current === undefined ? 'does not exist' : current.deleted ? 'is deleted' : `is at revision ${current.rev}`;
    throw new FoyerError(
      'conflict',
      expected === null
        ? `Document ${w.doctype}/${w.id} ${current?.deleted ? 'has a tombstone' : 'already exists'} (write ${index}).`
        : `Document ${w.doctype}/${w.id} ${state}, not at revision ${expected} (write ${index}).`,
      { index, doctype: w.doctype, id: w.id, currentRev: current?.rev ?? null },
    );
  }

  /**
   * One call's writes; a transaction of its own, or a savepoint inside a group commit. A creation
   * is tried as a plain insert first (one B-tree descent instead of a read and then a write);
   * only when a row is there already is it read: a tombstone is overwritten, a live one refused.
   */
  const writeEach = (writes: DocumentWrite[]): WrittenDocument[] => {
    bumpTried(writes);
    let seq = seqBase();
    const out = writes.map((w, index): WrittenDocument => {
      const data = w.deleted ? null : w.data;
      if (
        w.expectedRev === null &&
        !w.deleted &&
        statements.create.run(w.doctype, w.id, w.rev, seq + 1, data, w.meta, w.meta).changes === 1
      ) {
        return { doctype: w.doctype, id: w.id, rev: w.rev, seq: ++seq };
      }
      const current = statements.current.get(w.doctype, w.id);
      const expected = w.expectedRev;
      if (w.fresh && current !== undefined) refuse(w, index, current);
      if (expected === null ? current !== undefined && current.deleted === 0 : current?.rev !== expected) {
        refuse(w, index, current);
      }
      statements.upsert.run(w.doctype, w.id, w.rev, ++seq, w.deleted ? 1 : 0, data, w.meta, w.meta);
      return { doctype: w.doctype, id: w.id, rev: w.rev, seq };
    });
    lastSeq = seq;
    return out;
  };
  const writeAll = db.transaction(writeEach);

  interface Pending {
    writes: DocumentWrite[];
    resolve(written: WrittenDocument[]): void;
    reject(error: unknown): void;
  }
  let pending: Pending[] = [];

  /**
   * Writes tried per doctype by this handle (committed or not: a reader only re-reads too often),
   * counted once per call and doctype run; other connections' commits show in data_version.
   */
  const tried = new Map<string, number>();
  /**
   * data_version, read once per turn of the event loop: the statement opens a read transaction
   * (shared-memory locks), 10-15 µs of a request in the server. A commit by another process
   * shows from the next turn on.
   */
  let turnVersion: number | undefined;
  const forgetTurnVersion = () => (turnVersion = undefined);
  const versionThisTurn = (): number => {
    if (turnVersion === undefined) {
      turnVersion = statements.dataVersion.get()!;
      setImmediate(forgetTurnVersion);
    }
    return turnVersion;
  };
  const bumpTried = (writes: DocumentWrite[]): void => {
    let last: string | undefined;
    for (const w of writes) {
      if (w.doctype === last) continue;
      last = w.doctype;
      tried.set(last, (tried.get(last) ?? 0) + 1);
    }
  };

  type Outcome = { ok: true; written: WrittenDocument[] } | { ok: false; error: unknown };
  const commitGroup = db.transaction((group: Pending[]): Outcome[] =>
    group.map((job) => {
      try {
        return { ok: true, written: writeAll(job.writes) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  function flush(): void {
    const group = pending;
    pending = [];
    if (group.length === 0) return;
    let outcomes: Outcome[];
    try {
      outcomes = commitGroup.immediate(group);
    } catch (error) {
      // The commit itself failed: nothing of the group was written.
      seqVersion = -1;
      for (const job of group) job.reject(error);
      return;
    }
    outcomes.forEach((o, i) => (o.ok ? group[i]!.resolve(o.written) : group[i]!.reject(o.error)));
  }

  const declare = db.transaction((doctype: string, fields: string[]) => {
    const key = JSON.stringify(fields);
    if (statements.hasIndex.get(doctype, key)) return;
    createDocIndex(db, doctype, fields);
    statements.declareIndex.run(doctype, key, statements.nextIndexPosition.get()!.next);
  });

  /** The WHERE of a find: its doctype's live rows, the selector, the metadata bounds and the cursor. */
  function whereOf(doctype: string, query: StoreFindQuery): { where: string; params: (string | number | null)[] } {
    // The doctype as a literal, not a parameter: the planner uses a partial index only for a
    // query whose WHERE repeats its condition (sqlite-doc-indexes.ts). A grant's documents are
    // found through docs_by_grant: `+` keeps the planner off the indexes led by doctype, which
    // it would otherwise walk whole to spare the sort by id.
    const doctypeTerm = `${query.createdByGrant === undefined ? '' : '+'}doctype = ${doctypeLiteral(doctype)}`;
    const where = [doctypeTerm, 'deleted = 0'];
    const params: (string | number | null)[] = [];
    if (query.selector) {
      const s = compileSelector(query.selector);
      where.push(s.sql);
      params.push(...s.params);
    }
    if (query.createdByGrant !== undefined) {
      // The partial index docs_by_grant (its `grant_id IS NOT NULL` follows from this term).
      where.push(`grant_id = ?`);
      params.push(String(query.createdByGrant));
    }
    // Stamped with toISOString: text order is time order.
    if (query.createdBefore !== undefined) {
      where.push(`json_extract(meta, '$.createdAt') < ?`);
      params.push(String(query.createdBefore));
    }
    if (query.updatedBefore !== undefined) {
      where.push(`json_extract(meta, '$.updatedAt') < ?`);
      params.push(String(query.updatedBefore));
    }
    if (query.after) {
      const a = compileAfter(query.sort, query.after);
      where.push(a.sql);
      params.push(...a.params);
    }
    return { where: where.join(' AND '), params };
  }

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

    /** All or nothing; a `conflict` names the failing write's index. Committed with the calls of the same turn. */
    write(writes: DocumentWrite[]): Promise<WrittenDocument[]> {
      if (writes.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        if (pending.length === 0) setImmediate(flush);
        pending.push({ writes, resolve, reject });
      });
    },

    /** Commits the writes waiting for the end of this turn (before the handle closes). */
    flush,

    /** See DocumentStore.changeStamp; `handle` tells this open handle from earlier ones of the file. */
    changeStamp: (handle: number, doctype: string): string =>
      `${handle}.${versionThisTurn()}.${tried.get(doctype) ?? 0}`,

    /**
     * Writes at once, inside the caller's transaction and without a savepoint of its own: an
     * import's batches, all or nothing together. A savepoint per batch copied every page a batch
     * touched to a temporary file first (random ids touch a page each: 145,000 page writes for
     * 100,000 bank lines).
     */
    writeNow: writeEach,

    find(doctype: string, query: StoreFindQuery): StoredDocument[] {
      const { where, params } = whereOf(doctype, query);
      const limit = Math.max(0, Math.floor(query.limit));
      const select = `SELECT id, rev, seq, data, ${query.meta === false ? "''" : 'meta'} FROM docs WHERE ${where}`;
      // Arrays, not objects, from the driver: noticeably faster for pages of thousands of rows.
      const run = (sql: string) =>
        prepare(sql)
          .raw()
          .all(...params, limit) as [string, string, number, string, string][];
      let rows: [string, string, number, string, string][] | undefined;
      if (query.sort.length === 0 && !query.after) {
        // Without a sort the answer is in id order. When it fits in the limit, rows come in index
        // order and are sorted here: SQLite's ORDER BY id would copy every whole row into a
        // temporary B-tree first. A longer answer is paged, so it is asked for in order.
        const unordered = run(`${select} LIMIT ?`);
        if (unordered.length < limit) rows = unordered.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      }
      rows ??= run(`${select} ${compileOrderBy(query.sort)} LIMIT ?`);
      return rows.map(([id, rev, seq, data, meta]) => ({ doctype, id, rev, seq, deleted: false, data, meta }));
    },

    findRendered(doctype: string, query: StoreFindQuery): RenderedPage | null {
      if (query.sort.length > 0) return null;
      const { where, params } = whereOf(doctype, query);
      const limit = Math.max(0, Math.floor(query.limit));
      // Each row's JSON as renderDocument writes it, joined by SQLite into one blob: no string per
      // row or field crosses into JavaScript, which puts the rows in id order by their byte lengths.
      // One printf per row, not a chain of ||, each of which copies the text so far.
      const head = query.meta === false ? `'{"_id":%s,"_rev":"%s"` : `'{"_id":%s,"_rev":"%s","_meta":%s`;
      const args = query.meta === false ? 'json_quote(id), rev' : 'json_quote(id), rev, meta';
      const text = `iif(octet_length(data) <= 2, printf(${head}}', ${args}), printf(${head},%s', ${args}, substr(data, 2)))`;
      const render = (order: string): RenderedRows =>
        prepare(
          `SELECT count(*), json_group_array(id), json_group_array(octet_length(t)), CAST(group_concat(t, '') AS BLOB)
           FROM (SELECT id, ${text} AS t FROM docs WHERE ${where} ${order} LIMIT ?)`,
        )
          .raw()
          .get(...params, limit + 1) as RenderedRows;
      try {
        // As find: in index order when the whole answer fits (no sort of whole rows in SQLite),
        // else the first page asked for in id order. One extra row tells whether more follow.
        if (!query.after) {
          const rows = render('');
          if (rows[0] <= limit) return { ...inIdOrder(rows, rows[0]), more: false };
        }
        const rows = render('ORDER BY id');
        return { ...inIdOrder(rows, Math.min(rows[0], limit)), more: rows[0] > limit };
      } catch (e) {
        // Larger than SQLite's longest value: the caller pages through rows instead.
        if ((e as { code?: unknown }).code === 'SQLITE_TOOBIG') return null;
        throw e;
      }
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
      // Declared already: answer without taking the write lock.
      if (statements.hasIndex.get(doctype, JSON.stringify(fields))) return;
      declare.immediate(doctype, fields);
    },

    listIndexes(doctype: string): string[][] {
      return statements.indexes.all(doctype).map((r) => JSON.parse(r.fields) as string[]);
    },
  };
}
