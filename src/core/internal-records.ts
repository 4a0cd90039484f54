/**
 * Foyer's own records (OAuth clients, codes and keys, deletion requests, settings, data keys, credentials):
 * JSON kept as internal `foyer.*` documents of the space, which the data API never serves. Writes name
 * the revision read, so of two concurrent writers one fails with `conflict`.
 */
import type { DocumentStore, Selector, StoredDocument } from '../storage/document-store.js';
import { nextRevision } from './documents/document-id.js';

export interface InternalRecord<T> {
  id: string;
  data: T;
  doc: StoredDocument;
}

export type InternalRecords<T> = ReturnType<typeof internalRecords<T>>;

const PAGE = 500;

export function internalRecords<T>(store: DocumentStore, doctype: string) {
  const toRecord = (doc: StoredDocument): InternalRecord<T> => ({
    id: doc.id,
    data: JSON.parse(doc.data!) as T,
    doc,
  });

  return {
    async get(space: string, id: string): Promise<InternalRecord<T> | null> {
      const doc = await store.getDocument(space, doctype, id);
      return doc && !doc.deleted && doc.data !== null ? toRecord(doc) : null;
    },

    /**
     * Creates (`previous` null: the id must be free) or replaces the record read as `previous`;
     * answers the revision written (`rev`, when the caller made it beforehand to bind it into the data).
     */
    async put(
      space: string,
      id: string,
      data: T,
      previous: StoredDocument | null,
      createdAt: string,
      rev = nextRevision(previous?.rev ?? null),
    ): Promise<string> {
      await store.writeDocuments(space, [
        {
          doctype,
          id,
          expectedRev: previous?.rev ?? null,
          rev,
          deleted: false,
          data: JSON.stringify(data),
          meta: previous?.meta ?? JSON.stringify({ createdAt }),
        },
      ]);
      return rev;
    },

    /** At most `limit` records matching the selector. */
    async find(space: string, selector: Selector | null, limit = PAGE): Promise<InternalRecord<T>[]> {
      return (await store.findDocuments(space, doctype, { selector, sort: [], limit })).map(toRecord);
    },

    /** Every record, page by page. */
    async all(space: string): Promise<InternalRecord<T>[]> {
      const out: InternalRecord<T>[] = [];
      let after: { values: []; id: string } | undefined;
      for (;;) {
        const page = await store.findDocuments(space, doctype, {
          selector: null,
          sort: [],
          limit: PAGE,
          ...(after ? { after } : {}),
        });
        out.push(...page.map(toRecord));
        if (page.length < PAGE) return out;
        after = { values: [], id: page[page.length - 1]!.id };
      }
    },

    /** Deletes the records read as `docs`, in one atomic write. */
    async remove(space: string, docs: readonly StoredDocument[]): Promise<void> {
      if (docs.length === 0) return;
      await store.writeDocuments(
        space,
        docs.map((d) => ({
          doctype,
          id: d.id,
          expectedRev: d.rev,
          rev: nextRevision(d.rev),
          deleted: true,
          data: null,
          meta: d.meta,
        })),
      );
    },
  };
}
