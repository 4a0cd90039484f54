/**
 * The passphrase envelope of an encrypted archive (docs/archive-format.md, "Encryption"): the whole
 * zip, sealed in 64 KiB chunks with AES-256-GCM under a key derived from the passphrase by scrypt.
 * Chunks are sealed one by one as the zip is written (nothing is held), and opened one by one when
 * the importer reads a member (random access: a zip's directory is at its end), so no plaintext
 * copy of the archive is ever written to disk. Each chunk's nonce carries its index and whether it
 * is the last one: chunks cannot be reordered, dropped or cut off unnoticed.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { FoyerError } from '../core/errors.js';
import type { ByteSink } from './zip-writer.js';

export const ENVELOPE_MAGIC = Buffer.from('FOYERENC', 'latin1');
const HEADER_BYTES = 64;
/** The header bytes bound into every chunk's tag (everything but the key check). */
const BOUND_BYTES = 44;
const TAG = 16;
export const CHUNK_BYTES = 64 * 1024;
/** scrypt cost: N = 2^16, r = 8 (64 MiB, about 0.2 s here), p = 1. */
const KDF = { log2N: 16, r: 8, p: 1 };

export interface EnvelopeParams {
  log2N: number;
  r: number;
  p: number;
  chunkBytes: number;
  salt: Buffer;
  prefix: Buffer;
}

function deriveKey(passphrase: string, params: EnvelopeParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFC'),
      params.salt,
      32,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
      (e, key) => (e ? reject(e) : resolve(key)),
    ),
  );
}

function nonce(prefix: Buffer, index: number, final: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0, 0, 7);
  n[7] = final ? 1 : 0;
  n.writeUInt32BE(index, 8);
  return n;
}

/** The key check: the tag of nothing under a nonce no chunk uses, to tell a wrong passphrase apart. */
function keyCheck(key: Buffer, prefix: Buffer, bound: Buffer): Buffer {
  const n = nonce(prefix, 0xffffffff, false);
  n[7] = 2;
  const cipher = createCipheriv('aes-256-gcm', key, n);
  cipher.setAAD(bound);
  cipher.final();
  return cipher.getAuthTag();
}

function headerOf(params: EnvelopeParams): Buffer {
  const h = Buffer.alloc(HEADER_BYTES);
  ENVELOPE_MAGIC.copy(h, 0);
  h[8] = 1; // envelope version
  h[9] = 1; // key derivation: scrypt
  h[10] = params.log2N;
  h[11] = params.r;
  h[12] = params.p;
  h.writeUInt32BE(params.chunkBytes, 16);
  params.salt.copy(h, 20);
  params.prefix.copy(h, 36);
  return h;
}

function parseHeader(h: Buffer): EnvelopeParams {
  if (h.length < HEADER_BYTES || !h.subarray(0, 8).equals(ENVELOPE_MAGIC)) {
    throw new FoyerError('import_invalid', 'This is not an encrypted Foyer archive.', { reason: 'unreadable' });
  }
  if (h[8] !== 1 || h[9] !== 1) {
    throw new FoyerError(
      'import_invalid',
      `This archive's encryption (version ${h[8]}, method ${h[9]}) is unknown here.`,
      { reason: 'version_mismatch' },
    );
  }
  const params = {
    log2N: h[10]!,
    r: h[11]!,
    p: h[12]!,
    chunkBytes: h.readUInt32BE(16),
    salt: Buffer.from(h.subarray(20, 36)),
    prefix: Buffer.from(h.subarray(36, 43)),
  };
  // Bounds keep a hostile header from asking for gigabytes of scrypt memory or of chunk buffer.
  if (params.log2N < 10 || params.log2N > 20 || params.r < 1 || params.r > 16 || params.p < 1 || params.p > 4) {
    throw new FoyerError('import_invalid', 'This archive asks for key derivation costs out of range.', {
      reason: 'unreadable',
    });
  }
  if (params.chunkBytes < 1024 || params.chunkBytes > 16 * 1024 * 1024) {
    throw new FoyerError('import_invalid', 'This archive’s chunk size is out of range.', { reason: 'unreadable' });
  }
  return params;
}

/**
 * A sink that seals what it is given and passes the sealed bytes on; `finish` seals the last
 * chunk (possibly empty) and must be called once the zip is complete.
 */
export async function sealingSink(
  out: ByteSink,
  passphrase: string,
): Promise<{ sink: ByteSink; finish(): Promise<void> }> {
  const params: EnvelopeParams = { ...KDF, chunkBytes: CHUNK_BYTES, salt: randomBytes(16), prefix: randomBytes(7) };
  const key = await deriveKey(passphrase, params);
  const header = headerOf(params);
  const bound = header.subarray(0, BOUND_BYTES);
  keyCheck(key, params.prefix, bound).copy(header, BOUND_BYTES);
  let started = false;
  let index = 0;
  let pending = Buffer.alloc(0);
  const seal = (plain: Buffer, final: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(params.prefix, index++, final));
    cipher.setAAD(bound);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };
  const start = async () => {
    if (!started) {
      started = true;
      await out(header);
    }
  };
  return {
    async sink(chunk) {
      await start();
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      while (pending.length > params.chunkBytes) {
        const sealed = seal(pending.subarray(0, params.chunkBytes), false);
        pending = pending.subarray(params.chunkBytes);
        await out(sealed);
      }
    },
    async finish() {
      await start();
      // The last chunk is never empty unless the whole archive is: a full chunk waits here until
      // more comes or the end is known, so the final flag always lands on real bytes.
      await out(seal(pending, true));
      pending = Buffer.alloc(0);
    },
  };
}

/** True when a file starts like an encrypted archive. */
export function isSealed(head: Uint8Array): boolean {
  return Buffer.from(head.subarray(0, 8)).equals(ENVELOPE_MAGIC);
}

export interface OpenedEnvelope {
  /** Size of the zip inside. */
  size: number;
  reader: yauzl.RandomAccessReader;
  close(): Promise<void>;
}

/**
 * Opens a sealed archive for random access: checks the passphrase (the key check) and the last
 * chunk (an archive cut short fails here, before anything is read), then decrypts chunks on demand.
 */
export async function openEnvelope(file: string, passphrase: string): Promise<OpenedEnvelope> {
  const handle = await open(file, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    await handle.read(header, 0, HEADER_BYTES, 0);
    const params = parseHeader(header);
    const key = await deriveKey(passphrase, params);
    const bound = header.subarray(0, BOUND_BYTES);
    const expected = header.subarray(BOUND_BYTES, BOUND_BYTES + TAG);
    if (!timingSafeEqual(keyCheck(key, params.prefix, bound), expected)) {
      throw new FoyerError('import_invalid', 'Wrong passphrase for this archive.', { reason: 'wrong_passphrase' });
    }
    const body = fileSize - HEADER_BYTES;
    const stride = params.chunkBytes + TAG;
    const chunks = Math.ceil(body / stride);
    const lastPlain = body - (chunks - 1) * stride - TAG;
    if (chunks < 1 || lastPlain < 0) throw truncated();
    const size = (chunks - 1) * params.chunkBytes + lastPlain;

    let cached: { index: number; plain: Buffer } | null = null;
    const chunk = async (index: number): Promise<Buffer> => {
      if (cached?.index === index) return cached.plain;
      const final = index === chunks - 1;
      const length = (final ? lastPlain : params.chunkBytes) + TAG;
      const sealed = Buffer.alloc(length);
      const { bytesRead } = await handle.read(sealed, 0, length, HEADER_BYTES + index * stride);
      if (bytesRead !== length) throw truncated();
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(params.prefix, index, final));
      decipher.setAAD(bound);
      decipher.setAuthTag(sealed.subarray(length - TAG));
      let plain: Buffer;
      try {
        plain = Buffer.concat([decipher.update(sealed.subarray(0, length - TAG)), decipher.final()]);
      } catch {
        // The last chunk of an archive cut at a chunk boundary was sealed as "not final".
        throw final ? truncated() : damaged(index);
      }
      cached = { index, plain };
      return plain;
    };
    await chunk(chunks - 1);

    class EnvelopeReader extends yauzl.RandomAccessReader {
      override _readStreamForRange(start: number, end: number): Readable {
        async function* bytes() {
          let at = start;
          while (at < end) {
            const index = Math.floor(at / params.chunkBytes);
            const plain = await chunk(index);
            const from = at - index * params.chunkBytes;
            const to = Math.min(plain.length, end - index * params.chunkBytes);
            yield plain.subarray(from, to);
            at = index * params.chunkBytes + to;
          }
        }
        return Readable.from(bytes(), { objectMode: false });
      }
    }
    return { size, reader: new EnvelopeReader(), close: () => handle.close() };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

export async function readHead(file: string, n: number): Promise<Buffer> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(file, 'r');
    const head = Buffer.alloc(n);
    const { bytesRead } = await handle.read(head, 0, n, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle?.close();
  }
}

function truncated(): FoyerError {
  return new FoyerError('import_invalid', 'This encrypted archive is truncated: its last part is missing.', {
    reason: 'truncated',
  });
}

function damaged(index: number): FoyerError {
  return new FoyerError('import_invalid', `This encrypted archive is damaged (part ${index} fails its check).`, {
    chunk: index,
    reason: 'damaged',
  });
}
