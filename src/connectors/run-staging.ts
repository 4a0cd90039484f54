/**
 * What a run wrote, held until the run ends: documents by id (from the natural key, as imports
 * derive it, so a rerun lands on the same ids), points by stream and time. Each write is checked
 * as it arrives: the gate must allow the doctype under the connector's grant (a refusal is in the
 * ledger and ends the run as `not_allowed`), and the catalog must accept the data (else
 * `holder_format_changed`). Files (`ctx.file`) are staged by run-files, their `foyer.file`
 * records planned with the documents. At a good end, `plan` compares with the space and `commit`
 * writes only what is new or changed, in ONE transaction with the run's own records, through the gate.
 */
import type { Catalog } from '../core/catalog/catalog.js';
import type { Doctype } from '../core/catalog/doctype.js';
import { nextRevision } from '../core/documents/document-id.js';
import { stampMeta, type DocumentMeta } from '../core/documents/document-meta.js';
import { toJsonText } from '../core/documents/json-text.js';
import { isFoyerError } from '../core/errors.js';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import { trackTogether, type Gate, type Permit, type Tally, type Verb } from '../core/gate.js';
import type { RequestContext } from '../core/principal.js';
import { toPointWrite } from '../core/series/series-point.js';
import { canonicalJson } from '../importers/canonical-json.js';
import { importedDocumentId } from '../importers/import-service.js';
import type { Clock } from '../platform/clock.js';
import type { DocumentStore, DocumentWrite, ImportBatch, SeriesPointWrite } from '../storage/document-store.js';
import { emptyCounts, type DoctypeCounts } from './connector-records.js';
import { RunFailure } from './run-errors.js';
import { collected, type FileArgs, type FilePlan, type RunFiles } from './run-files.js';

const READ_BATCH = 1000;
const WRITE_BATCH = 5000;

export interface StagingDeps {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  clock: Clock;
  /** The connector's grant, as the gate sees it. */
  ctx: RequestContext;
  timeZone: string;
  /** Named in the documents' source. */
  holder: string;
  maxRecords: number;
  files: RunFiles;
}

interface Part {
  doctype: string;
  verb: Verb;
  count: number;
  ids: string[] | null;
}

export interface StagingPlan {
  counts: Record<string, DoctypeCounts>;
  documents: DocumentWrite[];
  points: Map<string, SeriesPointWrite[]>;
  parts: Part[];
  files: FilePlan;
}

export type RunStaging = ReturnType<typeof createRunStaging>;

export function createRunStaging(deps: StagingDeps) {
  const { store, catalog, gate, ctx } = deps;
  const space = ctx.space;
  const grantId = ctx.principal?.kind === 'grant' ? ctx.principal.grant.id : null;
  const documents = new Map<string, { doctype: string; json: string }>();
  const points = new Map<string, Map<string, SeriesPointWrite>>();
  const admitted = new Map<string, Doctype>();
  let filesAdmitted = false;
  let records = 0;

  /** The grant must allow creating files, as it must a doctype. */
  async function admitFiles(): Promise<void> {
    if (filesAdmitted) return;
    try {
      await gate(ctx, { verb: 'create', doctype: FILE_DOCTYPE });
    } catch (e) {
      if (!isFoyerError(e)) throw e;
      throw new RunFailure('not_allowed', `The connector stored a file, which its grant does not allow (${e.code}).`);
    }
    filesAdmitted = true;
  }

  /** Every file a written document names must be one this run stored, or one the space holds. */
  async function checkFileReferences(writes: DocumentWrite[]): Promise<void> {
    const named = new Map<string, string>();
    for (const w of writes) {
      const fields = catalog.get(w.doctype)?.fileFields ?? [];
      if (fields.length === 0) continue;
      const data = JSON.parse(w.data!) as Record<string, unknown>;
      for (const field of fields) {
        const value = data[field];
        for (const id of typeof value === 'string' ? [value] : Array.isArray(value) ? value : []) {
          if (typeof id === 'string' && !deps.files.has(id)) named.set(id, `A ${w.doctype} (${field})`);
        }
      }
    }
    const ids = [...named.keys()];
    for (let i = 0; i < ids.length; i += READ_BATCH) {
      const chunk = ids.slice(i, i + READ_BATCH);
      const found = await store.getDocuments(space, FILE_DOCTYPE, chunk);
      chunk.forEach((id, k) => {
        const f = found[k];
        if (!f || f.deleted) {
          throw new RunFailure(
            'internal',
            `${named.get(id)!} names the file ${id.slice(0, 128)}, which the run did not store and the space does not hold.`,
          );
        }
      });
    }
  }

  async function admit(name: string, kind: Doctype['kind']): Promise<Doctype> {
    let doctype = admitted.get(name);
    if (!doctype) {
      try {
        await gate(ctx, { verb: 'create', doctype: name });
      } catch (e) {
        if (!isFoyerError(e)) throw e;
        throw new RunFailure('not_allowed', `The connector wrote ${name}, which its grant does not allow (${e.code}).`);
      }
      doctype = catalog.get(name);
      if (!doctype) throw new RunFailure('not_allowed', `The connector wrote ${name}, which is not a catalog doctype.`);
      admitted.set(name, doctype);
    }
    if (doctype.kind !== kind) {
      throw new RunFailure(
        'internal',
        kind === 'document'
          ? `${name} is a time series: the connector must write it with ctx.points.`
          : `${name} holds documents: the connector must write it with ctx.upsert.`,
      );
    }
    return doctype;
  }

  function count(n: number): void {
    records += n;
    if (records > deps.maxRecords) {
      throw new RunFailure('memory_limit', `The run wrote more than ${deps.maxRecords} records, its limit.`);
    }
  }

  async function check(name: string, data: unknown, what: string): Promise<void> {
    const issues = (await catalog.validator(name))(data);
    if (issues.length > 0) {
      const text = issues.map((i) => i.message).join('; ');
      throw new RunFailure('holder_format_changed', `${what} does not fit the catalog: ${text}`.slice(0, 1000));
    }
  }

  function jsonOf(data: unknown, what: string): string {
    try {
      return toJsonText(data, what);
    } catch (e) {
      throw new RunFailure('holder_format_changed', isFoyerError(e) ? e.message : `${what} is not JSON.`);
    }
  }

  return {
    async addDocuments(batch: { doctype: string; key: string; data: Record<string, unknown> }[]): Promise<void> {
      for (const { doctype: name, key, data } of batch) {
        await admit(name, 'document');
        count(1);
        const what = `A ${name} (key ${key.slice(0, 100)})`;
        await check(name, data, what);
        // The last write of a key in a run wins: the freshest page the connector read.
        documents.set(importedDocumentId(name, key), { doctype: name, json: jsonOf(data, what) });
      }
    },

    async addFile(args: FileArgs): Promise<string> {
      await admitFiles();
      count(1);
      return deps.files.add(args);
    },

    async addPoints(name: string, batch: Record<string, unknown>[]): Promise<void> {
      const doctype = await admit(name, 'series');
      count(batch.length);
      const series = doctype.series!;
      let byKey = points.get(name);
      if (!byKey) points.set(name, (byKey = new Map()));
      for (const [i, point] of batch.entries()) {
        const what = `Point ${i} of ${name}`;
        await check(name, point, what);
        jsonOf(point, what);
        const write = toPointWrite(series, point, deps.timeZone, grantId, what);
        if (!Number.isFinite(write.t)) throw new RunFailure('holder_format_changed', `${what} has no valid time.`);
        byKey.set(`${write.stream}\n${write.t}`, write);
      }
    },

    /** Compares with the space: what is new, changed, the same, or the person's own since. */
    async plan(): Promise<StagingPlan> {
      const counts: Record<string, DoctypeCounts> = {};
      const countsOf = (doctype: string) => (counts[doctype] ??= emptyCounts());
      const parts = new Map<string, Part>();
      const part = (doctype: string, verb: Verb, id: string | null, n = 1) => {
        const key = `${doctype}\n${verb}`;
        let p = parts.get(key);
        if (!p) parts.set(key, (p = { doctype, verb, count: 0, ids: id === null ? null : [] }));
        p.count += n;
        if (id !== null) p.ids?.push(id);
      };
      const now = deps.clock.now();
      const meta = (previous: string | null) => {
        const m = JSON.parse(stampMeta(ctx.principal!, previous, now, false)) as DocumentMeta;
        if (previous === null) m.source = { kind: 'connector', holder: deps.holder };
        m.collectedAt = new Date(now).toISOString();
        return JSON.stringify(m);
      };
      const fresh = meta(null);

      const writes: DocumentWrite[] = [];
      const byDoctype = new Map<string, string[]>();
      for (const [id, d] of documents) {
        let ids = byDoctype.get(d.doctype);
        if (!ids) byDoctype.set(d.doctype, (ids = []));
        ids.push(id);
      }
      for (const [doctype, ids] of byDoctype) {
        const c = countsOf(doctype);
        for (let i = 0; i < ids.length; i += READ_BATCH) {
          const chunk = ids.slice(i, i + READ_BATCH);
          const current = await store.getDocuments(space, doctype, chunk);
          chunk.forEach((id, k) => {
            const json = documents.get(id)!.json;
            const existing = current[k] ?? null;
            const write = (m: string): DocumentWrite => ({
              doctype,
              id,
              expectedRev: existing?.rev ?? null,
              rev: nextRevision(existing?.rev ?? null),
              deleted: false,
              data: json,
              meta: m,
            });
            if (existing === null) {
              c.created++;
              part(doctype, 'create', id);
              writes.push(write(fresh));
            } else if (existing.deleted) {
              c.kept++; // the person deleted it: a rerun must not bring it back
            } else if (
              existing.data === json ||
              canonicalJson(JSON.parse(existing.data!)) === canonicalJson(JSON.parse(json))
            ) {
              c.unchanged++;
            } else if (collected(existing.meta)) {
              c.updated++;
              part(doctype, 'update', id);
              writes.push(write(meta(existing.meta)));
            } else {
              c.kept++; // the person (or an app) edited it since
            }
          });
        }
      }

      const pointWrites = new Map<string, SeriesPointWrite[]>();
      for (const [doctype, byKey] of points) {
        const c = countsOf(doctype);
        const changed: SeriesPointWrite[] = [];
        const byStream = new Map<string, SeriesPointWrite[]>();
        for (const p of byKey.values()) {
          let list = byStream.get(p.stream);
          if (!list) byStream.set(p.stream, (list = []));
          list.push(p);
        }
        for (const [stream, list] of byStream) {
          let from = Infinity;
          let to = -Infinity;
          for (const p of list) {
            from = Math.min(from, p.t);
            to = Math.max(to, p.t + 1);
          }
          const stored = new Map<number, string>();
          let after: { t: number; stream: string } | undefined;
          for (;;) {
            const page = await store.readPoints(space, doctype, { stream, from, to }, WRITE_BATCH, after);
            for (const p of page) stored.set(p.t, p.data);
            if (page.length < WRITE_BATCH) break;
            const last = page[page.length - 1]!;
            after = { t: last.t, stream: last.stream };
          }
          for (const p of list) {
            const old = stored.get(p.t);
            if (old === undefined) c.created++;
            else if (old === p.data || canonicalJson(JSON.parse(old)) === canonicalJson(JSON.parse(p.data))) {
              c.unchanged++;
              continue;
            } else c.updated++;
            changed.push(p);
          }
        }
        if (changed.length > 0) {
          pointWrites.set(doctype, changed);
          part(doctype, 'create', null, changed.length);
        }
      }
      await checkFileReferences(writes);
      const files = await deps.files.plan(meta);
      if (files.writes.length + files.counts.unchanged + files.counts.kept > 0) counts[FILE_DOCTYPE] = files.counts;
      for (const id of files.created) part(FILE_DOCTYPE, 'create', id);
      for (const id of files.updated) part(FILE_DOCTYPE, 'update', id);
      return {
        counts,
        documents: [...files.writes, ...writes],
        points: pointWrites,
        parts: [...parts.values()],
        files,
      };
    },

    /**
     * Writes the plan and `extra` (the run's own records) in one transaction, asking the gate for
     * every doctype and verb first; each permit's ledger entry tells its part, or the failure.
     */
    async commit(plan: StagingPlan, extra: DocumentWrite[]): Promise<void> {
      for (const name of new Set(plan.documents.map((w) => w.doctype))) {
        for (const fields of catalog.get(name)?.indexes ?? []) await store.ensureIndex(space, name, [...fields]);
      }
      const permits: { permit: Permit; tally: Tally }[] = [];
      for (const p of plan.parts) {
        try {
          const permit = await gate(ctx, { verb: p.verb, doctype: p.doctype });
          permits.push({ permit, tally: { count: p.count, ...(p.ids ? { ids: p.ids } : {}) } });
        } catch (e) {
          if (!isFoyerError(e)) throw e;
          throw new RunFailure(
            'not_allowed',
            `The connector needs to ${p.verb} ${p.doctype}, which its grant does not allow (${e.code}).`,
          );
        }
      }
      const batches: ImportBatch[] = [];
      for (let i = 0; i < plan.documents.length; i += WRITE_BATCH) {
        batches.push({ documents: plan.documents.slice(i, i + WRITE_BATCH) });
      }
      batches.push({ documents: extra });
      for (const [doctype, list] of plan.points) {
        for (let i = 0; i < list.length; i += WRITE_BATCH) {
          batches.push({ doctype, points: list.slice(i, i + WRITE_BATCH) });
        }
      }
      await trackTogether(permits, () => store.applyImport(space, batches));
    },
  };
}
