/**
 * Zip archives (a whole portability archive: Google Takeout, a social network's download, a KMZ):
 * the central directory is read and checked whole BEFORE any file is imported, so a hostile archive
 * is refused with nothing written. Refused: names that climb out (`../`), absolute names, symbolic
 * links, encrypted entries, more entries than `maxEntries`, more than `maxTotalBytes` unpacked,
 * and any entry packed more than `maxRatio` times (zip bombs). Sizes the directory declares are
 * also enforced while unpacking (a lying header cannot make an entry bigger).
 */
import type { Entry, ZipFile } from 'yauzl';
import { FoyerError } from '../../core/errors.js';
import type { ByteOpener } from '../source/import-source.js';

export interface ArchiveLimits {
  maxEntries: number;
  maxTotalBytes: number;
  /** Unpacked size / packed size beyond which an entry (of more than 1 MiB) is a bomb. */
  maxRatio: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxEntries: 50_000,
  maxTotalBytes: 16 * 1024 ** 3,
  maxRatio: 200,
};

export interface ArchiveEntry extends ByteOpener {
  /** Path inside the archive, with `/` separators. */
  path: string;
}

export interface ZipArchive {
  entries: ArchiveEntry[];
  close(): void;
}

/** True when the bytes start like a zip file (a local file header, or an empty archive). */
export function looksLikeZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const BOMB_FLOOR = 1024 * 1024;

export async function openZip(
  file: string,
  name: string,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ZipArchive> {
  const refuse = (message: string, entry?: string) =>
    new FoyerError('import_invalid', `${name}${entry ? ` (${entry})` : ''}: ${message}`, {
      file: name,
      ...(entry ? { entry } : {}),
    });
  // Loaded with the first archive: importing a plain file never needs it.
  const { default: yauzl } = await import('yauzl');
  let zip: ZipFile;
  try {
    zip = await new Promise<ZipFile>((resolve, reject) =>
      yauzl.open(
        file,
        { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true },
        (e, z) => (e || !z ? reject(e ?? new Error('no zip')) : resolve(z)),
      ),
    );
  } catch (e) {
    throw refuse(`this is not a readable zip archive (${messageOf(e)}).`);
  }
  const entries: ArchiveEntry[] = [];
  let total = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: unknown) => reject(refuse(`the archive is damaged or hostile (${messageOf(e)}).`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: Entry) => {
        try {
          const path = entry.fileName;
          if (entries.length >= limits.maxEntries)
            throw refuse(`the archive holds more than ${limits.maxEntries} files.`);
          if (/(^|\/)\.\.(\/|$)/.test(path) || path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\')) {
            throw refuse('a file name climbs out of the archive (a "zip slip" attack).', path);
          }
          const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
          if (mode === S_IFLNK) throw refuse('the archive holds a symbolic link, which Foyer never follows.', path);
          if (entry.isEncrypted()) throw refuse('this file is password-protected: extract it first.', path);
          if (!path.endsWith('/')) {
            total += entry.uncompressedSize;
            if (total > limits.maxTotalBytes) {
              throw refuse(`the archive unpacks to more than ${Math.round(limits.maxTotalBytes / 1024 ** 3)} GiB.`);
            }
            if (
              entry.uncompressedSize > BOMB_FLOOR &&
              entry.uncompressedSize > limits.maxRatio * Math.max(1, entry.compressedSize)
            ) {
              throw refuse(`this file unpacks more than ${limits.maxRatio} times its size: a zip bomb?`, path);
            }
            entries.push(entryOpener(zip, entry, name));
          }
          zip.readEntry();
        } catch (e) {
          reject(e);
        }
      });
      zip.readEntry();
    });
  } catch (e) {
    zip.close();
    if (e instanceof FoyerError) throw e;
    throw refuse(`the archive is damaged (${messageOf(e)}).`);
  }
  return { entries, close: () => zip.close() };
}

function entryOpener(zip: ZipFile, entry: Entry, archive: string): ArchiveEntry {
  return {
    path: entry.fileName,
    name: entry.fileName,
    size: entry.uncompressedSize,
    async *open() {
      const stream = await new Promise<NodeJS.ReadableStream>((resolve, reject) =>
        zip.openReadStream(entry, (e, s) => (e || !s ? reject(e ?? new Error('no stream')) : resolve(s))),
      );
      try {
        for await (const chunk of stream as AsyncIterable<Buffer>) yield chunk;
      } catch (e) {
        throw new FoyerError(
          'import_invalid',
          `${archive} (${entry.fileName}): this file of the archive is damaged (${messageOf(e)}).`,
          {
            file: archive,
            entry: entry.fileName,
          },
        );
      }
    },
  };
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
