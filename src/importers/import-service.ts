/**
 * Imports one file: recognise its format by content, read it with its importer (streaming), check
 * every record against the catalog, decide for each document whether it is new, changed or already
 * there (natural keys), keep the resulting writes in an encrypted spool, then commit them in ONE
 * transaction through the gate as an `import` principal: all of the file or nothing, one ledger
 * entry per doctype and verb. A preview is the same run without the commit.
 */
import { createHash, hash } from 'node:crypto';
import type { Catalog } from '../core/catalog/catalog.js';
import type { Doctype } from '../core/catalog/doctype.js';
import type { ValidationIssue } from '../core/catalog/validation-issue.js';
import { stampMeta } from '../core/documents/document-meta.js';
import { newDocumentId, nextRevision } from '../core/documents/document-id.js';
import type { DocumentMeta } from '../core/documents/document-meta.js';
import { FoyerError, isFoyerError } from '../core/errors.js';
import { internalRecords } from '../core/internal-records.js';
import { trackTogether, type Gate, type Permit, type Tally, type Verb } from '../core/gate.js';
import type { Principal, RequestContext } from '../core/principal.js';
import { toPointWrite } from '../core/series/series-point.js';
import { toJsonText } from '../core/documents/json-text.js';
import type { Clock } from '../platform/clock.js';
import type { DocumentStore, DocumentWrite, SeriesPointWrite, StoredDocument } from '../storage/document-store.js';
import { canonicalJson } from './canonical-json.js';
import { importError } from './import-error.js';
import { emptyCounts, type DoctypeCounts, type ImportReport } from './import-report.js';
import { createImportSpool } from './import-spool.js';
import type { Importer, ImportOptions, ImportRecord, ImportSource, ImportWarning, ParseContext } from './importer.js';
import { createImportSource, type ByteOpener } from './source/import-source.js';

/** Past imports (their reports), listed by `GET /api/imports`. */
export const IMPORT_DOCTYPE = 'foyer.import';
/** Saved CSV mappings (presets), one per importer and file layout. */
export const IMPORT_PRESET_DOCTYPE = 'foyer.import-preset';

interface ImportPreset {
  importer: string;
  key: string;
  csvMapping: Record<string, unknown>;
  savedAt: string;
}

/** Below this, a format is not recognised: better to say so than to guess. */
export const DETECTION_THRESHOLD = 0.5;
/** Warnings kept in a report; more are only counted. */
const MAX_WARNINGS = 500;
const SAMPLE_SIZE = 3;
/** Documents looked up (for duplicates) and spooled together. */
const DOCUMENT_BATCH = 1000;
const POINT_BATCH = 5000;

export interface ImportLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
}

export interface ImportServiceDeps {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  clock: Clock;
  /**
   * The importers, or how to load them: a serving Foyer loads the parsers (XML, zip, JSON streams)
   * on its first import rather than carrying them in memory from the start.
   */
  importers: readonly Importer[] | (() => Promise<readonly Importer[]>);
  timeZoneOf: (space: string) => Promise<string>;
  /** A folder for the spools of running imports (emptied at start). */
  spoolDir: string;
  limits: ImportLimits;
}

export interface ImportProgress {
  phase: 'reading' | 'writing' | 'done';
  file: string;
  /** Bytes of the file read so far, and its size when known. */
  bytes: number;
  size: number | null;
  records: number;
}

export interface ImportRequest {
  options?: ImportOptions;
  /** Force a format rather than detecting it (the preview's "this is actually..."). */
  format?: string;
  onProgress?: (progress: ImportProgress) => void;
  /** Stops the import (nothing written) when aborted. */
  signal?: AbortSignal;
}

export type ImportService = ReturnType<typeof createImportService>;

export function createImportService(deps: ImportServiceDeps) {
  const { store, catalog, gate, clock } = deps;
  let loading: Promise<readonly Importer[]> | undefined;
  const importersNow = (): Promise<readonly Importer[]> => {
    const given = deps.importers;
    loading ??= typeof given === 'function' ? given() : Promise.resolve(given);
    // A failed load is tried again at the next import.
    loading.catch(() => (loading = undefined));
    return loading;
  };
  const history = internalRecords<ImportReport>(store, IMPORT_DOCTYPE);
  const presets = internalRecords<ImportPreset>(store, IMPORT_PRESET_DOCTYPE);
  const presetId = (importer: string, key: string) =>
    `p${createHash('sha256').update(importer).update('\n').update(key).digest('hex').slice(0, 31)}`;

  /** Scores every importer on the sample; the best above the threshold wins. */
  async function recognise(source: ImportSource, format?: string): Promise<Importer> {
    const importers = await importersNow();
    if (format !== undefined) {
      const chosen = importers.find((i) => i.id === format);
      if (!chosen) {
        throw new FoyerError('bad_request', `There is no importer "${format}".`, {
          formats: importers.map((i) => i.id),
        });
      }
      return chosen;
    }
    let best: Importer | null = null;
    let bestScore = 0;
    for (const importer of importers) {
      let score = 0;
      try {
        score = importer.detect(source.sample);
      } catch {
        score = 0; // a detector must not throw; one that does is not sure of anything
      }
      if (score > bestScore) {
        best = importer;
        bestScore = score;
      }
    }
    if (!best || bestScore < DETECTION_THRESHOLD) {
      throw new FoyerError(
        'import_unrecognized',
        `${source.name}: Foyer does not recognise this file's format. It reads: ${importers.map((i) => i.title).join('; ')}.`,
        { file: source.name },
      );
    }
    return best;
  }

  async function checksumOf(source: ImportSource, signal?: AbortSignal): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of source.bytes()) {
      signal?.throwIfAborted();
      hash.update(chunk);
    }
    return hash.digest('hex');
  }

  /** Reads, checks and spools the file; commits when `commit`. */
  async function importOne(
    ctx: RequestContext,
    file: ByteOpener,
    request: ImportRequest,
    commit: boolean,
  ): Promise<ImportReport> {
    const startedAt = new Date(clock.now()).toISOString();
    const id = newDocumentId(clock.now());
    if (ctx.principal?.kind !== 'owner' && ctx.principal?.kind !== 'system') {
      throw new FoyerError('owner_only', 'Only the space’s owner can import files.');
    }
    if (file.size !== null && file.size > deps.limits.maxFileBytes) throw tooLarge(file.name, deps.limits.maxFileBytes);

    let bytesRead = 0;
    let records = 0;
    const progress = (phase: ImportProgress['phase']) =>
      request.onProgress?.({ phase, file: file.name, bytes: bytesRead, size: file.size, records });
    const source = await createImportSource({
      ...file,
      // Counts what the importer reads (for progress) and stops a file larger than announced.
      open: () => countBytes(file.open(), file.name, deps.limits.maxFileBytes, (n) => (bytesRead = n)),
    });
    const importer = await recognise(source, request.format);
    const checksum = await checksumOf(source, request.signal);
    const tz = await deps.timeZoneOf(ctx.space);
    const principal: Principal = { kind: 'import', importId: id, importer: importer.id, file: file.name, checksum };

    // A mapping saved from an earlier file of the same layout applies unless this request gives one.
    const presetKey = importer.presetKey ? await importer.presetKey(source) : null;
    let options: ImportOptions = request.options ?? {};
    let presetApplied = false;
    if (presetKey !== null && options.csvMapping === undefined) {
      const saved = await presets.get(ctx.space, presetId(importer.id, presetKey));
      if (saved) {
        options = { ...options, csvMapping: saved.data.csvMapping };
        presetApplied = true;
      }
    }

    const warnings: ImportWarning[] = [];
    let warningCount = 0;
    const parseContext: ParseContext = {
      warn: (w) => {
        warningCount++;
        if (warnings.length < MAX_WARNINGS) warnings.push(w);
      },
      options,
      timeZone: tz,
      now: clock.now(),
    };
    const counts: Record<string, DoctypeCounts> = {};
    const sample: Record<string, unknown[]> = {};
    const countsOf = (doctype: string) => (counts[doctype] ??= emptyCounts());
    /** Per doctype and verb, the ids written (documents) or the points' count: the ledger's tally. */
    const tallies = new Map<string, PartTally>();
    const tallyOf = (doctype: string, verb: Verb, named: boolean): PartTally => {
      const key = `${doctype}\n${verb}`;
      let t = tallies.get(key);
      if (!t) tallies.set(key, (t = { doctype, verb, count: 0, ids: named ? [] : null }));
      return t;
    };
    const tally = (doctype: string, verb: Verb, id: string) => {
      const t = tallyOf(doctype, verb, true);
      t.count++;
      t.ids?.push(id);
    };

    const spool = await createImportSpool(deps.spoolDir);
    try {
      const seen = new Set<string>();
      /** Per doctype, whether the space held none of it (not even a tombstone) before this import. */
      const neverHeld = new Map<string, boolean>();
      /** Per doctype: checked once, its validator, samples and counts, and its points' tally. */
      const checkedDoctypes = new Map<
        string,
        {
          doctype: Doctype;
          validate: (value: unknown) => ValidationIssue[];
          samples: unknown[];
          counts: DoctypeCounts;
          pointTally: PartTally | null;
        }
      >();
      /**
       * Runs `make` naming the record's file and line in its errors: the name is made only when it
       * fails (the same call again, with it), not for each of a million records.
       */
      const withLine = <T>(record: ImportRecord, make: (where: string) => T): T => {
        try {
          return make(source.name);
        } catch {
          return make(`${source.name}, line ${record.line ?? '?'}`);
        }
      };
      let documents: PendingDocument[] = [];
      const points = new Map<string, SeriesPointWrite[]>();

      const flushDocuments = async () => {
        if (documents.length === 0) return;
        const batch = documents;
        documents = [];
        const writes = await planDocuments(ctx.space, principal, batch, countsOf, tally, neverHeld);
        if (writes.length > 0) await spool.push({ documents: writes });
      };
      const flushPoints = async (doctype: string) => {
        const batch = points.get(doctype);
        if (!batch || batch.length === 0) return;
        points.set(doctype, []);
        await spool.push({ doctype, points: batch });
      };

      progress('reading');
      for await (const record of importer.parse(source, parseContext)) {
        request.signal?.throwIfAborted();
        records++;
        if (records % 1000 === 0) progress('reading');
        // Checked and compiled once per doctype: a lookup a record, no await.
        let checked = checkedDoctypes.get(record.doctype);
        if (checked === undefined || checked.doctype.kind !== (record.kind === 'point' ? 'series' : 'document')) {
          checked = {
            doctype: checkRecord(importer, source.name, record),
            validate: await catalog.validator(record.doctype),
            samples: (sample[record.doctype] ??= []),
            counts: countsOf(record.doctype),
            pointTally: null,
          };
          checkedDoctypes.set(record.doctype, checked);
        }
        const doctype = checked.doctype;
        const issues = checked.validate(record.data);
        if (issues.length > 0) {
          throw importError(
            source.name,
            `a ${record.doctype} record does not fit the catalog: ${issues.map((i) => i.message).join('; ')}`,
            record.line,
            { issues },
          );
        }
        if (checked.samples.length < SAMPLE_SIZE)
          checked.samples.push(JSON.parse(JSON.stringify(record.data)) as unknown);
        if (record.kind === 'document') {
          const docId = importedDocumentId(record.doctype, record.key);
          if (seen.has(docId)) {
            parseContext.warn({
              ...(record.line !== undefined ? { line: record.line } : {}),
              message: `this ${record.doctype} repeats one earlier in the file (same key "${record.key}"): the first is kept.`,
            });
            continue;
          }
          seen.add(docId);
          // The JSON text, not the record: an importer's strings may be slices of the file's text
          // chunks, and a thousand documents held here would keep a thousand chunks alive.
          documents.push({
            doctype: record.doctype,
            id: docId,
            json: withLine(record, (where) => toJsonText(record.data, where)),
          });
          if (documents.length >= DOCUMENT_BATCH) await flushDocuments();
        } else {
          const series = doctype.series!;
          const write = withLine(record, (where) => toPointWrite(series, record.data, tz, null, where));
          if (!Number.isFinite(write.t)) {
            throw importError(source.name, `a ${record.doctype} point has no valid time.`, record.line);
          }
          let batch = points.get(record.doctype);
          if (!batch) points.set(record.doctype, (batch = []));
          batch.push(write);
          checked.counts.points++;
          (checked.pointTally ??= tallyOf(record.doctype, 'create', false)).count++;
          if (batch.length >= POINT_BATCH) await flushPoints(record.doctype);
        }
      }
      await flushDocuments();
      for (const doctype of points.keys()) await flushPoints(doctype);
      if (records === 0) {
        parseContext.warn({ message: 'The file holds no record to import.' });
      }

      const described = importer.describe ? await importer.describe(source, parseContext) : undefined;
      const details = described && presetApplied ? { ...described, preset: 'applied' } : described;
      const report = (status: ImportReport['status']): ImportReport => ({
        id,
        file: source.name,
        size: file.size,
        checksum,
        format: { id: importer.id, title: importer.title },
        encoding: source.encoding,
        status,
        counts,
        records,
        warnings,
        warningCount,
        sample,
        ...(details ? { details } : {}),
        startedAt,
        finishedAt: new Date(clock.now()).toISOString(),
      });
      if (!commit) return report('previewed');

      progress('writing');
      await commitThroughGate({ ...ctx, principal }, [...tallies.values()], () =>
        store.applyImport(ctx.space, spool.batches()),
      );
      // The doctypes' declared indexes, as the documents API makes them on a first write. After the
      // commit: an index a first import makes is built once over its rows, in order, rather than
      // kept up row by row (100,000 bank lines: ~0.7 s less); one that exists already is kept up
      // by the commit as by any write. Queries work without it, only slower: an index that cannot
      // be made now (the import is committed) is said in the report and made at the next write.
      for (const name of new Set([...tallies.values()].map((t) => t.doctype))) {
        const doctype = catalog.get(name);
        if (doctype?.kind !== 'document') continue;
        try {
          for (const fields of doctype.indexes) await store.ensureIndex(ctx.space, name, [...fields]);
        } catch {
          parseContext.warn({
            message: `The ${name} indexes could not be made now: searches among them are slower until the next write.`,
          });
        }
      }
      if (presetKey !== null && request.options?.csvMapping !== undefined) {
        const id = presetId(importer.id, presetKey);
        const previous = await presets.get(ctx.space, id);
        const preset = {
          importer: importer.id,
          key: presetKey,
          csvMapping: request.options.csvMapping,
          savedAt: new Date(clock.now()).toISOString(),
        };
        await presets.put(ctx.space, id, preset, previous?.doc ?? null, preset.savedAt);
      }
      progress('done');
      return report('imported');
    } finally {
      await spool.discard();
    }
  }

  /**
   * Asks the gate for every (doctype, verb) the import writes, then commits once; each permit's
   * ledger entry tells its part (count and digest of ids), or the failure.
   */
  async function commitThroughGate(
    ctx: RequestContext,
    parts: { doctype: string; verb: Verb; count: number; ids: string[] | null }[],
    work: () => Promise<unknown>,
  ): Promise<void> {
    const permits: { permit: Permit; tally: Tally }[] = [];
    for (const part of parts) {
      const permit = await gate(ctx, { verb: part.verb, doctype: part.doctype });
      permits.push({ permit, tally: { count: part.count, ...(part.ids ? { ids: part.ids } : {}) } });
    }
    await trackTogether(permits, work);
  }

  /**
   * The writes for a batch of documents, against what the space holds: new ones are created, ones
   * an import wrote and the file changes are updated; identical ones, ones the person changed
   * since, and ones the person deleted are left alone.
   */
  async function planDocuments(
    space: string,
    principal: Principal,
    batch: PendingDocument[],
    countsOf: (doctype: string) => DoctypeCounts,
    tally: (doctype: string, verb: Verb, id: string) => void,
    neverHeld: Map<string, boolean>,
  ): Promise<DocumentWrite[]> {
    const byDoctype = new Map<string, typeof batch>();
    for (const item of batch) {
      let list = byDoctype.get(item.doctype);
      if (!list) byDoctype.set(item.doctype, (list = []));
      list.push(item);
    }
    const writes: DocumentWrite[] = [];
    const now = clock.now();
    // Every new document of a batch has the same metadata: made once, one string shared by all.
    const fresh = stampMeta(principal, null, now, false);
    for (const [doctype, items] of byDoctype) {
      // A doctype the space had never held when the import started (not even a tombstone) has
      // nothing to compare with: its documents are all new, and as many lookups are saved. One
      // written there meanwhile makes the commit's creation fail as a conflict (nothing applied),
      // as a looked-up one changed meanwhile would.
      let empty = neverHeld.get(doctype);
      if (empty === undefined)
        neverHeld.set(doctype, (empty = (await store.changes(space, doctype, 0, 1)).length === 0));
      const current = empty
        ? []
        : await store.getDocuments(
            space,
            doctype,
            items.map((i) => i.id),
          );
      const counts = countsOf(doctype);
      items.forEach((item, k) => {
        const existing = current[k] ?? null;
        const json = item.json;
        if (existing === null) {
          counts.created++;
          tally(doctype, 'create', item.id);
          writes.push(write(doctype, item.id, json, null, fresh));
          return;
        }
        if (existing.deleted) {
          // A tombstone the person (or retention) left: a re-import must not bring it back.
          counts.deleted++;
          return;
        }
        if (canonicalJson(JSON.parse(existing.data!)) === canonicalJson(JSON.parse(json))) {
          counts.unchanged++;
          return;
        }
        const meta = JSON.parse(existing.meta) as DocumentMeta;
        if (meta.updatedBy?.kind !== 'import') {
          counts.kept++;
          return;
        }
        counts.updated++;
        tally(doctype, 'update', item.id);
        writes.push(write(doctype, item.id, json, existing, stampMeta(principal, existing.meta, now, false)));
      });
    }
    return writes;
  }

  function checkRecord(importer: Importer, file: string, record: ImportRecord): Doctype {
    const doctype = catalog.get(record.doctype);
    if (!doctype || !importer.doctypes.includes(record.doctype)) {
      throw new FoyerError('internal', `${file}: importer ${importer.id} produced an unexpected ${record.doctype}.`);
    }
    if ((record.kind === 'point') !== (doctype.kind === 'series')) {
      throw new FoyerError(
        'internal',
        `${file}: importer ${importer.id} produced a ${record.kind} of ${record.doctype}.`,
      );
    }
    return doctype;
  }

  return {
    /** Every importer (loaded on first use). */
    importers: importersNow,
    /** Reads the file and says what an import would do, writing nothing. */
    preview: (ctx: RequestContext, file: ByteOpener, request: ImportRequest = {}) =>
      importOne(ctx, file, request, false),
    /**
     * Imports the file: all of it, or nothing (the error says why, naming the file and line). The
     * report, or the failure, is kept in the space's import history.
     */
    async run(ctx: RequestContext, file: ByteOpener, request: ImportRequest = {}): Promise<ImportReport> {
      const startedAt = new Date(clock.now()).toISOString();
      try {
        const report = await importOne(ctx, file, request, true);
        // The history keeps counts and warnings, never the records' contents: deleting a record
        // must not leave a copy of it here.
        const { sample: _sample, details: _details, ...kept } = report;
        await history.put(ctx.space, report.id, { ...kept, sample: {} }, null, report.finishedAt);
        return report;
      } catch (e) {
        if (isFoyerError(e) && e.code !== 'owner_only') {
          const failed: ImportReport = {
            id: newDocumentId(clock.now()),
            file: file.name,
            size: file.size,
            checksum: '',
            format: { id: '', title: '' },
            encoding: '',
            status: 'failed',
            counts: {},
            records: 0,
            warnings: [],
            warningCount: 0,
            sample: {},
            startedAt,
            finishedAt: new Date(clock.now()).toISOString(),
            error: { code: e.code, message: e.message, ...(e.details !== undefined ? { details: e.details } : {}) },
          };
          await history.put(ctx.space, failed.id, failed, null, failed.finishedAt).catch(() => undefined);
        }
        throw e;
      }
    },

    /** The space's past imports, newest first (the owner's). */
    async list(ctx: RequestContext): Promise<ImportReport[]> {
      if (ctx.principal?.kind !== 'owner')
        throw new FoyerError('owner_only', 'Only the space’s owner can see imports.');
      const all = await history.all(ctx.space);
      return all.map((r) => r.data).sort((a, b) => (a.id < b.id ? 1 : -1));
    },
  };
}

/** A document's id from its natural key: the same record from any later export lands on the same id. */
export function importedDocumentId(doctype: string, key: string): string {
  // One-shot hash: a third of createHash's cost, for the same digest.
  return `i${hash('sha256', `${doctype}\n${key}`).slice(0, 31)}`;
}

interface PartTally {
  doctype: string;
  verb: Verb;
  count: number;
  ids: string[] | null;
}

interface PendingDocument {
  doctype: string;
  id: string;
  json: string;
}

function write(
  doctype: string,
  id: string,
  json: string,
  existing: StoredDocument | null,
  meta: string,
): DocumentWrite {
  return {
    doctype,
    id,
    expectedRev: existing?.rev ?? null,
    rev: nextRevision(existing?.rev ?? null),
    deleted: false,
    data: json,
    meta,
  };
}

function tooLarge(file: string, max: number): FoyerError {
  return new FoyerError(
    'payload_too_large',
    `${file}: the file is larger than the ${formatBytes(max)} Foyer accepts.`,
    {
      file,
      maxBytes: max,
    },
  );
}

function formatBytes(n: number): string {
  return n >= 1 << 30 ? `${(n / (1 << 30)).toFixed(1)} GiB` : `${(n / (1 << 20)).toFixed(0)} MiB`;
}

async function* countBytes(
  stream: AsyncIterable<Uint8Array>,
  file: string,
  max: number,
  onCount: (n: number) => void,
): AsyncIterable<Uint8Array> {
  let n = 0;
  for await (const chunk of stream) {
    n += chunk.length;
    if (n > max) throw tooLarge(file, max);
    onCount(n);
    yield chunk;
  }
}
