/**
 * Splits a client body into its data and the few reserved fields a client may send. `_meta` is
 * server-stamped: it is dropped, so a document read, edited and written back round-trips.
 */
import { FoyerError } from '../errors.js';

export interface DocumentBody {
  data: Record<string, unknown>;
  id?: string;
  rev?: string;
  deleted: boolean;
}

const ALLOWED_RESERVED = new Set(['_id', '_rev', '_meta', '_deleted']);

export function splitDocumentBody(body: unknown, where = 'body'): DocumentBody {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new FoyerError('validation_failed', `${where}: a document is a JSON object.`, {
      issues: [{ path: '', rule: 'type', message: `${where}: must be an object` }],
    });
  }
  const data: Record<string, unknown> = {};
  let id: string | undefined;
  let rev: string | undefined;
  let deleted = false;
  for (const [key, value] of Object.entries(body)) {
    if (key.charCodeAt(0) !== 95 /* _ */) {
      data[key] = value;
      continue;
    }
    if (!ALLOWED_RESERVED.has(key)) {
      throw new FoyerError(
        'validation_failed',
        `${where}: "${key}" is reserved: fields starting with "_" belong to Foyer.`,
        {
          issues: [{ path: `/${key}`, rule: 'reserved', message: `${key}: reserved field` }],
        },
      );
    }
    if (key === '_id' || key === '_rev') {
      if (typeof value !== 'string') {
        throw new FoyerError('validation_failed', `${where}: ${key} must be a string.`, {
          issues: [{ path: `/${key}`, rule: 'type', message: `${key}: must be a string` }],
        });
      }
      if (key === '_id') id = value;
      else rev = value;
    } else if (key === '_deleted') {
      deleted = value === true;
    }
  }
  return { data, id, rev, deleted };
}
