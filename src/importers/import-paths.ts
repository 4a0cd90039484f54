/**
 * Imports what a person points at: a file, a folder (walked, symbolic links not followed) or a zip
 * archive (each file inside dispatched to its importer). Each file is all or nothing on its own;
 * in folders and archives, files no importer recognises are listed as skipped, not failed.
 */
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { FoyerError, isFoyerError } from '../core/errors.js';
import type { RequestContext } from '../core/principal.js';
import {
  DEFAULT_ARCHIVE_LIMITS,
  looksLikeZip,
  openZip,
  type ArchiveEntry,
  type ArchiveLimits,
  type ZipArchive,
} from './archive/zip-archive.js';
import type { ImportReport } from './import-report.js';
import type { ImportRequest, ImportService } from './import-service.js';
import { fileOpener, type ByteOpener } from './source/import-source.js';

export interface FileOutcome {
  /** The file's name, `archive.zip/inner/path.json` for a file inside an archive. */
  file: string;
  status: 'imported' | 'previewed' | 'failed' | 'skipped';
  report?: ImportReport;
  error?: { code: string; message: string; details?: unknown };
}

/**
 * Reads a whole archive as one export of another platform (a Cozy Cloud export, `src/portability/cozy/`)
 * instead of file by file; the archive's central directory has passed the zip checks already.
 */
export interface ArchiveHandler {
  recognises(entries: readonly ArchiveEntry[]): boolean;
  run(ctx: RequestContext, archive: ZipArchive, shown: string, request: PathRequest): Promise<FileOutcome[]>;
}

export interface PathRequest extends ImportRequest {
  dryRun?: boolean;
  archiveHandlers?: readonly ArchiveHandler[];
  archiveLimits?: ArchiveLimits;
  /** Called as each file starts. */
  onFile?: (file: string) => void;
}

export async function importPath(
  service: ImportService,
  ctx: RequestContext,
  target: string,
  request: PathRequest = {},
  displayName = path.basename(target),
): Promise<FileOutcome[]> {
  const info = await stat(target).catch(() => null);
  if (!info) throw new FoyerError('not_found', `${target}: no such file or folder.`, { file: target });
  if (info.isDirectory()) return importFolder(service, ctx, target, request);
  if (await isZip(target)) return importZip(service, ctx, target, displayName, request);
  return [await importOne(service, ctx, fileOpener(target, displayName, info.size), request, false)];
}

async function importFolder(
  service: ImportService,
  ctx: RequestContext,
  folder: string,
  request: PathRequest,
): Promise<FileOutcome[]> {
  const outcomes: FileOutcome[] = [];
  const walk = async (dir: string, prefix: string) => {
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const shown = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isSymbolicLink()) {
        outcomes.push({
          file: shown,
          status: 'skipped',
          error: { code: 'bad_request', message: 'a symbolic link: not followed.' },
        });
      } else if (entry.isDirectory()) {
        await walk(full, shown);
      } else if (entry.isFile()) {
        if (await isZip(full)) outcomes.push(...(await importZip(service, ctx, full, shown, request)));
        else
          outcomes.push(await importOne(service, ctx, fileOpener(full, shown, (await stat(full)).size), request, true));
      }
    }
  };
  await walk(folder, '');
  return outcomes;
}

async function importZip(
  service: ImportService,
  ctx: RequestContext,
  file: string,
  shown: string,
  request: PathRequest,
): Promise<FileOutcome[]> {
  const archive = await openZip(file, shown, request.archiveLimits ?? DEFAULT_ARCHIVE_LIMITS);
  try {
    const handler = request.archiveHandlers?.find((h) => h.recognises(archive.entries));
    if (handler) return await handler.run(ctx, archive, shown, request);
    const outcomes: FileOutcome[] = [];
    for (const entry of archive.entries) {
      const name = `${shown}/${entry.path}`;
      let head: Uint8Array;
      try {
        head = await firstBytes(entry.open(), 4);
      } catch (e) {
        if (!isFoyerError(e)) throw e;
        outcomes.push({ file: name, status: 'failed', error: { code: e.code, message: e.message } });
        continue;
      }
      if (looksLikeZip(head)) {
        outcomes.push({
          file: name,
          status: 'skipped',
          error: {
            code: 'bad_request',
            message: 'an archive inside the archive: extract it and import it on its own.',
          },
        });
        continue;
      }
      outcomes.push(await importOne(service, ctx, { ...entry, name }, request, true));
    }
    return outcomes;
  } finally {
    archive.close();
  }
}

async function importOne(
  service: ImportService,
  ctx: RequestContext,
  file: ByteOpener,
  request: PathRequest,
  inCollection: boolean,
): Promise<FileOutcome> {
  request.onFile?.(file.name);
  try {
    const report = request.dryRun ? await service.preview(ctx, file, request) : await service.run(ctx, file, request);
    return { file: file.name, status: report.status === 'imported' ? 'imported' : 'previewed', report };
  } catch (e) {
    if (!isFoyerError(e)) throw e;
    const error = { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) };
    // In a folder or archive, a file Foyer does not read is expected (pictures, HTML pages...).
    if (inCollection && e.code === 'import_unrecognized') return { file: file.name, status: 'skipped', error };
    return { file: file.name, status: 'failed', error };
  }
}

/**
 * True when every target is a file no archive handler can take (not a folder, not a zip): what
 * `foyer import` can run with the import service alone. A missing target counts as plain (the
 * import reports it).
 */
export async function plainFilesOnly(targets: readonly string[]): Promise<boolean> {
  for (const target of targets) {
    const info = await stat(target).catch(() => null);
    if (info && (!info.isFile() || (await isZip(target)))) return false;
  }
  return true;
}

async function isZip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    return looksLikeZip(head);
  } finally {
    await handle.close();
  }
}

async function firstBytes(stream: AsyncIterable<Uint8Array>, n: number): Promise<Uint8Array> {
  const iterator = stream[Symbol.asyncIterator]();
  try {
    const { value } = await iterator.next();
    return value ? value.subarray(0, n) : new Uint8Array();
  } finally {
    await iterator.return?.();
  }
}
