import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import {
  expectFoyerError,
  failureOf,
  fileStoreContract,
  patternBytes,
  patternSource,
  pausePoint,
  readAll,
} from '../file-store.contract.js';
import type { FileStore } from '../file-store.js';
import { createS3FileStore } from './s3-file-store.js';
import { BUCKET, lendS3rverACipher, startS3Server, storeOptions, type TestS3Server } from './s3-test-server.js';

const MiB = 1024 * 1024;

let giveCipherBack: () => void;
beforeAll(() => {
  giveCipherBack = lendS3rverACipher();
});
afterAll(() => giveCipherBack());

fileStoreContract('s3 (s3rver)', async () => {
  const server = await startS3Server();
  return { store: createS3FileStore(storeOptions(server, { prefix: 'deployment-1' })), cleanup: server.stop };
});

describe('S3 FileStore', () => {
  let server: TestS3Server;
  let store: FileStore;
  let raw: S3Client;

  /** Object keys in the bucket, as S3 has them. */
  const bucketKeys = async (): Promise<string[]> => {
    const page = await raw.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    return (page.Contents ?? []).map((object) => object.Key ?? '').sort();
  };

  beforeEach(async () => {
    server = await startS3Server();
    store = createS3FileStore(storeOptions(server, { prefix: 'deployment-1' }));
    const options = storeOptions(server);
    raw = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: true,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    });
  });

  afterEach(async () => {
    raw.destroy();
    await store.close();
    await server.stop();
  });

  it('stores a key at <prefix>/<key>, or at <key> without a prefix', async () => {
    const bare = createS3FileStore(storeOptions(server));
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('prefixed')]));
    await bare.put('space-1/file-a/1', Readable.from([Buffer.from('bare')]));
    expect(await bucketKeys()).toEqual(['deployment-1/space-1/file-a/1', 'space-1/file-a/1']);
    expect(await readAll(await store.get('space-1/file-a/1'))).toEqual(Buffer.from('prefixed'));
    expect(await bare.list('space-1')).toEqual(['space-1/file-a/1']);
    await bare.close();
  });

  it('keeps stores with different prefixes apart', async () => {
    const other = createS3FileStore(storeOptions(server, { prefix: 'deployment-10/x' }));
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('one')]));
    await other.put('space-1/file-a/1', Readable.from([Buffer.from('other')]));
    await other.deletePrefix('space-1');
    expect(await other.list('space-1')).toEqual([]);
    expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
    expect(await bucketKeys()).toEqual(['deployment-1/space-1/file-a/1']);
    await other.close();
  });

  it('refuses an invalid prefix option with invalid_name', async () => {
    for (const prefix of ['', '/', 'a/', '/a', '..', 'a/../b', 'a b', 'a\\b']) {
      await expectFoyerError(async () => createS3FileStore(storeOptions(server, { prefix })), 'invalid_name');
    }
  });

  it('sends content of up to one 8 MiB part in one PutObject and longer content as a multipart upload', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('small')]));
    await store.put('space-1/file-b/1', patternSource(8 * MiB));
    await store.put('space-1/file-c/1', patternSource(8 * MiB + 1));
    await store.put('space-1/file-d/1', Readable.from([]));
    expect(server.events).toEqual([
      'ObjectCreated:Put',
      'ObjectCreated:Put',
      'ObjectCreated:Post',
      'ObjectCreated:Put',
    ]);
    expect(await server.pendingUploads()).toEqual([]);
  });

  it('uploads parts while the content is still streaming', async () => {
    const pause = pausePoint();
    const putting = store.put('space-1/file-a/1', patternSource(20 * MiB, { pauseAt: 17 * MiB, pause }));
    await pause.reached;
    const [upload, ...others] = await server.pendingUploads();
    expect(others).toEqual([]);
    const parts = await readdir(join(server.directory, BUCKET, '._S3rver_uploads', upload ?? ''));
    // Two 8 MiB parts are up before the source went past 17 MiB: at most one part is held in memory.
    expect(parts.filter((name) => /^\d+$/.test(name)).sort()).toEqual(['1', '2']);
    pause.resume();
    expect((await putting).size).toBe(20 * MiB);
    expect(await server.pendingUploads()).toEqual([]);
  });

  it('aborts the multipart upload when the source fails or exceeds maxBytes', async () => {
    await failureOf(() => store.put('space-1/file-a/1', patternSource(20 * MiB, { failAt: 9 * MiB })));
    await expectFoyerError(
      () => store.put('space-1/file-a/2', patternSource(20 * MiB), { maxBytes: 17 * MiB }),
      'payload_too_large',
    );
    expect(await server.pendingUploads()).toEqual([]);
    expect(await bucketKeys()).toEqual([]);
  });

  it('reads back each overwrite as soon as it is acknowledged, never the object before it', async () => {
    // The test server's own guarantee, which every S3 test relies on: s3rver alone answers before writing.
    for (let round = 0; round < 100; round++) {
      const body = `version ${round} `.repeat(1 + (round % 7) * 40);
      await store.put('space-1/file-a/1', Readable.from([Buffer.from(body)]));
      expect((await readAll(await store.get('space-1/file-a/1'))).toString()).toBe(body);
    }
  });

  it('still serves exact ranges from a server that ignores Range', async () => {
    const bytes = patternBytes(0, 5000);
    await store.put('space-1/file-a/1', Readable.from([bytes]));
    server.rangeOverride = null;
    expect(await readAll(await store.get('space-1/file-a/1', { start: 3, end: 7 }))).toEqual(bytes.subarray(3, 8));
    expect(await readAll(await store.get('space-1/file-a/1', { start: 4990, end: 9999 }))).toEqual(
      bytes.subarray(4990),
    );
    const error = await expectFoyerError(
      () => store.get('space-1/file-a/1', { start: 5000, end: 5000 }),
      'range_not_satisfiable',
    );
    expect(error.details).toEqual({ size: 5000 });
  });

  it('fails with internal when the server answers another range than the one requested', async () => {
    await store.put('space-1/file-a/1', Readable.from([patternBytes(0, 5000)]));
    server.rangeOverride = 'bytes=10-20';
    await expectFoyerError(() => store.get('space-1/file-a/1', { start: 3, end: 7 }), 'internal');
    await expectFoyerError(() => store.get('space-1/file-a/1', { start: 15, end: 30 }), 'internal');
  });

  it('fails deletePrefix with unavailable when the store refuses to delete some keys', async () => {
    await store.put('space-1/file-a/1', Readable.from([Buffer.from('x')]));
    server.failDeletes = true;
    const error = await expectFoyerError(() => store.deletePrefix('space-1'), 'unavailable');
    expect(error.details).toEqual({ failed: 1 });
    expect(await store.list('space-1')).toEqual(['space-1/file-a/1']);
  });

  it('lists and deletes every key under a prefix across several list pages', async () => {
    server.listPageLimit = 10;
    const keys = Array.from({ length: 25 }, (_, i) => `space-1/file-${String(i).padStart(2, '0')}/1`);
    await Promise.all(keys.map((key) => store.put(key, Readable.from([Buffer.from(key)]))));
    await store.put('space-10/file-a/1', Readable.from([Buffer.from('stays')]));
    expect(await store.list('space-1')).toEqual(keys);
    expect(server.listRequests).toBe(3);
    await store.deletePrefix('space-1');
    expect(await store.list('space-1')).toEqual([]);
    expect(await store.list('space-10')).toEqual(['space-10/file-a/1']);
  });

  it('fails with unavailable when the credentials are wrong', async () => {
    const wrong = createS3FileStore(storeOptions(server, { accessKeyId: 'NOT-A-KEY', maxAttempts: 1 }));
    await expectFoyerError(() => wrong.put('space-1/file-a/1', Readable.from([Buffer.from('x')])), 'unavailable');
    await expectFoyerError(() => wrong.stat('space-1/file-a/1'), 'unavailable');
    await wrong.close();
  });

  it('fails with unavailable when the bucket does not exist', async () => {
    const missing = createS3FileStore(storeOptions(server, { bucket: 'no-such-bucket', maxAttempts: 1 }));
    await expectFoyerError(() => missing.put('space-1/file-a/1', Readable.from([Buffer.from('x')])), 'unavailable');
    await expectFoyerError(() => missing.list('space-1'), 'unavailable');
    await missing.close();
  });
});

describe('S3 FileStore against a closed port', () => {
  it('fails every operation with unavailable, quickly, with a plain message', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const store = createS3FileStore(
      storeOptions(
        { endpoint: `http://127.0.0.1:${port}` },
        { maxAttempts: 2, connectionTimeoutMs: 1000, requestTimeoutMs: 2000 },
      ),
    );
    const started = Date.now();
    const operations: (() => Promise<unknown>)[] = [
      () => store.put('space-1/file-a/1', Readable.from([Buffer.from('x')])),
      () => store.put('space-1/file-a/1', patternSource(9 * MiB)),
      () => store.get('space-1/file-a/1'),
      () => store.get('space-1/file-a/1', { start: 0, end: 0 }),
      () => store.stat('space-1/file-a/1'),
      () => store.delete('space-1/file-a/1'),
      () => store.deletePrefix('space-1'),
      () => store.list('space-1'),
    ];
    for (const operation of operations) {
      const error = await expectFoyerError(operation, 'unavailable');
      expect(error).toBeInstanceOf(FoyerError);
      expect(error.message).toBe('The file storage is unavailable.');
    }
    expect(Date.now() - started).toBeLessThan(5000);
    await store.close();
  });
});
