/**
 * The tests' S3: s3rver (an S3-compatible server written in JavaScript) in process, on a free
 * loopback port, keeping its objects in a temporary folder removed at stop. Debian has no MinIO,
 * and s3rver speaks the real protocol (signed requests, multipart uploads, ranges), so an S3
 * FileStore goes through the AWS SDK exactly as against a real store.
 *
 * Known gaps (see `src/storage/s3/s3-file-store.test.ts`, which works around them for the
 * store's own contract): no AbortMultipartUpload, in-place object rewrites, and DES-encrypted
 * continuation tokens that OpenSSL 3 refuses (listings beyond 1,000 keys).
 */
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface TestS3 {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  region: string;
  /** A bucket that exists when the server starts. */
  bucket: string;
  /** s3rver's built-in key pair. */
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export async function startTestS3(options: { bucket?: string } = {}): Promise<TestS3> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'foyer-s3-'));
  const bucket = options.bucket ?? 'foyer-test';
  const s3rver = new S3rver({ directory, silent: true, configureBuckets: [{ name: bucket, configs: [] }] });
  await s3rver.configureBuckets();
  const server = createServer(s3rver.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    bucket,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      s3rver.logger.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
