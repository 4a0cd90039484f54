/**
 * Deleting records, and the files attached to them (a bill's PDF): what the person is told will
 * go, and what goes. The records go in one all-or-nothing bulk request; their files after them.
 */
import type { Api } from '../../api/client.js';
import type { StoredDoc } from '../../api/types.js';

/** The ids of the files the records point to through the doctype's file fields. */
export function attachedFiles(docs: readonly StoredDoc[], fileFields: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const doc of docs) {
    for (const field of fileFields) {
      const value = doc[field];
      for (const id of Array.isArray(value) ? value : [value]) if (typeof id === 'string' && id) ids.add(id);
    }
  }
  return [...ids];
}

export async function deleteRecords(
  api: Api,
  doctype: string,
  docs: readonly StoredDoc[],
  fileFields: readonly string[],
): Promise<void> {
  const files = attachedFiles(docs, fileFields);
  for (let i = 0; i < docs.length; i += 1000) {
    const part = docs.slice(i, i + 1000).map((d) => ({ _id: d._id, _rev: d._rev, _deleted: true }));
    await api.post(`/api/data/${encodeURIComponent(doctype)}/_bulk`, { docs: part });
  }
  for (const id of files) {
    const file = await api.get<{ rev: string }>(`/api/files/${encodeURIComponent(id)}`).catch(() => null);
    if (file) await api.del(`/api/files/${encodeURIComponent(id)}?rev=${encodeURIComponent(file.rev)}`);
  }
}
