/**
 * A FileStore that encrypts what it hands to another one: each blob under its space's data key
 * (the key's `<space>/` segment), in 64 KiB chunks of AES-256-GCM (`encrypted-blob-format.ts`).
 *
 * Both ways stream: a put holds at most two chunks, a get decrypts chunk by chunk. Sizes, hashes
 * and byte ranges are those of the plaintext; a range is served by reading only the chunks that
 * cover it. Content that fails authentication (altered, truncated, swapped, or under another key)
 * is an `integrity_failed` FoyerError and never yields a byte of it: a get checks the first chunk
 * before it answers, so a damaged small file (or a wrong key) is refused before any response
 * starts; damage further into a large file ends the stream with that error.
 */
import { Readable } from 'node:stream';
import { FoyerError } from '../../core/errors.js';
import { meterBlob } from '../blob-meter.js';
import { assertByteRange, clipByteRange } from '../byte-range.js';
import { fileKeySegments } from '../file-key.js';
import type { ByteRange, FileStore, StoredBlob } from '../file-store.js';
import {
  CHUNK_CIPHER_BYTES,
  CHUNK_PLAIN_BYTES,
  chunkCount,
  chunkOffset,
  damaged,
  decodeHeader,
  encodeHeader,
  HEADER_BYTES,
  openChunk,
  plainSizeOf,
  sealChunk,
  type ChunkContext,
} from './encrypted-blob-format.js';

/** Where data keys come from (`SpaceKeys` in `core/keys`). */
export interface BlobKeys {
  current(space: string): Promise<{ version: number; key: Buffer }>;
  version(space: string, version: number): Promise<{ version: number; key: Buffer }>;
}

/** What a read covers: chunks from `firstIndex`, of which plaintext bytes [skip, skip + length) are kept. */
interface ReadPlan {
  key: string;
  space: string;
  /** Known when the header is not at the start of the stream (a range that skips chunk 0). */
  header?: Buffer;
  firstIndex: number;
  /** Index of the blob's last chunk when known (ranges); else the last chunk is the one the stream ends with. */
  lastIndex?: number;
  skip: number;
  length: number;
}

export function createEncryptedFileStore(inner: FileStore, keys: BlobKeys): FileStore {
  async function put(
    key: string,
    content: Readable | AsyncIterable<Uint8Array>,
    options?: { maxBytes?: number },
  ): Promise<StoredBlob> {
    const [space] = fileKeySegments(key);
    const meter = meterBlob(content, options?.maxBytes);
    let dataKey: { version: number; key: Buffer };
    try {
      dataKey = await keys.current(space!);
    } catch (error) {
      if (content instanceof Readable) content.destroy();
      throw error;
    }
    const ctx: ChunkContext = {
      dataKey: dataKey.key,
      header: encodeHeader(dataKey.version),
      blobKey: Buffer.from(key, 'utf8'),
      key,
    };
    // The inner store meters the ciphertext; a failure of the content reaches it unchanged through
    // `sealed`, so it rethrows that very error, as the contract wants.
    await inner.put(key, sealed(meter.chunks, ctx));
    return meter.result();
  }

  async function get(key: string, range?: ByteRange): Promise<Readable> {
    const [space] = fileKeySegments(key);
    if (!range) {
      const source = await inner.get(key);
      return readable(source, { key, space: space!, firstIndex: 0, skip: 0, length: Number.POSITIVE_INFINITY });
    }
    assertByteRange(range);
    const found = await inner.stat(key);
    if (!found) throw new FoyerError('not_found', 'No such file.');
    const size = plainSizeOf(found.size, key);
    const window = clipByteRange(range, size);
    const firstIndex = Math.floor(window.start / CHUNK_PLAIN_BYTES);
    const lastNeeded = Math.floor(window.end / CHUNK_PLAIN_BYTES);
    const plan: ReadPlan = {
      key,
      space: space!,
      firstIndex,
      lastIndex: chunkCount(size) - 1,
      skip: window.start - firstIndex * CHUNK_PLAIN_BYTES,
      length: window.end - window.start + 1,
    };
    if (firstIndex > 0) plan.header = await readAll(await inner.get(key, { start: 0, end: HEADER_BYTES - 1 }));
    const start = firstIndex === 0 ? 0 : chunkOffset(firstIndex);
    const end = Math.min(chunkOffset(lastNeeded + 1), found.size) - 1;
    return readable(await inner.get(key, { start, end }), plan);
  }

  async function contextFor(header: Buffer, plan: ReadPlan): Promise<ChunkContext> {
    const version = decodeHeader(header, plan.key);
    const dataKey = await keys.version(plan.space, version);
    return { dataKey: dataKey.key, header, blobKey: Buffer.from(plan.key, 'utf8'), key: plan.key };
  }

  /** The plaintext of the plan's chunks, trimmed to its window. */
  async function* opened(source: Readable, plan: ReadPlan): AsyncGenerator<Buffer> {
    let ctx = plan.header ? await contextFor(plan.header, plan) : undefined;
    let index = plan.firstIndex;
    let skip = plan.skip;
    let remaining = plan.length;
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let sawLast = false;

    const take = (bytes: number): Buffer => {
      const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      pending = all.length > bytes ? [all.subarray(bytes)] : [];
      pendingBytes -= bytes;
      return all.subarray(0, bytes);
    };
    const open = (sealedChunk: Buffer, atEnd: boolean): Buffer => {
      const last = plan.lastIndex === undefined ? atEnd : index === plan.lastIndex;
      if (last) sawLast = true;
      let plain = openChunk(ctx!, index++, last, sealedChunk);
      if (skip > 0) {
        const cut = Math.min(skip, plain.length);
        plain = plain.subarray(cut);
        skip -= cut;
      }
      if (plain.length > remaining) plain = plain.subarray(0, remaining);
      remaining -= plain.length;
      return plain;
    };

    for await (const piece of source as AsyncIterable<Buffer>) {
      pending.push(piece);
      pendingBytes += piece.length;
      if (!ctx) {
        if (pendingBytes < HEADER_BYTES) continue;
        ctx = await contextFor(Buffer.from(take(HEADER_BYTES)), plan);
      }
      // A chunk is complete once a byte beyond it has arrived (or the stream ended, below).
      while (pendingBytes > CHUNK_CIPHER_BYTES) {
        const plain = open(take(CHUNK_CIPHER_BYTES), false);
        if (plain.length > 0) yield plain;
      }
    }
    if (!ctx) throw damaged(plan.key, 'no header');
    if (pendingBytes > 0) {
      const plain = open(take(pendingBytes), true);
      if (plain.length > 0) yield plain;
    } else if (index === plan.firstIndex) {
      throw damaged(plan.key, 'no content');
    }
    if (remaining > 0 && Number.isFinite(remaining)) throw damaged(plan.key, 'truncated');
    if (plan.lastIndex === undefined && !sawLast) throw damaged(plan.key, 'truncated');
  }

  /** Decrypts the first chunk before answering, so a wrong key or a damaged start is an error, not a broken stream. */
  async function readable(source: Readable, plan: ReadPlan): Promise<Readable> {
    const chunks = opened(source, plan);
    let first: IteratorResult<Buffer>;
    try {
      first = await chunks.next();
    } catch (error) {
      source.destroy();
      throw error;
    }
    async function* all(): AsyncGenerator<Buffer> {
      if (first.done) return;
      yield first.value;
      yield* chunks;
    }
    const out = Readable.from(all(), { objectMode: false });
    // If the reader drops the stream before pulling from it, still release the inner one (an open file, a socket).
    out.once('close', () => source.destroy());
    return out;
  }

  return {
    kind: inner.kind,
    put,
    get,
    async stat(key) {
      const found = await inner.stat(key);
      return found ? { size: plainSizeOf(found.size, key) } : null;
    },
    delete: (key) => inner.delete(key),
    deletePrefix: (prefix) => inner.deletePrefix(prefix),
    list: (prefix) => inner.list(prefix),
    close: () => inner.close(),
  };
}

/** Seals plaintext chunks as they come: the header, then 64 KiB chunks, holding the last full one until it is known whether more follows. */
async function* sealed(chunks: AsyncIterable<Buffer>, ctx: ChunkContext): AsyncGenerator<Buffer> {
  yield ctx.header;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let held: Buffer | undefined;
  let index = 0;
  for await (const chunk of chunks) {
    let rest = chunk;
    while (rest.length > 0) {
      const part = rest.subarray(0, CHUNK_PLAIN_BYTES - pendingBytes);
      pending.push(part);
      pendingBytes += part.length;
      rest = rest.subarray(part.length);
      if (pendingBytes === CHUNK_PLAIN_BYTES) {
        if (held) yield* sealChunk(ctx, index++, false, held);
        // A chunk cut from one piece is a view of it, not a copy (stores keep pieces as given, too).
        held = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0) {
    if (held) yield* sealChunk(ctx, index++, false, held);
    yield* sealChunk(ctx, index, true, Buffer.concat(pending, pendingBytes));
  } else {
    // A blob whose size is a multiple of 64 KiB ends with its held chunk; an empty one is one empty chunk.
    yield* sealChunk(ctx, index, true, held ?? Buffer.alloc(0));
  }
}

async function readAll(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
