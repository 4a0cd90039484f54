/**
 * The tests' S3 for HTTP tests: the S3 store tests' server (s3rver in process, with what it lacks
 * filled in front of it, see `src/storage/s3/s3-test-server.ts`), described the way a Foyer's
 * configuration needs it.
 */
import { BUCKET, startS3Server, storeOptions } from '../storage/s3/s3-test-server.js';

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

export async function startTestS3(): Promise<TestS3> {
  const server = await startS3Server();
  const { endpoint, region, accessKeyId, secretAccessKey } = storeOptions(server);
  return { endpoint, region, bucket: BUCKET, accessKeyId, secretAccessKey, stop: () => server.stop() };
}
