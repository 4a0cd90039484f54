/**
 * The shape of a QIF file: `!` header lines open sections, other lines are a one-letter field code
 * and its value, and `^` ends a record.
 */

/** What a section holds: operations, investment operations (not imported), accounts, or lists. */
export type QifSection = 'transactions' | 'investments' | 'accounts' | 'list' | 'unknown';

export type QifHeader =
  { kind: 'type'; section: QifSection; name: string } | { kind: 'account' } | { kind: 'option'; name: string };

/** `!Type:` names, lower-cased with single spaces, of sections whose records are bank operations. */
const TRANSACTION_TYPES = new Set(['bank', 'ccard', 'cash', 'oth a', 'oth l']);
const INVESTMENT_TYPES = new Set(['invst', 'port']);
const LIST_TYPES = new Set([
  'cat',
  'class',
  'memorized',
  'prices',
  'security',
  'invoice',
  'bill',
  'template',
  'budget',
]);

const HEADER = /^!\s*(type|account|option|clear)\s*(?::\s*(.*?))?\s*$/i;

/** A header line (`!Type:Bank`, `!Account`, `!Option:AutoSwitch`...), or undefined for anything else. */
export function qifHeader(line: string): QifHeader | undefined {
  const m = HEADER.exec(line);
  if (!m) return undefined;
  const keyword = m[1]!.toLowerCase();
  const name = (m[2] ?? '').replace(/\s+/g, ' ').toLowerCase();
  if (keyword === 'account') return { kind: 'account' };
  if (keyword !== 'type') return { kind: 'option', name: `${keyword}:${name}` };
  const section: QifSection = TRANSACTION_TYPES.has(name)
    ? 'transactions'
    : INVESTMENT_TYPES.has(name)
      ? 'investments'
      : LIST_TYPES.has(name)
        ? 'list'
        : 'unknown';
  return { kind: 'type', section, name };
}

/** True when the first line that is not blank is a QIF header. */
export function startsLikeQif(text: string): boolean {
  const first = /^\s*([^\r\n]*)/.exec(text.replace(/^\uFEFF/, ''))?.[1] ?? '';
  return qifHeader(first.trimEnd()) !== undefined;
}
