/**
 * The FileStore contract: every implementation runs this suite from its own test file.
 *
 * Decisions pinned here (see also `docs/storage.md`):
 *  - keys are exactly `<space>/<file id>/<revision>`; prefixes are one or two segments;
 *  - a range whose end is past the last byte is clipped; one starting at or past the size is
 *    `range_not_satisfiable` (so is any range of an empty blob); a malformed one is `bad_request`;
 *  - when the content stream fails, `put` rejects with that very error and stores nothing;
 *  - content chunks must be bytes (`Uint8Array`/`Buffer`), anything else is `bad_request`.
 *
 * `makeStore` gives a fresh, empty store for each test; the suite closes the store, then calls
 * `cleanup`.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../core/errors.js';
import type { FileStore, StoredBlob } from './file-store.js';

export interface FileStoreFixture {
  store: FileStore;
  cleanup(): Promise<void>;
}

const MiB = 1024 * 1024;

/** Byte `i` of pattern blob `seed` depends only on `i`, so any range can be checked without keeping the blob. */
export function patternBytes(start: number, length: number, seed = 1): Buffer {
  const out = Buffer.allocUnsafe(length);
  for (let k = 0; k < length; k++) {
    const i = start + k;
    out[k] = Math.imul(i ^ (i >>> 15) ^ seed, 0x9e3779b1) >>> 24;
  }
  return out;
}

/** A point where a source stops until the test resumes it: `reached` settles once it stopped there. */
export interface PausePoint {
  reached: Promise<void>;
  resume(): void;
  /** Called by the source when it stops. */
  stop(): Promise<void>;
}

export function pausePoint(): PausePoint {
  let stopped!: () => void;
  let resume!: () => void;
  const reached = new Promise<void>((resolve) => (stopped = resolve));
  const resumed = new Promise<void>((resolve) => (resume = resolve));
  return {
    reached,
    resume,
    stop() {
      stopped();
      return resumed;
    },
  };
}

/**
 * Streams `size` pattern bytes in `chunkSize` chunks, produced on demand (the test never holds
 * the blob). With `pauseAt` (a byte offset) it stops at `pause` there, so a test can look at the
 * store mid-upload; `failAt` throws `failWith` there.
 */
export async function* patternSource(
  size: number,
  options: {
    chunkSize?: number;
    seed?: number;
    pauseAt?: number;
    pause?: PausePoint;
    failAt?: number;
    failWith?: Error;
  } = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  for (let offset = 0; offset < size; offset += chunkSize) {
    if (options.pauseAt !== undefined && offset >= options.pauseAt && offset - chunkSize < options.pauseAt) {
      await options.pause?.stop();
    }
    if (options.failAt !== undefined && offset >= options.failAt) throw options.failWith ?? new Error('source failed');
    yield patternBytes(offset, Math.min(chunkSize, size - offset), options.seed);
  }
}

/** Size and SHA-256 of a stream, read chunk by chunk. */
export async function digestStream(stream: Readable): Promise<StoredBlob> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The error `action` rejects with; fails the test if it succeeds. */
export async function failureOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to fail, it succeeded');
}

export async function expectFoyerError(action: () => Promise<unknown>, code: string): Promise<FoyerError> {
  const error = await failureOf(action);
  expect(error).toBeInstanceOf(FoyerError);
  expect((error as FoyerError).code).toBe(code);
  return error as FoyerError;
}

const invalidKeys: [string, string][] = [
  ['an empty key', ''],
  ['one segment', 'space-1'],
  ['two segments', 'space-1/file-a'],
  ['four segments', 'space-1/file-a/1/2'],
  ['an absolute path', '/space-1/file-a/1'],
  ['an empty segment', 'space-1//1'],
  ['a trailing slash', 'space-1/file-a/1/'],
  ['a parent segment', 'space-1/../1'],
  ['a leading parent segment', '../file-a/1'],
  ['a current-folder segment', 'space-1/./1'],
  ['a hidden segment', 'space-1/.file-a/1'],
  ['a backslash', 'space-1/file-a\\..\\x/1'],
  ['a NUL byte', 'space-1/file-a/1\0'],
  ['a space', 'space-1/file a/1'],
  ['a non-ASCII letter', 'space-1/fichier-é/1'],
  ['a segment of 129 characters', `space-1/${'f'.repeat(129)}/1`],
  ['a very long key', `space-1/file-a/${'1'.repeat(10_000)}`],
];

const invalidPrefixes: [string, string][] = [
  ['an empty prefix', ''],
  ['a slash', '/'],
  ['a trailing slash', 'space-1/'],
  ['a full key', 'space-1/file-a/1'],
  ['a parent segment', '..'],
  ['a nested parent segment', 'space-1/..'],
  ['an absolute path', '/space-1'],
  ['a backslash', 'space-1\\file-a'],
  ['a NUL byte', 'space-1\0'],
  ['a very long prefix', 's'.repeat(10_000)],
];

export function fileStoreContract(name: string, makeStore: () => Promise<FileStoreFixture>): void {
  describe(`FileStore contract: ${name}`, () => {
    let store: FileStore;
    let fixture: FileStoreFixture;

    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });

    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    const text = (s: string): Buffer => Buffer.from(s, 'utf8');
    const content = async (key: string): Promise<Buffer> => readAll(await store.get(key));

    describe('put', () => {
      it('stores the bytes of a Readable and reports their size and SHA-256', async () => {
        const bytes = patternBytes(0, 100_000);
        const blob = await store.put(
          'space-1/file-a/1',
          Readable.from([bytes.subarray(0, 40_000), bytes.subarray(40_000)]),
        );
        expect(blob).toEqual({ size: 100_000, sha256: sha256(bytes) });
        expect(await content('space-1/file-a/1')).toEqual(bytes);
      });

      it('stores the bytes of an async iterable of Uint8Array chunks', async () => {
        const parts = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array([4, 5]), text('six')];
        async function* chunks(): AsyncGenerator<Uint8Array> {
          for (const part of parts) yield part;
        }
        const expected = Buffer.concat(parts);
        const blob = await store.put('space-1/file-a/1', chunks());
        expect(blob).toEqual({ size: 8, sha256: sha256(expected) });
        expect(await content('space-1/file-a/1')).toEqual(expected);
      });

      it('keeps only the viewed bytes of a Uint8Array that is a window on a larger buffer', async () => {
        const backing = patternBytes(0, 1000);
        const view = new Uint8Array(backing.buffer, backing.byteOffset + 100, 50);
        const blob = await store.put('space-1/file-a/1', Readable.from([view]));
        expect(blob).toEqual({ size: 50, sha256: sha256(backing.subarray(100, 150)) });
        expect(await content('space-1/file-a/1')).toEqual(backing.subarray(100, 150));
      });

      it('stores an empty blob', async () => {
        const blob = await store.put('space-1/file-a/1', Readable.from([]));
        expect(blob).toEqual({ size: 0, sha256: sha256(new Uint8Array(0)) });
        expect(await store.stat('space-1/file-a/1')).toEqual({ size: 0 });
        expect((await content('space-1/file-a/1')).length).toBe(0);
      });

      it('streams a 20 MB blob in chunks and reads it back identical', async () => {
        const size = 20 * 1000 * 1000 + 17;
        const expected = await digestStream(Readable.from(patternSource(size)));
        const blob = await store.put('space-1/file-big/1', patternSource(size));
        expect(blob).toEqual(expected);
        expect(await store.stat('space-1/file-big/1')).toEqual({ size });
        expect(await digestStream(await store.get('space-1/file-big/1'))).toEqual(expected);
        // A range across the 8 MiB mark (where a multipart upload joins its parts).
        const across = await readAll(await store.get('space-1/file-big/1', { start: 8 * MiB - 3, end: 8 * MiB + 2 }));
        expect(across).toEqual(patternBytes(8 * MiB - 3, 6));
      });

      it('stores a blob of exactly 8 MiB and one of 8 MiB plus one byte', async () => {
        for (const size of [8 * MiB, 8 * MiB + 1]) {
          const key = `space-1/file-${size}/1`;
          const blob = await store.put(key, patternSource(size, { chunkSize: 1_000_000 }));
          expect(blob.size).toBe(size);
          expect(await digestStream(await store.get(key))).toEqual(blob);
        }
      });

      it('replaces a blob on overwrite', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('first version, longer')]));
        const blob = await store.put('space-1/file-a/1', Readable.from([text('second')]));
        expect(blob.size).toBe(6);
        expect(await content('space-1/file-a/1')).toEqual(text('second'));
        expect(await store.stat('space-1/file-a/1')).toEqual({ size: 6 });
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('shows nothing at a new key until the upload has finished', async () => {
        const pause = pausePoint();
        const putting = store.put('space-1/file-a/1', patternSource(MiB, { pauseAt: MiB / 2, pause }));
        await pause.reached;
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        await expectFoyerError(() => store.get('space-1/file-a/1'), 'not_found');
        expect(await store.list('space-1')).toEqual([]);
        pause.resume();
        expect((await putting).size).toBe(MiB);
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('keeps serving the previous blob whole while an overwrite is streaming', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('previous')]));
        const pause = pausePoint();
        const putting = store.put('space-1/file-a/1', patternSource(9 * MiB, { pauseAt: 8.5 * MiB, pause }));
        await pause.reached;
        expect(await content('space-1/file-a/1')).toEqual(text('previous'));
        expect(await store.stat('space-1/file-a/1')).toEqual({ size: 8 });
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
        pause.resume();
        expect((await putting).size).toBe(9 * MiB);
        expect(await digestStream(await store.get('space-1/file-a/1'))).toEqual(await putting);
      });

      it('ends concurrent writes to one key with one of them whole', async () => {
        const a = patternBytes(0, 300_000, 1);
        const b = patternBytes(0, 200_000, 2);
        await Promise.all([
          store.put('space-1/file-a/1', Readable.from([a.subarray(0, 150_000), a.subarray(150_000)])),
          store.put('space-1/file-a/1', Readable.from([b.subarray(0, 100_000), b.subarray(100_000)])),
        ]);
        const stored = await content('space-1/file-a/1');
        expect([sha256(a), sha256(b)]).toContain(sha256(stored));
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('rejects with the source error and stores nothing when the content stream fails', async () => {
        const boom = new Error('client went away');
        const error = await failureOf(() =>
          store.put('space-1/file-a/1', patternSource(MiB, { failAt: 300_000, failWith: boom })),
        );
        expect(error).toBe(boom);
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        expect(await store.list('space-1')).toEqual([]);
      });

      it('keeps the previous blob intact when an overwrite fails midway', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('keep me')]));
        const boom = new Error('disconnected');
        const error = await failureOf(() =>
          store.put('space-1/file-a/1', patternSource(MiB, { failAt: 500_000, failWith: boom })),
        );
        expect(error).toBe(boom);
        expect(await content('space-1/file-a/1')).toEqual(text('keep me'));
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('keeps the previous blob intact when a large overwrite fails after several MiB', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('keep me')]));
        const boom = new Error('disconnected late');
        const error = await failureOf(() =>
          store.put('space-1/file-a/1', patternSource(20 * MiB, { failAt: 17 * MiB, failWith: boom })),
        );
        expect(error).toBe(boom);
        expect(await content('space-1/file-a/1')).toEqual(text('keep me'));
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('rejects with the error of a Readable destroyed midway and stores nothing', async () => {
        const boom = new Error('socket hang up');
        const source = new Readable({ read() {} });
        source.push(patternBytes(0, 10_000));
        setImmediate(() => source.destroy(boom));
        const error = await failureOf(() => store.put('space-1/file-a/1', source));
        expect(error).toBe(boom);
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        expect(await store.list('space-1')).toEqual([]);
      });

      it('refuses chunks that are not bytes with bad_request and stores nothing', async () => {
        await expectFoyerError(() => store.put('space-1/file-a/1', Readable.from(['some text'])), 'bad_request');
        await expectFoyerError(
          () => store.put('space-1/file-a/1', Readable.from([Buffer.from('ok'), { not: 'bytes' }])),
          'bad_request',
        );
        expect(await store.list('space-1')).toEqual([]);
      });
    });

    describe('maxBytes', () => {
      it('accepts a blob of exactly maxBytes', async () => {
        const blob = await store.put('space-1/file-a/1', Readable.from([patternBytes(0, 1000)]), { maxBytes: 1000 });
        expect(blob.size).toBe(1000);
      });

      it('accepts an empty blob with maxBytes 0', async () => {
        const blob = await store.put('space-1/file-a/1', Readable.from([]), { maxBytes: 0 });
        expect(blob.size).toBe(0);
      });

      it('refuses one byte over maxBytes with payload_too_large and stores nothing', async () => {
        const error = await expectFoyerError(
          () =>
            store.put('space-1/file-a/1', Readable.from([patternBytes(0, 600), patternBytes(600, 401)]), {
              maxBytes: 1000,
            }),
          'payload_too_large',
        );
        expect(error.details).toEqual({ maxBytes: 1000 });
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        expect(await store.list('space-1')).toEqual([]);
      });

      it('refuses a large oversize overwrite midway and keeps the previous blob', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('small')]));
        let produced = 0;
        async function* endless(): AsyncGenerator<Uint8Array> {
          for (;;) {
            produced += MiB;
            yield patternBytes(produced, MiB);
          }
        }
        await expectFoyerError(
          () => store.put('space-1/file-a/1', endless(), { maxBytes: 9 * MiB }),
          'payload_too_large',
        );
        // The store stopped reading soon after the limit instead of draining the source.
        expect(produced).toBeLessThanOrEqual(11 * MiB);
        expect(await content('space-1/file-a/1')).toEqual(text('small'));
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
      });

      it('refuses a negative or fractional maxBytes with bad_request', async () => {
        await expectFoyerError(
          () => store.put('space-1/file-a/1', Readable.from([text('x')]), { maxBytes: -1 }),
          'bad_request',
        );
        await expectFoyerError(
          () => store.put('space-1/file-a/1', Readable.from([text('x')]), { maxBytes: 1.5 }),
          'bad_request',
        );
        expect(await store.list('space-1')).toEqual([]);
      });
    });

    describe('get', () => {
      const key = 'space-1/file-a/1';
      const bytes = patternBytes(0, 1000);
      const range = async (start: number, end: number): Promise<Buffer> =>
        readAll(await store.get(key, { start, end }));

      beforeEach(async () => {
        await store.put(key, Readable.from([bytes]));
      });

      it('returns the first byte', async () => {
        expect(await range(0, 0)).toEqual(bytes.subarray(0, 1));
      });

      it('returns the last byte', async () => {
        expect(await range(999, 999)).toEqual(bytes.subarray(999));
      });

      it('returns a range in the middle, both ends inclusive', async () => {
        expect(await range(100, 199)).toEqual(bytes.subarray(100, 200));
      });

      it('returns the whole blob for the range 0 to size - 1', async () => {
        expect(await range(0, 999)).toEqual(bytes);
      });

      it('clips a range that ends past the last byte', async () => {
        expect(await range(990, 5000)).toEqual(bytes.subarray(990));
      });

      it('refuses a range starting at or past the size with range_not_satisfiable', async () => {
        const error = await expectFoyerError(() => store.get(key, { start: 1000, end: 1000 }), 'range_not_satisfiable');
        expect(error.details).toEqual({ size: 1000 });
        await expectFoyerError(() => store.get(key, { start: 5000, end: 6000 }), 'range_not_satisfiable');
      });

      it('refuses any range of an empty blob with range_not_satisfiable', async () => {
        await store.put('space-1/file-empty/1', Readable.from([]));
        await expectFoyerError(() => store.get('space-1/file-empty/1', { start: 0, end: 0 }), 'range_not_satisfiable');
      });

      it('refuses a malformed range with bad_request', async () => {
        await expectFoyerError(() => store.get(key, { start: 10, end: 9 }), 'bad_request');
        await expectFoyerError(() => store.get(key, { start: -1, end: 9 }), 'bad_request');
        await expectFoyerError(() => store.get(key, { start: 0.5, end: 9 }), 'bad_request');
        await expectFoyerError(() => store.get(key, { start: 0, end: Number.NaN }), 'bad_request');
      });

      it('answers not_found for a missing key, with or without a range', async () => {
        await expectFoyerError(() => store.get('space-1/file-b/1'), 'not_found');
        await expectFoyerError(() => store.get('space-1/file-b/1', { start: 0, end: 0 }), 'not_found');
        await expectFoyerError(() => store.get('space-2/file-a/1'), 'not_found');
      });
    });

    describe('stat, delete, list, deletePrefix', () => {
      const put = async (key: string, body = key): Promise<void> => {
        await store.put(key, Readable.from([text(body)]));
      };

      it('stats a blob by size and answers null for a missing one', async () => {
        await put('space-1/file-a/1', 'twelve bytes');
        expect(await store.stat('space-1/file-a/1')).toEqual({ size: 12 });
        expect(await store.stat('space-1/file-a/2')).toBeNull();
        expect(await store.stat('space-9/file-a/1')).toBeNull();
      });

      it('deletes a blob, and deleting again or deleting a missing key succeeds', async () => {
        await put('space-1/file-a/1');
        await put('space-1/file-a/2');
        await store.delete('space-1/file-a/1');
        await expectFoyerError(() => store.get('space-1/file-a/1'), 'not_found');
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        await store.delete('space-1/file-a/1');
        await store.delete('space-7/file-z/9');
        expect(await store.list('space-1')).toEqual(['space-1/file-a/2']);
      });

      it('can store a key again after deleting it', async () => {
        await put('space-1/file-a/1', 'one');
        await store.delete('space-1/file-a/1');
        await put('space-1/file-a/1', 'again');
        expect(await content('space-1/file-a/1')).toEqual(text('again'));
      });

      it('lists the keys under a space or a file, sorted, and nothing of a neighbour', async () => {
        for (const key of [
          'space-1/file-b/1',
          'space-1/file-a/2',
          'space-1/file-a/1',
          'space-10/file-a/1',
          'space-1/file-ab/1',
        ]) {
          await put(key);
        }
        expect(await store.list('space-1')).toEqual([
          'space-1/file-a/1',
          'space-1/file-a/2',
          'space-1/file-ab/1',
          'space-1/file-b/1',
        ]);
        expect(await store.list('space-1/file-a')).toEqual(['space-1/file-a/1', 'space-1/file-a/2']);
        expect(await store.list('space-10')).toEqual(['space-10/file-a/1']);
        expect(await store.list('space-2')).toEqual([]);
        expect(await store.list('space-1/file-c')).toEqual([]);
      });

      it('deletes exactly the keys under a space, not those of space-10', async () => {
        for (const key of ['space-1/file-a/1', 'space-1/file-b/1', 'space-10/file-a/1', 'space-2/file-a/1']) {
          await put(key);
        }
        await store.deletePrefix('space-1');
        expect(await store.list('space-1')).toEqual([]);
        expect(await store.stat('space-1/file-a/1')).toBeNull();
        expect(await store.list('space-10')).toEqual(['space-10/file-a/1']);
        expect(await store.list('space-2')).toEqual(['space-2/file-a/1']);
        expect(await content('space-10/file-a/1')).toEqual(text('space-10/file-a/1'));
      });

      it('deletes exactly the revisions of one file', async () => {
        for (const key of ['space-1/file-a/1', 'space-1/file-a/2', 'space-1/file-ab/1', 'space-1/file-b/1']) {
          await put(key);
        }
        await store.deletePrefix('space-1/file-a');
        expect(await store.list('space-1')).toEqual(['space-1/file-ab/1', 'space-1/file-b/1']);
      });

      it('deletes a missing prefix without error, twice', async () => {
        await store.deletePrefix('space-404');
        await store.deletePrefix('space-404');
        expect(await store.list('space-404')).toEqual([]);
      });
    });

    describe('bad names', () => {
      for (const [label, key] of invalidKeys) {
        it(`refuses a key with ${label} with invalid_name, in every operation`, async () => {
          await expectFoyerError(() => store.put(key, Readable.from([text('x')])), 'invalid_name');
          await expectFoyerError(() => store.get(key), 'invalid_name');
          await expectFoyerError(() => store.get(key, { start: 0, end: 0 }), 'invalid_name');
          await expectFoyerError(() => store.stat(key), 'invalid_name');
          await expectFoyerError(() => store.delete(key), 'invalid_name');
        });
      }

      for (const [label, prefix] of invalidPrefixes) {
        it(`refuses a prefix with ${label} with invalid_name in list and deletePrefix`, async () => {
          await expectFoyerError(() => store.list(prefix), 'invalid_name');
          await expectFoyerError(() => store.deletePrefix(prefix), 'invalid_name');
        });
      }

      it('stores nothing when refusing a bad key', async () => {
        await store.put('space-1/file-a/1', Readable.from([text('kept')]));
        await expectFoyerError(() => store.put('space-1/../space-1', Readable.from([text('x')])), 'invalid_name');
        await expectFoyerError(() => store.deletePrefix('space-1/..'), 'invalid_name');
        expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
        expect(await content('space-1/file-a/1')).toEqual(text('kept'));
      });

      it('accepts keys made of letters, digits, dots, underscores and dashes', async () => {
        const key = `Space_1/file.A-b_c/${'9'.repeat(128)}`;
        await store.put(key, Readable.from([text('fine')]));
        expect(await store.list('Space_1')).toEqual([key]);
        expect(await content(key)).toEqual(text('fine'));
      });
    });
  });
}
