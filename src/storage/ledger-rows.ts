/**
 * What the SQLite and PostgreSQL ledgers share: the checks on drafts and queries, the filters as
 * column conditions, and the columns of a stored entry.
 *
 * Drafts are checked before they join the chain. An entry's hash covers its text
 * exactly, so every value must come back from the database byte for byte: no NUL (PostgreSQL
 * cannot store it), no lone surrogate (UTF-8 storage would turn it into U+FFFD), integers only
 * where a column is an integer. A draft that would not round-trip is refused here, rather than
 * stored and reported as "edited" by every later verification.
 */
import {
  LEDGER_ACTOR_KINDS,
  type LedgerDraft,
  type LedgerEntry,
  type LedgerGrouping,
  type LedgerQuery,
} from '../core/ledger/ledger-entry.js';
import { FoyerError } from '../core/errors.js';
import { isDay } from '../core/time/time-zone.js';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const DIGEST = /^[0-9a-f]{64}$/;
/** A surrogate without its pair. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const MAX_TEXT = 1024;

const ACTOR_KINDS: ReadonlySet<string> = new Set(LEDGER_ACTOR_KINDS);
const VERBS = new Set(['read', 'create', 'update', 'delete']);
const OUTCOMES = new Set(['allowed', 'denied', 'failed']);

const storable = (v: unknown): v is string =>
  typeof v === 'string' && v.length <= MAX_TEXT && !v.includes('\u0000') && !LONE_SURROGATE.test(v);
const text = (v: unknown) => storable(v) && v.length > 0;
const nullableText = (v: unknown) => v === null || storable(v);
const wholeNumber = (v: unknown, min: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;

/** The first thing wrong with a draft, or null. */
function problemOf(d: LedgerDraft): string | null {
  if (typeof d !== 'object' || d === null) return 'not an object';
  if (typeof d.at !== 'string' || !INSTANT.test(d.at) || Number.isNaN(Date.parse(d.at)))
    return 'at must be an ISO instant in UTC with milliseconds';
  if (typeof d.day !== 'string' || !isDay(d.day)) return 'day must be a calendar day YYYY-MM-DD';
  if (!ACTOR_KINDS.has(d.actorKind)) return 'actorKind is not a known kind of actor';
  if (!text(d.actorId)) return 'actorId must be non-empty text';
  if (!nullableText(d.grant)) return 'grant must be text or null';
  if (!(d.grantVersion === null || wholeNumber(d.grantVersion, 1)))
    return 'grantVersion must be a positive integer or null';
  if (!VERBS.has(d.verb)) return 'verb is not a known verb';
  if (!text(d.doctype)) return 'doctype must be non-empty text';
  if (!wholeNumber(d.count, 0)) return 'count must be a non-negative integer';
  if (!(d.idsDigest === null || (typeof d.idsDigest === 'string' && DIGEST.test(d.idsDigest))))
    return 'idsDigest must be a sha256 hex digest or null';
  if (!nullableText(d.purpose)) return 'purpose must be text or null';
  if (!OUTCOMES.has(d.outcome)) return 'outcome must be allowed, denied or failed';
  if (!nullableText(d.code)) return 'code must be text or null';
  return null;
}

/** Throws `bad_request` naming the first draft that cannot be stored exactly. */
export function checkLedgerDrafts(drafts: readonly LedgerDraft[]): void {
  if (!Array.isArray(drafts)) throw new FoyerError('bad_request', 'Ledger drafts must be an array.');
  drafts.forEach((draft, index) => {
    const problem = problemOf(draft);
    if (problem) throw new FoyerError('bad_request', `Ledger entry ${index}: ${problem}.`, { index });
  });
}

/** A stored entry's columns, in the order `entryOfRow` reads them. */
export const LEDGER_COLUMNS =
  'seq, at, day, actor_kind, actor_id, grant_id, grant_version, verb, doctype, count, ids_digest, purpose, outcome, code, prev_hash, hash';

/** The entry of a row read as an array of LEDGER_COLUMNS (PostgreSQL hands bigints as text). */
export function entryOfRow(row: unknown[]): LedgerEntry {
  const version = row[6] as number | string | null;
  return {
    seq: Number(row[0]),
    at: row[1] as string,
    day: row[2] as string,
    actorKind: row[3] as LedgerEntry['actorKind'],
    actorId: row[4] as string,
    grant: row[5] as string | null,
    grantVersion: version === null ? null : Number(version),
    verb: row[7] as LedgerEntry['verb'],
    doctype: row[8] as string,
    count: Number(row[9]),
    idsDigest: row[10] as string | null,
    purpose: row[11] as string | null,
    outcome: row[12] as LedgerEntry['outcome'],
    code: row[13] as string | null,
    prevHash: row[14] as string,
    hash: row[15] as string,
  };
}

/** The query's filters as `column op value` conditions (combined with AND), after checking them. */
export function ledgerConditions(query: LedgerQuery): [column: string, op: '=' | '>=' | '<', value: string][] {
  if (typeof query !== 'object' || query === null) throw new FoyerError('bad_request', 'A ledger query is an object.');
  const conditions: [string, '=' | '>=' | '<', string][] = [];
  const add = (name: keyof LedgerQuery, column: string, op: '=' | '>=' | '<') => {
    const value = query[name];
    if (value === undefined) return;
    if (!storable(value)) throw new FoyerError('bad_request', `The ledger filter "${name}" must be text.`);
    conditions.push([column, op, value]);
  };
  add('from', 'at', '>=');
  add('to', 'at', '<');
  add('actorKind', 'actor_kind', '=');
  add('actorId', 'actor_id', '=');
  add('grant', 'grant_id', '=');
  add('doctype', 'doctype', '=');
  add('outcome', 'outcome', '=');
  return conditions;
}

/** The SQL of a grouping key (the same text on both stores). */
export function groupKeyOf(by: LedgerGrouping): string {
  if (by === 'actor') return "actor_kind || ':' || actor_id";
  if (by === 'doctype') return 'doctype';
  if (by === 'day') return 'day';
  throw new FoyerError('bad_request', 'Ledger aggregates group by actor, doctype or day.');
}

/** A page size or sequence bound: a non-negative integer. */
export function checkWhole(value: number, what: string): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new FoyerError('bad_request', `${what} must be a non-negative integer.`);
  return value;
}

/** The select list of an aggregate: key, allowed, denied, failed, items (portable SQL). */
export function aggregateColumns(by: LedgerGrouping): string {
  const per = (outcome: string, value: string) => `sum(CASE WHEN outcome = '${outcome}' THEN ${value} ELSE 0 END)`;
  return `${groupKeyOf(by)} AS key, ${per('allowed', '1')}, ${per('denied', '1')}, ${per('failed', '1')}, ${per('allowed', 'count')}`;
}
