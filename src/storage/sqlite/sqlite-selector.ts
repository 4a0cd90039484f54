/**
 * Selector, sort and keyset cursor compiled to SQLite SQL over `docs.data` (JSON text).
 *
 * Values are always bound parameters. Field paths are validated, then embedded as JSON path
 * literals (`'$."a"."b"'`): SQLite only uses an expression index when the query repeats the
 * indexed expression literally, so `json_extract(data, ?)` with a bound path would never use one.
 *
 * json_extract maps JSON true/false to 1/0 and objects/arrays to their JSON text, so every
 * comparison also checks json_type to keep the store's rule: values of another type never match.
 */
import { assertFieldPath } from '../../core/documents/selector.js';
import { FoyerError } from '../../core/errors.js';
import type { Scalar, Selector, SortKey, StoreFindQuery } from '../document-store.js';

export interface SqlFragment {
  sql: string;
  params: (string | number)[];
}

const RANGE_OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const NUMERIC = `IN ('integer','real')`;

/** The JSON path literal for a validated field path: `'$."vendor"."name"'`. */
export function jsonPathLiteral(field: string): string {
  assertFieldPath(field);
  return `'$.${field
    .split('.')
    .map((segment) => `"${segment}"`)
    .join('.')}'`;
}

/** The expression an index on `field` is built on, and queries repeat to use it. */
export function valueExpression(field: string): string {
  return `json_extract(data, ${jsonPathLiteral(field)})`;
}

function typeExpression(field: string): string {
  return `json_type(data, ${jsonPathLiteral(field)})`;
}

/**
 * A WHERE fragment. A missing field makes a comparison NULL, which WHERE, AND and OR treat as
 * false; the only negation (`$ne`) goes through `IS NOT 1`, which turns NULL into true. Leaves stay
 * plain `expr op ?` terms so that the planner can use expression indexes for them.
 */
export function compileSelector(selector: Selector): SqlFragment {
  switch (selector.op) {
    case 'and':
      return compileAnd(selector.of);
    case 'or': {
      if (selector.of.length === 0) return { sql: '0', params: [] };
      const parts = selector.of.map(compileSelector);
      return {
        sql: `(${parts.map((p) => p.sql).join(' OR ')})`,
        params: parts.flatMap((p) => p.params),
      };
    }
    case 'eq':
      return equals(selector.field, selector.value);
    case 'ne': {
      const eq = equals(selector.field, selector.value);
      return { sql: `(${eq.sql}) IS NOT 1`, params: eq.params };
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const { field, value } = selector;
      if (typeof value !== 'number' && typeof value !== 'string') {
        throw new FoyerError('invalid_selector', `$${selector.op} on "${field}" compares numbers or strings only.`, {
          path: field,
        });
      }
      const type = typeof value === 'number' ? NUMERIC : `= 'text'`;
      return {
        sql: `(${valueExpression(field)} ${RANGE_OPERATORS[selector.op]} ? AND ${typeExpression(field)} ${type})`,
        params: [value],
      };
    }
    case 'in':
      return oneOf(selector.field, selector.values);
    case 'exists':
      return { sql: `${typeExpression(selector.field)} IS ${selector.value ? 'NOT NULL' : 'NULL'}`, params: [] };
  }
}

/**
 * A conjunction. Range and equality terms on the same field and JSON type share one type guard:
 * `date >= ? AND date < ?` checks `json_type(data, '$.date')` once per row instead of twice,
 * which is a third of a month query's time.
 */
function compileAnd(terms: Selector[]): SqlFragment {
  if (terms.length === 0) return { sql: '1', params: [] };
  const guards = new Map<string, string>();
  const parts: SqlFragment[] = [];
  for (const term of terms) {
    const typed = typedTerm(term);
    if (typed) {
      guards.set(`${typed.field}\u0000${typed.type}`, `${typeExpression(typed.field)} ${typed.type}`);
      parts.push({ sql: typed.sql, params: [typed.value] });
    } else {
      parts.push(compileSelector(term));
    }
  }
  const sql = [...parts.map((p) => p.sql), ...guards.values()];
  return { sql: `(${sql.join(' AND ')})`, params: parts.flatMap((p) => p.params) };
}

/** A comparison with a number or string operand, as its bare term and the type guard it needs. */
function typedTerm(term: Selector): { field: string; type: string; sql: string; value: string | number } | null {
  if (term.op !== 'eq' && !(term.op in RANGE_OPERATORS)) return null;
  const { field, value } = term as { field: string; value: Scalar };
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const operator = term.op === 'eq' ? '=' : RANGE_OPERATORS[term.op as keyof typeof RANGE_OPERATORS];
  return {
    field,
    type: typeof value === 'number' ? NUMERIC : `= 'text'`,
    sql: `${valueExpression(field)} ${operator} ?`,
    value,
  };
}

function equals(field: string, value: Scalar): SqlFragment {
  if (value === null || typeof value === 'boolean') {
    return { sql: `${typeExpression(field)} = '${String(value)}'`, params: [] };
  }
  const type = typeof value === 'number' ? NUMERIC : `= 'text'`;
  return { sql: `(${valueExpression(field)} = ? AND ${typeExpression(field)} ${type})`, params: [value] };
}

function oneOf(field: string, values: Scalar[]): SqlFragment {
  const strings = values.filter((v): v is string => typeof v === 'string');
  const numbers = values.filter((v): v is number => typeof v === 'number');
  const literals = [...new Set(values.filter((v) => v === null || typeof v === 'boolean').map(String))];
  const parts: SqlFragment[] = [];
  for (const [list, type] of [
    [strings, `= 'text'`],
    [numbers, NUMERIC],
  ] as const) {
    if (list.length > 0) {
      parts.push({
        sql: `(${valueExpression(field)} IN (${list.map(() => '?').join(',')}) AND ${typeExpression(field)} ${type})`,
        params: list,
      });
    }
  }
  if (literals.length > 0) {
    parts.push({ sql: `${typeExpression(field)} IN (${literals.map((l) => `'${l}'`).join(',')})`, params: [] });
  }
  if (parts.length === 0) return { sql: '0', params: [] };
  return { sql: `(${parts.map((p) => p.sql).join(' OR ')})`, params: parts.flatMap((p) => p.params) };
}

/** `ORDER BY` for the sort keys and the final `id` tie-breaker. */
export function compileOrderBy(sort: SortKey[]): string {
  const keys = sort.map((k) => `${valueExpression(k.field)} ${k.direction === 'asc' ? 'ASC' : 'DESC'}`);
  return `ORDER BY ${[...keys, 'id ASC'].join(', ')}`;
}

/**
 * Rows strictly after the cursor in sort order. SQLite orders NULL (a missing field) lowest, then
 * numbers, then text by bytes (UTF-8, so by code point): the same order as `ORDER BY`, so plain
 * comparisons walk it. Booleans are bound as 1/0, as json_extract returns them.
 */
export function compileAfter(sort: SortKey[], after: NonNullable<StoreFindQuery['after']>): SqlFragment {
  if (after.values.length !== sort.length) {
    throw new FoyerError('bad_request', 'The cursor does not match the sort keys.');
  }
  const alternatives: SqlFragment[] = [];
  const equalPrefix: SqlFragment[] = [];
  sort.forEach((key, i) => {
    const expr = valueExpression(key.field);
    const value = bindable(after.values[i]!);
    const beyond: SqlFragment | null =
      value === null
        ? key.direction === 'asc'
          ? { sql: `${expr} IS NOT NULL`, params: [] }
          : null // nothing sorts below a missing value
        : key.direction === 'asc'
          ? { sql: `${expr} > ?`, params: [value] }
          : { sql: `(${expr} < ? OR ${expr} IS NULL)`, params: [value] };
    if (beyond) alternatives.push(conjunction([...equalPrefix, beyond]));
    equalPrefix.push(value === null ? { sql: `${expr} IS NULL`, params: [] } : { sql: `${expr} = ?`, params: [value] });
  });
  alternatives.push(conjunction([...equalPrefix, { sql: 'id > ?', params: [after.id] }]));
  const any: SqlFragment = {
    sql: `(${alternatives.map((a) => a.sql).join(' OR ')})`,
    params: alternatives.flatMap((a) => a.params),
  };
  // A plain lower bound on the first key lets SQLite seek in an index instead of scanning from the start.
  const first = sort[0];
  const firstValue = after.values[0];
  if (first && first.direction === 'asc' && firstValue !== null && firstValue !== undefined) {
    return conjunction([{ sql: `${valueExpression(first.field)} >= ?`, params: [bindable(firstValue)!] }, any]);
  }
  return any;
}

function conjunction(parts: SqlFragment[]): SqlFragment {
  return { sql: parts.map((p) => p.sql).join(' AND '), params: parts.flatMap((p) => p.params) };
}

function bindable(value: Scalar): string | number | null {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
