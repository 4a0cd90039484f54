/**
 * THE GATE. Every read and write of a person's data goes through `gate()` before the store is
 * touched: the services call it first and use only the space it returns. It admits the space's
 * owner and Foyer's own processes on everything, and a grantee only where one of its grant's
 * scopes names the doctype and the verb. Every request it sees ends as exactly one ledger entry:
 * denied here, or allowed/failed when the service reports through the permit.
 */
import { FoyerError, isFoyerError, type ErrorCode } from './errors.js';
import type { CompiledScope } from './grants/grant-terms.js';
import type { LedgerActorKind, LedgerDraft, LedgerVerb } from './ledger/ledger-entry.js';
import { digestIds } from './ledger/ledger-entry.js';
import type { Principal, RequestContext } from './principal.js';

export type Verb = 'read' | 'create' | 'update' | 'delete';

export interface AccessRequest {
  verb: Verb;
  doctype: string;
}

/** What a request did, for its ledger entry. */
export interface Tally {
  count: number;
  ids?: readonly string[];
}

/** What the gate hands back: the only way services learn which space to touch, and under which limits. */
export interface Permit {
  space: string;
  principal: Principal;
  verb: Verb;
  doctype: string;
  /** The grant's scope for this doctype (filter, field list); null for the owner and Foyer itself. */
  scope: CompiledScope | null;
  /**
   * Runs the request's work and writes its ledger entry: allowed with the tally, or denied/failed
   * with the error's code. Settles after the entry is committed.
   */
  track<T>(work: () => Promise<T>, tally: (result: T) => Tally): Promise<T>;
}

/** Appends one entry; `at` and `day` are the ledger's to fill. */
export type RecordAccess = (space: string, entry: Omit<LedgerDraft, 'at' | 'day'>) => Promise<void>;

export type Gate = (ctx: RequestContext, request: AccessRequest) => Promise<Permit>;

/** Codes that mean "the grant does not allow this": entries with them are denials, not failures. */
export const DENIAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'unauthenticated',
  'invalid_token',
  'invalid_credentials',
  'csrf_failed',
  'too_many_requests',
  'forbidden',
  'owner_only',
  'scope_denied',
  'field_not_granted',
  'filter_denied',
  'grant_inactive',
]);

const HIDDEN = Symbol('hidden by the grant');
const RECORDED = Symbol('in the ledger');

/** True once the gate wrote this error's ledger entry (the HTTP layer records the others). */
export function wasRecorded(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [RECORDED]?: true })[RECORDED] === true;
}

function markRecorded(error: unknown): void {
  if (typeof error === 'object' && error !== null) (error as { [RECORDED]?: true })[RECORDED] = true;
}

/**
 * Marks a `not_found` thrown for a document that exists but lies outside the grant's filter: the
 * grantee gets the same answer as for a missing id (no leak), the ledger records a denial.
 */
export function hiddenByScope(error: FoyerError): FoyerError {
  (error as FoyerError & { [HIDDEN]?: true })[HIDDEN] = true;
  return error;
}

/** Owner-only internal doctypes: grants can never name them. */
const OWNER_ONLY_DOCTYPES: ReadonlySet<string> = new Set(['foyer.ledger', 'foyer.grant']);

const IMPORT_VERBS: ReadonlySet<Verb> = new Set<Verb>(['create', 'update']);

export function createGate(deps: { isGoverned: (doctype: string) => boolean; record: RecordAccess }): Gate {
  const { record } = deps;

  return async function gate(ctx, request) {
    if (!deps.isGoverned(request.doctype)) {
      throw new FoyerError('unknown_doctype', `There is no doctype named "${request.doctype}".`, {
        doctype: request.doctype,
      });
    }
    const principal = ctx.principal;
    const base = baseEntry(principal, request.verb, request.doctype);
    const deny = async (error: FoyerError): Promise<never> => {
      await record(ctx.space, entryOf(base, 0, null, 'denied', error.code));
      markRecorded(error);
      throw error;
    };
    if (principal === null) {
      return deny(
        new FoyerError(
          'unauthenticated',
          'Log in, or send a personal access token as "Authorization: Bearer <token>".',
        ),
      );
    }
    let scope: CompiledScope | null = null;
    if (principal.kind === 'import' && (OWNER_ONLY_DOCTYPES.has(request.doctype) || !IMPORT_VERBS.has(request.verb))) {
      // An import brings records in: it neither reads nor deletes, and never touches consent or the ledger.
      return deny(
        new FoyerError('scope_denied', `An import may not ${request.verb} ${request.doctype}.`, {
          verb: request.verb,
          doctype: request.doctype,
        }),
      );
    }
    if (principal.kind === 'grant') {
      if (OWNER_ONLY_DOCTYPES.has(request.doctype)) {
        return deny(new FoyerError('owner_only', 'Only the space’s owner can do this.', { doctype: request.doctype }));
      }
      scope = principal.grant.scopes.find((s) => s.doctype === request.doctype) ?? null;
      if (!scope || !scope.verbs.has(request.verb)) {
        return deny(
          new FoyerError(
            'scope_denied',
            `Grant ${principal.grant.id} does not allow ${request.verb} on ${request.doctype}.`,
            { grant: principal.grant.id, verb: request.verb, doctype: request.doctype },
          ),
        );
      }
    }
    return {
      space: ctx.space,
      principal,
      verb: request.verb,
      doctype: request.doctype,
      scope,
      async track(work, tally) {
        let result;
        try {
          result = await work();
        } catch (e) {
          const hidden = isFoyerError(e) && (e as FoyerError & { [HIDDEN]?: true })[HIDDEN] === true;
          const code = hidden ? 'outside_scope' : isFoyerError(e) ? e.code : 'internal';
          const outcome = hidden || DENIAL_CODES.has(code as ErrorCode) ? 'denied' : 'failed';
          await record(ctx.space, entryOf(base, 0, null, outcome, code)).catch(() => undefined);
          markRecorded(e);
          throw e;
        }
        const { count, ids } = tally(result);
        await record(ctx.space, entryOf(base, count, ids ? digestIds(ids) : null, 'allowed', null));
        return result;
      },
    };
  };
}

/**
 * Runs one write under several permits (one per doctype and verb it touches: an import's or a
 * connector run's single transaction); each permit's ledger entry tells its part, or the failure.
 */
export function trackTogether(
  parts: readonly { permit: Permit; tally: Tally }[],
  work: () => Promise<unknown>,
): Promise<unknown> {
  const nested = parts.reduce<() => Promise<unknown>>(
    (inner, { permit, tally }) =>
      () =>
        permit.track(inner, () => tally),
    work,
  );
  return nested();
}

type BaseEntry = Pick<LedgerDraft, 'actorKind' | 'actorId' | 'grant' | 'grantVersion' | 'verb' | 'doctype' | 'purpose'>;

/** One entry, built field by field (one shape for every request: no spreading on the hot path). */
function entryOf(
  base: BaseEntry,
  count: number,
  idsDigest: string | null,
  outcome: LedgerDraft['outcome'],
  code: string | null,
): Omit<LedgerDraft, 'at' | 'day'> {
  return {
    actorKind: base.actorKind,
    actorId: base.actorId,
    grant: base.grant,
    grantVersion: base.grantVersion,
    verb: base.verb,
    doctype: base.doctype,
    count,
    idsDigest,
    purpose: base.purpose,
    outcome,
    code,
  };
}

/** The ledger fields that depend only on who asks for what. */
export function baseEntry(
  principal: Principal | null,
  verb: LedgerVerb,
  doctype: string,
): Pick<LedgerDraft, 'actorKind' | 'actorId' | 'grant' | 'grantVersion' | 'verb' | 'doctype' | 'purpose'> {
  const actor = actorOf(principal);
  const grant = principal?.kind === 'grant' ? principal.grant : null;
  // Field by field: on Node 20 a spread followed by new properties costs microseconds per call.
  return {
    actorKind: actor.actorKind,
    actorId: actor.actorId,
    grant: grant?.id ?? null,
    grantVersion: grant?.version ?? null,
    verb,
    doctype,
    purpose: grant
      ? grant.purpose
      : principal?.kind === 'owner'
        ? 'owner-use'
        : principal?.kind === 'system'
          ? 'system'
          : principal?.kind === 'import'
            ? 'import'
            : null,
  };
}

function actorOf(principal: Principal | null): { actorKind: LedgerActorKind; actorId: string } {
  if (principal === null) return { actorKind: 'anonymous', actorId: '-' };
  switch (principal.kind) {
    case 'owner':
      return { actorKind: 'owner', actorId: principal.via === 'session' ? 'session' : `token:${principal.label}` };
    case 'system':
      return { actorKind: 'system', actorId: principal.reason };
    case 'grant':
      return { actorKind: principal.grant.grantee.kind, actorId: principal.grant.grantee.id };
    case 'import':
      return { actorKind: 'import', actorId: principal.importId };
  }
}
