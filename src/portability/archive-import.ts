/**
 * Imports a Foyer archive into a space (new or not): a merge, checked whole before anything is
 * written, then committed part by part (docs/archive-format.md, "Importing").
 *
 * 1. The directory is checked (archive-reader.ts), then the manifest: format version, and for every
 *    doctype with data, the same catalog version as here.
 * 2. Every member is read once, in a fixed order (documents, series, blobs, ledgers), its SHA-256
 *    and size compared with the manifest's; documents are validated against the catalog and
 *    compared with the space: absent ones are written with their own `_id`, `_rev` and `_meta`
 *    (revisions are kept), identical ones are left alone (so the same archive twice changes
 *    nothing), differing ones are conflicts: reported, the space's version kept. Points likewise.
 *    The archive's ledger must verify from the archive alone; it is carried into the space as a
 *    previous ledger, and the ledgers the archive carries come along.
 * 3. File contents of new files are stored under keys nothing points to yet; then the writes are
 *    committed through the gate in parts (one doctype, up to PART_SIZE writes: one transaction and
 *    one ledger entry each). A bad archive is refused before the first part and applies nothing;
 *    a failure between parts keeps the parts committed, says what they hold, and the same archive
 *    imported again completes the import.
 */
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { FoyerError, isFoyerError } from '../core/errors.js';
import { checkDocumentId } from '../core/documents/document-id.js';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import type { Permit } from '../core/gate.js';
import { GENESIS_HASH, ledgerBody, ledgerHash, type LedgerEntry } from '../core/ledger/ledger-entry.js';
import type { RequestContext } from '../core/principal.js';
import { toPointWrite } from '../core/series/series-point.js';
import { canonicalJson } from '../importers/canonical-json.js';
import { createImportSpool } from '../importers/import-spool.js';
import type { DocumentWrite, ImportBatch, SeriesPointWrite } from '../storage/document-store.js';
import type { PreviousLedgerRecord } from './archive-export.js';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_FORMAT_VERSION,
  documentsPath,
  filePath,
  INTERNAL_DOCTYPES,
  LEDGER_PATH,
  MANIFEST_PATH,
  PREVIOUS_LEDGER_DOCTYPE,
  previousLedgerPath,
  seriesPath,
  type ArchiveManifest,
} from './archive-layout.js';
import { archiveError, memberLines, openArchive, type ArchiveReadLimits, type OpenArchive } from './archive-reader.js';
import type { PortabilityDeps, PortabilityProgress } from './portability-deps.js';

const BATCH = 1000;
/** Documents or points committed per transaction (docs/archive-format.md, "Importing"). */
export const PART_SIZE = 100_000;
const POINT_BATCH = 5000;
const MAX_CONFLICTS_LISTED = 500;
/** File contents stored at once. */
const FILES_AT_ONCE = 2;
const REV = /^[1-9][0-9]{0,9}-[0-9a-f]{1,64}$/;

export interface MergeCounts {
  created: number;
  unchanged: number;
  conflicts: number;
}

export interface ArchiveConflict {
  kind: 'document' | 'point';
  doctype: string;
  /** Document id, or `<stream>@<ISO instant>` for a point. */
  id: string;
  reason: 'differs' | 'deleted_here';
  /** The revision in the archive and the one in the space (documents). */
  archiveRev?: string;
  spaceRev?: string;
}

export interface ArchiveImportReport {
  status: 'imported' | 'checked';
  archive: { space: string; createdAt: string; foyerVersion: string; formatVersion: number; encrypted: boolean };
  documents: Record<string, MergeCounts>;
  points: Record<string, MergeCounts>;
  files: MergeCounts & { bytes: number };
  /** The archive's ledger verified (entries), and the ledgers carried into the space. */
  ledger: { entries: number; head: { seq: number; hash: string }; carried: MergeCounts };
  conflicts: ArchiveConflict[];
  conflictCount: number;
}

export interface ArchiveImportOptions {
  passphrase?: string;
  /** Check and report, write nothing. */
  dryRun?: boolean;
  limits?: Partial<ArchiveReadLimits>;
  onProgress?: (progress: PortabilityProgress) => void;
  /** Makes the space when it does not exist yet (the CLI's import into a new space), in the archive's time zone. */
  createSpace?: (timeZone: string) => Promise<void>;
  /** Documents or points per transaction (default PART_SIZE; smaller in tests). */
  partSize?: number;
}

interface BlobPlan {
  doctype: string;
  id: string;
  /** Blob key's last segment. */
  content: string;
  size: number;
  sha256: string;
  /** Store the content (the document is new); else only check it. */
  store: boolean;
}

/** What the parts committed before a failure hold (the error's `details.applied`). */
export interface AppliedParts {
  parts: number;
  documents: Record<string, number>;
  points: Record<string, number>;
}

const gateDoctypeOf = (doctype: string) => INTERNAL_DOCTYPES[doctype] ?? doctype;
const batchDoctype = (batch: ImportBatch) => ('documents' in batch ? batch.documents[0]!.doctype : batch.doctype);
const emptyCounts = (): MergeCounts => ({ created: 0, unchanged: 0, conflicts: 0 });
const hex = (s: unknown) => typeof s === 'string' && /^[0-9a-f]{64}$/.test(s);

export async function importArchive(
  deps: PortabilityDeps,
  ctx: RequestContext,
  file: string,
  options: ArchiveImportOptions = {},
): Promise<ArchiveImportReport> {
  const { store, fileStore, catalog, gate } = deps;
  if (ctx.principal?.kind !== 'owner' && ctx.principal?.kind !== 'system') {
    throw new FoyerError('owner_only', 'Only the space’s owner can import an archive.');
  }
  const space = ctx.space;
  /** A part takes whole spooled batches: batches are never larger than a part. */
  const partSize = Math.max(1, options.partSize ?? PART_SIZE);
  const archive = await openArchive(file, {
    ...(options.passphrase !== undefined ? { passphrase: options.passphrase } : {}),
    limits: { maxMemberBytes: Math.max(deps.maxFileBytes, 64 * 1024 ** 3), ...options.limits },
  });
  const progress: PortabilityProgress = { phase: 'checking', item: '', documents: 0, points: 0, files: 0, bytes: 0 };
  const tell = (phase: PortabilityProgress['phase'], item: string) => {
    progress.phase = phase;
    progress.item = item;
    options.onProgress?.(progress);
  };
  await mkdir(deps.workDir, { recursive: true, mode: 0o700 });
  const spool = await createImportSpool(path.join(deps.workDir, 'archive-spools'));
  /** Contents stored for documents not committed yet: removed again if the import fails. */
  const stored = new Set<string>();
  /** Set when this import made the space: a failed import removes it again. */
  let madeSpace = false;
  try {
    const manifest = await readManifest(archive);
    checkMembers(archive, manifest);
    checkVersions(manifest, archive, catalog);
    if (!(await store.getSpace(space))) {
      if (!options.createSpace || options.dryRun) throw new FoyerError('space_not_found', `No space "${space}".`);
      await options.createSpace(manifest.space.timeZone);
      madeSpace = true;
    }
    const tz = await deps.timeZoneOf(space);

    const report: ArchiveImportReport = {
      status: options.dryRun ? 'checked' : 'imported',
      archive: {
        space: manifest.space.id,
        createdAt: manifest.createdAt,
        foyerVersion: manifest.foyer.version,
        formatVersion: manifest.formatVersion,
        encrypted: options.passphrase !== undefined,
      },
      documents: {},
      points: {},
      files: { ...emptyCounts(), bytes: 0 },
      ledger: { entries: 0, head: manifest.ledger.head, carried: emptyCounts() },
      conflicts: [],
      conflictCount: 0,
    };
    const conflict = (c: ArchiveConflict) => {
      report.conflictCount++;
      if (report.conflicts.length < MAX_CONFLICTS_LISTED) report.conflicts.push(c);
    };
    /** The gate doctypes written to (their permits are asked for before anything is written). */
    const writing = new Set<string>();
    const tally = (doctype: string) => writing.add(gateDoctypeOf(doctype));
    const blobs: BlobPlan[] = [];

    /** Reads a member whole through its checksum: the consumer's work, then the manifest's word. */
    async function* checked(member: string): AsyncIterable<Buffer> {
      const hash = createHash('sha256');
      let size = 0;
      for await (const chunk of counted(member)) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
      matches(member, { size, sha256: hash.digest('hex') });
    }

    /** A member's bytes, counted for the progress only (the file store hashes what it stores). */
    async function* counted(member: string): AsyncIterable<Buffer> {
      for await (const chunk of archive.read(member)) {
        progress.bytes += chunk.length;
        yield chunk;
      }
    }

    function matches(member: string, found: { size: number; sha256: string }): void {
      const expected = manifest.members[member]!;
      if (found.size !== expected.size || found.sha256 !== expected.sha256) {
        throw archiveError(`${member}: its checksum does not match the manifest (altered or damaged).`, {
          member,
          reason: 'checksum_mismatch',
        });
      }
    }

    // Documents: catalog doctypes, then the internal ones that travel (files, grants, settings, ledgers).
    const documentDoctypes = [
      ...catalog
        .list()
        .filter((d) => d.kind === 'document')
        .map((d) => d.name),
      ...Object.keys(INTERNAL_DOCTYPES),
    ];
    for (const doctype of documentDoctypes) {
      const member = documentsPath(doctype);
      if (!archive.sizes.has(member)) continue;
      tell('checking', member);
      const counts = (report.documents[doctype] = emptyCounts());
      const validate = catalog.get(doctype) ? await catalog.validator(doctype) : internalValidator(doctype);
      // The parsed document is kept only where its fields are needed later (a content's size and
      // hash): a million parsed objects kept a little longer cost the collector seconds.
      const keepParsed = doctype === FILE_DOCTYPE || doctype === PREVIOUS_LEDGER_DOCTYPE;
      let batch: { id: string; rev: string; data: string; meta: string; parsed: Record<string, unknown> | null }[] = [];
      // A doctype the space has never held (not even a tombstone) has nothing to compare with: its
      // lines are all new, and a million lookups are saved. A document written here meanwhile
      // makes the commit's creation fail as a conflict (nothing applied), as a looked-up one would.
      const emptyHere = (await store.changes(space, doctype, 0, 1)).length === 0;
      const flush = async () => {
        if (batch.length === 0) return;
        const current = emptyHere
          ? []
          : await store.getDocuments(
              space,
              doctype,
              batch.map((b) => b.id),
            );
        const writes: DocumentWrite[] = [];
        batch.forEach((item, k) => {
          const existing = current[k] ?? null;
          if (existing === null) {
            counts.created++;
            tally(doctype);
            writes.push({
              doctype,
              id: item.id,
              expectedRev: null,
              rev: item.rev,
              deleted: false,
              data: item.data,
              meta: item.meta,
            });
            planBlob(doctype, item.id, item.parsed, true);
          } else if (existing.deleted) {
            counts.conflicts++;
            conflict({
              kind: 'document',
              doctype,
              id: item.id,
              reason: 'deleted_here',
              archiveRev: item.rev,
              spaceRev: existing.rev,
            });
            planBlob(doctype, item.id, item.parsed, false);
          } else if (
            existing.rev === item.rev &&
            canonicalJson(JSON.parse(existing.data!)) === canonicalJson(item.parsed ?? JSON.parse(item.data))
          ) {
            counts.unchanged++;
            planBlob(doctype, item.id, item.parsed, false);
          } else {
            counts.conflicts++;
            conflict({
              kind: 'document',
              doctype,
              id: item.id,
              reason: 'differs',
              archiveRev: item.rev,
              spaceRev: existing.rev,
            });
            planBlob(doctype, item.id, item.parsed, false);
          }
        });
        if (writes.length > 0) await spool.push({ documents: writes });
        progress.documents += batch.length;
        tell('checking', member);
        batch = [];
      };
      let previousId: string | null = null;
      let line = 0;
      for await (const lines of memberLines(checked(member), member)) {
        for (const text of lines) {
          line++;
          if (text === '') continue;
          const doc = parseLine(text, member, line);
          const { _id: id, _rev: rev, _meta: meta, ...data } = doc;
          if (typeof id !== 'string' || typeof rev !== 'string' || !REV.test(rev) || !isObject(meta)) {
            throw archiveError(`${member}, line ${line}: a document needs _id, _rev (<generation>-<hex>) and _meta.`, {
              member,
              line,
              reason: 'invalid_document',
            });
          }
          try {
            checkDocumentId(id);
          } catch {
            throw archiveError(`${member}, line ${line}: "${id.slice(0, 80)}" is not a valid document id.`, {
              member,
              line,
              reason: 'invalid_document',
            });
          }
          // Lines are in ascending id order (byte order, as ids are ASCII): a repeated id cannot hide,
          // and no set of a million ids is needed to find one.
          if (previousId !== null && id <= previousId) {
            throw archiveError(
              `${member}, line ${line}: document ${id} is out of order or repeated (lines are sorted by _id).`,
              {
                member,
                line,
                reason: 'invalid_document',
              },
            );
          }
          previousId = id;
          const issues = validate(data);
          if (issues.length > 0) {
            throw archiveError(
              `${member}, line ${line}: this ${doctype} does not fit the catalog: ${issues.map((i) => i.message).join('; ')}`,
              {
                member,
                line,
                reason: 'invalid_document',
                issues: issues.slice(0, 20),
              },
            );
          }
          batch.push({
            id,
            rev,
            data: JSON.stringify(data),
            meta: JSON.stringify(meta),
            parsed: keepParsed ? data : null,
          });
          if (batch.length >= Math.min(BATCH, partSize)) await flush();
        }
      }
      await flush();
    }

    function planBlob(doctype: string, id: string, data: Record<string, unknown> | null, storeIt: boolean): void {
      if (data === null || (doctype !== FILE_DOCTYPE && doctype !== PREVIOUS_LEDGER_DOCTYPE)) return;
      const member = doctype === FILE_DOCTYPE ? filePath(id) : previousLedgerPath(id);
      const sum = manifest.members[member];
      if (!sum)
        throw archiveError(`${member}: the content of ${doctype} ${id} is missing.`, {
          member,
          reason: 'missing_member',
        });
      if (sum.size !== data.size || sum.sha256 !== data.sha256) {
        throw archiveError(`${member}: the content does not match its metadata (size or SHA-256).`, {
          member,
          reason: 'checksum_mismatch',
        });
      }
      blobs.push({ doctype, id, content: String(data.content), size: sum.size, sha256: sum.sha256, store: storeIt });
    }

    // Series: points are merged on (stream, time), as the store keys them.
    for (const doctype of catalog.list().filter((d) => d.kind === 'series')) {
      const member = seriesPath(doctype.name);
      if (!archive.sizes.has(member)) continue;
      tell('checking', member);
      const counts = (report.points[doctype.name] = emptyCounts());
      const validate = await catalog.validator(doctype.name);
      let batch: SeriesPointWrite[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        const existing = await pointsIn(doctype.name, batch);
        const fresh: SeriesPointWrite[] = [];
        for (const p of batch) {
          const there = existing.get(`${p.stream}\n${p.t}`);
          if (there === undefined) {
            fresh.push(p);
            counts.created++;
          } else if (canonicalJson(JSON.parse(there)) === canonicalJson(JSON.parse(p.data))) {
            counts.unchanged++;
          } else {
            counts.conflicts++;
            conflict({
              kind: 'point',
              doctype: doctype.name,
              id: `${p.stream}@${new Date(p.t).toISOString()}`,
              reason: 'differs',
            });
          }
        }
        if (fresh.length > 0) {
          await spool.push({ doctype: doctype.name, points: fresh });
          tally(doctype.name);
        }
        progress.points += batch.length;
        tell('checking', member);
        batch = [];
      };
      let line = 0;
      for await (const lines of memberLines(checked(member), member)) {
        for (const text of lines) {
          line++;
          if (text === '') continue;
          const point = parseLine(text, member, line);
          const issues = validate(point);
          if (issues.length > 0) {
            throw archiveError(
              `${member}, line ${line}: this ${doctype.name} point does not fit the catalog: ${issues.map((i) => i.message).join('; ')}`,
              {
                member,
                line,
                reason: 'invalid_document',
              },
            );
          }
          const write = toPointWrite(doctype.series!, point, tz, null, `${member}, line ${line}`);
          if (!Number.isFinite(write.t))
            throw archiveError(`${member}, line ${line}: the point has no valid time.`, {
              member,
              line,
              reason: 'invalid_document',
            });
          batch.push(write);
          if (batch.length >= Math.min(POINT_BATCH, partSize)) await flush();
        }
      }
      await flush();
    }

    /** The space's points at the batch's (stream, t), read over the batch's time span. */
    async function pointsIn(doctype: string, batch: SeriesPointWrite[]): Promise<Map<string, string>> {
      let from = Infinity;
      let to = -Infinity;
      for (const p of batch) {
        from = Math.min(from, p.t);
        to = Math.max(to, p.t);
      }
      const wanted = new Set(batch.map((p) => `${p.stream}\n${p.t}`));
      const found = new Map<string, string>();
      let after: { t: number; stream: string } | undefined;
      for (;;) {
        const page = await store.readPoints(space, doctype, { from, to: to + 1 }, 10_000, after);
        for (const p of page) {
          const key = `${p.stream}\n${p.t}`;
          if (wanted.has(key)) found.set(key, p.data);
        }
        if (page.length < 10_000) return found;
        const last = page[page.length - 1]!;
        after = { t: last.t, stream: last.stream };
      }
    }

    // The archive's own ledger: it must verify from the archive alone; it is carried as a previous ledger.
    tell('ledger', LEDGER_PATH);
    if (archive.sizes.has(LEDGER_PATH)) {
      report.ledger.entries = await verifyChain(
        memberLines(checked(LEDGER_PATH), LEDGER_PATH),
        LEDGER_PATH,
        manifest.ledger.head,
      );
    } else if (manifest.ledger.head.seq !== 0) {
      throw archiveError(`${LEDGER_PATH}: the ledger is missing.`, { member: LEDGER_PATH, reason: 'missing_member' });
    }
    for (const carried of manifest.ledger.previous) {
      if (!archive.sizes.has(carried.path))
        throw archiveError(`${carried.path}: missing.`, { member: carried.path, reason: 'missing_member' });
      await verifyChain(memberLines(checked(carried.path), carried.path), carried.path, carried.head);
    }
    let ownLedger: { id: string; record: PreviousLedgerRecord } | null = null;
    if (manifest.ledger.head.seq > 0) {
      const id = `l${createHash('sha256').update(`${manifest.space.id}\n${manifest.ledger.head.hash}`).digest('hex').slice(0, 31)}`;
      const sum = manifest.members[LEDGER_PATH]!;
      const record: PreviousLedgerRecord = {
        space: manifest.space.id,
        head: manifest.ledger.head,
        entries: report.ledger.entries,
        content: 'v1',
        size: sum.size,
        sha256: sum.sha256,
      };
      const existing = await store.getDocument(space, PREVIOUS_LEDGER_DOCTYPE, id);
      if (existing) report.ledger.carried.unchanged++;
      else {
        report.ledger.carried.created++;
        ownLedger = { id, record };
        tally(PREVIOUS_LEDGER_DOCTYPE);
      }
    }
    const carriedCounts = report.documents[PREVIOUS_LEDGER_DOCTYPE];
    if (carriedCounts) {
      report.ledger.carried.created += carriedCounts.created;
      report.ledger.carried.unchanged += carriedCounts.unchanged;
      report.ledger.carried.conflicts += carriedCounts.conflicts;
    }

    // Contents: stored for new documents (under keys nothing points to yet), checked for the others.
    // Two at a time: one file's reads and writes wait on the disk while the other is hashed and encrypted.
    await eachAtMost(FILES_AT_ONCE, blobs, async (blob) => {
      tell('files', blob.id);
      const member = blob.doctype === FILE_DOCTYPE ? filePath(blob.id) : previousLedgerPath(blob.id);
      if (blob.doctype === FILE_DOCTYPE) {
        const counts = report.files;
        if (blob.store) counts.created++;
        else counts.unchanged++;
        counts.bytes += blob.size;
        progress.files++;
      }
      await storeOrCheck(member, blob.id, blob.content, blob.store);
    });
    if (ownLedger) await storeOrCheck(LEDGER_PATH, ownLedger.id, ownLedger.record.content, true);
    // Members listed but not read above (schemas, domain formats, files of conflicting documents) are checked too.
    const read = new Set<string>([
      ...documentDoctypes.map(documentsPath),
      ...catalog.list().map((d) => seriesPath(d.name)),
      ...blobs.map((b) => (b.doctype === FILE_DOCTYPE ? filePath(b.id) : previousLedgerPath(b.id))),
      LEDGER_PATH,
      ...manifest.ledger.previous.map((p) => p.path),
    ]);
    for (const member of Object.keys(manifest.members)) {
      if (read.has(member)) continue;
      if (member.startsWith('files/') || member.startsWith('ledger/previous/')) {
        throw archiveError(`${member}: no document describes this content.`, { member, reason: 'unexpected_member' });
      }
      if (member.startsWith('documents/') || member.startsWith('series/')) {
        throw archiveError(`${member}: this doctype is unknown here.`, { member, reason: 'unknown_doctype' });
      }
      for await (const _ of checked(member)) void _;
    }

    /**
     * Commits the spooled writes in parts: consecutive batches of one gate doctype, up to PART_SIZE
     * documents or points, each part one transaction with its own ledger entry. A failure keeps
     * the parts committed before it, and its error says what they hold; importing the same archive
     * again completes the import (what was applied is then "unchanged").
     */
    async function applyParts(batches: Iterable<ImportBatch>, permits: Map<string, Permit>): Promise<void> {
      const applied: AppliedParts = { parts: 0, documents: {}, points: {} };
      const source = batches[Symbol.iterator]();
      let ledgerPart = false;
      try {
        let next = source.next();
        while (!next.done) {
          const doctype = gateDoctypeOf(batchDoctype(next.value));
          const ids: string[] = [];
          const contents: string[] = [];
          const counts: Record<string, number> = {};
          let count = 0;
          // Pulled from the spool as the store's transaction asks for them: one part in memory at most.
          function* part(): Generator<ImportBatch> {
            while (!next.done && gateDoctypeOf(batchDoctype(next.value)) === doctype && count < partSize) {
              const batch = next.value;
              const n = 'documents' in batch ? batch.documents.length : batch.points.length;
              if ('documents' in batch) {
                for (const w of batch.documents) {
                  ids.push(w.id);
                  if (w.doctype === FILE_DOCTYPE || w.doctype === PREVIOUS_LEDGER_DOCTYPE) {
                    contents.push(`${space}/${w.id}/${String((JSON.parse(w.data!) as { content?: unknown }).content)}`);
                  }
                }
              }
              counts[batchDoctype(batch)] = (counts[batchDoctype(batch)] ?? 0) + n;
              count += n;
              yield batch;
              next = source.next();
            }
          }
          tell('writing', doctype);
          await permits.get(doctype)!.track(
            () => store.applyImport(space, part()),
            () => ({ count, ...(ids.length > 0 ? { ids } : {}) }),
          );
          // Committed: these contents are the space's now.
          for (const key of contents) stored.delete(key);
          applied.parts++;
          for (const [name, n] of Object.entries(counts)) {
            const into = catalog.get(name)?.kind === 'series' ? applied.points : applied.documents;
            into[name] = (into[name] ?? 0) + n;
          }
          if (doctype === 'foyer.ledger') ledgerPart = true;
        }
        if (!ledgerPart)
          await permits.get('foyer.ledger')!.track(
            async () => undefined,
            () => ({ count: 0 }),
          );
      } catch (e) {
        // A space this import made is removed whole (finally, below): then nothing was applied.
        if (applied.parts === 0 || madeSpace) throw e;
        const cause = isFoyerError(e) ? e : null;
        throw new FoyerError(
          cause?.code ?? 'internal',
          `${cause?.message ?? 'The import failed.'} The import stopped after committing ${applied.parts} of its parts; importing the same archive again completes it.`,
          { ...(isObject(cause?.details) ? (cause!.details as object) : {}), applied, resumable: true },
          { cause: e },
        );
      } finally {
        source.return?.();
      }
    }

    async function storeOrCheck(member: string, id: string, content: string, put: boolean): Promise<void> {
      if (!put || options.dryRun) {
        for await (const _ of checked(member)) void _;
        return;
      }
      const key = `${space}/${id}/${content}`;
      stored.add(key);
      // The store hashes the content as it writes it: hashed once, compared after (a content that
      // does not match is removed with the rest by the clean-up below).
      matches(member, await fileStore.put(key, counted(member)));
    }

    report.conflicts.sort((a, b) =>
      a.doctype === b.doctype ? (a.id < b.id ? -1 : 1) : a.doctype < b.doctype ? -1 : 1,
    );
    if (options.dryRun) {
      tell('done', '');
      return report;
    }

    // Committed part by part through the gate (docs/archive-format.md, "Importing"): each part is
    // one transaction and one ledger entry of the owner. Permits are all asked for first.
    tell('writing', '');
    if (ownLedger) {
      const now = new Date(deps.clock.now()).toISOString();
      await spool.push({
        documents: [
          {
            doctype: PREVIOUS_LEDGER_DOCTYPE,
            id: ownLedger.id,
            expectedRev: null,
            rev: '1-0',
            deleted: false,
            data: JSON.stringify(ownLedger.record),
            meta: JSON.stringify({ createdAt: now, updatedAt: now }),
          },
        ],
      });
    }
    // The ledger's own part is always there: even an import that changes nothing is recorded.
    writing.add('foyer.ledger');
    const permits = new Map<string, Permit>();
    for (const doctype of writing) permits.set(doctype, await gate(ctx, { verb: 'create', doctype }));
    await applyParts(spool.batches(), permits);
    stored.clear();
    madeSpace = false;
    // The doctypes' declared indexes, as the documents API makes them on a first write; made after
    // the commit, one sort over the rows rather than an update per insert (idempotent).
    for (const doctype of catalog.list()) {
      if (doctype.kind === 'document' && report.documents[doctype.name]?.created) {
        for (const fields of doctype.indexes) await store.ensureIndex(space, doctype.name, [...fields]);
      }
    }
    tell('done', '');
    return report;
  } finally {
    await Promise.all([...stored].map((key) => fileStore.delete(key).catch(() => undefined)));
    if (madeSpace) await store.deleteSpace(space).catch(() => undefined);
    await spool.discard();
    await archive.close();
  }
}

/**
 * Runs `work` on every item, at most `limit` at once. On a failure no new item starts, and the
 * ones under way finish before the first error is thrown (their stored contents must be known to
 * the clean-up).
 */
async function eachAtMost<T>(limit: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  if (failure) throw failure.reason;
}

async function readManifest(archive: OpenArchive): Promise<ArchiveManifest> {
  const size = archive.sizes.get(MANIFEST_PATH);
  if (size === undefined)
    throw archiveError('This archive has no manifest.json: it is not a Foyer archive.', { reason: 'no_manifest' });
  if (size > 256 * 1024 * 1024) throw archiveError('manifest.json is too large.', { reason: 'invalid_manifest' });
  const chunks: Buffer[] = [];
  for await (const chunk of archive.read(MANIFEST_PATH)) chunks.push(chunk);
  let manifest: ArchiveManifest;
  try {
    manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ArchiveManifest;
  } catch {
    throw archiveError('manifest.json is not JSON.', { reason: 'invalid_manifest' });
  }
  if (!isObject(manifest) || manifest.format !== ARCHIVE_FORMAT) {
    throw archiveError('manifest.json does not describe a Foyer archive.', { reason: 'invalid_manifest' });
  }
  if (manifest.formatVersion !== ARCHIVE_FORMAT_VERSION) {
    throw archiveError(
      `This archive is in format version ${String(manifest.formatVersion)}; this Foyer reads version ${ARCHIVE_FORMAT_VERSION}.`,
      { reason: 'version_mismatch', archive: manifest.formatVersion, here: ARCHIVE_FORMAT_VERSION },
    );
  }
  const ok =
    isObject(manifest.members) &&
    isObject(manifest.space) &&
    typeof manifest.space.id === 'string' &&
    isObject(manifest.catalog) &&
    isObject(manifest.catalog.doctypes) &&
    isObject(manifest.ledger) &&
    isObject(manifest.ledger.head) &&
    Number.isInteger(manifest.ledger.head.seq) &&
    Array.isArray(manifest.ledger.previous) &&
    isObject(manifest.foyer) &&
    Object.values(manifest.members).every((m) => isObject(m) && Number.isInteger(m.size) && hex(m.sha256));
  if (!ok) throw archiveError('manifest.json lacks required fields.', { reason: 'invalid_manifest' });
  return manifest;
}

/** The zip's members and the manifest's list must be the same. */
function checkMembers(archive: OpenArchive, manifest: ArchiveManifest): void {
  for (const member of archive.sizes.keys()) {
    if (member !== MANIFEST_PATH && !manifest.members[member]) {
      throw archiveError(`${member}: this member is not in the manifest.`, { member, reason: 'unlisted_member' });
    }
  }
  for (const [member, sum] of Object.entries(manifest.members)) {
    const size = archive.sizes.get(member);
    if (size === undefined)
      throw archiveError(`${member}: listed in the manifest but missing.`, { member, reason: 'missing_member' });
    if (size !== sum.size) {
      throw archiveError(`${member}: its size does not match the manifest.`, { member, reason: 'checksum_mismatch' });
    }
  }
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

async function* flat(groups: AsyncIterable<string[]>): AsyncIterable<string> {
  for await (const group of groups) yield* group;
}

/** `line` names the line in errors (the text is only built for an error: a million lines pay nothing). */
function parseLine(text: string, member: string, line?: number): Record<string, unknown> {
  const where = line === undefined ? member : `${member}, line ${line}`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw archiveError(`${where}: not JSON.`, { reason: 'invalid_document' });
  }
  if (!isObject(value)) throw archiveError(`${where}: not a JSON object.`, { reason: 'invalid_document' });
  return value as Record<string, unknown>;
}

/** The internal doctypes have no catalog schema: their shape is checked where it matters (blobs). */
function internalValidator(doctype: string): (value: unknown) => { message: string }[] {
  return (value) => {
    const v = value as Record<string, unknown>;
    if (doctype === FILE_DOCTYPE || doctype === PREVIOUS_LEDGER_DOCTYPE) {
      const ok =
        Number.isInteger(v.size) &&
        hex(v.sha256) &&
        typeof v.content === 'string' &&
        /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(v.content);
      return ok ? [] : [{ message: 'expected size, sha256 and content (a revision)' }];
    }
    return [];
  };
}

/** Checks a ledger's chain entry by entry, up to the head the manifest names. Answers the entries. */
async function verifyChain(
  groups: AsyncIterable<string[]>,
  member: string,
  head: { seq: number; hash: string },
): Promise<number> {
  let previous = { seq: 0, hash: GENESIS_HASH };
  const broken = (seq: number, why: string) =>
    archiveError(`${member}: the ledger does not verify at entry ${seq}: ${why}.`, {
      member,
      seq,
      reason: 'ledger_broken',
    });
  for await (const text of flat(groups)) {
    if (text === '') continue;
    const entry = parseLine(text, member) as unknown as LedgerEntry;
    if (entry.seq !== previous.seq + 1) throw broken(previous.seq + 1, 'entries are missing or out of order');
    if (entry.prevHash !== previous.hash) throw broken(entry.seq, 'it is not chained on the entry before');
    if (ledgerHash(entry.prevHash, entry.seq, ledgerBody(entry)) !== entry.hash)
      throw broken(entry.seq, 'it was edited');
    previous = { seq: entry.seq, hash: entry.hash };
  }
  if (previous.seq !== head.seq || previous.hash !== head.hash) {
    throw broken(previous.seq, `the chain ends at ${previous.seq}, the manifest's head is ${head.seq}`);
  }
  return previous.seq;
}

/** Every doctype with data must be known here, in the same catalog version. */
function checkVersions(manifest: ArchiveManifest, archive: OpenArchive, catalog: PortabilityDeps['catalog']): void {
  for (const member of archive.sizes.keys()) {
    const m = /^(documents|series)\/(.+)\.jsonl$/.exec(member);
    if (!m) continue;
    const name = m[2]!;
    const declared = manifest.catalog.doctypes[name];
    if (INTERNAL_DOCTYPES[name] !== undefined && m[1] === 'documents') {
      if (declared && declared.version !== 1) throw mismatch(name, declared.version, 1);
      continue;
    }
    const here = catalog.get(name);
    if (!here || (here.kind === 'series') !== (m[1] === 'series')) {
      throw archiveError(`${member}: the doctype ${name} is unknown here (or of another kind).`, {
        member,
        doctype: name,
        reason: 'unknown_doctype',
      });
    }
    if (!declared || declared.version !== here.version) throw mismatch(name, declared?.version ?? null, here.version);
  }
}

function mismatch(doctype: string, archive: number | null, here: number): FoyerError {
  return archiveError(
    `The archive holds ${doctype} in version ${archive ?? '(none)'} of the catalog; this Foyer has version ${here}.`,
    { reason: 'version_mismatch', doctype, archive, here },
  );
}
