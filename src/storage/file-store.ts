/**
 * The FileStore seam: blobs by key. Implementations: a folder on disk (embedded default) and any
 * S3-compatible object store (hosted). Both pass `file-store.contract.ts`.
 *
 * Keys are chosen by Foyer, never by clients: `<space>/<file id>/<revision>` made of
 * `[A-Za-z0-9._-]` segments. File names, folders and types live in the file's metadata document.
 * Exactly three segments of at most 128 characters, none starting with a dot; any other key is an
 * `invalid_name` FoyerError (`file-key.ts`).
 */
import type { Readable } from 'node:stream';

export interface StoredBlob {
  size: number;
  /** Lower-case hex SHA-256 of the content. */
  sha256: string;
}

export interface ByteRange {
  /** Inclusive. */
  start: number;
  /** Inclusive. */
  end: number;
}

export interface FileStore {
  readonly kind: 'disk' | 's3';
  /**
   * Streams `content` to `key`, computing size and SHA-256 on the way. Nothing is visible at `key`
   * until the whole stream was stored; if the stream fails, or exceeds `maxBytes` (the error is a
   * `payload_too_large` FoyerError), nothing is left behind; a failing stream's own error is rethrown.
   */
  put(key: string, content: Readable | AsyncIterable<Uint8Array>, options?: { maxBytes?: number }): Promise<StoredBlob>;
  /**
   * The blob's bytes, or the inclusive range of them; `not_found` FoyerError if absent. A range
   * ending past the last byte is clipped; one starting at or past the size (any range of an empty
   * blob) is a `range_not_satisfiable` FoyerError with details `{ size }`.
   */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** Size of the blob, or null if absent. */
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  /** Deletes every key under `prefix/` (used to delete a space). Prefixes are `<space>` or `<space>/<file id>`. */
  deletePrefix(prefix: string): Promise<void>;
  /** Keys under `prefix/` (for scans and tests). */
  list(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}
