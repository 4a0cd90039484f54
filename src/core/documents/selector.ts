/**
 * Mango-like selectors and sorts, from client JSON to the store's validated `Selector` and
 * `SortKey[]`. Everything not understood is refused with a message naming the path and the
 * problem: silently ignoring an operator would return the wrong documents.
 *
 *   {"date": {"$gte": "2024-03-01", "$lt": "2024-04-01"}, "amount": {"$lt": 0}}
 *   {"$or": [{"category": "food"}, {"label": {"$in": ["RENT", "EDF"]}}]}
 */
import { FoyerError } from '../errors.js';
import type { Scalar, Selector, SortKey } from '../../storage/document-store.js';

/** `$and`/`$or` levels a selector may nest. */
export const SELECTOR_MAX_DEPTH = 8;
/** Leaf conditions (one per operator, one per `$in` value) a selector may hold. */
export const SELECTOR_MAX_CONDITIONS = 200;
/** Sort keys a query may give. */
export const SORT_MAX_KEYS = 8;
const FIELD_MAX_LENGTH = 200;
const FIELD_SEGMENT = /^[A-Za-z0-9_-]+$/;

const COMPARISONS = { $eq: 'eq', $ne: 'ne', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte' } as const;
type Comparison = keyof typeof COMPARISONS;

/** True for a dotted field path whose segments are `[A-Za-z0-9_-]+` (safe to embed in a JSON path). */
export function isFieldPath(field: string): boolean {
  return field.length > 0 && field.length <= FIELD_MAX_LENGTH && field.split('.').every((s) => FIELD_SEGMENT.test(s));
}

/** Throws `invalid_selector` unless `field` is a valid dotted field path. */
export function assertFieldPath(field: string, where = field): void {
  if (!isFieldPath(field)) {
    throw invalid(
      where,
      `"${field.length > 60 ? `${field.slice(0, 60)}…` : field}" is not a field name: use dotted segments of letters, digits, "_" and "-" (at most ${FIELD_MAX_LENGTH} characters)`,
    );
  }
}

/**
 * Parses a Mango-like selector. Returns `null` for a selector that matches everything (`{}`,
 * `null` or absent). Fields are ANDed; `{"f": scalar}` is `$eq`.
 */
export function parseSelector(json: unknown): Selector | null {
  if (json === undefined || json === null) return null;
  const state = { conditions: 0 };
  const parts = parseObject(json, 'selector', 1, state);
  return parts.length === 0 ? null : combine('and', parts);
}

function parseObject(json: unknown, path: string, depth: number, state: { conditions: number }): Selector[] {
  if (!isPlainObject(json)) throw invalid(path, `expected an object, got ${describe(json)}`);
  const parts: Selector[] = [];
  for (const [key, value] of Object.entries(json)) {
    const here = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (depth > SELECTOR_MAX_DEPTH) {
        throw invalid(here, `$and/$or nest deeper than ${SELECTOR_MAX_DEPTH} levels`);
      }
      if (!Array.isArray(value) || value.length === 0) {
        throw invalid(here, `${key} needs a non-empty array of selectors, got ${describe(value)}`);
      }
      const members = value.map((member, i) => {
        const inner = parseObject(member, `${here}[${i}]`, depth + 1, state);
        if (inner.length === 0) throw invalid(`${here}[${i}]`, 'an empty selector has no condition to combine');
        return combine('and', inner);
      });
      parts.push(combine(key === '$and' ? 'and' : 'or', members));
    } else if (key.startsWith('$')) {
      throw invalid(here, `unknown operator "${key}" here: only $and and $or may appear in place of a field`);
    } else {
      assertFieldPath(key, here);
      parts.push(...parseField(key, value, here, state));
    }
  }
  return parts;
}

function parseField(field: string, value: unknown, path: string, state: { conditions: number }): Selector[] {
  if (!isPlainObject(value)) {
    count(state, 1, path);
    return [{ op: 'eq', field, value: scalar(value, path, '$eq') }];
  }
  const entries = Object.entries(value);
  if (entries.length === 0) throw invalid(path, 'expected a value or operators such as {"$gt": 0}, got {}');
  const parts: Selector[] = [];
  for (const [op, operand] of entries) {
    const here = `${path}.${op}`;
    if (op in COMPARISONS) {
      count(state, 1, here);
      const v = scalar(operand, here, op);
      const kind = COMPARISONS[op as Comparison];
      if (kind !== 'eq' && kind !== 'ne' && typeof v !== 'number' && typeof v !== 'string') {
        throw invalid(here, `${op} compares numbers or strings, got ${describe(operand)}`);
      }
      parts.push({ op: kind, field, value: v } as Selector);
    } else if (op === '$in') {
      if (!Array.isArray(operand) || operand.length === 0) {
        throw invalid(here, `$in needs a non-empty array of values, got ${describe(operand)}`);
      }
      count(state, operand.length, here);
      parts.push({ op: 'in', field, values: operand.map((v, i) => scalar(v, `${here}[${i}]`, '$in')) });
    } else if (op === '$exists') {
      if (typeof operand !== 'boolean') throw invalid(here, `$exists needs true or false, got ${describe(operand)}`);
      count(state, 1, here);
      parts.push({ op: 'exists', field, value: operand });
    } else if (op.startsWith('$')) {
      throw invalid(here, `unknown operator "${op}" (supported: $eq $ne $gt $gte $lt $lte $in $exists $and $or)`);
    } else {
      throw invalid(here, `expected an operator such as $eq; for a nested field write "${field}.${op}"`);
    }
  }
  return parts;
}

/** Parses a sort: `["date"]`, `[{"date": "desc"}]`, `[{"amount": "asc"}, {"date": "desc"}]`. */
export function parseSort(json: unknown): SortKey[] {
  if (json === undefined || json === null) return [];
  if (!Array.isArray(json))
    throw invalid('sort', `expected an array such as ["date"] or [{"date": "desc"}], got ${describe(json)}`);
  if (json.length > SORT_MAX_KEYS) throw invalid('sort', `at most ${SORT_MAX_KEYS} sort keys, got ${json.length}`);
  const seen = new Set<string>();
  return json.map((item, i) => {
    const path = `sort[${i}]`;
    let key: SortKey;
    if (typeof item === 'string') {
      key = { field: item, direction: 'asc' };
    } else if (isPlainObject(item) && Object.keys(item).length === 1) {
      const [field, direction] = Object.entries(item)[0]!;
      if (direction !== 'asc' && direction !== 'desc') {
        throw invalid(`${path}.${field}`, `direction must be "asc" or "desc", got ${describe(direction)}`);
      }
      key = { field, direction };
    } else {
      throw invalid(path, `expected a field name or {"field": "asc"|"desc"}, got ${describe(item)}`);
    }
    assertFieldPath(key.field, path);
    if (seen.has(key.field)) throw invalid(path, `"${key.field}" is sorted on twice`);
    seen.add(key.field);
    return key;
  });
}

function combine(op: 'and' | 'or', parts: Selector[]): Selector {
  return parts.length === 1 ? parts[0]! : { op, of: parts };
}

function scalar(value: unknown, path: string, op: string): Scalar {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(path, `${op} needs a finite number`);
    return value;
  }
  const hint = Array.isArray(value) && op === '$eq' ? ' (to match one of several values, use $in)' : '';
  throw invalid(path, `${op} needs a string, number, boolean or null, got ${describe(value)}${hint}`);
}

function count(state: { conditions: number }, n: number, path: string): void {
  state.conditions += n;
  if (state.conditions > SELECTOR_MAX_CONDITIONS) {
    throw invalid(path, `the selector has more than ${SELECTOR_MAX_CONDITIONS} conditions`);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function invalid(path: string, problem: string): FoyerError {
  return new FoyerError('invalid_selector', `${path}: ${problem}.`, { path });
}
