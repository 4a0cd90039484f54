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
 * which is a third of a month query's time. The guard is left out altogether where SQLite's own
 * order of types already keeps every value of another type out (`guardNeeded`).
 */
function compileAnd(terms: Selector[]): SqlFragment {
  if (terms.length === 0) return { sql: '1', params: [] };
  const guarded = new Map<string, { field: string; type: string; terms: TypedTerm[] }>();
  const parts: SqlFragment[] = [];
  for (const term of terms) {
    const typed = typedTerm(term);
    if (typed) {
      const key = `${typed.field}\u0000${typed.type}`;
      const group = guarded.get(key) ?? guarded.set(key, { field: typed.field, type: typed.type, terms: [] }).get(key)!;
      group.terms.push(typed);
      parts.push({ sql: typed.sql, params: [typed.value] });
    } else {
      parts.push(compileSelector(term));
    }
  }
  const guards = [...guarded.values()]
    .filter((g) => guardNeeded(g.terms))
    .map((g) => `${typeExpression(g.field)} ${g.type}`);
  const sql = [...parts.map((p) => p.sql), ...guards];
  return { sql: `(${sql.join(' AND ')})`, params: parts.flatMap((p) => p.params) };
}

interface TypedTerm {
  field: string;
  op: 'eq' | 'gt' | 'gte' | 'lt' | 'lte';
  type: string;
  sql: string;
  value: string | number;
}

/** A comparison with a number or string operand, as its bare term and the type guard it needs. */
function typedTerm(term: Selector): TypedTerm | null {
  if (term.op !== 'eq' && !(term.op in RANGE_OPERATORS)) return null;
  const { field, value } = term as { field: string; value: Scalar };
  if (typeof value !== 'number' && typeof value !== 'string') return null;
  const op = term.op as TypedTerm['op'];
  const operator = op === 'eq' ? '=' : RANGE_OPERATORS[op];
  return {
    field,
    op,
    type: typeof value === 'number' ? NUMERIC : `= 'text'`,
    sql: `${valueExpression(field)} ${operator} ?`,
    value,
  };
}

/**
 * Whether the terms on one field (all with operands of one type) need the json_type guard.
 * SQLite orders NULL < numbers < text, and json_extract gives: text for a JSON string, a number
 * for a number, 1/0 for true/false, NULL for null or a missing field, and the JSON text of an
 * object or array (which starts with `[` or `{`). So the bare terms alone already refuse:
 * - with a string operand: numbers, booleans and null whenever a lower bound is a string (every
 *   number sorts below it; equality needs text), and objects and arrays whenever the upper bound is
 *   at most `[` (their text sorts from `[]` up) or the equality's operand does not start like them;
 * - with a number operand: text, objects and arrays whenever there is an upper bound or an
 *   equality (text sorts above every number), and booleans whenever the accepted range holds
 *   neither 0 nor 1.
 * A month of dates (`>= '2024-03-01' AND < '2024-04-01'`) or debits (`< 0`) then costs no guard.
 */
function guardNeeded(terms: readonly TypedTerm[]): boolean {
  if (typeof terms[0]!.value === 'string') {
    const eq = terms.filter((t) => t.op === 'eq');
    if (eq.length > 0) return eq.every((t) => /^[[{]/.test(t.value as string));
    const lower = terms.some((t) => t.op === 'gt' || t.op === 'gte');
    const upperBelowJson = terms.some((t) => (t.op === 'lt' || t.op === 'lte') && (t.value as string) <= '[');
    return !(lower && upperBelowJson);
  }
  const accepts = (n: number) =>
    terms.every((t) => {
      const v = t.value as number;
      return t.op === 'eq' ? n === v : t.op === 'gt' ? n > v : t.op === 'gte' ? n >= v : t.op === 'lt' ? n < v : n <= v;
    });
  const bounded = terms.some((t) => t.op === 'eq' || t.op === 'lt' || t.op === 'lte');
  return !(bounded && !accepts(0) && !accepts(1));
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
