/**
 * The importer contract. An importer recognises one file format by its content and turns a file of
 * that format into catalog records, streaming: it never holds the whole file. It writes nothing:
 * the import service validates what it yields against the catalog, keeps it aside, and commits a
 * file's records all together or not at all (see `docs/importers.md`).
 */
import type { Encoding } from './source/detect-encoding.js';

/** The start of a file, for detection. Detection is by content: the name is only for messages. */
export interface ImportSample {
  name: string;
  /** The first bytes of the file (up to `SAMPLE_BYTES`), raw. */
  bytes: Uint8Array;
  /** The same bytes decoded with the detected encoding, byte order mark removed. */
  text: string;
  encoding: Encoding;
  /** True when the sample is the whole file. */
  complete: boolean;
}

/** One file being imported. Every method opens the file afresh, so an importer may read it twice. */
export interface ImportSource {
  name: string;
  /** Size in bytes, when known. */
  size: number | null;
  encoding: Encoding;
  sample: ImportSample;
  /** Raw bytes, streamed. */
  bytes(): AsyncIterable<Uint8Array>;
  /** Decoded text in chunks (byte order mark removed). */
  text(): AsyncIterable<string>;
  /** Decoded lines numbered from 1, without their ending; any of CRLF, LF or a lone CR ends a line. */
  lines(): AsyncIterable<SourceLine>;
}

export interface SourceLine {
  n: number;
  text: string;
}

/**
 * What an importer yields.
 * - `document`: a document of a catalog doctype. `key` is its natural key, stable across exports
 *   and re-imports of the same data (e.g. the bank's transaction id, an event's UID): the document's
 *   id is derived from (doctype, key), which is what makes re-imports create no duplicates.
 * - `point`: a point of a series doctype, in the shape `POST /api/series/{doctype}` accepts; points
 *   are unique on (doctype, stream, time) already.
 * `line` (or any position that helps a person find it) is used in error messages.
 */
export type ImportRecord =
  | { kind: 'document'; doctype: string; key: string; data: Record<string, unknown>; line?: number }
  | { kind: 'point'; doctype: string; data: Record<string, unknown>; line?: number };

export interface ImportWarning {
  /** Line (or record position) in the file, when there is one. */
  line?: number;
  message: string;
}

/** Choices a person can make in the preview; each importer documents the ones it reads. */
export interface ImportOptions {
  /** CSV column mapping, as inferred by the CSV importer and adjusted in the preview. */
  csvMapping?: Record<string, unknown>;
  /** Account to file bank lines under when the file does not say (CSV, QIF). */
  accountId?: string;
  /** Day order for ambiguous dates, when the file does not make it clear. */
  dateOrder?: 'DMY' | 'MDY' | 'YMD';
}

export interface ParseContext {
  /** A line skipped or a value doubted: the import goes on and the preview lists it. */
  warn(warning: ImportWarning): void;
  options: ImportOptions;
  /** The space's IANA time zone: how local times without an offset are read. */
  timeZone: string;
  /** When the import started (ms since epoch): for "absurd date" checks. */
  now: number;
}

export interface Importer {
  /** Stable id, e.g. `ofx`, `camt053`, `google-records`. */
  id: string;
  /** For people: "OFX bank statement (1.x SGML or 2.x XML)". */
  title: string;
  /** Doctypes this importer can produce. */
  doctypes: readonly string[];
  /**
   * How sure this importer is that the sample is its format, from 0 (not at all) to 1 (certain).
   * Must be cheap and must never throw: the sample may be anything.
   */
  detect(sample: ImportSample): number;
  /**
   * The file's records, streamed. Throws `importError()` on anything that makes the file unusable
   * (truncated, corrupt, absurd values); warns and goes on for a single line it can skip.
   */
  parse(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord>;
  /**
   * For formats whose reading a person adjusts (a CSV's column mapping): a key identifying files
   * of the same layout (e.g. a hash of the header row). The mapping used in a successful import is
   * saved under it and applied to the next file with the same key, unless the request gives one.
   */
  presetKey?(source: ImportSource): Promise<string | null>;
  /** Optional details for the preview (e.g. the CSV mapping it inferred), computed from the source. */
  describe?(source: ImportSource, ctx: ParseContext): Promise<Record<string, unknown>>;
}
