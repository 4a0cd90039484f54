/**
 * Files: blobs in the FileStore, metadata as `foyer.file` documents in the DocumentStore (so files
 * get revisions, the changes feed and, later, grants like any data). Blob keys are
 * `<space>/<file id>/<revision>`: a new content is a new key, written before the metadata points
 * to it, and the old blob is removed after, so a reader never sees a half-written file.
 */
import type { Readable } from 'node:stream';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';
import type { ByteRange, FileStore } from '../../storage/file-store.js';
import { clipByteRange } from '../../storage/byte-range.js';
import { FoyerError } from '../errors.js';
import type { Gate, Permit } from '../gate.js';
import type { RequestContext } from '../principal.js';
import { newDocumentId, nextRevision, checkDocumentId } from '../documents/document-id.js';
import { stampMeta, type DocumentMeta } from '../documents/document-meta.js';
import { checkFileName, checkFolder, normaliseMediaType } from './file-names.js';
import { FILE_DOCTYPE } from './file-doctype.js';

export { FILE_DOCTYPE };

export const FILE_LIST_MAX = 1000;

export interface FileMetadata {
  name: string;
  folder: string;
  type: string;
  size: number;
  sha256: string;
}

/** What is stored: the metadata plus which content version the blob key names. */
interface FileRecord extends FileMetadata {
  /** The revision at which the current content was written: the blob key's last segment. */
  content: string;
}

export interface FileView extends FileMetadata {
  id: string;
  rev: string;
  createdAt: string;
  updatedAt: string;
}

export interface FileServiceDeps {
  store: DocumentStore;
  fileStore: FileStore;
  gate: Gate;
  clock: Clock;
  maxFileBytes: number;
}

export type FileService = ReturnType<typeof createFileService>;

export function createFileService(deps: FileServiceDeps) {
  const { store, fileStore, gate, clock } = deps;
  const blobKey = (space: string, id: string, rev: string) => `${space}/${id}/${rev}`;

  function view(doc: StoredDocument): FileView {
    const { content: _content, ...data } = record(doc);
    const meta = JSON.parse(doc.meta) as DocumentMeta;
    return { id: doc.id, rev: doc.rev, ...data, createdAt: meta.createdAt, updatedAt: meta.updatedAt };
  }

  const record = (doc: StoredDocument) => JSON.parse(doc.data ?? '{}') as FileRecord;
  const keyOf = (space: string, doc: StoredDocument) => blobKey(space, doc.id, record(doc).content);

  async function current(space: string, id: string): Promise<StoredDocument> {
    checkDocumentId(id);
    const doc = await store.getDocument(space, FILE_DOCTYPE, id);
    if (!doc || doc.deleted) throw new FoyerError('not_found', `No file "${id}".`, { id });
    return doc;
  }

  function checkRev(doc: StoredDocument, rev: string | undefined): void {
    if (rev === undefined) {
      throw new FoyerError('conflict', `Changing file "${doc.id}" needs its current revision (?rev= or If-Match).`, {
        currentRev: doc.rev,
      });
    }
    if (rev !== doc.rev) {
      throw new FoyerError('conflict', `Revision ${rev} of file "${doc.id}" is not the current one.`, {
        currentRev: doc.rev,
      });
    }
  }

  /** Writes the metadata; if that fails, the new blob is removed so nothing dangles. */
  async function commit(
    permit: Permit,
    id: string,
    previous: StoredDocument | null,
    rev: string,
    data: FileRecord | null,
    newBlob: string | null,
  ): Promise<StoredDocument> {
    const write = {
      doctype: FILE_DOCTYPE,
      id,
      expectedRev: previous?.rev ?? null,
      rev,
      deleted: data === null,
      data: data === null ? null : JSON.stringify(data),
      meta: stampMeta(permit.principal, previous?.meta ?? null, clock.now(), data === null),
    };
    try {
      const [written] = await store.writeDocuments(permit.space, [write]);
      return { ...write, seq: written!.seq };
    } catch (e) {
      if (newBlob) await fileStore.delete(newBlob).catch(() => undefined);
      throw e;
    }
  }

  return {
    async upload(
      ctx: RequestContext,
      /** `id`: a chosen id (an import's, derived from the source), which must be free; else a new one. */
      input: { name: string; folder?: string; type?: string; id?: string },
      content: Readable | AsyncIterable<Uint8Array>,
    ): Promise<FileView> {
      const permit = await gate(ctx, { verb: 'create', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          const name = checkFileName(input.name);
          const folder = checkFolder(input.folder ?? '/');
          const id = input.id === undefined ? newDocumentId() : checkDocumentId(input.id);
          const rev = nextRevision(null);
          const key = blobKey(permit.space, id, rev);
          const blob = await fileStore.put(key, content, { maxBytes: deps.maxFileBytes });
          const data: FileRecord = {
            name,
            folder,
            type: normaliseMediaType(input.type),
            size: blob.size,
            sha256: blob.sha256,
            content: rev,
          };
          return view(await commit(permit, id, null, rev, data, key));
        },
        (f) => ({ count: 1, ids: [f.id] }),
      );
    },

    async replaceContent(
      ctx: RequestContext,
      id: string,
      rev: string | undefined,
      type: string | undefined,
      content: Readable | AsyncIterable<Uint8Array>,
    ): Promise<FileView> {
      const permit = await gate(ctx, { verb: 'update', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          const previous = await current(permit.space, id);
          checkRev(previous, rev);
          const nextRev = nextRevision(previous.rev);
          const key = blobKey(permit.space, id, nextRev);
          const blob = await fileStore.put(key, content, { maxBytes: deps.maxFileBytes });
          const before = record(previous);
          const data: FileRecord = {
            ...before,
            type: type === undefined ? before.type : normaliseMediaType(type),
            size: blob.size,
            sha256: blob.sha256,
            content: nextRev,
          };
          const doc = await commit(permit, id, previous, nextRev, data, key);
          await fileStore.delete(keyOf(permit.space, previous));
          return view(doc);
        },
        (r) => ({ count: 1, ids: [r.id] }),
      );
    },

    async update(
      ctx: RequestContext,
      id: string,
      rev: string | undefined,
      change: { name?: string; folder?: string },
    ): Promise<FileView> {
      const permit = await gate(ctx, { verb: 'update', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          const previous = await current(permit.space, id);
          checkRev(previous, rev);
          const data: FileRecord = {
            ...record(previous),
            ...(change.name !== undefined ? { name: checkFileName(change.name) } : {}),
            ...(change.folder !== undefined ? { folder: checkFolder(change.folder) } : {}),
          };
          return view(await commit(permit, id, previous, nextRevision(previous.rev), data, null));
        },
        (r) => ({ count: 1, ids: [r.id] }),
      );
    },

    async remove(ctx: RequestContext, id: string, rev: string | undefined): Promise<{ id: string; rev: string }> {
      const permit = await gate(ctx, { verb: 'delete', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          const previous = await current(permit.space, id);
          checkRev(previous, rev);
          const doc = await commit(permit, id, previous, nextRevision(previous.rev), null, null);
          await fileStore.delete(keyOf(permit.space, previous));
          return { id, rev: doc.rev };
        },
        (r) => ({ count: 1, ids: [r.id] }),
      );
    },

    async metadata(ctx: RequestContext, id: string): Promise<FileView> {
      const permit = await gate(ctx, { verb: 'read', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          return view(await current(permit.space, id));
        },
        (r) => ({ count: 1, ids: [r.id] }),
      );
    },

    /** The content, whole or a byte range (clipped to the size; 416 past the end). */
    async download(
      ctx: RequestContext,
      id: string,
      pickRange?: (size: number) => ByteRange | undefined,
    ): Promise<{ file: FileView; body: Readable; range?: ByteRange }> {
      const permit = await gate(ctx, { verb: 'read', doctype: FILE_DOCTYPE });
      const { doc, file, clipped } = await permit.track(
        async () => {
          const doc = await current(permit.space, id);
          const file = view(doc);
          const range = pickRange?.(file.size);
          return { doc, file, clipped: range ? clipByteRange(range, file.size) : undefined };
        },
        (r) => ({ count: 1, ids: [r.file.id] }),
      );
      // Opened once the access is in the ledger: a blob stream is not left waiting on the ledger's commit.
      const body = await fileStore.get(keyOf(permit.space, doc), clipped);
      return { file, body, ...(clipped ? { range: clipped } : {}) };
    },

    /** Files directly in a folder, by name, and the names of its subfolders. */
    async list(ctx: RequestContext, folderInput: string): Promise<{ files: FileView[]; folders: string[] }> {
      const permit = await gate(ctx, { verb: 'read', doctype: FILE_DOCTYPE });
      return permit.track(
        async () => {
          const folder = checkFolder(folderInput);
          const files = await store.findDocuments(permit.space, FILE_DOCTYPE, {
            selector: { op: 'eq', field: 'folder', value: folder },
            sort: [{ field: 'name', direction: 'asc' }],
            limit: FILE_LIST_MAX,
          });
          const prefix = folder === '/' ? '/' : `${folder}/`;
          // Everything below: `prefix` <= folder < `prefix` + U+FFFF (code point order).
          const below = await store.findDocuments(permit.space, FILE_DOCTYPE, {
            selector: {
              op: 'and',
              of: [
                { op: 'gte', field: 'folder', value: prefix },
                { op: 'lt', field: 'folder', value: `${prefix}\uffff` },
              ],
            },
            sort: [{ field: 'folder', direction: 'asc' }],
            limit: 100_000,
          });
          const folders = new Set<string>();
          for (const d of below) {
            const f = record(d).folder;
            const child = f.slice(prefix.length).split('/')[0];
            if (child) folders.add(child);
          }
          return { files: files.map(view), folders: [...folders].sort() };
        },
        (r) => ({ count: r.files.length, ids: r.files.map((f) => f.id) }),
      );
    },
  };
}
