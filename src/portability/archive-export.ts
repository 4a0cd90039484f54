/**
 * Writes a space's archive as a stream (docs/archive-format.md): schemas, documents as JSON Lines
 * per doctype (with `_id`, `_rev`, `_meta`), series points, files, grants, the ledger with its
 * chain, the domain formats, and last the manifest with every member's size and SHA-256. Data is
 * read a page at a time and written as it comes: memory holds a page, never the space. Each
 * doctype is read through the gate, so the export is in the ledger like any read.
 */
import { FoyerError } from '../core/errors.js';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import type { RequestContext } from '../core/principal.js';
import { renderDocument } from '../core/documents/render-document.js';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  documentsPath,
  filePath,
  formatPath,
  INTERNAL_DOCTYPES,
  LEDGER_PATH,
  MANIFEST_PATH,
  PREVIOUS_LEDGER_DOCTYPE,
  previousLedgerPath,
  schemaPath,
  seriesPath,
  type ArchiveManifest,
} from './archive-layout.js';
import { DOMAIN_FORMATS } from './domain-formats.js';
import { ALL_TIME, documentPages, textChunks } from './space-pages.js';
import type { PortabilityDeps, PortabilityProgress } from './portability-deps.js';
import { createZipWriter, type ByteSink, type WrittenMember } from './zip-writer.js';

const PAGE = 1000;

export interface PreviousLedgerRecord {
  /** The space that kept this ledger. */
  space: string;
  head: { seq: number; hash: string };
  entries: number;
  /** The blob's revision segment (its key is `<space>/<record id>/<content>`). */
  content: string;
  size: number;
  sha256: string;
}

export interface ExportOptions {
  onProgress?: (progress: PortabilityProgress) => void;
  /**
   * Domain formats inside the archive too (default: no). They are derived views of data the archive
   * already holds whole; for a large space they would double the export's time and size, so they
   * come on demand (`/api/export/formats/:file`, `foyer export --format`) or when asked for here.
   */
  formats?: boolean;
}

/** Writes the archive of `ctx.space` to `sink`; answers the manifest. */
export async function writeArchive(
  deps: PortabilityDeps,
  ctx: RequestContext,
  sink: ByteSink,
  options: ExportOptions = {},
): Promise<ArchiveManifest> {
  const { store, fileStore, catalog, gate, clock } = deps;
  if (ctx.principal?.kind !== 'owner' && ctx.principal?.kind !== 'system') {
    throw new FoyerError('owner_only', 'Only the space’s owner can export it.');
  }
  const space = await store.getSpace(ctx.space);
  if (!space) throw new FoyerError('space_not_found', `No space "${ctx.space}".`);
  const createdAt = new Date(clock.now());
  const zip = createZipWriter(sink, createdAt);
  const members: ArchiveManifest['members'] = {};
  const manifestCatalog: ArchiveManifest['catalog']['doctypes'] = {};
  const counts: ArchiveManifest['counts'] = { documents: {}, points: {}, files: 0, fileBytes: 0, ledgerEntries: 0 };
  const progress: PortabilityProgress = { phase: 'schemas', item: '', documents: 0, points: 0, files: 0, bytes: 0 };
  const report = (phase: PortabilityProgress['phase'], item: string) => {
    progress.phase = phase;
    progress.item = item;
    progress.bytes = zip.bytes;
    options.onProgress?.(progress);
  };
  const keep = (m: WrittenMember) => (members[m.path] = { size: m.size, sha256: m.sha256 });

  /** Reads a doctype through the gate (one ledger entry), writing its member only if it has data. */
  async function readThrough<T>(doctype: string, work: () => Promise<T>, count: (result: T) => number): Promise<T> {
    const permit = await gate(ctx, { verb: 'read', doctype });
    return permit.track(work, (result) => ({ count: count(result) }));
  }

  async function exportDocuments(doctype: string, gateDoctype: string): Promise<void> {
    report('documents', doctype);
    const n = await readThrough(
      gateDoctype,
      async () => {
        const pages = documentPages(deps, ctx.space, doctype)[Symbol.asyncIterator]();
        const first = await pages.next();
        if (first.done) return 0;
        let n = 0;
        async function* lines() {
          for (let page = first; !page.done; page = await pages.next()) {
            // A page's lines as one string: one generator step per page, not per document.
            let text = '';
            for (const doc of page.value) text += renderDocument(doc) + '\n';
            n += page.value.length;
            yield text;
            progress.documents += page.value.length;
            report('documents', doctype);
          }
        }
        keep(await zip.add(documentsPath(doctype), textChunks(lines())));
        return n;
      },
      (n) => n,
    );
    if (n > 0) counts.documents[doctype] = n;
  }

  async function exportSeries(doctype: string): Promise<number> {
    report('series', doctype);
    return readThrough(
      doctype,
      async () => {
        let after: { t: number; stream: string } | undefined;
        const read = () => store.readPoints(ctx.space, doctype, ALL_TIME, PAGE * 5, after);
        let page = await read();
        if (page.length === 0) return 0;
        let n = 0;
        async function* lines() {
          while (page.length > 0) {
            let text = '';
            for (const point of page) text += point.data + '\n';
            yield text;
            n += page.length;
            progress.points += page.length;
            report('series', doctype);
            const last = page[page.length - 1]!;
            after = { t: last.t, stream: last.stream };
            page = page.length < PAGE * 5 ? [] : await read();
          }
        }
        keep(await zip.add(seriesPath(doctype), textChunks(lines())));
        return n;
      },
      (n) => n,
    );
  }

  // Schemas of every doctype of the catalog: the archive says what its documents mean.
  for (const doctype of catalog.list()) {
    keep(await zip.add(schemaPath(doctype.name), [Buffer.from(JSON.stringify(doctype.schema, null, 2) + '\n')]));
    manifestCatalog[doctype.name] = { version: doctype.version, kind: doctype.kind };
  }
  for (const doctype of catalog.list()) {
    if (doctype.kind === 'document') {
      await exportDocuments(doctype.name, doctype.name);
    } else {
      const n = await exportSeries(doctype.name);
      if (n > 0) counts.points[doctype.name] = n;
    }
  }
  for (const [doctype, gateDoctype] of Object.entries(INTERNAL_DOCTYPES)) {
    await exportDocuments(doctype, gateDoctype);
    manifestCatalog[doctype] = { version: 1, kind: 'internal' };
  }

  // Files: the contents the foyer.file documents point at, stored as they are.
  await readThrough(
    FILE_DOCTYPE,
    async () => {
      for await (const page of documentPages(deps, ctx.space, FILE_DOCTYPE)) {
        for (const doc of page) {
          const record = JSON.parse(doc.data!) as { content: string };
          report('files', doc.id);
          const content = await fileStore.get(`${ctx.space}/${doc.id}/${record.content}`);
          const m = keep(await zip.add(filePath(doc.id), content, { store: true }));
          counts.files++;
          counts.fileBytes += m.size;
          progress.files++;
        }
      }
      return counts.files;
    },
    (n) => n,
  );

  // The ledger, entry by entry as stored (with prevHash and hash), and the ledgers carried over.
  report('ledger', LEDGER_PATH);
  const head = await store.ledgerHead(ctx.space);
  const previous: ArchiveManifest['ledger']['previous'] = [];
  await readThrough(
    'foyer.ledger',
    async () => {
      async function* entries() {
        let after = 0;
        while (after < head.seq) {
          const page = await store.scanLedger(ctx.space, after, Math.min(PAGE * 5, head.seq - after));
          if (page.length === 0) return;
          for (const entry of page) {
            if (entry.seq > head.seq) return;
            counts.ledgerEntries++;
            yield JSON.stringify(entry) + '\n';
          }
          after = page[page.length - 1]!.seq;
        }
      }
      keep(await zip.add(LEDGER_PATH, textChunks(entries())));
      for await (const page of documentPages(deps, ctx.space, PREVIOUS_LEDGER_DOCTYPE)) {
        for (const doc of page) {
          const record = JSON.parse(doc.data!) as PreviousLedgerRecord;
          const path = previousLedgerPath(doc.id);
          keep(await zip.add(path, await fileStore.get(`${ctx.space}/${doc.id}/${record.content}`)));
          previous.push({ path, space: record.space, head: record.head });
        }
      }
      return counts.ledgerEntries;
    },
    (n) => n,
  );

  if (options.formats === true) {
    for (const format of DOMAIN_FORMATS) {
      report('formats', format.file);
      await readThrough(
        format.doctype,
        async () => {
          const lines = format.write(deps, ctx.space)[Symbol.asyncIterator]();
          const first = await lines.next();
          if (first.done) return 0;
          async function* all() {
            for (let line = first; !line.done; line = await lines.next()) yield line.value;
          }
          keep(await zip.add(formatPath(format.file), textChunks(all())));
          return 1;
        },
        (n) => n,
      );
    }
  }

  const manifest: ArchiveManifest = {
    format: ARCHIVE_FORMAT,
    formatVersion: ARCHIVE_FORMAT_VERSION,
    createdAt: createdAt.toISOString(),
    foyer: { version: deps.version },
    space: { id: space.id, timeZone: space.timeZone, createdAt: space.createdAt },
    catalog: { doctypes: manifestCatalog },
    counts,
    ledger: { head, previous },
    members,
  };
  await zip.add(MANIFEST_PATH, [Buffer.from(JSON.stringify(manifest, null, 2) + '\n')]);
  await zip.finish();
  report('done', '');
  return manifest;
}
