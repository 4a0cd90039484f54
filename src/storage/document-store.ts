/**
 * The DocumentStore seam: where spaces, documents, their changes and time series live.
 * Implementations: SQLite (one database file per space, the embedded default) and PostgreSQL
 * (one schema, the space id on every row). Both pass `document-store.contract.ts`.
 *
 * The store is deliberately dumb: it never validates documents against doctypes, never decides
 * who may do what (that is the gate's job) and never invents metadata. It stores what the
 * services hand it, atomically, and answers queries over it.
 */

import type { WrappedDataKey } from '../core/keys/key-wrap.js';
import type { SpaceKeys } from '../core/keys/space-keys.js';
import type {
  LedgerAggregateRow,
  LedgerDraft,
  LedgerEntry,
  LedgerGrouping,
  LedgerQuery,
} from '../core/ledger/ledger-entry.js';

/** A space: one person's (or household's) data space. */
export interface SpaceRecord {
  /** `[a-z0-9][a-z0-9-]{0,62}` */
  id: string;
  /** Host names that route to this space in hosted mode (lower case, no port). */
  hosts: string[];
  /** IANA time zone used for day/week/month buckets of time series, e.g. `Europe/Paris`. */
  timeZone: string;
  /** ISO 8601 instant. */
  createdAt: string;
}

/** A stored document version, as the store hands it back. `data` and `meta` are JSON text. */
export interface StoredDocument {
  doctype: string;
  id: string;
  /** `<generation>-<hex>`; generation counts from 1. */
  rev: string;
  /** Position in the space's changes feed; strictly increasing per space, in commit order. */
  seq: number;
  deleted: boolean;
  /** JSON text of the document's data object; `null` for a tombstone. */
  data: string | null;
  /** JSON text of the server-stamped metadata (see `DocumentMeta` in core). */
  meta: string;
}

/** One write in an atomic batch. */
export interface DocumentWrite {
  doctype: string;
  id: string;
  /**
   * The revision the caller read. `null`: the document must not exist, or be a tombstone.
   * A mismatch fails the whole batch with a `conflict` FoyerError whose details name the index.
   */
  expectedRev: string | null;
  /**
   * A creation planned without reading first (`expectedRev` null): the document must have no row
   * at all, not even a tombstone (whose revision the new one would have to follow). Any row there
   * fails the batch with a `conflict`; the caller then reads it and plans the write again.
   */
  fresh?: boolean;
  rev: string;
  deleted: boolean;
  data: string | null;
  meta: string;
}

export interface WrittenDocument {
  doctype: string;
  id: string;
  rev: string;
  seq: number;
}

export interface ChangeRow {
  id: string;
  rev: string;
  seq: number;
  deleted: boolean;
}

/** Scalar JSON values a selector compares against. */
export type Scalar = string | number | boolean | null;

/**
 * A parsed, validated selector (Mango-like). Field paths are dotted (`a.b.c`); each segment is
 * `[A-Za-z0-9_-]+`, so adapters can embed them in JSON paths safely.
 * Comparison semantics (identical on every adapter):
 *  - `$gt $gte $lt $lte` compare only values of the same JSON type as the operand (numbers
 *    numerically, strings by Unicode code point order); values of another type never match.
 *  - `$eq` matches equal value and type; `$ne` matches anything else, including a missing field.
 *  - `$in` is `$eq` to any of the list; `$exists: true` matches when the field is present
 *    (even if null), `false` when absent.
 */
export type Selector =
  | { op: 'and'; of: Selector[] }
  | { op: 'or'; of: Selector[] }
  | { op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; field: string; value: Scalar }
  | { op: 'in'; field: string; values: Scalar[] }
  | { op: 'exists'; field: string; value: boolean };

export interface SortKey {
  field: string;
  direction: 'asc' | 'desc';
}

export interface StoreFindQuery {
  selector: Selector | null;
  /**
   * Only documents whose metadata says they were created under this grant
   * (`meta.createdBy.grant`): what a withdrawal deletes.
   */
  createdByGrant?: string;
  /** Only documents whose `meta.createdAt` (an ISO instant) is before this one: retention of what a grant created. */
  createdBefore?: string;
  /** Only documents whose `meta.updatedAt` is before this instant: retention counted from the last update. */
  updatedBefore?: string;
  /**
   * Sort keys; the store always adds `id asc` as the last tie-breaker. Missing fields sort first
   * (lowest: first ascending, last descending).
   */
  sort: SortKey[];
  /** At most this many documents. */
  limit: number;
  /**
   * `false`: the caller will not read `meta` (a listing without `_meta`), so the store may leave it
   * out and return `''`: a month query among 100,000 documents spent a fifth of its time copying it.
   */
  meta?: boolean;
  /**
   * Keyset cursor: the sort values and id of the last document of the previous page; only
   * documents strictly after it (in sort order) are returned.
   */
  after?: { values: Scalar[]; id: string };
}

/**
 * A page of a find rendered by the store: `json` is the UTF-8 JSON array of the documents as
 * `renderDocument` writes them (with `_meta` unless the query's `meta` is false), in id order,
 * `ids` their ids in the same order, and `more` whether other documents follow the last one.
 */
export interface RenderedPage {
  ids: string[];
  json: Uint8Array;
  more: boolean;
}

/** A time series point as written: `t` in epoch milliseconds, `value` its doctype's main value. */
export interface SeriesPointWrite {
  /** Stream key (e.g. a meter id); `default` when the doctype has none. */
  stream: string;
  t: number;
  /** Local calendar day of `t` in the space's time zone, `YYYY-MM-DD` (computed by the service). */
  day: string;
  /** The doctype's main numeric value, or null when the point has none (e.g. a location). */
  value: number | null;
  /** JSON text of the whole point, as validated. */
  data: string;
  /** The grant the point was written under (null for the owner's own writes): what a withdrawal deletes. */
  grant?: string | null;
}

export interface SeriesPoint {
  stream: string;
  t: number;
  value: number | null;
  data: string;
}

export interface SeriesRange {
  stream?: string;
  /** Inclusive lower bound, epoch ms. */
  from: number;
  /** Exclusive upper bound, epoch ms. */
  to: number;
}

export type SeriesBucket = 'hour' | 'day' | 'week' | 'month';

/** One aggregate bucket over the main value. `key` is `YYYY-MM-DDTHH` (hour), `YYYY-MM-DD` (day,
 * and the Monday starting an ISO week) or `YYYY-MM` (month), in the space's time zone. */
export interface SeriesAggregateRow {
  key: string;
  count: number;
  sum: number;
  min: number;
  max: number;
}

/** A step of an import: documents (of any doctypes) or points of one series doctype. */
export type ImportBatch = { documents: DocumentWrite[] } | { doctype: string; points: SeriesPointWrite[] };

/**
 * The keys a store encrypts whole files under (SQLite: one per space file), each wrapped under
 * master keys. Master key rotation re-wraps them as it re-wraps data keys (core/keys/key-rotation.ts).
 */
/** Rows a space holds, per doctype (internal `foyer.*` doctypes included), as `countSpace` answers. */
export interface SpaceCount {
  /** Live documents and tombstones per doctype, doctypes in code point order. */
  documents: { doctype: string; live: number; deleted: number }[];
  /** Series points per doctype. */
  points: { doctype: string; count: number }[];
  /** Entries of the access ledger and its head (the last entry's seq and hash). */
  ledger: { entries: number; head: { seq: number; hash: string } };
}

export interface DatabaseKeys {
  list(): Promise<{ space: string; wrapped: WrappedDataKey[] }[]>;
  /** Replaces a space's wrappings; refused unless they open (with the store's ring) to the same key. */
  update(space: string, wrapped: WrappedDataKey[]): Promise<void>;
}

export interface DocumentStore {
  readonly kind: 'sqlite' | 'postgres';
  /** Present when the store encrypts files under keys of its own (SQLite). */
  readonly databaseKeys?: DatabaseKeys;
  /**
   * Present when the store seals documents and series values itself under the spaces' data keys
   * (PostgreSQL): the composition root hands it the same keys files are encrypted under. Resolves
   * once what an earlier release stored in clear is sealed.
   */
  useDataKeys?(keys: SpaceKeys): Promise<void>;

  createSpace(space: SpaceRecord): Promise<void>;
  getSpace(id: string): Promise<SpaceRecord | null>;
  findSpaceByHost(host: string): Promise<SpaceRecord | null>;
  listSpaces(): Promise<SpaceRecord[]>;
  /** Removes the space and every row it owns. */
  deleteSpace(id: string): Promise<void>;
  /** What the space holds, counted: what a deletion receipt reports (`space_not_found` if there is none). */
  countSpace(id: string): Promise<SpaceCount>;

  /** The current version, tombstones included; `null` if the id was never written. */
  getDocument(space: string, doctype: string, id: string): Promise<StoredDocument | null>;
  getDocuments(space: string, doctype: string, ids: string[]): Promise<(StoredDocument | null)[]>;
  /**
   * Optional: a stamp that differs from an earlier one whenever a document of `doctype` in `space`
   * may have been written since, by this process or any other. A reader that took it before a
   * read may reuse what it read while the stamp stays the same. Stores without a cheap signal
   * leave it out, and readers read every time.
   */
  changeStamp?(space: string, doctype: string): Promise<string>;
  /** All or nothing, in one transaction. */
  writeDocuments(space: string, writes: DocumentWrite[]): Promise<WrittenDocument[]>;
  /** Live (non-deleted) documents matching the query. */
  findDocuments(space: string, doctype: string, query: StoreFindQuery): Promise<StoredDocument[]>;
  /**
   * Optional: a page of an unsorted find (at most `query.limit` documents, after the cursor if
   * given), rendered; null when the store leaves it to `findDocuments` (a sort, or too large).
   */
  findRendered?(space: string, doctype: string, query: StoreFindQuery): Promise<RenderedPage | null>;
  /** Changes with seq > since, in seq order, at most `limit`; one row per document (its latest). */
  changes(space: string, doctype: string, since: number, limit: number): Promise<ChangeRow[]>;
  /** Declares an index on these fields (idempotent). */
  ensureIndex(space: string, doctype: string, fields: string[]): Promise<void>;
  listIndexes(space: string, doctype: string): Promise<string[][]>;

  /**
   * Writes all of an import's batches in ONE transaction: every one or none. Documents check their
   * expected revisions as in `writeDocuments` (a conflict fails the whole import); points upsert as
   * in `appendPoints`. `batches` is iterated once, synchronously (SQLite's transactions cannot
   * wait), so that a large import streams from wherever it was kept instead of sitting in memory.
   */
  applyImport(space: string, batches: Iterable<ImportBatch>): Promise<{ documents: number; points: number }>;
  /** Upserts points on (doctype, stream, t), atomically; returns how many points were written. */
  appendPoints(space: string, doctype: string, points: SeriesPointWrite[]): Promise<number>;
  /** Points in [from, to), ordered by t then stream, at most `limit`, after the cursor if given. */
  readPoints(
    space: string,
    doctype: string,
    range: SeriesRange,
    limit: number,
    after?: { t: number; stream: string },
  ): Promise<SeriesPoint[]>;
  /**
   * Aggregates the main value per bucket, buckets in time order, empty buckets omitted.
   * `timeZone` is always the space's own (fixed at its creation), the one every point's `day`
   * was computed in, so adapters may keep per-day roll-ups keyed by `day`.
   */
  aggregatePoints(
    space: string,
    doctype: string,
    range: SeriesRange,
    every: SeriesBucket,
    timeZone: string,
  ): Promise<SeriesAggregateRow[]>;
  deletePoints(space: string, doctype: string, range: SeriesRange): Promise<number>;
  /**
   * Deletes every point of the doctype written under `grant`, or only those with `t < before` when
   * given (a grant's retention); roll-ups follow. Returns how many.
   */
  deletePointsOfGrant(space: string, doctype: string, grant: string, before?: number): Promise<number>;

  /**
   * Appends to the space's access ledger, all in one transaction, chained after the current head
   * exactly as `chainEntries` in `core/ledger/ledger-entry.ts` does (seq 1, 2, 3... no gaps), and
   * moves the recorded head. Concurrent appends (other processes too) never fork the chain.
   */
  appendLedger(space: string, drafts: LedgerDraft[]): Promise<LedgerEntry[]>;
  /** Entries matching the query, newest first, with seq < `beforeSeq` when given, at most `limit`. */
  readLedger(space: string, query: LedgerQuery, limit: number, beforeSeq?: number): Promise<LedgerEntry[]>;
  /** Entries as stored, in seq order, with seq > `afterSeq`, at most `limit` (verification, export). */
  scanLedger(space: string, afterSeq: number, limit: number): Promise<LedgerEntry[]>;
  /** Counts per actor, doctype or local day over the entries matching the query, keys ascending. */
  aggregateLedger(space: string, query: LedgerQuery, by: LedgerGrouping): Promise<LedgerAggregateRow[]>;
  /** The head recorded by the last append (kept apart from the entries): `{ seq: 0, hash: GENESIS_HASH }` when empty. */
  ledgerHead(space: string): Promise<{ seq: number; hash: string }>;

  close(): Promise<void>;
}
