/**
 * Blind index terms: what lets PostgreSQL narrow a find over sealed documents without reading
 * them. For each field of the doctype's declared indexes, a document gets keyed terms
 * (HMAC-SHA256 under the space's term key, `postgres-cipher.ts`):
 *  - `eq`: the field's scalar value with its type (`2` and `"2"` differ, as in selectors), for
 *    `$eq` and `$in`;
 *  - `day`: for a string, its first ten characters when they are a day (`2026-03-09`, days 01 to
 *    31 in any month), else its first seven followed by `?` when they are a month, else `other`,
 *    for string ranges (`$gte`/`$lt` on ISO dates): a month is 31 day terms (and its `?`), and a
 *    range ending at midnight of the 1st takes that one day, not its month.
 * Terms only narrow: every candidate is opened and checked against the whole selector in the
 * process, so a term too many (a backfill that read an older version) costs time, never a wrong
 * answer. A term missing would lose a document: hence the generation check of writes and the
 * `ready` flag of declarations (see `postgres-documents.ts`).
 */
import { isMissingValue, valueAtPath } from '../../core/documents/match-selector.js';
import type { Scalar, Selector } from '../document-store.js';
import type { SpaceCipher } from './postgres-cipher.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])/;
const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])/;
/** A string range spanning more months than this is answered by a scan. */
const MAX_MONTHS = 120;

/** The value at a dotted path, through objects only (arrays and scalars on the way: missing). */
export function valueAt(data: unknown, field: string): unknown {
  return valueAtPath(data as Record<string, unknown>, field);
}

export const isMissing = isMissingValue;

/** A scalar with its type, as one string; undefined for objects, arrays and missing values. */
function typed(value: unknown): string | undefined {
  if (value === null) return 'z';
  if (typeof value === 'string') return `s:${value}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `n:${String(value)}` : undefined;
  if (typeof value === 'boolean') return `b:${value}`;
  return undefined;
}

export function dayOf(value: string): string {
  return DAY.test(value) ? value.slice(0, 10) : MONTH.test(value) ? `${value.slice(0, 7)}?` : 'other';
}

/** The terms of one document's data for the given fields. */
export function documentTerms(cipher: SpaceCipher, doctype: string, fields: string[], data: unknown): string[] {
  const terms: string[] = [];
  for (const field of fields) {
    const value = valueAt(data, field);
    const t = typed(value);
    if (t !== undefined) terms.push(cipher.term('eq', doctype, field, t));
    if (typeof value === 'string') terms.push(cipher.term('day', doctype, field, dayOf(value)));
  }
  return terms;
}

/**
 * Terms of which every matching document holds at least one, from one conjunct of the selector
 * on a field with terms (`ready`); null when none narrows (the doctype is scanned).
 */
export function candidateTerms(
  cipher: SpaceCipher,
  doctype: string,
  ready: ReadonlySet<string>,
  selector: Selector | null,
): string[] | null {
  if (selector === null) return null;
  const conjuncts = conjunctsOf(selector);
  for (const c of conjuncts) {
    if (!('field' in c) || !ready.has(c.field)) continue;
    if (c.op === 'eq') return eqTerms(cipher, doctype, c.field, [c.value]);
    if (c.op === 'in') return eqTerms(cipher, doctype, c.field, c.values);
  }
  for (const field of ready) {
    const lower = bound(conjuncts, field, ['gt', 'gte']);
    const upper = bound(conjuncts, field, ['lt', 'lte']);
    if (lower === undefined || upper === undefined) continue;
    const days = daysBetween(lower, upper);
    if (days === null) continue;
    return days.map((d) => cipher.term('day', doctype, field, d));
  }
  return null;
}

/**
 * The day terms a string within [lo, hi] (code point order) may have: each day from lo's to hi's
 * (a string's 10-character prefix lies between theirs), the `?` of each month between, and
 * `other`; a bound that is not a day widens to its whole month. Null when too many or when a
 * bound is not even a month (the doctype is scanned).
 */
export function daysBetween(lo: string, hi: string): string[] | null {
  const months = monthsBetween(lo.slice(0, 7), hi.slice(0, 7));
  if (months === null) return null;
  const first = DAY.test(lo) && lo.slice(0, 7) === months[0] ? lo.slice(0, 10) : '';
  const last = DAY.test(hi) && hi.slice(0, 7) === months[months.length - 1] ? hi.slice(0, 10) : '\uffff';
  const terms: string[] = ['other'];
  for (const month of months) {
    terms.push(`${month}?`);
    for (let d = 1; d <= 31; d++) {
      const day = `${month}-${String(d).padStart(2, '0')}`;
      if (day >= first && day <= last) terms.push(day);
    }
  }
  return terms;
}

/** The selector as a flat list of conditions that must all hold (nested `$and`s flattened). */
function conjunctsOf(selector: Selector): Selector[] {
  return selector.op === 'and' ? selector.of.flatMap(conjunctsOf) : [selector];
}

function eqTerms(cipher: SpaceCipher, doctype: string, field: string, values: Scalar[]): string[] {
  const terms: string[] = [];
  for (const v of values) {
    const t = typed(v);
    if (t !== undefined) terms.push(cipher.term('eq', doctype, field, t));
  }
  return terms;
}

/** A string operand of a range conjunct on the field (any one: each alone bounds the matches). */
function bound(conjuncts: Selector[], field: string, ops: string[]): string | undefined {
  for (const c of conjuncts) {
    if ('field' in c && c.field === field && ops.includes(c.op) && 'value' in c && typeof c.value === 'string') {
      return c.value;
    }
  }
  return undefined;
}

/**
 * Every month `YYYY-MM` from `lo` to `hi` (inclusive, by code point order of 7-character
 * prefixes: a string within [a, b] has its prefix within [a's, b's]); null when too many.
 */
export function monthsBetween(lo: string, hi: string): string[] | null {
  const months: string[] = [];
  const start = /^\d{4}-\d{2}$/.test(lo) ? { y: Number(lo.slice(0, 4)), m: Math.max(1, Number(lo.slice(5))) } : null;
  const end = /^\d{4}-\d{2}$/.test(hi) ? { y: Number(hi.slice(0, 4)), m: Math.min(12, Number(hi.slice(5))) } : null;
  if (!start || !end) return null;
  if (start.m > 12) {
    start.y += 1;
    start.m = 1;
  }
  for (let y = start.y, m = start.m; y < end.y || (y === end.y && m <= end.m); m === 12 ? (y++, (m = 1)) : m++) {
    if (months.length >= MAX_MONTHS) return null;
    months.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`);
  }
  return months;
}
