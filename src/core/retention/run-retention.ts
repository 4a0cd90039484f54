/**
 * The retention job: deletes what a space keeps past its time. Two sweeps:
 *  1. per doctype, with the owner's retention or the catalog's: documents whose own date (the
 *     doctype's `retentionField`) or, without one, whose last update is older; series points
 *     whose time is older;
 *  2. per grant in force, with the retention the owner consented to: the documents, files and
 *     series points the grantee created, older than that (documents and files by when they were
 *     created, points by their time).
 * Deletions go through the services as Foyer itself (`system`, reason `retention`): tombstones
 * for sync, blobs removed, roll-ups updated, one ledger entry per request (documents in batches).
 * Requests that would delete nothing are not made, so quiet days leave the ledger alone.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Doctype } from '../catalog/doctype.js';
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import type { DocumentStore, StoreFindQuery } from '../../storage/document-store.js';
import { isFoyerError } from '../errors.js';
import { baseEntry, type RecordAccess } from '../gate.js';
import type { RequestContext } from '../principal.js';
import type { DocumentService } from '../documents/document-service.js';
import type { FileService } from '../files/file-service.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import { GRANT_DOCTYPE, type Grantee, type GrantRecord } from '../grants/grant.js';
import { internalRecords } from '../internal-records.js';
import type { SeriesService } from '../series/series-service.js';
import { localDay, localMidnight } from '../time/time-zone.js';
import { retentionCutoff } from './retention-period.js';
import { SETTINGS_DOCTYPE, type DoctypeRetention, type RetentionSettings } from './retention-settings.js';

const BATCH = 500;
const DAY_MS = 86_400_000;
const RUN_ID = 'retention-run';
const BEGINNING = -8.64e15;

export interface SweepError {
  code: string;
  message: string;
}

export interface DoctypeSweep {
  doctype: string;
  kind: 'documents' | 'points';
  retention: string;
  source: 'default' | 'owner';
  countsFrom: string;
  /**
   * What expired is dated strictly before this: a day for `date` fields and daily series, else
   * an instant. Null when the retention reaches before year 1 (nothing is that old).
   */
  before: string | null;
  deleted: number;
  error?: SweepError;
}

export interface GrantSweep {
  grant: string;
  grantee: Pick<Grantee, 'kind' | 'id' | 'name'>;
  retention: string;
  /**
   * What the grantee created before this instant expired (series points: dated before it; the
   * points of daily series, before its local day).
   */
  before: string | null;
  /** Only what was deleted, per doctype. */
  deleted: { doctype: string; kind: 'documents' | 'points' | 'files'; count: number }[];
  error?: SweepError;
}

export interface RetentionReport {
  space: string;
  startedAt: string;
  finishedAt: string;
  /** Documents, points and files deleted in all. */
  deleted: number;
  doctypes: DoctypeSweep[];
  grants: GrantSweep[];
}

export interface RetentionJobDeps {
  store: DocumentStore;
  catalog: Catalog;
  clock: Clock;
  timeZoneOf: (space: string) => Promise<string>;
  settings: RetentionSettings;
  documents: DocumentService;
  series: SeriesService;
  files: FileService;
  record: RecordAccess;
  log: Log;
}

export type RetentionJob = ReturnType<typeof createRetentionJob>;

/** The job's own state in the space: when the last run started, and its report once done. */
interface RunState {
  startedAt: string;
  report: RetentionReport | null;
}

export function createRetentionJob(deps: RetentionJobDeps) {
  const { store, catalog, clock, timeZoneOf, settings, documents, series, files, record, log } = deps;
  const iso = (ms: number) => new Date(ms).toISOString();

  const runs = internalRecords<RunState>(store, SETTINGS_DOCTYPE);
  const grantRecords = internalRecords<Omit<GrantRecord, 'id'>>(store, GRANT_DOCTYPE);

  const isConflict = (e: unknown) => isFoyerError(e) && e.code === 'conflict';

  /** Runs `work`, reporting what it deleted until it failed (and why) rather than throwing. */
  async function counted(
    work: (add: (n: number) => void) => Promise<void>,
  ): Promise<{ n: number; error?: SweepError }> {
    let n = 0;
    try {
      await work((k) => (n += k));
      return { n };
    } catch (e) {
      if (!isFoyerError(e)) log('error', 'retention: a deletion failed', e);
      const error = isFoyerError(e)
        ? { code: e.code, message: e.message }
        : { code: 'internal', message: 'The deletion failed; the server log has the details.' };
      return { n, error };
    }
  }

  /** Deletes, in batches, the live documents (or files) the query finds. */
  async function deleteFound(
    ctx: RequestContext,
    doctype: string,
    query: Partial<StoreFindQuery>,
    add: (n: number) => void,
  ): Promise<void> {
    for (;;) {
      const batch = await store.findDocuments(ctx.space, doctype, { selector: null, sort: [], limit: BATCH, ...query });
      if (batch.length === 0) return;
      if (doctype === FILE_DOCTYPE) {
        for (const file of batch) {
          await files.remove(ctx, file.id, file.rev);
          add(1);
        }
      } else {
        const docs = batch.map((d) => ({ _id: d.id, _rev: d.rev, _deleted: true }));
        add((await documents.bulk(ctx, doctype, docs)).length);
      }
    }
  }

  /** The store query for a doctype's expired documents. */
  function expiredQuery(
    doctype: Doctype,
    cutoff: number,
    tz: string,
  ): { query: Partial<StoreFindQuery>; before: string } {
    const field = doctype.retentionField;
    if (field === null) return { query: { updatedBefore: iso(cutoff) }, before: iso(cutoff) };
    const format = (doctype.schema.properties as Record<string, { format?: string }>)[field]?.format;
    // Days compare as days (a day is kept while any of it is within the retention); UTC
    // instants (the catalog's convention for date-times) compare as text in time order.
    const before = format === 'date' ? localDay(cutoff, tz) : iso(cutoff);
    return { query: { selector: { op: 'lt', field, value: before } }, before };
  }

  /** Where a series' expired points end: daily points by whole local days, others by instant. */
  function pointsBefore(doctype: Doctype, cutoff: number, tz: string): { before: string; end: number } {
    if (doctype.series?.time.format !== 'date') return { before: iso(cutoff), end: cutoff };
    const day = localDay(cutoff, tz);
    return { before: day, end: localMidnight(day, tz) };
  }

  async function sweepDoctype(
    ctx: RequestContext,
    r: DoctypeRetention,
    now: number,
    tz: string,
  ): Promise<DoctypeSweep> {
    const doctype = catalog.get(r.doctype)!;
    const cutoff = retentionCutoff(now, r.effective);
    const sweep: DoctypeSweep = {
      doctype: r.doctype,
      kind: doctype.series ? 'points' : 'documents',
      retention: r.effective,
      source: r.override === null ? 'default' : 'owner',
      countsFrom: r.countsFrom,
      before: null,
      deleted: 0,
    };
    if (cutoff === null) return sweep;
    if (doctype.series) {
      const { before, end } = pointsBefore(doctype, cutoff, tz);
      sweep.before = before;
      const result = await counted(async (add) => {
        const probe = await store.readPoints(ctx.space, r.doctype, { from: BEGINNING, to: end }, 1);
        if (probe.length > 0) add((await series.remove(ctx, r.doctype, { to: before })).deleted);
      });
      return { ...sweep, deleted: result.n, ...(result.error ? { error: result.error } : {}) };
    }
    const { query, before } = expiredQuery(doctype, cutoff, tz);
    sweep.before = before;
    const result = await counted((add) => deleteFound(ctx, r.doctype, query, add));
    return { ...sweep, deleted: result.n, ...(result.error ? { error: result.error } : {}) };
  }

  async function sweepGrant(ctx: RequestContext, grant: GrantRecord, now: number, tz: string): Promise<GrantSweep> {
    const retention = grant.active!.terms.retention;
    const cutoff = retentionCutoff(now, retention);
    const { kind, id, name } = grant.grantee;
    const sweep: GrantSweep = { grant: grant.id, grantee: { kind, id, name }, retention, before: null, deleted: [] };
    if (cutoff === null) return sweep;
    sweep.before = iso(cutoff);
    const createdBefore = { createdByGrant: grant.id, createdBefore: iso(cutoff) };
    let error: SweepError | undefined;
    const note = (
      doctype: string,
      kind: GrantSweep['deleted'][number]['kind'],
      result: { n: number; error?: SweepError },
    ) => {
      if (result.n > 0) sweep.deleted.push({ doctype, kind, count: result.n });
      error ??= result.error;
    };
    // Every doctype, not only those the grant names now: an earlier version may have named more.
    for (const doctype of catalog.list()) {
      if (doctype.series) {
        note(
          doctype.name,
          'points',
          await counted(async (add) => {
            const { end } = pointsBefore(doctype, cutoff, tz);
            const count = await store.deletePointsOfGrant(ctx.space, doctype.name, grant.id, end);
            if (count === 0) return;
            add(count);
            // The store deleted them in one statement: this is that request's ledger entry.
            await record(ctx.space, {
              ...baseEntry(ctx.principal, 'delete', doctype.name),
              count,
              idsDigest: null,
              outcome: 'allowed',
              code: null,
            });
          }),
        );
      } else {
        note(doctype.name, 'documents', await counted((add) => deleteFound(ctx, doctype.name, createdBefore, add)));
      }
    }
    note(FILE_DOCTYPE, 'files', await counted((add) => deleteFound(ctx, FILE_DOCTYPE, createdBefore, add)));
    return error ? { ...sweep, error } : sweep;
  }

  /** Grants whose terms were consented and not withdrawn (expired ones too: what they made is still here). */
  async function grantsInForce(space: string): Promise<GrantRecord[]> {
    return (await grantRecords.all(space))
      .map((r) => ({ id: r.id, ...r.data }))
      .filter((grant) => grant.active && !grant.withdrawnAt);
  }

  /** Runs both sweeps now and stores the report as the space's last run. */
  async function run(space: string): Promise<RetentionReport> {
    const started = clock.now();
    const ctx: RequestContext = { space, principal: { kind: 'system', reason: 'retention' } };
    const tz = await timeZoneOf(space);
    const doctypes: DoctypeSweep[] = [];
    for (const r of await settings.effective(space)) doctypes.push(await sweepDoctype(ctx, r, started, tz));
    const grants: GrantSweep[] = [];
    for (const grant of await grantsInForce(space)) grants.push(await sweepGrant(ctx, grant, started, tz));
    const report: RetentionReport = {
      space,
      startedAt: iso(started),
      finishedAt: iso(clock.now()),
      deleted:
        doctypes.reduce((n, d) => n + d.deleted, 0) +
        grants.reduce((n, g) => n + g.deleted.reduce((k, d) => k + d.count, 0), 0),
      doctypes,
      grants,
    };
    for (let attempt = 0; ; attempt++) {
      const previous = await runs.get(space, RUN_ID);
      try {
        await runs.put(space, RUN_ID, { startedAt: report.startedAt, report }, previous?.doc ?? null, report.startedAt);
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 2) throw e;
      }
    }
    return report;
  }

  return {
    run,

    /**
     * Runs when the last run started a day ago or more (by the Clock), or never ran. The start is
     * claimed first, over the revision read, so that of several processes only one runs.
     * Resolves with the report, or null when it was not due or another process claimed it.
     */
    async runIfDue(space: string): Promise<RetentionReport | null> {
      const last = await runs.get(space, RUN_ID);
      const now = clock.now();
      if (last && Date.parse(last.data.startedAt) + DAY_MS > now) return null;
      try {
        // Claimed over the revision read: of two processes, the second write is a conflict.
        const claim = { startedAt: iso(now), report: last?.data.report ?? null };
        await runs.put(space, RUN_ID, claim, last?.doc ?? null, iso(now));
      } catch (e) {
        if (isConflict(e)) return null;
        throw e;
      }
      return run(space);
    },

    /** The report of the last finished run, or null. */
    async lastRun(space: string): Promise<RetentionReport | null> {
      return (await runs.get(space, RUN_ID))?.data.report ?? null;
    },
  };
}
