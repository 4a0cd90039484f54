/**
 * The files a run collects (`ctx.file`): Foyer, not the worker, fetches each one as bytes from a
 * declared host (counted and ledgered with the run's other calls), checks its type and size, and
 * puts a blob whose content is new to the space into the FileStore at once: blobs first, so the
 * run holds ids, not bytes. The `foyer.file` records are written with the run's other writes, in
 * its ONE transaction (`plan`, then run-staging's commit). `settle` then removes every blob this
 * run put that no committed record names (all of them when the run failed) and the contents the
 * run replaced. A process that dies mid-run leaves its blobs unnamed by any record: never served,
 * gone with the space (file-store keys are per space and file).
 *
 * A file's id comes from its natural key as documents' do (`importedDocumentId('foyer.file', key)`):
 * a rerun lands on the same file; the same bytes again are `unchanged` (nothing put); new bytes
 * are a new revision of the same file (`updated`); a file the person deleted or changed since is
 * `kept`, as documents are.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { nextRevision } from '../core/documents/document-id.js';
import type { DocumentMeta } from '../core/documents/document-meta.js';
import { isFoyerError } from '../core/errors.js';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import { checkFileName, checkFolder, normaliseMediaType } from '../core/files/file-names.js';
import { importedDocumentId } from '../importers/import-service.js';
import type { DocumentStore, DocumentWrite, StoredDocument } from '../storage/document-store.js';
import type { FileStore } from '../storage/file-store.js';
import { emptyCounts, type DoctypeCounts } from './connector-records.js';
import { retryAfterSeconds } from './holder-kit/kit-calls.js';
import type { HolderNet } from './holder-net.js';
import { CapabilityError, RunFailure } from './run-errors.js';
import type { z } from 'zod';
import type { fileArgs } from './sandbox/protocol.js';

export type FileArgs = z.infer<typeof fileArgs>;

const READ_BATCH = 1000;
const DEFAULT_TYPE = 'application/pdf';
/** What every PDF starts with (ISO 32000-1, 7.5.2): a holder answering anything else did not send one. */
const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');

/** The metadata a `foyer.file` document holds (file-service.ts), `content` naming its blob. */
interface FileRecord {
  name: string;
  folder: string;
  type: string;
  size: number;
  sha256: string;
  content: string;
}

interface StagedFile {
  meta: Omit<FileRecord, 'content'>;
  /** The blob this run put for it (its content is new to the space), and the revision it followed. */
  blob: { content: string; after: string | null } | null;
}

export interface FilePlan {
  counts: DoctypeCounts;
  writes: DocumentWrite[];
  created: string[];
  updated: string[];
  /** Blob keys the committed records name. */
  used: Set<string>;
  /** Blob keys of contents the run replaces: removed once it committed. */
  replaced: string[];
}

export interface RunFilesDeps {
  store: DocumentStore;
  fileStore: FileStore;
  net: HolderNet;
  space: string;
  /** The largest file Foyer keeps. */
  maxBytes: number;
  /** The default folder is the holder's name. */
  holder: string;
}

export type RunFiles = ReturnType<typeof createRunFiles>;

/** Collected by a machine (a connector or an import), so fresher collected data may replace it. */
export function collected(metaText: string): boolean {
  const kind = (JSON.parse(metaText) as Partial<DocumentMeta>).updatedBy?.kind;
  return kind === 'connector' || kind === 'import';
}

export function createRunFiles(deps: RunFilesDeps) {
  const { store, fileStore, space } = deps;
  const staged = new Map<string, StagedFile>();
  /** Every blob this run put: what `settle` removes unless a committed record names it. */
  const put = new Set<string>();
  let settled = false;
  const blobKey = (id: string, content: string) => `${space}/${id}/${content}`;
  const recordOf = (doc: StoredDocument) => JSON.parse(doc.data ?? '{}') as FileRecord;
  const defaultFolder = `/${deps.holder.replace(/[/\\]/g, '-')}`;

  /** The answer's bytes, or the taxonomy's error for the connector (it may catch it and go on). */
  async function download(a: FileArgs, type: string): Promise<Uint8Array> {
    const res = await deps.net.fetchBytes(a.url, {
      ...(a.headers ? { headers: a.headers } : {}),
      ...(a.timeoutMs !== undefined ? { timeoutMs: a.timeoutMs } : {}),
      maxBytes: deps.maxBytes,
    });
    const path = new URL(a.url).pathname.slice(0, 200);
    const said = `The file ${path}: the holder answered ${res.status}`;
    if (res.status === 401) throw new CapabilityError('login_failed', `${said} (the access was refused).`);
    if (res.status === 403) throw new CapabilityError('user_action_needed', `${said} (the consent does not cover it).`);
    if (res.status === 429) {
      throw new CapabilityError('quota', `${said}.`, retryAfterSeconds(res.headers['retry-after'], Date.now()));
    }
    if (res.status >= 500) throw new CapabilityError('holder_unavailable', `${said}.`);
    if (res.status < 200 || res.status > 299) throw new CapabilityError('holder_format_changed', `${said}.`);
    const answered = normaliseMediaType(res.headers['content-type']).split(';')[0]!.trim();
    if (answered !== type) {
      throw new CapabilityError('holder_format_changed', `The file ${path} is ${answered}, not ${type} as expected.`);
    }
    if (res.body.byteLength === 0) throw new CapabilityError('holder_format_changed', `The file ${path} is empty.`);
    if (type === DEFAULT_TYPE && !Buffer.from(res.body.buffer, res.body.byteOffset, 5).equals(PDF_MAGIC)) {
      throw new CapabilityError('holder_format_changed', `The file ${path} is said to be a PDF and is not one.`);
    }
    return res.body;
  }

  function named(a: FileArgs): { name: string; folder: string; type: string } {
    try {
      const type = normaliseMediaType(a.contentType ?? DEFAULT_TYPE)
        .split(';')[0]!
        .trim();
      if (type === 'application/octet-stream' && a.contentType !== type) {
        throw new CapabilityError('internal', `ctx.file: "${a.contentType?.slice(0, 100)}" is not a media type.`);
      }
      return { name: checkFileName(a.name), folder: checkFolder(a.folder ?? defaultFolder), type };
    } catch (e) {
      if (isFoyerError(e)) throw new CapabilityError('internal', `ctx.file: ${e.message}`);
      throw e;
    }
  }

  return {
    /** Fetches, checks and stages one file; answers its id. */
    async add(a: FileArgs): Promise<string> {
      const { name, folder, type } = named(a);
      const bytes = await download(a, type);
      const id = importedDocumentId(FILE_DOCTYPE, a.key);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const meta = { name, folder, type, size: bytes.byteLength, sha256 };
      const before = staged.get(id);
      if (before?.meta.sha256 === sha256) {
        staged.set(id, { ...before, meta });
        return id;
      }
      const current = await store.getDocument(space, FILE_DOCTYPE, id);
      const known = current !== null && !current.deleted && recordOf(current).sha256 === sha256;
      // Only bytes new to the space are put, and only where the run may write them.
      const writable = current === null || (!current.deleted && collected(current.meta));
      let blob: StagedFile['blob'] = null;
      if (!known && writable) {
        const after = current?.rev ?? null;
        const content = nextRevision(after);
        const key = blobKey(id, content);
        put.add(key);
        await fileStore.put(key, Readable.from([bytes]), { maxBytes: deps.maxBytes });
        if (settled) {
          // The run ended while this call was on its way (a limit, a cancellation): nothing may stay.
          await fileStore.delete(key);
          throw new RunFailure('cancelled', 'The run ended while a file was being stored.');
        }
        blob = { content, after };
      }
      staged.set(id, { meta, blob });
      return id;
    },

    has: (id: string) => staged.has(id),

    /** Compares with the space: the `foyer.file` writes of the run's transaction. */
    async plan(meta: (previous: string | null) => string): Promise<FilePlan> {
      const plan: FilePlan = {
        counts: emptyCounts(),
        writes: [],
        created: [],
        updated: [],
        used: new Set(),
        replaced: [],
      };
      const c = plan.counts;
      const ids = [...staged.keys()];
      for (let i = 0; i < ids.length; i += READ_BATCH) {
        const chunk = ids.slice(i, i + READ_BATCH);
        const current = await store.getDocuments(space, FILE_DOCTYPE, chunk);
        chunk.forEach((id, k) => {
          const s = staged.get(id)!;
          const existing = current[k] ?? null;
          const write = (data: FileRecord, rev: string): DocumentWrite => ({
            doctype: FILE_DOCTYPE,
            id,
            expectedRev: existing?.rev ?? null,
            rev,
            deleted: false,
            data: JSON.stringify(data),
            meta: meta(existing?.meta ?? null),
          });
          // Its revision is the blob's content name when nothing came between (as file-service does).
          const revFor = (blob: NonNullable<StagedFile['blob']>) =>
            blob.after === (existing?.rev ?? null) ? blob.content : nextRevision(existing?.rev ?? null);
          if (existing === null) {
            if (!s.blob) throw new RunFailure('internal', 'A file of the run was removed from the space meanwhile.');
            c.created++;
            plan.created.push(id);
            plan.used.add(blobKey(id, s.blob.content));
            plan.writes.push(write({ ...s.meta, content: s.blob.content }, revFor(s.blob)));
            return;
          }
          if (existing.deleted) {
            c.kept++; // the person deleted it: a rerun must not bring it back
            return;
          }
          const old = recordOf(existing);
          const sameContent = old.sha256 === s.meta.sha256;
          const sameMeta =
            sameContent && old.name === s.meta.name && old.folder === s.meta.folder && old.type === s.meta.type;
          if (sameMeta) {
            c.unchanged++;
          } else if (!collected(existing.meta) || (!sameContent && !s.blob)) {
            c.kept++; // the person (or an app) changed it since
          } else if (sameContent) {
            c.updated++;
            plan.updated.push(id);
            plan.writes.push(write({ ...s.meta, content: old.content }, nextRevision(existing.rev)));
          } else {
            const blob = s.blob!;
            c.updated++;
            plan.updated.push(id);
            plan.used.add(blobKey(id, blob.content));
            plan.replaced.push(blobKey(id, old.content));
            plan.writes.push(write({ ...s.meta, content: blob.content }, revFor(blob)));
          }
        });
      }
      return plan;
    },

    /**
     * After the run: every blob it put that no committed record names is removed (all of them
     * when it failed), and once committed the contents it replaced.
     */
    async settle(committed: FilePlan | null): Promise<void> {
      settled = true;
      const drop = [...put].filter((key) => !committed?.used.has(key));
      if (committed) drop.push(...committed.replaced);
      put.clear();
      for (const key of drop) await fileStore.delete(key);
    },
  };
}
