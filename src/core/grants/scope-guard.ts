/**
 * What a grant's scope means for one document: whether the grantee may see it (filter), which
 * fields it sees (field list), and what a write under the scope may contain. The owner's permits
 * carry no scope: every function here is then the identity.
 */
import { FoyerError } from '../errors.js';
import { matchesSelector, selectorFields } from '../documents/match-selector.js';
import type { Selector } from '../../storage/document-store.js';
import type { CompiledScope } from './grant-terms.js';

/**
 * A field is readable when it is listed or lies under a listed field (`address` covers
 * `address.city`): the field itself or one of its dotted prefixes is in the list.
 */
function fieldAllowed(listed: ReadonlySet<string>, field: string): boolean {
  if (listed.has(field)) return true;
  for (let dot = field.indexOf('.'); dot >= 0; dot = field.indexOf('.', dot + 1)) {
    if (listed.has(field.slice(0, dot))) return true;
  }
  return false;
}

/** Throws `field_not_granted` if a query names a field outside the grant's list (it could probe its values). */
export function checkQueryFields(scope: CompiledScope | null, fields: readonly string[], where: string): void {
  if (scope === null || scope.fields === null) return;
  const listed = new Set(scope.fields);
  const outside = fields.filter((f) => !fieldAllowed(listed, f));
  if (outside.length > 0) {
    throw new FoyerError(
      'field_not_granted',
      `${where} names ${outside.map((f) => `"${f}"`).join(', ')}, outside the fields this grant allows (${scope.fields.join(', ')}).`,
      { fields: outside, allowed: scope.fields },
    );
  }
}

export function checkSelectorFields(scope: CompiledScope | null, selector: Selector | null): void {
  checkQueryFields(scope, selectorFields(selector), 'The selector');
}

/** The query's selector ANDed with the grant's filter: no operator inside the query can widen it. */
export function withinFilter(scope: CompiledScope | null, selector: Selector | null): Selector | null {
  if (scope === null || scope.filter === null) return selector;
  return selector === null ? scope.filter : { op: 'and', of: [scope.filter, selector] };
}

export function visible(scope: CompiledScope | null, data: Record<string, unknown>): boolean {
  return scope === null || matchesSelector(scope.filter, data);
}

/** A write under the scope: only listed fields, and the result must stay inside the filter. */
export function checkWritable(scope: CompiledScope | null, data: Record<string, unknown>, where = 'body'): void {
  if (scope === null) return;
  if (scope.fields !== null) checkQueryFields(scope, leafPaths(data), where);
  if (!matchesSelector(scope.filter, data)) {
    throw new FoyerError('filter_denied', `${where} falls outside the documents this grant covers.`, {
      filter: 'the grant’s filter',
    });
  }
}

/**
 * The data an update under a field list writes: the current document with the listed fields
 * taken from the update (removed where the update leaves them out). Fields the grantee cannot
 * see are kept as they are, never wiped.
 */
export function mergeUpdate(
  scope: CompiledScope | null,
  current: Record<string, unknown>,
  update: Record<string, unknown>,
): Record<string, unknown> {
  if (scope === null || scope.fields === null) return update;
  const merged = structuredClone(current);
  for (const field of scope.fields) {
    const value = getPath(update, field);
    setPath(merged, field, value);
  }
  return merged;
}

/** The data keeping only the listed fields. */
export function projectFields(fields: readonly string[], data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = getPath(data, field);
    if (value !== undefined) setPath(out, field, value);
  }
  return out;
}

/** Dotted paths of an object's leaves (arrays, scalars and empty objects are leaves). */
function leafPaths(data: Record<string, unknown>, prefix = '', out: string[] = []): string[] {
  // A loop rather than entries/flatMap: this runs on every write under a field list.
  for (const key in data) {
    if (!Object.hasOwn(data, key)) continue;
    const value = data[key];
    const path = prefix === '' ? key : prefix + key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && hasKeys(value)) {
      leafPaths(value as Record<string, unknown>, `${path}.`, out);
    } else {
      out.push(path);
    }
  }
  return out;
}

function hasKeys(value: object): boolean {
  for (const key in value) if (Object.hasOwn(value, key)) return true;
  return false;
}

function getPath(data: Record<string, unknown>, field: string): unknown {
  let node: unknown = data;
  for (const part of field.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function setPath(data: Record<string, unknown>, field: string, value: unknown): void {
  const parts = field.split('.');
  let node = data;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      if (value === undefined) return;
      node[part] = {};
    }
    node = node[part] as Record<string, unknown>;
  }
  const last = parts[parts.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
}
