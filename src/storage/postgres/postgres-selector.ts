/**
 * Selector, sort and keyset cursor compiled to PostgreSQL over `documents.data` (jsonb).
 *
 * Values are always bound parameters. Field paths are validated (`[A-Za-z0-9_-]+` segments), then
 * embedded as string literals in `data->'a'->'b'`: an expression index is only used when the
 * query repeats the indexed expression, and a bound path could never match it. `->` with a text
 * key reads object members only (an array or a scalar on the way makes the field absent), as
 * SQLite's `$."a"."b"` paths do.
 *
 * The type rules of `document-store.ts`, in SQL:
 *  - equality compares jsonb values, which are equal only with the same type (2 = 2.0, never
 *    "2" or true), and `$ne` is `IS DISTINCT FROM`, true for a missing field;
 *  - ranges check `jsonb_typeof` first; numbers compare as jsonb (numerically), strings as text
 *    in the "C" collation (by code point; jsonb would compare them in the database's locale).
 * Each declared index is built twice to serve both forms: over `data->'f'` (equality, `$in`,
 * number ranges) and over `(data->>'f') COLLATE "C"` (string equality and ranges). String
 * equality is written both ways so that either index can serve it.
 *
 * Sort order is SQLite's (json_extract): missing, null, objects and arrays lowest; then numbers,
 * with false and true as 0 and 1; then strings by code point.
 */
import { assertFieldPath } from '../../core/documents/selector.js';
import { FoyerError } from '../../core/errors.js';
import type { Scalar, Selector, SortKey, StoreFindQuery } from '../document-store.js';

/** Collects bound values; `add` returns the placeholder (`$n`). */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function segments(field: string): string[] {
  assertFieldPath(field);
  return field.split('.');
}

/** `data->'a'->'b'`: the field as jsonb, SQL NULL when absent. */
export function jsonExpression(field: string): string {
  return `data${segments(field)
    .map((s) => `->'${s}'`)
    .join('')}`;
}

/** `(data->'a'->>'b') COLLATE "C"`: the field as text (strings unquoted), compared by code point. */
export function textExpression(field: string): string {
  const parts = segments(field);
  const last = parts.pop()!;
  return `(data${parts.map((s) => `->'${s}'`).join('')}->>'${last}') COLLATE "C"`;
}

function typeIs(field: string, type: 'number' | 'string'): string {
  return `jsonb_typeof(${jsonExpression(field)}) = '${type}'`;
}

function jsonOperand(value: Scalar, field: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new FoyerError('invalid_selector', `"${field}" is compared with a number that is not finite.`, {
      path: field,
    });
  }
  return JSON.stringify(value);
}

/** A WHERE fragment for the selector; its values are added to `params`. */
export function compileSelector(selector: Selector, params: SqlParams): string {
  switch (selector.op) {
    case 'and':
    case 'or': {
      if (selector.of.length === 0) return selector.op === 'and' ? 'TRUE' : 'FALSE';
      const parts = selector.of.map((s) => compileSelector(s, params));
      return `(${parts.join(selector.op === 'and' ? ' AND ' : ' OR ')})`;
    }
    case 'eq': {
      const json = `${jsonExpression(selector.field)} = ${params.add(jsonOperand(selector.value, selector.field))}::jsonb`;
      if (typeof selector.value !== 'string') return json;
      return `(${json} AND ${textExpression(selector.field)} = ${params.add(selector.value)})`;
    }
    case 'ne':
      return `${jsonExpression(selector.field)} IS DISTINCT FROM ${params.add(jsonOperand(selector.value, selector.field))}::jsonb`;
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const { field, value } = selector;
      const operator = RANGE_OPERATORS[selector.op];
      if (typeof value === 'number') {
        return `(${typeIs(field, 'number')} AND ${jsonExpression(field)} ${operator} ${params.add(jsonOperand(value, field))}::jsonb)`;
      }
      if (typeof value === 'string') {
        return `(${typeIs(field, 'string')} AND ${textExpression(field)} ${operator} ${params.add(value)})`;
      }
      throw new FoyerError('invalid_selector', `$${selector.op} on "${field}" compares numbers or strings only.`, {
        path: field,
      });
    }
    case 'in': {
      const { field, values } = selector;
      if (values.length === 0) return 'FALSE';
      const json = `${jsonExpression(field)} = ANY(${params.add(values.map((v) => jsonOperand(v, field)))}::jsonb[])`;
      if (!values.every((v) => typeof v === 'string')) return json;
      return `(${json} AND ${textExpression(field)} = ANY(${params.add(values)}::text[]))`;
    }
    case 'exists':
      return `${jsonExpression(selector.field)} IS ${selector.value ? 'NOT NULL' : 'NULL'}`;
  }
}

/** The three columns a sort key orders by: type rank, then the numeric or the string value. */
function sortParts(field: string): { rank: string; number: string; string: string } {
  const json = jsonExpression(field);
  return {
    rank: `(CASE jsonb_typeof(${json}) WHEN 'number' THEN 1 WHEN 'boolean' THEN 1 WHEN 'string' THEN 2 ELSE 0 END)`,
    number: `(CASE jsonb_typeof(${json}) WHEN 'number' THEN (${json})::numeric WHEN 'boolean' THEN (${json})::boolean::int::numeric END)`,
    string: `(CASE WHEN jsonb_typeof(${json}) = 'string' THEN ${textExpression(field)} END)`,
  };
}

/** `ORDER BY` for the sort keys and the final `id` tie-breaker. */
export function compileOrderBy(sort: SortKey[]): string {
  const keys = sort.flatMap((key) => {
    const direction = key.direction === 'asc' ? 'ASC' : 'DESC';
    const parts = sortParts(key.field);
    return [parts.rank, parts.number, parts.string].map((part) => `${part} ${direction}`);
  });
  return `ORDER BY ${[...keys, 'id ASC'].join(', ')}`;
}

/** Rank and typed value of a cursor value, as `sortParts` orders it. */
function cursorValue(value: Scalar): { rank: 0 | 1 | 2; value: number | string | null } {
  if (value === null) return { rank: 0, value: null };
  if (typeof value === 'boolean') return { rank: 1, value: value ? 1 : 0 };
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FoyerError('bad_request', 'The cursor holds a number that is not finite.');
    return { rank: 1, value };
  }
  if (typeof value === 'string') return { rank: 2, value };
  throw new FoyerError('bad_request', 'The cursor holds a value that is not a string, number, boolean or null.');
}

/** Rows strictly after the cursor in the order of `compileOrderBy`. */
export function compileAfter(sort: SortKey[], after: NonNullable<StoreFindQuery['after']>, params: SqlParams): string {
  if (!Array.isArray(after.values) || after.values.length !== sort.length || typeof after.id !== 'string') {
    throw new FoyerError('bad_request', 'The cursor does not match the sort keys.');
  }
  const alternatives: string[] = [];
  const equalPrefix: string[] = [];
  sort.forEach((key, i) => {
    const parts = sortParts(key.field);
    const cursor = cursorValue(after.values[i]!);
    const typed = cursor.rank === 1 ? parts.number : parts.string;
    const placeholder = cursor.value === null ? '' : params.add(cursor.value);
    const cast = cursor.rank === 1 ? '::numeric' : '';
    const beyond =
      key.direction === 'asc'
        ? cursor.rank === 0
          ? `${parts.rank} > 0`
          : `(${parts.rank} > ${cursor.rank} OR (${parts.rank} = ${cursor.rank} AND ${typed} > ${placeholder}${cast}))`
        : cursor.rank === 0
          ? null // nothing sorts below a missing value
          : `(${parts.rank} < ${cursor.rank} OR (${parts.rank} = ${cursor.rank} AND ${typed} < ${placeholder}${cast}))`;
    if (beyond) alternatives.push([...equalPrefix, beyond].join(' AND '));
    equalPrefix.push(
      cursor.rank === 0 ? `${parts.rank} = 0` : `(${parts.rank} = ${cursor.rank} AND ${typed} = ${placeholder}${cast})`,
    );
  });
  alternatives.push([...equalPrefix, `id > ${params.add(after.id)}`].join(' AND '));
  return `(${alternatives.map((a) => `(${a})`).join(' OR ')})`;
}
