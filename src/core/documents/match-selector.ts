/**
 * Evaluates a parsed selector against a document's data in memory, with exactly the semantics
 * the stores implement in SQL (see `Selector` in storage/document-store.ts). The gate uses it to
 * check single documents against a grant's filter (reads by id, writes).
 */
import type { Scalar, Selector } from '../../storage/document-store.js';

const MISSING = Symbol('missing');

export function matchesSelector(selector: Selector | null, data: Record<string, unknown>): boolean {
  if (selector === null) return true;
  switch (selector.op) {
    case 'and':
      return selector.of.every((s) => matchesSelector(s, data));
    case 'or':
      return selector.of.some((s) => matchesSelector(s, data));
    case 'exists':
      return (valueAtPath(data, selector.field) !== MISSING) === selector.value;
    case 'in': {
      const value = valueAtPath(data, selector.field);
      return selector.values.some((v) => sameScalar(value, v));
    }
    case 'eq':
      return sameScalar(valueAtPath(data, selector.field), selector.value);
    case 'ne':
      return !sameScalar(valueAtPath(data, selector.field), selector.value);
    default: {
      const value = valueAtPath(data, selector.field);
      const operand = selector.value;
      if (typeof operand === 'number' && typeof value === 'number') return compare(selector.op, value - operand);
      if (typeof operand === 'string' && typeof value === 'string') {
        return compare(selector.op, compareCodePoints(value, operand));
      }
      return false;
    }
  }
}

function compare(op: 'gt' | 'gte' | 'lt' | 'lte', sign: number): boolean {
  if (op === 'gt') return sign > 0;
  if (op === 'gte') return sign >= 0;
  if (op === 'lt') return sign < 0;
  return sign <= 0;
}

function sameScalar(value: unknown, operand: Scalar): boolean {
  if (value === MISSING) return false;
  if (operand === null) return value === null;
  return typeof value === typeof operand && value === operand;
}

/** Unicode code point order (what SQLite's BINARY collation and PostgreSQL's "C" collation give for UTF-8). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral characters) sort above every BMP character in code point order.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** The value at a dotted path, through objects only; `isMissingValue` tells an absent one. */
export function valueAtPath(data: Record<string, unknown>, field: string): unknown {
  let node: unknown = data;
  for (const segment of field.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return MISSING;
    if (!Object.prototype.hasOwnProperty.call(node, segment)) return MISSING;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

export function isMissingValue(value: unknown): boolean {
  return value === MISSING;
}

/** Every field path a selector names (for checking them against a grant's field list). */
export function selectorFields(selector: Selector | null): string[] {
  if (selector === null) return [];
  if (selector.op === 'and' || selector.op === 'or') return selector.of.flatMap(selectorFields);
  return [selector.field];
}
