/**
 * A space's data keys, as stored: one internal document (`foyer.keys`, id `data-keys`) in the
 * space's own DocumentStore, so it lives, travels and dies with the space on SQLite and
 * PostgreSQL alike. It holds only wrapped keys: every version of the space's data key (the newest
 * encrypts new content, older ones still open what they encrypted), each wrapped under one or
 * more master keys. Updates are optimistic (the document's revision), retried on a conflict, so
 * several processes and `foyer keys` may change it at once.
 */
import { z } from 'zod';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { internalRecords } from '../internal-records.js';
import type { WrappedDataKey } from './key-wrap.js';

/** Also holds the grant token key (id `grant-tokens`, wrapped: `space-secret-record.ts`). Internal: never reachable through the data API. */
export const KEYS_DOCTYPE = 'foyer.keys';
export const DATA_KEYS_ID = 'data-keys';

export interface DataKeyEntry {
  version: number;
  createdAt: string;
  wrapped: WrappedDataKey[];
}

export interface DataKeysRecord {
  dataKeys: DataKeyEntry[];
}

const recordSchema = z.object({
  dataKeys: z.array(
    z.object({
      version: z.number().int().positive(),
      createdAt: z.string(),
      wrapped: z.array(z.object({ kek: z.string(), iv: z.string(), ct: z.string() })),
    }),
  ),
});

export async function readDataKeys(
  store: DocumentStore,
  space: string,
): Promise<{ record: DataKeysRecord | null; doc: StoredDocument | null }> {
  const doc = await store.getDocument(space, KEYS_DOCTYPE, DATA_KEYS_ID);
  if (!doc || doc.deleted || doc.data === null) return { record: null, doc };
  let parsed: unknown;
  try {
    parsed = JSON.parse(doc.data);
  } catch {
    parsed = undefined;
  }
  const checked = recordSchema.safeParse(parsed);
  if (!checked.success) {
    throw new FoyerError('integrity_failed', `The data key record of space "${space}" is damaged.`, { space });
  }
  return { record: checked.data, doc };
}

const ATTEMPTS = 8;

/**
 * Reads the record, applies `change` (which returns the new record, or null for "no change") and
 * writes it if nobody wrote in between; otherwise starts again from what they wrote.
 */
export async function updateDataKeys(
  store: DocumentStore,
  space: string,
  now: () => string,
  change: (record: DataKeysRecord | null) => DataKeysRecord | null,
): Promise<DataKeysRecord | null> {
  const records = internalRecords<DataKeysRecord>(store, KEYS_DOCTYPE);
  for (let attempt = 1; ; attempt++) {
    const { record, doc } = await readDataKeys(store, space);
    const next = change(record);
    if (next === null) return record;
    try {
      // A tombstone is not a record to replace: writing over it expects "no document" (null).
      await records.put(space, DATA_KEYS_ID, next, doc && !doc.deleted ? doc : null, now());
      return next;
    } catch (error) {
      if (!(isFoyerError(error) && error.code === 'conflict') || attempt === ATTEMPTS) throw error;
    }
  }
}
