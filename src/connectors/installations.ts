/**
 * The installation records (`foyer.connector`, one per connector of a space). Every change reads,
 * changes and writes back naming the revision read; a concurrent change makes it read again.
 */
import { nextRevision } from '../core/documents/document-id.js';
import { FoyerError, isFoyerError } from '../core/errors.js';
import { internalRecords, type InternalRecord } from '../core/internal-records.js';
import type { DocumentStore, DocumentWrite, StoredDocument } from '../storage/document-store.js';
import { INSTALLATION_DOCTYPE, type Installation } from './connector-records.js';

const ATTEMPTS = 5;

export type Installations = ReturnType<typeof createInstallations>;

export function createInstallations(store: DocumentStore) {
  const records = internalRecords<Installation>(store, INSTALLATION_DOCTYPE);

  return {
    get: (space: string, connector: string): Promise<InternalRecord<Installation> | null> =>
      records.get(space, connector),

    async all(space: string): Promise<Installation[]> {
      return (await records.all(space)).map((r) => r.data);
    },

    /** Creates or replaces (naming what was read: `previous`, null for none). */
    async put(space: string, installation: Installation, previous: StoredDocument | null): Promise<void> {
      await records.put(space, installation.connector, installation, previous, installation.installedAt);
    },

    /** Reads, applies `change` and writes, again on a concurrent change; `not_found` when not installed. */
    async update(
      space: string,
      connector: string,
      change: (installation: Installation) => Installation,
    ): Promise<Installation> {
      for (let attempt = 1; ; attempt++) {
        const found = await records.get(space, connector);
        if (!found) throw notInstalled(connector);
        const next = change(found.data);
        try {
          await records.put(space, connector, next, found.doc, found.data.installedAt);
          return next;
        } catch (e) {
          if (!isFoyerError(e) || e.code !== 'conflict' || attempt >= ATTEMPTS) throw e;
        }
      }
    },

    /** The write replacing `previous` with `next`, for a caller's own transaction. */
    write(next: Installation, previous: StoredDocument): DocumentWrite {
      return {
        doctype: INSTALLATION_DOCTYPE,
        id: next.connector,
        expectedRev: previous.rev,
        rev: nextRevision(previous.rev),
        deleted: false,
        data: JSON.stringify(next),
        meta: previous.meta,
      };
    },

    remove: (space: string, doc: StoredDocument) => records.remove(space, [doc]),
  };
}

export function notInstalled(connector: string): FoyerError {
  return new FoyerError('not_found', `The connector ${connector} is not installed in this space: install it first.`, {
    connector,
  });
}
