/**
 * A find evaluated in the process, over opened documents: PostgreSQL holds them sealed, so it can
 * only hand candidates over (`postgres-documents.ts`). The semantics are the contract's
 * (`Selector` in document-store.ts, checked by `document-store.contract.ts`) and SQLite's:
 *  - matching is `matchesSelector` (core/documents/match-selector.ts), the gate's own;
 *  - sort order is json_extract's: missing, null, objects and arrays lowest, then numbers (false
 *    and true as 0 and 1), then strings by code point; `id` ascending breaks ties;
 *  - the keyset cursor keeps what sorts strictly after it.
 * Bad selectors are refused as the SQL compilers refused them.
 */
import { assertFieldPath } from '../../core/documents/selector.js';
import { compareCodePoints } from '../../core/documents/match-selector.js';
import { FoyerError } from '../../core/errors.js';
import type { Scalar, Selector, SortKey, StoreFindQuery } from '../document-store.js';
import { isMissing, valueAt } from './postgres-document-terms.js';

/** A sort key's value as it orders: type rank, then the number or the string. */
interface Key {
  rank: 0 | 1 | 2;
  number: number;
  string: string;
}

const LOWEST: Key = { rank: 0, number: 0, string: '' };

/** Throws as the SQL compilers did: a path that is not one, a non-finite number, a range on anything but numbers or strings. */
export function checkSelector(selector: Selector | null): void {
  if (selector === null) return;
  if (selector.op === 'and' || selector.op === 'or') {
    for (const s of selector.of) checkSelector(s);
    return;
  }
  assertFieldPath(selector.field);
  const operands = selector.op === 'in' ? selector.values : selector.op === 'exists' ? [] : [selector.value];
  for (const v of operands) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new FoyerError('invalid_selector', `"${selector.field}" is compared with a number that is not finite.`, {
        path: selector.field,
      });
    }
  }
  if (
    (selector.op === 'gt' || selector.op === 'gte' || selector.op === 'lt' || selector.op === 'lte') &&
    typeof selector.value !== 'number' &&
    typeof selector.value !== 'string'
  ) {
    throw new FoyerError(
      'invalid_selector',
      `$${selector.op} on "${selector.field}" compares numbers or strings only.`,
      { path: selector.field },
    );
  }
}

function keyOf(value: unknown): Key {
  if (typeof value === 'number') return { rank: 1, number: value, string: '' };
  if (typeof value === 'boolean') return { rank: 1, number: value ? 1 : 0, string: '' };
  if (typeof value === 'string') return { rank: 2, number: 0, string: value };
  return LOWEST;
}

function cursorKey(value: Scalar): Key {
  if (value === null) return LOWEST;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new FoyerError('bad_request', 'The cursor holds a number that is not finite.');
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'string') return keyOf(value);
  throw new FoyerError('bad_request', 'The cursor holds a value that is not a string, number, boolean or null.');
}

function compareKey(a: Key, b: Key): number {
  if (a.rank !== b.rank) return a.rank - b.rank;
  if (a.rank === 1) return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
  if (a.rank === 2) return compareCodePoints(a.string, b.string);
  return 0;
}

/** A document's sort keys, with its id. */
export interface Sortable {
  keys: Key[];
  id: string;
}

export function sortableOf(sort: SortKey[], id: string, data: unknown): Sortable {
  return {
    id,
    keys: sort.map((k) => {
      const v = valueAt(data, k.field);
      return isMissing(v) ? LOWEST : keyOf(v);
    }),
  };
}

/** Order of the find: each sort key in its direction, then id ascending. */
export function compareSortables(sort: SortKey[], a: Sortable, b: Sortable): number {
  for (let i = 0; i < sort.length; i++) {
    const c = compareKey(a.keys[i]!, b.keys[i]!);
    if (c !== 0) return sort[i]!.direction === 'asc' ? c : -c;
  }
  return compareCodePoints(a.id, b.id);
}

/** The cursor as a Sortable, checked against the sort keys. */
export function cursorOf(sort: SortKey[], after: NonNullable<StoreFindQuery['after']>): Sortable {
  if (!Array.isArray(after.values) || after.values.length !== sort.length || typeof after.id !== 'string') {
    throw new FoyerError('bad_request', 'The cursor does not match the sort keys.');
  }
  return { id: after.id, keys: after.values.map(cursorKey) };
}

export function checkSort(sort: SortKey[]): void {
  for (const key of sort) assertFieldPath(key.field);
}

/**
 * The best `limit` items seen, in order, holding at most twice that many at any time: bounded
 * memory over a scan of any size.
 */
export function topOf<T>(limit: number, compare: (a: T, b: T) => number) {
  let items: T[] = [];
  const trim = () => {
    items.sort(compare);
    if (items.length > limit) items = items.slice(0, limit);
  };
  return {
    add(item: T) {
      items.push(item);
      if (items.length >= 2 * limit + 64) trim();
    },
    /** Whether an item can still enter (false once `limit` items all sort before it). */
    worst(): T | undefined {
      return items.length >= limit && limit > 0 ? items[limit - 1] : undefined;
    },
    result(): T[] {
      trim();
      return items;
    },
  };
}
