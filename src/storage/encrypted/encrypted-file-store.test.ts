import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { createDiskFileStore } from '../disk/disk-file-store.js';
import {
  digestStream,
  expectFoyerError,
  failureOf,
  fileStoreContract,
  patternBytes,
  patternSource,
  pausePoint,
  readAll,
} from '../file-store.contract.js';
import type { FileStore } from '../file-store.js';
import { createS3FileStore } from '../s3/s3-file-store.js';
import { lendS3rverACipher, startS3Server, storeOptions } from '../s3/s3-test-server.js';
import {
  CHUNK_CIPHER_BYTES,
  CHUNK_PLAIN_BYTES,
  cipherSizeOf,
  HEADER_BYTES,
  chunkOffset,
} from './encrypted-blob-format.js';
import { createEncryptedFileStore, type BlobKeys } from './encrypted-file-store.js';

const P = CHUNK_PLAIN_BYTES;

/** Data keys held in memory, per space and version: the decorator's side of `SpaceKeys`. */
function memoryKeys() {
  const spaces = new Map<string, Buffer[]>();
  const versionsOf = (space: string): Buffer[] => {
    let versions = spaces.get(space);
    if (!versions) spaces.set(space, (versions = [randomBytes(32)]));
    return versions;
  };
  const keys: BlobKeys & { rotate(space: string): void } = {
    async current(space) {
      const versions = versionsOf(space);
      return { version: versions.length, key: versions[versions.length - 1]! };
    },
    async version(space, version) {
      const key = versionsOf(space)[version - 1];
      if (!key) throw new FoyerError('integrity_failed', `no version ${version}`);
      return { version, key };
    },
    rotate(space) {
      versionsOf(space).push(randomBytes(32));
    },
  };
  return keys;
}

fileStoreContract('encrypted over disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'foyer-encrypted-'));
  return {
    store: createEncryptedFileStore(createDiskFileStore({ root: join(dir, 'files') }), memoryKeys()),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('over S3', () => {
  let giveCipherBack: () => void;
  beforeAll(() => {
    giveCipherBack = lendS3rverACipher();
  });
  afterAll(() => giveCipherBack());

  fileStoreContract('encrypted over s3 (s3rver)', async () => {
    const server = await startS3Server();
    return {
      store: createEncryptedFileStore(
        createS3FileStore(storeOptions(server, { prefix: 'deployment-1' })),
        memoryKeys(),
      ),
      cleanup: server.stop,
    };
  });
});

describe('encrypted FileStore', () => {
  let dir: string;
  let root: string;
  let raw: FileStore;
  let keys: ReturnType<typeof memoryKeys>;
  let store: FileStore;
  const key = 'space-1/file-a/1';
  const rawPath = (k = key): string => join(root, ...k.split('/'));

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'foyer-encrypted-'));
    root = join(dir, 'files');
    raw = createDiskFileStore({ root });
    keys = memoryKeys();
    store = createEncryptedFileStore(raw, keys);
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const put = (bytes: Uint8Array, k = key) => store.put(k, Readable.from([bytes]));
  const content = async (k = key): Promise<Buffer> => readAll(await store.get(k));
  const range = async (start: number, end: number, k = key): Promise<Buffer> =>
    readAll(await store.get(k, { start, end }));
  /** Rewrites the stored ciphertext of `k`. */
  const tamper = async (edit: (bytes: Buffer) => Buffer, k = key): Promise<void> => {
    await writeFile(rawPath(k), edit(await readFile(rawPath(k))));
  };
  const flip = (at: number) => (bytes: Buffer) => {
    bytes[at]! ^= 0x01;
    return bytes;
  };

  it('stores none of the plaintext, and reports the plaintext size and SHA-256', async () => {
    const secret = Buffer.from('the secret is 4242-HORSE-STAPLE '.repeat(5000));
    const blob = await put(secret);
    expect(blob.size).toBe(secret.length);
    const stored = await readFile(rawPath());
    expect(stored.includes(Buffer.from('4242-HORSE-STAPLE'))).toBe(false);
    expect(stored.length).toBe(cipherSizeOf(secret.length));
    expect(await store.stat(key)).toEqual({ size: secret.length });
    expect(await content()).toEqual(secret);
  });

  for (const size of [0, 1, P - 1, P, P + 1, 3 * P, 3 * P + 7]) {
    it(`round-trips ${size} bytes and states that size`, async () => {
      const bytes = patternBytes(0, size);
      expect((await put(bytes)).size).toBe(size);
      expect(await store.stat(key)).toEqual({ size });
      expect((await raw.stat(key))?.size).toBe(cipherSizeOf(size));
      expect(await content()).toEqual(bytes);
    });
  }

  describe('byte ranges', () => {
    const size = 3 * P + 100;
    const bytes = patternBytes(0, size);
    beforeEach(async () => {
      await put(bytes);
    });

    const cases: [string, number, number][] = [
      ['the first byte', 0, 0],
      ['the last byte of the first chunk', P - 1, P - 1],
      ['the first byte of the second chunk', P, P],
      ['the two bytes across a chunk boundary', P - 1, P],
      ['a range from one byte before a boundary to one after the next', P - 1, 2 * P],
      ['a range inside a middle chunk', P + 10, P + 20],
      ['the last chunk whole', 3 * P, size - 1],
      ['the last byte', size - 1, size - 1],
      ['the whole blob', 0, size - 1],
      ['everything from a middle chunk on', 2 * P + 5, size - 1],
    ];
    for (const [label, start, end] of cases) {
      it(`returns ${label}`, async () => {
        expect(await range(start, end)).toEqual(bytes.subarray(start, end + 1));
      });
    }

    it('clips a range that ends past the last byte', async () => {
      expect(await range(size - 3, size + 10_000)).toEqual(bytes.subarray(size - 3));
    });

    it('refuses a range starting at the plaintext size with range_not_satisfiable and that size', async () => {
      const error = await expectFoyerError(() => store.get(key, { start: size, end: size }), 'range_not_satisfiable');
      expect(error.details).toEqual({ size });
    });

    it('reads only the chunks that cover a range, plus the header', async () => {
      const asked: { start: number; end: number }[] = [];
      const watching = createEncryptedFileStore(
        {
          ...raw,
          async get(k, r) {
            if (r) asked.push(r);
            return raw.get(k, r);
          },
        },
        keys,
      );
      expect(await readAll(await watching.get(key, { start: 2 * P + 1, end: 2 * P + 2 }))).toEqual(
        bytes.subarray(2 * P + 1, 2 * P + 3),
      );
      expect(asked).toEqual([
        { start: 0, end: HEADER_BYTES - 1 },
        { start: chunkOffset(2), end: chunkOffset(3) - 1 },
      ]);
    });
  });

  describe('refuses damaged content with integrity_failed, never with wrong bytes', () => {
    const size = 3 * P + 100;
    const bytes = patternBytes(0, size);
    beforeEach(async () => {
      await put(bytes);
    });

    /** The bytes a full read yields before it fails, and its error. */
    async function readUntilFailure(): Promise<{ got: Buffer; error: unknown }> {
      const parts: Buffer[] = [];
      const error = await failureOf(async () => {
        for await (const part of await store.get(key)) parts.push(part as Buffer);
      });
      return { got: Buffer.concat(parts), error };
    }

    const expectIntegrity = (error: unknown): void => {
      expect(error).toBeInstanceOf(FoyerError);
      expect((error as FoyerError).code).toBe('integrity_failed');
    };

    it('a flipped bit in the first chunk: the get itself fails, whole or ranged', async () => {
      await tamper(flip(HEADER_BYTES + 100));
      await expectFoyerError(() => store.get(key), 'integrity_failed');
      await expectFoyerError(() => store.get(key, { start: 0, end: 10 }), 'integrity_failed');
      // Chunks that were not touched still read.
      expect(await range(P, 2 * P - 1)).toEqual(bytes.subarray(P, 2 * P));
    });

    it('a flipped bit in a later chunk: the stream fails there, after only the intact chunks', async () => {
      await tamper(flip(chunkOffset(2) + 500));
      const { got, error } = await readUntilFailure();
      expectIntegrity(error);
      expect(got).toEqual(bytes.subarray(0, got.length));
      expect(got.length).toBeLessThanOrEqual(2 * P);
      await expectFoyerError(() => store.get(key, { start: 2 * P, end: 2 * P }), 'integrity_failed');
    });

    it('a flipped bit in a nonce or a tag', async () => {
      await tamper(flip(HEADER_BYTES));
      await expectFoyerError(() => store.get(key), 'integrity_failed');
      await tamper(flip(HEADER_BYTES));
      await tamper(flip(chunkOffset(1) - 1));
      await expectFoyerError(() => store.get(key), 'integrity_failed');
    });

    it('an edited header: magic, format version or key version', async () => {
      for (const at of [0, 4, 8]) {
        await tamper(flip(at));
        await expectFoyerError(() => store.get(key), 'integrity_failed');
        await expectFoyerError(() => store.get(key, { start: 2 * P, end: 2 * P }), 'integrity_failed');
        await tamper(flip(at));
      }
      expect(await content()).toEqual(bytes);
    });

    it('a header naming another existing key version', async () => {
      keys.rotate('space-1');
      await tamper((b) => {
        b.writeUInt32BE(2, 5);
        return b;
      });
      await expectFoyerError(() => store.get(key), 'integrity_failed');
    });

    it('a blob cut short by one byte', async () => {
      await tamper((b) => b.subarray(0, b.length - 1));
      const { got, error } = await readUntilFailure();
      expectIntegrity(error);
      expect(got).toEqual(bytes.subarray(0, got.length));
      expect(got.length).toBeLessThan(size);
      await expectFoyerError(() => store.get(key, { start: size - 2, end: size - 2 }), 'integrity_failed');
    });

    it('a blob cut at a chunk boundary (its last chunk dropped)', async () => {
      await tamper((b) => b.subarray(0, chunkOffset(3)));
      // The size looks like that of a 3-chunk blob, but its last chunk was not sealed as the last.
      expect(await store.stat(key)).toEqual({ size: 3 * P });
      const { got, error } = await readUntilFailure();
      expectIntegrity(error);
      expect(got.length).toBeLessThanOrEqual(2 * P);
      await expectFoyerError(() => store.get(key, { start: 3 * P - 1, end: 3 * P - 1 }), 'integrity_failed');
    });

    it('a blob cut inside its header, or emptied', async () => {
      for (const length of [HEADER_BYTES - 1, 0, HEADER_BYTES, HEADER_BYTES + 27]) {
        await put(bytes);
        await tamper((b) => b.subarray(0, length));
        await expectFoyerError(() => store.get(key), 'integrity_failed');
        await expectFoyerError(() => store.stat(key), 'integrity_failed');
        await expectFoyerError(() => store.get(key, { start: 0, end: 0 }), 'integrity_failed');
      }
    });

    it('bytes appended after the last chunk', async () => {
      await tamper((b) => Buffer.concat([b, Buffer.from('extra')]));
      const { error } = await readUntilFailure();
      expectIntegrity(error);
    });

    it('two chunks swapped', async () => {
      await tamper((b) => {
        const first = Buffer.from(b.subarray(chunkOffset(0), chunkOffset(1)));
        b.subarray(chunkOffset(1), chunkOffset(2)).copy(b, chunkOffset(0));
        first.copy(b, chunkOffset(1));
        return b;
      });
      await expectFoyerError(() => store.get(key), 'integrity_failed');
      await expectFoyerError(() => store.get(key, { start: P, end: P }), 'integrity_failed');
    });

    it('a chunk replaced by the same-index chunk of another blob of the space', async () => {
      await put(patternBytes(0, size, 2), 'space-1/file-b/1');
      const other = await readFile(rawPath('space-1/file-b/1'));
      await tamper((b) => {
        other.subarray(chunkOffset(1), chunkOffset(2)).copy(b, chunkOffset(1));
        return b;
      });
      await expectFoyerError(() => store.get(key, { start: P, end: P }), 'integrity_failed');
    });

    it('a whole blob copied to another key, of the same space or of another', async () => {
      for (const target of ['space-1/file-b/1', 'space-1/file-a/2']) {
        await raw.put(target, Readable.from([await readFile(rawPath())]));
        await expectFoyerError(() => store.get(target), 'integrity_failed');
      }
      // Another space has another data key; copy its blob over this one's.
      await put(bytes, 'space-2/file-a/1');
      await raw.put(key, Readable.from([await readFile(rawPath('space-2/file-a/1'))]));
      await expectFoyerError(() => store.get(key), 'integrity_failed');
    });

    it('content read with the wrong data key', async () => {
      const other = createEncryptedFileStore(raw, memoryKeys());
      await expectFoyerError(() => other.get(key), 'integrity_failed');
      await expectFoyerError(() => other.get(key, { start: 2 * P, end: 2 * P + 1 }), 'integrity_failed');
    });
  });

  it('reads content written under an older data key version after a rotation', async () => {
    const before = patternBytes(0, 2 * P + 3, 1);
    const after = patternBytes(0, 1000, 2);
    await put(before, 'space-1/file-old/1');
    keys.rotate('space-1');
    await put(after, 'space-1/file-new/1');
    expect((await readFile(rawPath('space-1/file-old/1'))).readUInt32BE(5)).toBe(1);
    expect((await readFile(rawPath('space-1/file-new/1'))).readUInt32BE(5)).toBe(2);
    expect(await content('space-1/file-old/1')).toEqual(before);
    expect(await range(P + 1, 2 * P + 1, 'space-1/file-old/1')).toEqual(before.subarray(P + 1, 2 * P + 2));
    expect(await content('space-1/file-new/1')).toEqual(after);
  });

  it('encrypts each space under its own key: the same content stores differently', async () => {
    const bytes = patternBytes(0, 5000);
    await put(bytes, 'space-1/file-a/1');
    await put(bytes, 'space-2/file-a/1');
    await put(bytes, 'space-1/file-a/2');
    const stored = await Promise.all(
      ['space-1/file-a/1', 'space-2/file-a/1', 'space-1/file-a/2'].map((k) => readFile(rawPath(k))),
    );
    expect(new Set(stored.map((b) => b.subarray(HEADER_BYTES).toString('hex'))).size).toBe(3);
  });

  it('streams an upload into the inner store as it arrives (chunk by chunk, not whole)', async () => {
    const pause = pausePoint();
    const putting = store.put(key, patternSource(20_000_000, { pauseAt: 16_000_000, pause }));
    await pause.reached;
    const folder = join(root, 'space-1', 'file-a');
    const [temp] = await readdir(folder);
    expect((await stat(join(folder, temp ?? ''))).size).toBeGreaterThan(10_000_000);
    pause.resume();
    const blob = await putting;
    expect(await digestStream(await store.get(key))).toEqual(blob);
  });

  it('decrypts a download chunk by chunk: a reader that stops early leaves the rest unread', async () => {
    await store.put(key, patternSource(10 * P));
    let read = 0;
    const counting = createEncryptedFileStore(
      {
        ...raw,
        async get(k, r) {
          const stream = await raw.get(k, r);
          stream.on('data', (part: Buffer) => (read += part.length));
          return stream;
        },
      },
      keys,
    );
    const stream = await counting.get(key);
    for await (const part of stream) {
      expect(part).toEqual(patternBytes(0, (part as Buffer).length));
      break;
    }
    expect(read).toBeLessThan(cipherSizeOf(10 * P));
    expect(read).toBeGreaterThanOrEqual(CHUNK_CIPHER_BYTES);
  });

  it('fails a put whose data key cannot be had, storing nothing and stopping the content', async () => {
    const failing = createEncryptedFileStore(raw, {
      current: async () => {
        throw new FoyerError('unavailable', 'no key');
      },
      version: keys.version,
    });
    const source = Readable.from([Buffer.from('x')]);
    await expectFoyerError(() => failing.put(key, source), 'unavailable');
    expect(source.destroyed).toBe(true);
    expect(await raw.list('space-1')).toEqual([]);
  });
});
