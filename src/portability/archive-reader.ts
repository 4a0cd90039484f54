/**
 * Opens a Foyer archive for import, encrypted or not, and checks its whole directory before a
 * single member is read: names must be ones the format defines (so none climbs out, is absolute or
 * names a device), no symbolic link, no encrypted zip entry, no duplicate, at most `maxEntries`
 * members and `maxTotalBytes` unpacked, no member packed more than `maxRatio` times (a zip bomb),
 * none larger than `maxMemberBytes`. yauzl enforces the declared sizes while unpacking, so a lying
 * header cannot make a member bigger than announced.
 */
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { FoyerError } from '../core/errors.js';
import { isSealed, openEnvelope, readHead } from './archive-envelope.js';
import { MEMBER_PATH } from './archive-layout.js';

export interface ArchiveReadLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxMemberBytes: number;
  /** Unpacked / packed size beyond which a member of more than 1 MiB is refused as a bomb. */
  maxRatio: number;
}

export const DEFAULT_READ_LIMITS: ArchiveReadLimits = {
  maxEntries: 1_000_000,
  maxTotalBytes: 256 * 1024 ** 3,
  maxMemberBytes: 16 * 1024 ** 3,
  maxRatio: 200,
};

export interface OpenArchive {
  /** Member path → unpacked size. */
  sizes: ReadonlyMap<string, number>;
  /** The member's bytes (throws `import_invalid` if the archive is damaged there). */
  read(path: string): AsyncIterable<Buffer>;
  close(): Promise<void>;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
const BOMB_FLOOR = 1024 * 1024;

export function archiveError(message: string, details: Record<string, unknown> = {}): FoyerError {
  return new FoyerError('import_invalid', message, details);
}

export async function openArchive(
  file: string,
  options: { passphrase?: string; limits?: Partial<ArchiveReadLimits> } = {},
): Promise<OpenArchive> {
  const limits = { ...DEFAULT_READ_LIMITS, ...options.limits };
  const sealed = isSealed(await readHead(file, 8));
  if (sealed && options.passphrase === undefined) {
    throw archiveError('This archive is encrypted: give its passphrase.', { reason: 'passphrase_required' });
  }
  const envelope = sealed ? await openEnvelope(file, options.passphrase!) : await openPlain(file);
  const zipOptions = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true };
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) => {
      const done = (e: Error | null, z?: ZipFile) => (e || !z ? reject(e ?? new Error('no zip')) : resolve(z));
      yauzl.fromRandomAccessReader(envelope.reader, envelope.size, zipOptions, done);
    });
  } catch (e) {
    await envelope.close();
    throw archiveError(`This is not a readable archive (${messageOf(e)}): truncated, or not a zip.`, {
      reason: 'unreadable',
    });
  }

  const entries = new Map<string, Entry>();
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: unknown) => {
        // yauzl itself refuses names that climb out or are absolute (strictFileNames).
        const slip = /invalid relative path|absolute path/i.test(messageOf(e));
        reject(
          slip
            ? archiveError(`A member name climbs out of the archive (a "zip slip" attack): ${messageOf(e)}.`, {
                reason: 'zip_slip',
                member: /: (.*)$/.exec(messageOf(e))?.[1],
              })
            : archiveError(`The archive is damaged (${messageOf(e)}).`, { reason: 'damaged' }),
        );
      });
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        try {
          checkEntry(entry);
          zip.readEntry();
        } catch (e) {
          reject(e);
        }
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    await envelope.close();
    throw e instanceof FoyerError
      ? e
      : archiveError(`The archive is damaged (${messageOf(e)}).`, { reason: 'damaged' });
  }

  function checkEntry(entry: Entry): void {
    const path = entry.fileName;
    const refuse = (message: string, reason: string) => archiveError(`${path}: ${message}`, { member: path, reason });
    if (/(^|\/)\.\.(\/|$)/.test(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
      throw refuse('a member name climbs out of the archive (a "zip slip" attack).', 'zip_slip');
    }
    const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
    if (mode === S_IFLNK) throw refuse('the archive holds a symbolic link, which Foyer never follows.', 'symlink');
    if (entry.isEncrypted()) throw refuse('zip encryption is not used by Foyer archives.', 'encrypted_entry');
    if (path.endsWith('/') || mode === S_IFDIR) return; // folders other tools add when re-zipping
    if (!MEMBER_PATH.test(path)) throw refuse('this is not a member of a Foyer archive.', 'unexpected_member');
    if (entries.has(path)) throw refuse('the archive holds this member twice.', 'duplicate_member');
    if (entries.size >= limits.maxEntries) {
      throw archiveError(`The archive holds more than ${limits.maxEntries} members.`, { reason: 'too_many_members' });
    }
    if (entry.uncompressedSize > limits.maxMemberBytes) {
      throw refuse(`this member unpacks to more than ${limits.maxMemberBytes} bytes.`, 'member_too_large');
    }
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw archiveError(`The archive unpacks to more than ${limits.maxTotalBytes} bytes.`, { reason: 'too_large' });
    }
    if (
      entry.uncompressedSize > BOMB_FLOOR &&
      entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)
    ) {
      throw refuse(`this member unpacks more than ${limits.maxRatio} times its size: a zip bomb.`, 'zip_bomb');
    }
    entries.set(path, entry);
  }

  return {
    sizes: new Map([...entries].map(([path, entry]) => [path, entry.uncompressedSize])),
    async *read(path) {
      const entry = entries.get(path);
      if (!entry) throw archiveError(`The archive has no member ${path}.`, { member: path, reason: 'missing_member' });
      // Deflated members are inflated here rather than by yauzl, from 1 MiB reads into 64 KiB
      // pieces (its 16 KiB reads and pieces cost an import of 1,000,000 documents 0.5 s of
      // callbacks); the size it declares is held to as yauzl would: not a byte more, not one less.
      const deflated = entry.compressionMethod === 8;
      try {
        const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
          zip.openReadStream(entry, { decompress: deflated ? false : null }, (e, s) =>
            e || !s ? reject(e ?? new Error('no stream')) : resolve(s),
          ),
        );
        if (!deflated) {
          for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
          return;
        }
        const inflater = createInflateRaw({ chunkSize: INFLATE_BYTES });
        stream.on('error', (e: Error) => inflater.destroy(e));
        stream.pipe(inflater);
        let size = 0;
        try {
          for await (const chunk of inflater as AsyncIterable<Buffer>) {
            size += chunk.length;
            if (size > entry.uncompressedSize) throw new Error('too many bytes in the stream');
            yield chunk;
          }
        } finally {
          (stream as Readable).destroy();
        }
        if (size !== entry.uncompressedSize) throw new Error('not enough bytes in the stream');
      } catch (e) {
        if (e instanceof FoyerError) throw e;
        throw archiveError(`${path}: this member of the archive is damaged (${messageOf(e)}).`, {
          member: path,
          reason: 'damaged_member',
        });
      }
    },
    async close() {
      zip.close();
      await envelope.close();
    },
  };
}

/**
 * Unpacked bytes handed over at once. Small enough for the text made of them to stay in V8's young
 * generation: pieces of 1 MiB became strings in the large-object space, old generation at once, and
 * the import of 1,000,000 documents ran a major collection every few pieces (CPU 21.4 -> 18.3 s).
 */
const INFLATE_BYTES = 64 * 1024;

/** Bytes asked of the file at once: yauzl's own reader reads 16 KiB at a time, one read after the other. */
const READ_BYTES = 1024 * 1024;

/**
 * An archive in clear, read in large pieces: at 16 KiB a read, a GiB of stored files cost 65,536
 * reads queued one by one on the descriptor, and the import waited on them.
 */
async function openPlain(
  file: string,
): Promise<{ reader: yauzl.RandomAccessReader; size: number; close(): Promise<void> }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    class PlainReader extends yauzl.RandomAccessReader {
      override _readStreamForRange(start: number, end: number): Readable {
        // Not fs.createReadStream on the shared descriptor: destroying such a stream (as yauzl
        // does) closes the descriptor whatever autoClose says.
        async function* bytes() {
          for (let at = start; at < end;) {
            const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, end - at));
            const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
            if (bytesRead === 0) return; // cut short: yauzl reports the missing bytes
            yield buffer.subarray(0, bytesRead);
            at += bytesRead;
          }
        }
        return Readable.from(bytes(), { objectMode: false });
      }
    }
    return { size, reader: new PlainReader(), close: () => handle.close() };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Lines of a UTF-8 member, without their `\n`, a piece's worth at a time (one await per piece
 * rather than per line: a million lines awaited one by one cost the import seconds of promise
 * turns); a line longer than `maxLine` characters is refused.
 */
export async function* memberLines(
  bytes: AsyncIterable<Buffer>,
  path: string,
  maxLine = 64 * 1024 * 1024,
): AsyncIterable<string[]> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  try {
    for await (const chunk of bytes) {
      const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
      rest = lines.pop()!;
      if (rest.length > maxLine)
        throw archiveError(`${path}: a line is longer than ${maxLine} characters.`, { member: path });
      if (lines.length > 0) yield lines;
    }
    rest += decoder.decode();
  } catch (e) {
    if (e instanceof FoyerError) throw e;
    throw archiveError(`${path}: not UTF-8 text.`, { member: path, reason: 'not_utf8' });
  }
  if (rest.length > 0) yield [rest];
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
