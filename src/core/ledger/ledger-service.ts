/**
 * The access ledger as Foyer uses it. `createLedger` works on a space: `record` is what the gate
 * calls for every request (it stamps the time and the local day), `list`, `aggregate` and
 * `verify` what the owner's reads need. `createLedgerService` is the owner's side over HTTP: each
 * call goes through the gate as a read of `foyer.ledger` (which admits only the owner) and is
 * itself recorded, then works on the space the permit names.
 */
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';
import type { Gate } from '../gate.js';
import type { RequestContext } from '../principal.js';
import { isDay, localDay, localMidnight } from '../time/time-zone.js';
import {
  LEDGER_ACTOR_KINDS,
  type LedgerActorKind,
  type LedgerAggregateRow,
  type LedgerDraft,
  type LedgerEntry,
  type LedgerGrouping,
  type LedgerOutcome,
  type LedgerQuery,
} from './ledger-entry.js';
import { verifyLedger, type LedgerVerification } from './verify-ledger.js';

/** The doctype under which reads of the ledger are gated and recorded. */
export const LEDGER_DOCTYPE = 'foyer.ledger';
export const LEDGER_DEFAULT_LIMIT = 100;
export const LEDGER_MAX_LIMIT = 1000;

/** The owner's filters, as the API takes them. */
export interface LedgerFilters {
  /** `kind` or `kind:id` (e.g. `app`, `app:mon-logis`, `owner:session`). */
  grantee?: string;
  doctype?: string;
  grant?: string;
  outcome?: LedgerOutcome;
  /** Inclusive: an instant with its offset, or a local day `YYYY-MM-DD` (its first instant in the space's zone). */
  from?: string;
  /** Exclusive, written as `from`. */
  to?: string;
}

export interface LedgerPage {
  /** Newest first. */
  entries: LedgerEntry[];
  /** Present when older entries match: pass it back for the next page. */
  cursor?: string;
}

export interface LedgerAggregate {
  by: LedgerGrouping;
  /** The zone of the `day` keys (the space's). */
  timeZone: string;
  rows: LedgerAggregateRow[];
}

export interface LedgerDeps {
  store: DocumentStore;
  clock: Clock;
  timeZoneOf: (space: string) => Promise<string>;
}

export type Ledger = ReturnType<typeof createLedger>;

/** An instant with its offset: local times without one would be read in the server's zone. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const CURSOR = /^s(\d{1,15})$/;

function invalid(field: string, message: string): FoyerError {
  return new FoyerError('validation_failed', `${field}: ${message}.`, {
    issues: [{ path: field, rule: 'format', message: `${field}: ${message}` }],
  });
}

export function createLedger(deps: LedgerDeps) {
  const { store, clock, timeZoneOf } = deps;

  /** A bound as an ISO instant in UTC with milliseconds, the form entries are stored in. */
  function bound(value: string, field: string, tz: string): string {
    if (isDay(value)) return new Date(localMidnight(value, tz)).toISOString();
    const t = INSTANT.test(value) && isDay(value.slice(0, 10)) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(t)) throw invalid(field, 'expected a date (YYYY-MM-DD) or an instant with its offset');
    return new Date(t).toISOString();
  }

  /** The store's query for the owner's filters; `tz` is the space's zone. */
  function queryOf(filters: LedgerFilters, tz: string): LedgerQuery {
    const query: LedgerQuery = {};
    if (filters.grantee !== undefined) {
      const colon = filters.grantee.indexOf(':');
      const kind = colon < 0 ? filters.grantee : filters.grantee.slice(0, colon);
      if (!(LEDGER_ACTOR_KINDS as readonly string[]).includes(kind)) {
        throw invalid('grantee', `expected kind or kind:id, the kind one of ${LEDGER_ACTOR_KINDS.join(', ')}`);
      }
      query.actorKind = kind as LedgerActorKind;
      if (colon >= 0) query.actorId = filters.grantee.slice(colon + 1);
    }
    if (filters.doctype !== undefined) query.doctype = filters.doctype;
    if (filters.grant !== undefined) query.grant = filters.grant;
    if (filters.outcome !== undefined) query.outcome = filters.outcome;
    if (filters.from !== undefined) query.from = bound(filters.from, 'from', tz);
    if (filters.to !== undefined) query.to = bound(filters.to, 'to', tz);
    if (query.from !== undefined && query.to !== undefined && query.to < query.from) {
      throw new FoyerError('bad_request', '"to" is before "from".');
    }
    return query;
  }

  return {
    /** Appends one entry stamped now; settles once it is committed (with the entries of the same turn). */
    async record(space: string, entry: Omit<LedgerDraft, 'at' | 'day'>): Promise<void> {
      const now = clock.now();
      const draft: LedgerDraft = {
        at: new Date(now).toISOString(),
        day: localDay(now, await timeZoneOf(space)),
        actorKind: entry.actorKind,
        actorId: entry.actorId,
        grant: entry.grant,
        grantVersion: entry.grantVersion,
        verb: entry.verb,
        doctype: entry.doctype,
        count: entry.count,
        idsDigest: entry.idsDigest,
        purpose: entry.purpose,
        outcome: entry.outcome,
        code: entry.code,
      };
      await store.appendLedger(space, [draft]);
    },

    /** Entries matching the filters, newest first, `limit` at a time. */
    async list(
      space: string,
      filters: LedgerFilters,
      limit = LEDGER_DEFAULT_LIMIT,
      cursor?: string,
    ): Promise<LedgerPage> {
      if (!Number.isInteger(limit) || limit < 1 || limit > LEDGER_MAX_LIMIT) {
        throw new FoyerError('bad_request', `A limit is 1 to ${LEDGER_MAX_LIMIT}.`);
      }
      let before: number | undefined;
      if (cursor !== undefined) {
        const m = CURSOR.exec(Buffer.from(cursor, 'base64url').toString('latin1'));
        if (!m) throw new FoyerError('bad_request', 'The cursor is not one this server gave.');
        before = Number(m[1]);
      }
      const query = queryOf(filters, await timeZoneOf(space));
      // One more than asked tells whether another page follows.
      const found = await store.readLedger(space, query, limit + 1, before);
      const entries = found.slice(0, limit);
      const last = entries[entries.length - 1];
      return found.length > limit && last
        ? { entries, cursor: Buffer.from(`s${last.seq}`, 'latin1').toString('base64url') }
        : { entries };
    },

    /** Counts per actor (`kind:id`), doctype or local day of the space, by outcome. */
    async aggregate(space: string, filters: LedgerFilters, by: LedgerGrouping): Promise<LedgerAggregate> {
      const timeZone = await timeZoneOf(space);
      return { by, timeZone, rows: await store.aggregateLedger(space, queryOf(filters, timeZone), by) };
    },

    verify: (space: string): Promise<LedgerVerification> => verifyLedger(store, space),
  };
}

export type LedgerService = ReturnType<typeof createLedgerService>;

/** The owner's reads of the ledger, through the gate; each one is an entry of the ledger too. */
export function createLedgerService(deps: { ledger: Ledger; gate: Gate }) {
  const { ledger, gate } = deps;
  const read = (ctx: RequestContext) => gate(ctx, { verb: 'read', doctype: LEDGER_DOCTYPE });
  return {
    async list(ctx: RequestContext, filters: LedgerFilters, limit?: number, cursor?: string): Promise<LedgerPage> {
      const permit = await read(ctx);
      return permit.track(
        () => ledger.list(permit.space, filters, limit, cursor),
        (page) => ({ count: page.entries.length }),
      );
    },

    async aggregate(ctx: RequestContext, filters: LedgerFilters, by: LedgerGrouping): Promise<LedgerAggregate> {
      const permit = await read(ctx);
      return permit.track(
        () => ledger.aggregate(permit.space, filters, by),
        (result) => ({ count: result.rows.length }),
      );
    },

    async verify(ctx: RequestContext): Promise<LedgerVerification> {
      const permit = await read(ctx);
      return permit.track(
        () => ledger.verify(permit.space),
        (report) => ({ count: report.checked }),
      );
    },
  };
}
