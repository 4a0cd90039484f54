/**
 * The S3 store tests' server: s3rver in process, with what it lacks filled in front of it (see
 * docs/storage.md, "Testing S3 with s3rver"). Shared by the S3 store's tests and by those of the
 * stores layered on it (encryption).
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import S3rver from 's3rver';
import type { S3FileStoreOptions } from './s3-file-store.js';

export const BUCKET = 'foyer-test';
export interface TestS3Server {
  endpoint: string;
  directory: string;
  /** s3rver's event names, in order (`ObjectCreated:Put` for PutObject, `:Post` for a completed multipart upload). */
  events: string[];
  /** `null`: Range headers are dropped, as HTTP allows a server to; a string: they are replaced by it. */
  rangeOverride: string | null | undefined;
  /** When set, DeleteObjects reports every key as failed (AccessDenied) and deletes nothing. */
  failDeletes: boolean;
  /** When set, list pages hold at most this many keys, as S3 allows whatever MaxKeys asks. */
  listPageLimit: number | undefined;
  /** ListObjectsV2 requests served. */
  listRequests: number;
  /** Multipart uploads begun and neither completed nor aborted. */
  pendingUploads(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * s3rver on a free loopback port, in front of which this test server adds what s3rver lacks:
 *  - AbortMultipartUpload (s3rver answers 405): the upload's folder is removed;
 *  - atomic replacement: s3rver rewrites an object's file in place, so two writes of one key
 *    would interleave; whole-object writes are serialised, as S3 makes them atomic;
 *  - durable answers: see `writeBeforeAnswering`.
 */
export async function startS3Server(): Promise<TestS3Server> {
  const directory = await mkdtemp(join(tmpdir(), 'foyer-s3rver-'));
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: BUCKET, configs: [] }] });
  await s3rver.configureBuckets();
  const incoming = join(directory, BUCKET, '._S3rver_incoming');
  await mkdir(incoming);
  writeBeforeAnswering(s3rver.store, incoming);
  const events: string[] = [];
  s3rver.on('event', (event) => events.push(...event.Records.map((record) => record.eventName)));
  const handle = s3rver.callback();
  const uploadsDir = join(directory, BUCKET, '._S3rver_uploads');
  let objectWrites: Promise<void> = Promise.resolve();

  const test: TestS3Server = {
    endpoint: '',
    directory,
    events,
    rangeOverride: undefined,
    failDeletes: false,
    listPageLimit: undefined,
    listRequests: 0,
    pendingUploads: () => readdir(uploadsDir).catch(() => []),
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };

  // s3rver does not check v4 signatures, so requests can be rewritten here.
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://s3.test');
    const uploadId = url.searchParams.get('uploadId');
    if (test.rangeOverride === null) delete req.headers.range;
    else if (test.rangeOverride !== undefined && req.headers.range) req.headers.range = test.rangeOverride;
    if (test.failDeletes && req.method === 'POST' && url.searchParams.has('delete')) {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(
        '<DeleteResult><Error><Key>x</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>',
      );
      return;
    }
    if (url.searchParams.get('list-type') === '2') test.listRequests++;
    if (test.listPageLimit !== undefined && url.searchParams.has('max-keys')) {
      url.searchParams.set('max-keys', String(test.listPageLimit));
      req.url = url.pathname + url.search;
    }
    if (req.method === 'DELETE' && uploadId !== null) {
      if (!/^[0-9a-f]+$/.test(uploadId)) return void res.writeHead(404).end();
      void rm(join(uploadsDir, uploadId), { recursive: true, force: true }).then(() => res.writeHead(204).end());
      return;
    }
    const writesObject = (req.method === 'PUT' && uploadId === null) || (req.method === 'POST' && uploadId !== null);
    if (!writesObject) return handle(req, res);
    objectWrites = objectWrites.then(
      () =>
        new Promise<void>((resolve) => {
          res.on('close', resolve);
          handle(req, res);
        }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return test;
}

/**
 * s3rver answers a PutObject (or a completed multipart upload) as soon as the body has been read,
 * before its file is written: a GET right after the answer could read the previous object (CI saw
 * it once). Here the object goes to a temporary file outside the bucket, is closed, then renamed
 * into place, all before the answer, as S3 shows a write only whole and only once acknowledged.
 */
function writeBeforeAnswering(store: S3rver.Store, incoming: string): void {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, 'object');
    const temporary = join(incoming, randomBytes(8).toString('hex'));
    await mkdir(dirname(objectPath), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    const content = Buffer.isBuffer(object.content) ? Readable.from([object.content]) : object.content;
    await pipeline(content, count, createWriteStream(temporary));
    await rename(temporary, objectPath);
    const digest = md5.digest('hex');
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

/**
 * s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 no longer offers.
 * While these tests run, its 'des' becomes AES-128-CBC with the 8-byte key and IV doubled.
 * Returns the function that puts node:crypto back.
 */
export function lendS3rverACipher(): () => void {
  type CipherFactory = (algorithm: string, key: Buffer, iv: Buffer) => unknown;
  const crypto = createRequire(import.meta.url)('node:crypto') as Record<
    'createCipheriv' | 'createDecipheriv',
    CipherFactory
  >;
  const original = { createCipheriv: crypto.createCipheriv, createDecipheriv: crypto.createDecipheriv };
  for (const name of ['createCipheriv', 'createDecipheriv'] as const) {
    crypto[name] = (algorithm, key, iv) =>
      algorithm === 'des'
        ? original[name]('aes-128-cbc', Buffer.concat([key, key]), Buffer.concat([iv, iv]))
        : original[name](algorithm, key, iv);
  }
  return () => Object.assign(crypto, original);
}

export function storeOptions(
  server: { endpoint: string },
  overrides: Partial<S3FileStoreOptions> = {},
): S3FileStoreOptions {
  return {
    endpoint: server.endpoint,
    region: 'us-east-1',
    bucket: BUCKET,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    ...overrides,
  };
}
