/** Opaque keyset cursors for `_find`: the last document's sort values and id, base64url JSON. */
import { FoyerError } from '../errors.js';
import type { Scalar, SortKey } from '../../storage/document-store.js';

export interface Cursor {
  values: Scalar[];
  id: string;
}

export function encodeBookmark(cursor: Cursor, sort: SortKey[]): string {
  return Buffer.from(JSON.stringify({ s: sort.map((k) => `${k.field}:${k.direction}`), ...cursor })).toString(
    'base64url',
  );
}

export function decodeBookmark(bookmark: string, sort: SortKey[]): Cursor {
  const invalid = () =>
    new FoyerError('bad_request', 'This bookmark is not valid for this query: reuse it only with the same sort.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bookmark, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const p = parsed as { s?: unknown; values?: unknown; id?: unknown };
  const expected = sort.map((k) => `${k.field}:${k.direction}`);
  if (
    !Array.isArray(p.s) ||
    p.s.join('\n') !== expected.join('\n') ||
    !Array.isArray(p.values) ||
    p.values.length !== sort.length ||
    !p.values.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)) ||
    typeof p.id !== 'string'
  ) {
    throw invalid();
  }
  return { values: p.values as Scalar[], id: p.id };
}

/** The value at a dotted path, as the store compares it (objects and arrays count as absent). */
export function valueAt(data: Record<string, unknown>, field: string): Scalar {
  let v: unknown = data;
  for (const part of field.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
    v = (v as Record<string, unknown>)[part];
  }
  return v === undefined || (typeof v === 'object' && v !== null) ? null : (v as Scalar);
}
