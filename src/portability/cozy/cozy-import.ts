/**
 * Moving from Cozy Cloud: imports the archive a Cozy export gives (cozy-archive.ts) through the
 * same import service as any file, so it is checked against the catalog, deduplicated by natural
 * keys (the Cozy `_id`s), written in one transaction, ledgered, and kept in the import history.
 *
 * It runs in three steps, each reported:
 *  1. read and check every document (a preview): a hostile or malformed archive stops here, with
 *     nothing written;
 *  2. the files, one by one (each all or nothing): a file already imported (same Cozy id) is left
 *     as it is, one the person deleted since is not brought back;
 *  3. the documents, all in ONE transaction.
 * Documents of doctypes the mapping does not know, and mapped ones that do not fit the catalog,
 * are kept whole as `raw.record`; only the old instance's bookkeeping (sessions, export jobs) is
 * left out, and counted. Running it again adds nothing. See docs/leaving.md.
 */
import type { FileService } from '../../core/files/file-service.js';
import { FILE_DOCTYPE } from '../../core/files/file-doctype.js';
import { newDocumentId } from '../../core/documents/document-id.js';
import { isFoyerError } from '../../core/errors.js';
import type { RequestContext } from '../../core/principal.js';
import type { ArchiveEntry, ZipArchive } from '../../importers/archive/zip-archive.js';
import type { ArchiveHandler, FileOutcome, PathRequest } from '../../importers/import-paths.js';
import type { ImportReport } from '../../importers/import-report.js';
import { createImportService, type ImportServiceDeps } from '../../importers/import-service.js';
import type { Importer, ImportRecord, ParseContext } from '../../importers/importer.js';
import type { ByteOpener } from '../../importers/source/import-source.js';
import {
  cozyLayout,
  isCozyExport,
  readCozyDocument,
  type CozyDocumentEntry,
  type CozyFileEntry,
} from './cozy-archive.js';
import {
  cozyAccountId,
  cozyFileId,
  mapCozyDocument,
  MAPPED_DOCTYPES,
  rawRecord,
  SKIPPED_DOCTYPES,
  type CatalogDocument,
  type MappingContext,
} from './cozy-mapping.js';

export const COZY_FORMAT = 'cozy-export';

export interface CozyImportDeps extends Omit<ImportServiceDeps, 'importers'> {
  files: FileService;
}

/** What the Cozy import adds to its report (`report.details.cozy`). */
export interface CozySummary {
  /** Cozy doctype → documents kept as `raw.record`. */
  raw: Record<string, number>;
  /** Cozy doctype → documents left out (the old instance's bookkeeping), with why. */
  skipped: Record<string, { count: number; why: string }>;
  files: {
    imported: number;
    /** Already imported from this Cozy (same id): left as they are. */
    unchanged: number;
    /** Deleted by the person since an earlier import: not brought back. */
    deleted: number;
    /** In the preview: would be imported. */
    planned: number;
    failed: { path: string; code: string; message: string }[];
  };
  directories: number;
  /** Old versions of files: their metadata is kept as raw.record, their contents are not imported. */
  versions: number;
  /** Entries outside the export's layout (instance.json, other folders), not imported. */
  ignored: string[];
}

interface FileDoc {
  entry: CozyFileEntry;
  doc: Record<string, unknown>;
}

export function createCozyImport(deps: CozyImportDeps): ArchiveHandler {
  return {
    recognises: isCozyExport,
    async run(ctx, archive, shown, request) {
      try {
        return [await importCozy(deps, ctx, archive, shown, request)];
      } catch (e) {
        if (!isFoyerError(e)) throw e;
        const error = { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) };
        return [{ file: shown, status: 'failed', error }];
      }
    },
  };
}

async function importCozy(
  deps: CozyImportDeps,
  ctx: RequestContext,
  archive: ZipArchive,
  shown: string,
  request: PathRequest,
): Promise<FileOutcome> {
  const layout = cozyLayout(archive.entries, shown);
  const summary: CozySummary = {
    raw: {},
    skipped: {},
    files: { imported: 0, unchanged: 0, deleted: 0, planned: 0, failed: [] },
    directories: 0,
    versions: layout.versions.length,
    ignored: layout.ignored,
  };

  // What documents refer to, read first: account ids for operations, file ids for bills.
  const fileDocs: FileDoc[] = [];
  const folders = new Map<string, string>();
  for (const entry of layout.files) {
    const doc = await readCozyDocument(entry, shown);
    if (doc.type === 'directory') {
      summary.directories++;
      if (typeof doc.path === 'string') folders.set(entry.id, doc.path);
    } else fileDocs.push({ entry, doc });
  }
  const accounts = new Map<string, string>();
  for (const d of layout.documents.filter((d) => d.doctype === 'io.cozy.bank.accounts')) {
    accounts.set(d.id, cozyAccountId(await readCozyDocument(d, shown), d.id));
  }
  const withContent = fileDocs.filter((f) => f.entry.content !== null);
  const fileIds = new Map(withContent.map((f) => [f.entry.id, cozyFileId(f.entry.id)]));

  const importer = cozyImporter(deps, layout.documents, layout.versions, shown, summary, { accounts, files: fileIds });
  const service = createImportService({ ...deps, importers: [importer] });
  const documents = documentsOpener(shown, [...layout.documents, ...layout.versions]);
  const asked = { format: COZY_FORMAT, ...(request.signal ? { signal: request.signal } : {}) };
  const withSummary = (report: ImportReport): FileOutcome => ({
    file: shown,
    status: report.status === 'imported' ? 'imported' : 'previewed',
    report: { ...report, details: { ...report.details, cozy: summary } },
  });

  // 1. Every document read and checked; nothing written.
  const preview = await service.preview(ctx, documents, asked);
  if (request.dryRun) {
    for (const f of withContent) {
      const existing = await deps.store.getDocument(ctx.space, FILE_DOCTYPE, cozyFileId(f.entry.id));
      if (!existing) summary.files.planned++;
      else if (existing.deleted) summary.files.deleted++;
      else summary.files.unchanged++;
    }
    return withSummary(preview);
  }

  // 2. Files, each on its own, under an import principal naming the archive.
  const principal = {
    kind: 'import' as const,
    importId: newDocumentId(deps.clock.now()),
    importer: COZY_FORMAT,
    file: shown,
    checksum: preview.checksum,
  };
  for (const f of fileDocs) {
    if (!f.entry.content) {
      summary.files.failed.push({
        path: f.entry.entry.path,
        code: 'import_invalid',
        message: 'its content is not in this archive (a later part of the export holds it: import that part too).',
      });
      continue;
    }
    await importFile(deps, { space: ctx.space, principal }, f, f.entry.content, folders, summary);
  }

  // 3. Documents, in one transaction.
  return withSummary(await service.run(ctx, documents, asked));
}

async function importFile(
  deps: CozyImportDeps,
  ctx: RequestContext,
  f: FileDoc,
  content: ArchiveEntry,
  folders: ReadonlyMap<string, string>,
  summary: CozySummary,
): Promise<void> {
  const id = cozyFileId(f.entry.id);
  const existing = await deps.store.getDocument(ctx.space, FILE_DOCTYPE, id);
  if (existing) {
    if (existing.deleted) summary.files.deleted++;
    else summary.files.unchanged++;
    return;
  }
  const name = typeof f.doc.name === 'string' ? f.doc.name : f.entry.id;
  const folder = (typeof f.doc.dir_id === 'string' ? folders.get(f.doc.dir_id) : undefined) ?? '/';
  try {
    await deps.files.upload(
      ctx,
      { id, name, folder, ...(typeof f.doc.mime === 'string' ? { type: f.doc.mime } : {}) },
      content.open(),
    );
    summary.files.imported++;
  } catch (e) {
    if (!isFoyerError(e)) throw e;
    summary.files.failed.push({ path: content.path, code: e.code, message: e.message });
  }
}

/** The bytes the documents come from: the import's checksum and size are those of the document entries. */
function documentsOpener(name: string, docs: readonly CozyDocumentEntry[]): ByteOpener {
  return {
    name,
    size: docs.reduce((n, d) => n + (d.entry.size ?? 0), 0),
    async *open() {
      for (const d of docs) yield* d.entry.open();
    },
  };
}

/** An importer over the archive already opened: it reads the document entries, not the bytes it is given. */
function cozyImporter(
  deps: CozyImportDeps,
  documents: readonly CozyDocumentEntry[],
  versions: readonly CozyDocumentEntry[],
  archive: string,
  summary: CozySummary,
  refs: Pick<MappingContext, 'accounts' | 'files'>,
): Importer {
  return {
    id: COZY_FORMAT,
    title: 'Cozy Cloud export (My Cozy/Data, My Cozy/Files)',
    doctypes: MAPPED_DOCTYPES,
    detect: () => 1,
    async *parse(_source, pctx: ParseContext): AsyncIterable<ImportRecord> {
      summary.raw = {};
      summary.skipped = {};
      let position = 0;
      const record = (doc: CatalogDocument): ImportRecord => ({
        kind: 'document',
        doctype: doc.doctype,
        key: doc.key,
        data: doc.data,
        line: position,
      });
      const raw = (d: CozyDocumentEntry, doc: Record<string, unknown>): ImportRecord => {
        summary.raw[d.doctype] = (summary.raw[d.doctype] ?? 0) + 1;
        return record(rawRecord(d.doctype, d.id, doc));
      };
      for (const d of documents) {
        position++;
        const why =
          SKIPPED_DOCTYPES.get(d.doctype) ?? (d.id.startsWith('_design/') ? 'CouchDB design documents' : null);
        if (why !== null) {
          const skipped = (summary.skipped[d.doctype] ??= { count: 0, why });
          skipped.count++;
          continue;
        }
        const doc = await readCozyDocument(d, archive);
        const warn = (message: string) => pctx.warn({ line: position, message: `${d.entry.path}: ${message}` });
        const mapped = mapCozyDocument(d.doctype, d.id, doc, { ...refs, timeZone: pctx.timeZone, warn });
        if ('unmapped' in mapped) {
          if (mapped.unmapped !== `no catalog doctype for ${d.doctype}`)
            warn(`${mapped.unmapped}: kept as raw.record.`);
          yield raw(d, doc);
          continue;
        }
        const issues = (await deps.catalog.validator(mapped.doctype))(mapped.data);
        if (issues.length > 0) {
          warn(`does not fit ${mapped.doctype} (${issues.map((i) => i.message).join('; ')}): kept as raw.record.`);
          yield raw(d, doc);
          continue;
        }
        yield record(mapped);
      }
      for (const v of versions) {
        position++;
        yield raw(v, await readCozyDocument(v, archive));
      }
    },
  };
}
