import type { StoredDocument } from '../../storage/document-store.js';

/**
 * The JSON a client reads: the data's own fields plus `_id`, `_rev` and `_meta`. Built by string
 * splicing from the stored JSON text, so a read never parses and re-serialises the document.
 */
export function renderDocument(doc: StoredDocument, withMeta = true): string {
  const head = `{"_id":${JSON.stringify(doc.id)},"_rev":"${doc.rev}"${withMeta ? `,"_meta":${doc.meta}` : ''}`;
  if (doc.deleted || doc.data === null) return `${head},"_deleted":true}`;
  return doc.data.length <= 2 ? `${head}}` : `${head},${doc.data.slice(1)}`;
}
