/**
 * FileStore on a local folder (the embedded default): key `<space>/<file id>/<revision>` is the
 * file `<root>/<space>/<file id>/<revision>`. Folders are 0700 and files 0600: only Foyer's user
 * reads them.
 *
 * A put streams into a hidden temporary file beside its target (`.<revision>.<random>.tmp`, same
 * folder so the same file system), fsyncs it, then renames it over the target: readers see the
 * old blob or the new one, never a part. Any failure removes the temporary file.
 */
import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { mkdir, open, readdir, rename, rm, rmdir, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import { meterBlob } from '../blob-meter.js';
import { clipByteRange, assertByteRange } from '../byte-range.js';
import { fileKeySegments, keyPrefixSegments, KEY_DEPTH } from '../file-key.js';
import type { ByteRange, FileStore, StoredBlob } from '../file-store.js';

export interface DiskFileStoreOptions {
  /** Folder holding the blobs, e.g. `<dataDir>/files`; created on first write. */
  root: string;
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

export function createDiskFileStore(options: DiskFileStoreOptions): FileStore {
  const root = resolve(options.root);
  const pathOf = (segments: string[]): string => join(root, ...segments);

  async function put(
    key: string,
    content: Readable | AsyncIterable<Uint8Array>,
    putOptions?: { maxBytes?: number },
  ): Promise<StoredBlob> {
    const segments = fileKeySegments(key);
    const meter = meterBlob(content, putOptions?.maxBytes);
    const dir = pathOf(segments.slice(0, -1));
    const target = pathOf(segments);
    const temp = join(dir, `.${segments[KEY_DEPTH - 1]}.${randomBytes(8).toString('hex')}.tmp`);
    let handle: FileHandle | undefined;
    try {
      handle = await createTempFile(dir, temp);
      // The stream fsyncs (`flush`) and closes the handle before the pipeline settles.
      await pipeline(meter.chunks, handle.createWriteStream({ flush: true }));
      await rename(temp, target);
      await syncFolder(dir);
      return meter.result();
    } catch (error) {
      await handle?.close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      if (meter.isSourceError(error)) throw error;
      throw storageFailure(error);
    }
  }

  async function get(key: string, range?: ByteRange): Promise<Readable> {
    const segments = fileKeySegments(key);
    if (range) assertByteRange(range);
    let handle: FileHandle;
    try {
      handle = await open(pathOf(segments), 'r');
    } catch (error) {
      throw isMissing(error) ? notFound() : storageFailure(error);
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw notFound();
      const window = range ? clipByteRange(range, info.size) : undefined;
      // The stream owns the handle from here and closes it when it ends or is destroyed.
      return handle.createReadStream(window ? { start: window.start, end: window.end } : {});
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw storageFailure(error);
    }
  }

  async function statKey(key: string): Promise<{ size: number } | null> {
    const segments = fileKeySegments(key);
    try {
      const info = await stat(pathOf(segments));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isMissing(error)) return null;
      throw storageFailure(error);
    }
  }

  async function deleteKey(key: string): Promise<void> {
    const segments = fileKeySegments(key);
    try {
      await unlink(pathOf(segments));
    } catch (error) {
      if (!isMissing(error)) throw storageFailure(error);
    }
    // Drop the file's folder once its last revision is gone; a put racing with this recreates it.
    await rmdir(pathOf(segments.slice(0, -1))).catch(() => undefined);
  }

  async function deletePrefix(prefix: string): Promise<void> {
    const segments = keyPrefixSegments(prefix);
    try {
      await rm(pathOf(segments), { recursive: true, force: true });
    } catch (error) {
      throw storageFailure(error);
    }
  }

  async function list(prefix: string): Promise<string[]> {
    const segments = keyPrefixSegments(prefix);
    try {
      const keys = await listUnder(pathOf(segments), segments.join('/'), KEY_DEPTH - segments.length);
      return keys.sort();
    } catch (error) {
      throw storageFailure(error);
    }
  }

  return {
    kind: 'disk',
    put,
    get,
    stat: statKey,
    delete: deleteKey,
    deletePrefix,
    list,
    close: async () => undefined,
  };
}

/** Opens a new temporary file, creating its folder; retried because a delete may remove an emptied folder meanwhile. */
async function createTempFile(dir: string, temp: string): Promise<FileHandle> {
  for (let attempt = 1; ; attempt++) {
    await mkdir(dir, { recursive: true, mode: DIR_MODE });
    try {
      return await open(temp, 'wx', FILE_MODE);
    } catch (error) {
      if (!isMissing(error) || attempt === 3) throw error;
    }
  }
}

/** Makes the rename itself durable, not only the file's bytes. */
async function syncFolder(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Keys `depth` levels below `dir` (whose key prefix is `prefix`), skipping hidden temporary files. */
async function listUnder(dir: string, prefix: string, depth: number): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const key = `${prefix}/${entry.name}`;
    if (depth === 1) {
      if (entry.isFile()) keys.push(key);
    } else if (entry.isDirectory()) {
      keys.push(...(await listUnder(join(dir, entry.name), key, depth - 1)));
    }
  }
  return keys;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function notFound(): FoyerError {
  return new FoyerError('not_found', 'No such file.');
}

/** File system errors carry paths: keep them as `cause` for logs, never in the message. */
function storageFailure(error: unknown): FoyerError {
  if (isFoyerError(error)) return error;
  const failure = new FoyerError('internal', 'The file storage failed.');
  failure.cause = error;
  return failure;
}
