// Just the part of s3rver (an in-process S3 server, dev dependency) the S3 store's tests use.
declare module 's3rver' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    directory?: string;
    silent?: boolean;
    configureBuckets?: { name: string; configs: (string | Buffer)[] }[];
  }

  interface S3rverEvent {
    Records: { eventName: string; s3: { object: { key: string } } }[];
  }

  namespace S3rver {
    interface StoredObject {
      bucket: string;
      key: string;
      content: Buffer | NodeJS.ReadableStream;
      metadata: Record<string, string>;
    }
    /** The filesystem store behind s3rver; the test server replaces `putObject`. */
    interface Store {
      getResourcePath(bucket: string, key: string, resource: string): string;
      putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
      putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
    }
  }

  class S3rver {
    store: S3rver.Store;
    constructor(options?: S3rverOptions);
    configureBuckets(): Promise<void>;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: 'event', listener: (event: S3rverEvent) => void): this;
    logger: { close(): void };
  }

  export = S3rver;
}
