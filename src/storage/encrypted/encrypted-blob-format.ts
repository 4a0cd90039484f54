/**
 * The format of an encrypted blob (version 1):
 *
 *   header   "FOYE" · format version (1 byte, 1) · data key version (uint32, big-endian)   9 bytes
 *   chunk i  nonce (12 random bytes) · AES-256-GCM ciphertext of up to 64 KiB · tag (16 bytes)
 *
 * Every chunk but the last holds exactly 64 KiB of plaintext; the last holds the rest (an empty
 * blob is one empty chunk, so even it is authenticated). Each chunk's associated data is the
 * header, the blob key, the chunk's index and whether it is the last: a chunk moved to another
 * place, another blob or another key version, a header edited, or a blob cut at a chunk boundary,
 * all fail authentication. Sizes map both ways without reading anything, which gives `stat` and
 * byte ranges their ciphertext positions.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { FoyerError } from '../../core/errors.js';

export const MAGIC = Buffer.from('FOYE', 'latin1');
export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 9;
export const CHUNK_PLAIN_BYTES = 64 * 1024;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const CHUNK_OVERHEAD = NONCE_BYTES + TAG_BYTES;
export const CHUNK_CIPHER_BYTES = CHUNK_PLAIN_BYTES + CHUNK_OVERHEAD;

export function damaged(key: string, why: string, cause?: unknown): FoyerError {
  return new FoyerError(
    'integrity_failed',
    `The stored file is damaged or was tampered with (${why}).`,
    { key },
    { cause },
  );
}

export function encodeHeader(keyVersion: number): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header.writeUInt8(FORMAT_VERSION, 4);
  header.writeUInt32BE(keyVersion, 5);
  return header;
}

/** The data key version a header names; `integrity_failed` if it is not a version-1 header. */
export function decodeHeader(header: Buffer, key: string): number {
  if (header.length !== HEADER_BYTES || !header.subarray(0, 4).equals(MAGIC)) throw damaged(key, 'no header');
  if (header.readUInt8(4) !== FORMAT_VERSION) throw damaged(key, 'unknown format version');
  const version = header.readUInt32BE(5);
  if (version === 0) throw damaged(key, 'no key version');
  return version;
}

export const chunkCount = (plainSize: number): number => Math.max(1, Math.ceil(plainSize / CHUNK_PLAIN_BYTES));

export const cipherSizeOf = (plainSize: number): number =>
  HEADER_BYTES + plainSize + chunkCount(plainSize) * CHUNK_OVERHEAD;

/** The plaintext size of a well-formed blob of `cipherSize` bytes; `integrity_failed` if no plaintext size gives it. */
export function plainSizeOf(cipherSize: number, key: string): number {
  const body = cipherSize - HEADER_BYTES;
  if (body < CHUNK_OVERHEAD) throw damaged(key, 'too short');
  const chunks = Math.ceil(body / CHUNK_CIPHER_BYTES);
  const last = body - (chunks - 1) * CHUNK_CIPHER_BYTES;
  // The writer never ends with a chunk that is empty (unless it is the only one) or shorter than its overhead.
  if (last < CHUNK_OVERHEAD || (chunks > 1 && last === CHUNK_OVERHEAD)) throw damaged(key, 'truncated');
  return body - chunks * CHUNK_OVERHEAD;
}

/** Offset in the blob of chunk `index`. */
export const chunkOffset = (index: number): number => HEADER_BYTES + index * CHUNK_CIPHER_BYTES;

function associatedData(header: Buffer, blobKey: Buffer, index: number, last: boolean): Buffer {
  const tail = Buffer.alloc(4 + 8 + 1);
  tail.writeUInt32BE(blobKey.length, 0);
  tail.writeBigUInt64BE(BigInt(index), 4);
  tail.writeUInt8(last ? 1 : 0, 12);
  return Buffer.concat([header, tail.subarray(0, 4), blobKey, tail.subarray(4)]);
}

export interface ChunkContext {
  dataKey: Buffer;
  header: Buffer;
  /** The FileStore key, as UTF-8 bytes. */
  blobKey: Buffer;
  /** The key as text, for error details. */
  key: string;
}

/** The sealed chunk as its three parts (nonce, ciphertext, tag), written one after the other: no copy to join them. */
export function sealChunk(ctx: ChunkContext, index: number, last: boolean, plain: Buffer): Buffer[] {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', ctx.dataKey, nonce);
  cipher.setAAD(associatedData(ctx.header, ctx.blobKey, index, last));
  const body = cipher.update(plain);
  cipher.final();
  return [nonce, body, cipher.getAuthTag()];
}

export function openChunk(ctx: ChunkContext, index: number, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < CHUNK_OVERHEAD || sealed.length > CHUNK_CIPHER_BYTES) throw damaged(ctx.key, 'bad chunk length');
  try {
    const decipher = createDecipheriv('aes-256-gcm', ctx.dataKey, sealed.subarray(0, NONCE_BYTES));
    decipher.setAAD(associatedData(ctx.header, ctx.blobKey, index, last));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES));
    decipher.final();
    return plain;
  } catch (error) {
    throw damaged(ctx.key, `chunk ${index} does not authenticate`, error);
  }
}
