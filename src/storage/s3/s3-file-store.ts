/**
 * FileStore on any S3-compatible object store (the hosted mode): key `<space>/<file id>/<revision>`
 * is the object `<prefix>/<key>` in `bucket`.
 *
 * A put of unknown length buffers at most one 8 MiB part: content that fits in it goes up in one
 * PutObject, anything longer in a multipart upload that is completed only after the last byte was
 * read, and aborted on any failure, so nothing is ever visible at the key before the end.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { CompletedPart } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import { meterBlob } from '../blob-meter.js';
import { assertByteRange, clipByteRange } from '../byte-range.js';
import { fileKeySegments, keyPrefixSegments, namespaceSegments } from '../file-key.js';
import type { ByteRange, FileStore, StoredBlob } from '../file-store.js';

export interface S3FileStoreOptions {
  /** e.g. `https://s3.eu-west-3.amazonaws.com` or `http://127.0.0.1:9000`. */
  endpoint: string;
  region: string;
  /** Must exist already; the store never creates or configures buckets. */
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `http://host/bucket/key` rather than `http://bucket.host/key`; most self-hosted stores need it. */
  forcePathStyle: boolean;
  /** Namespace inside the bucket (e.g. one Foyer deployment of several), `a/b` with no slash at either end. */
  prefix?: string;
  /** Attempts per request, first one included (default 3). */
  maxAttempts?: number;
  /** Milliseconds to establish a connection (default 5,000). */
  connectionTimeoutMs?: number;
  /** Milliseconds a request may stay idle on its socket (default 60,000). */
  requestTimeoutMs?: number;
}

/** S3 allows 5 MiB to 5 GiB per part; 8 MiB bounds memory per upload and allows objects up to 80 GiB. */
export const PART_SIZE = 8 * 1024 * 1024;
/** DeleteObjects takes at most 1,000 keys, which is also ListObjectsV2's page size. */
const PAGE_SIZE = 1000;

export function createS3FileStore(options: S3FileStoreOptions): FileStore {
  const namespace = options.prefix === undefined ? '' : `${namespaceSegments(options.prefix).join('/')}/`;
  const Bucket = options.bucket;
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    maxAttempts: options.maxAttempts ?? 3,
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? 5_000,
      requestTimeout: options.requestTimeoutMs ?? 60_000,
    },
  });
  const objectKey = (segments: string[]): string => namespace + segments.join('/');

  async function put(
    key: string,
    content: Readable | AsyncIterable<Uint8Array>,
    putOptions?: { maxBytes?: number },
  ): Promise<StoredBlob> {
    const Key = objectKey(fileKeySegments(key));
    const meter = meterBlob(content, putOptions?.maxBytes);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: CompletedPart[] = [];

    const takePart = (): Buffer => {
      const all = Buffer.concat(pending, pendingBytes);
      const part = all.subarray(0, PART_SIZE);
      // Copy the remainder so the sent part's memory is released once it is uploaded.
      pending = all.length > PART_SIZE ? [Buffer.from(all.subarray(PART_SIZE))] : [];
      pendingBytes = all.length - part.length;
      return part;
    };
    const uploadPart = async (Body: Buffer): Promise<void> => {
      const PartNumber = parts.length + 1;
      const { ETag } = await client.send(new UploadPartCommand({ Bucket, Key, UploadId: uploadId, PartNumber, Body }));
      parts.push({ ETag, PartNumber });
    };

    try {
      for await (const chunk of meter.chunks) {
        pending.push(chunk);
        pendingBytes += chunk.length;
        // Strictly more than a part: a content of exactly one part still goes up as one PutObject.
        while (pendingBytes > PART_SIZE) {
          if (uploadId === undefined) {
            const created = await client.send(new CreateMultipartUploadCommand({ Bucket, Key }));
            uploadId = created.UploadId;
          }
          await uploadPart(takePart());
        }
      }
      if (uploadId === undefined) {
        await client.send(new PutObjectCommand({ Bucket, Key, Body: Buffer.concat(pending, pendingBytes) }));
      } else {
        await uploadPart(takePart());
        await client.send(
          new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }),
        );
      }
      return meter.result();
    } catch (error) {
      if (uploadId !== undefined) {
        // Best effort: the original failure is what the caller needs; a bucket lifecycle rule
        // (AbortIncompleteMultipartUpload) sweeps the rare upload this could not abort.
        await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId })).catch(() => undefined);
      }
      if (meter.isSourceError(error)) throw error;
      throw s3Failure(error);
    }
  }

  async function get(key: string, range?: ByteRange): Promise<Readable> {
    const Key = objectKey(fileKeySegments(key));
    if (range) assertByteRange(range);
    try {
      const Range = range ? `bytes=${range.start}-${range.end}` : undefined;
      const object = await client.send(new GetObjectCommand({ Bucket, Key, Range }));
      const body = object.Body as Readable;
      return range ? servedWindow(body, range, object.ContentRange, object.ContentLength) : body;
    } catch (error) {
      throw s3Failure(error);
    }
  }

  async function stat(key: string): Promise<{ size: number } | null> {
    const Key = objectKey(fileKeySegments(key));
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      const failure = s3Failure(error);
      if (failure.code === 'not_found') return null;
      throw failure;
    }
  }

  async function deleteKey(key: string): Promise<void> {
    const Key = objectKey(fileKeySegments(key));
    try {
      await client.send(new DeleteObjectCommand({ Bucket, Key }));
    } catch (error) {
      throw s3Failure(error);
    }
  }

  /** Object keys under `prefix/`, a page at a time. */
  async function* pages(prefix: string): AsyncGenerator<string[]> {
    const Prefix = `${objectKey(keyPrefixSegments(prefix))}/`;
    let ContinuationToken: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken, MaxKeys: PAGE_SIZE }),
      );
      yield (page.Contents ?? []).flatMap((object) => (object.Key === undefined ? [] : [object.Key]));
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async function list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    try {
      for await (const page of pages(prefix)) keys.push(...page.map((k) => k.slice(namespace.length)));
    } catch (error) {
      throw s3Failure(error);
    }
    return keys.sort();
  }

  async function deletePrefix(prefix: string): Promise<void> {
    try {
      for await (const page of pages(prefix)) {
        if (page.length === 0) continue;
        const result = await client.send(
          new DeleteObjectsCommand({ Bucket, Delete: { Objects: page.map((Key) => ({ Key })), Quiet: true } }),
        );
        if (result.Errors?.length) {
          throw new FoyerError('unavailable', 'The file storage could not delete every file.', {
            failed: result.Errors.length,
          });
        }
      }
    } catch (error) {
      throw s3Failure(error);
    }
  }

  return {
    kind: 's3',
    put,
    get,
    stat,
    delete: deleteKey,
    deletePrefix,
    list,
    close: async () => client.destroy(),
  };
}

/**
 * The bytes of `range` out of what the server sent. HTTP lets a server ignore Range and answer
 * with the whole object, and some S3 implementations mis-serve edge cases (s3rver answers
 * `bytes=0-0` with everything), so the window is checked against Content-Range and cut when needed.
 */
function servedWindow(body: Readable, range: ByteRange, contentRange?: string, contentLength?: number): Readable {
  const served = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(contentRange ?? '');
  const servedStart = served ? Number(served[1]) : 0;
  const servedLength = served ? Number(served[2]) - servedStart + 1 : contentLength;
  const size = served ? Number(served[3]) : contentLength;
  if (size === undefined || servedLength === undefined) {
    body.destroy();
    throw new FoyerError('internal', 'The file storage answered a range request without its size.');
  }
  let wanted: ByteRange;
  try {
    wanted = clipByteRange(range, size);
  } catch (error) {
    body.destroy();
    throw error;
  }
  const skip = wanted.start - servedStart;
  const take = wanted.end - wanted.start + 1;
  if (skip === 0 && servedLength === take) return body;
  if (skip < 0 || skip + take > servedLength) {
    body.destroy();
    throw new FoyerError('internal', 'The file storage answered with another range than the one requested.');
  }
  return Readable.from(cut(body, skip, take));
}

async function* cut(body: Readable, skip: number, take: number): AsyncGenerator<Buffer> {
  let offset = 0;
  const end = skip + take;
  // Leaving the loop early destroys the body, which stops the download.
  for await (const chunk of body as AsyncIterable<Buffer>) {
    const from = Math.max(skip - offset, 0);
    const to = Math.min(end - offset, chunk.length);
    if (from < to) yield chunk.subarray(from, to);
    offset += chunk.length;
    if (offset >= end) return;
  }
}

/**
 * SDK errors to FoyerErrors with plain messages; the SDK error stays as `cause` for logs.
 * No HTTP status means the store could not be reached (refused, timed out, reset).
 */
function s3Failure(error: unknown): FoyerError {
  if (isFoyerError(error)) return error;
  const { name, $metadata, ActualObjectSize } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    ActualObjectSize?: string;
  };
  const status = $metadata?.httpStatusCode;
  let failure: FoyerError;
  if (name === 'NoSuchKey' || name === 'NotFound') {
    failure = new FoyerError('not_found', 'No such file.');
  } else if (name === 'InvalidRange' || status === 416) {
    // S3 names the object's size in the error body; the HTTP layer needs it for `Content-Range: */size`.
    const size = Number(ActualObjectSize);
    failure = new FoyerError(
      'range_not_satisfiable',
      'The requested range starts past the end of the file.',
      Number.isSafeInteger(size) ? { size } : undefined,
    );
  } else if (status === undefined || status >= 500 || status === 403 || name === 'NoSuchBucket') {
    failure = new FoyerError('unavailable', 'The file storage is unavailable.');
  } else {
    failure = new FoyerError('internal', 'The file storage refused the request.');
  }
  failure.cause = error;
  return failure;
}
