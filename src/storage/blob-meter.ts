/**
 * Counts and hashes a blob's bytes as they stream into a FileStore, and enforces `maxBytes`
 * before the bytes go any further, so an oversize upload is cut short instead of stored.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { FoyerError } from '../core/errors.js';
import type { StoredBlob } from './file-store.js';

export interface BlobMeter {
  /** The content's bytes, as Buffers, counted and hashed on the way. Iterate it once. */
  chunks: AsyncIterable<Buffer>;
  /** Size and SHA-256 once `chunks` was read to the end. */
  result(): StoredBlob;
  /** True if `error` was thrown by the content itself: callers rethrow it unchanged. */
  isSourceError(error: unknown): boolean;
}

export function meterBlob(content: Readable | AsyncIterable<Uint8Array>, maxBytes?: number): BlobMeter {
  if (maxBytes !== undefined && !(Number.isSafeInteger(maxBytes) && maxBytes >= 0)) {
    throw new FoyerError('bad_request', 'maxBytes must be a non-negative integer.');
  }
  // A stream that fails before the store starts reading it (while a file or an upload is being
  // opened) must not crash the process with an unhandled 'error'; reading it still throws that error.
  if (content instanceof Readable) content.on('error', ignore);
  const hash = createHash('sha256');
  let size = 0;
  let sourceError: unknown = undefined;
  let done = false;
  let blob: StoredBlob | undefined;

  async function* pull(): AsyncGenerator<Buffer> {
    const iterator = (content as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = await iterator.next();
        } catch (error) {
          sourceError = error;
          throw error;
        }
        if (next.done) break;
        const chunk = next.value;
        if (!(chunk instanceof Uint8Array)) {
          throw new FoyerError('bad_request', 'File content must be a stream of bytes.');
        }
        size += chunk.byteLength;
        if (maxBytes !== undefined && size > maxBytes) {
          throw new FoyerError('payload_too_large', `The file is larger than the limit of ${maxBytes} bytes.`, {
            maxBytes,
          });
        }
        hash.update(chunk);
        yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
      done = true;
      blob = { size, sha256: hash.digest('hex') };
    } finally {
      // Stop the source (destroys a Readable) when we leave early: error, limit, or consumer gone.
      if (!done) await iterator.return?.().catch(ignore);
      if (content instanceof Readable) content.off('error', ignore);
    }
  }

  return {
    chunks: pull(),
    result() {
      if (!blob) throw new Error('meterBlob: result() read before the content ended');
      return blob;
    },
    isSourceError: (error) => error !== undefined && error === sourceError,
  };
}

function ignore(): undefined {
  return undefined;
}
