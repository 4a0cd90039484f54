import type { ErrorObject } from 'ajv';

/**
 * One reason a value does not fit its doctype. `path` is a JSON Pointer to the offending value
 * (for a missing or unknown field, to where that field would be), `rule` the JSON Schema keyword
 * that failed (`type`, `required`, `additionalProperties`, `format`, `enum`, ...), `message` a
 * plain-English sentence that starts with the field, e.g. `amount: must be a number`.
 */
export interface ValidationIssue {
  path: string;
  rule: string;
  message: string;
}

const formatNames: Record<string, string> = {
  date: 'a date (YYYY-MM-DD)',
  'date-time': 'a date-time with a time zone (e.g. 2024-03-01T08:30:00Z)',
  time: 'a time with a time zone (e.g. 08:30:00Z)',
  email: 'an email address',
  uri: 'an absolute URI',
  uuid: 'a UUID',
  duration: 'an ISO 8601 duration (e.g. P1D)',
};

const escapePointerToken = (token: string): string => token.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointerToken = (token: string): string => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** `/lines/0/amount` → `lines[0].amount`; the root is called `document`. */
export function fieldName(path: string): string {
  if (path === '') return 'document';
  let out = '';
  for (const token of path.slice(1).split('/').map(unescapePointerToken)) {
    if (/^(0|[1-9][0-9]*)$/.test(token)) out += `[${token}]`;
    else out += out === '' ? token : `.${token}`;
  }
  return out;
}

function typeList(type: unknown): string {
  const types = Array.isArray(type) ? type.map(String) : [String(type)];
  const article = (t: string) => (t === 'null' ? 'null' : /^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`);
  return types.map(article).join(' or ');
}

const quote = (v: unknown): string => JSON.stringify(v);

function ruleMessage(error: ErrorObject, rootAllowsExtra: boolean): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return error.instancePath === '' && rootAllowsExtra
        ? 'is not a field of this doctype (holder-specific fields belong under "extra")'
        : 'is not a field of this doctype';
    case 'type':
      return `must be ${typeList(p.type)}`;
    case 'format':
      return `must be ${formatNames[String(p.format)] ?? `in the "${String(p.format)}" format`}`;
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map(quote).join(', ')}`;
    case 'const':
      return `must be ${quote(p.allowedValue)}`;
    case 'minimum':
      return `must be at least ${String(p.limit)}`;
    case 'maximum':
      return `must be at most ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be greater than ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be less than ${String(p.limit)}`;
    case 'minLength':
      return p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'pattern':
      // The catalog's convention for instants (see catalog/conventions.md) gets a sentence.
      return p.pattern === 'Z$'
        ? 'must be in UTC, ending in Z (e.g. 2024-03-01T08:30:00Z)'
        : `must match the pattern ${String(p.pattern)}`;
    case 'minItems':
      return `must have at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(p.limit)} items`;
    case 'uniqueItems':
      return `must not repeat items (items ${String(p.j)} and ${String(p.i)} are equal)`;
    case 'minProperties':
      return p.limit === 1 ? 'must not be an empty object' : `must have at least ${String(p.limit)} fields`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`;
    case 'dependentRequired':
      return `requires ${String(p.missingProperty)} when ${String(p.property)} is present`;
    default:
      return error.message ?? `breaks the "${error.keyword}" rule`;
  }
}

/** Where the issue points: missing and unknown fields point at the field itself, not its parent. */
function issuePath(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  if (error.keyword === 'required') return `${error.instancePath}/${escapePointerToken(String(p.missingProperty))}`;
  if (error.keyword === 'additionalProperties')
    return `${error.instancePath}/${escapePointerToken(String(p.additionalProperty))}`;
  return error.instancePath;
}

/**
 * Turns ajv's errors into issues. `if` errors are dropped: they only repeat that a `then`/`else`
 * branch failed, and that branch's own errors are reported next to them.
 */
export function issuesFromAjvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  rootAllowsExtra: boolean,
): ValidationIssue[] {
  if (!errors) return [];
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    if (error.keyword === 'if') continue;
    const path = issuePath(error);
    issues.push({ path, rule: error.keyword, message: `${fieldName(path)}: ${ruleMessage(error, rootAllowsExtra)}` });
  }
  return issues;
}

/** `amount: must be a number; date: is required` — for error messages and loader diagnostics. */
export const describeIssues = (issues: readonly ValidationIssue[]): string => issues.map((i) => i.message).join('; ');
