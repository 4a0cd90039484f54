/**
 * Documents: validation against the catalog, server-stamped metadata, revisions, queries and the
 * changes feed. Every function asks the gate first and touches only the space the gate returns.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { ValidationIssue } from '../catalog/validation-issue.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, DocumentWrite, SortKey, StoredDocument } from '../../storage/document-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import { hiddenByScope, type Gate, type Permit, type Verb } from '../gate.js';
import {
  checkQueryFields,
  checkSelectorFields,
  checkWritable,
  mergeUpdate,
  projectFields,
  visible,
  withinFilter,
} from '../grants/scope-guard.js';
import type { RequestContext } from '../principal.js';
import { decodeBookmark, encodeBookmark, valueAt } from './bookmark.js';
import { splitDocumentBody, type DocumentBody } from './document-body.js';
import { checkDocumentId, newDocumentId, nextRevision } from './document-id.js';
import { stampMeta } from './document-meta.js';
import { renderDocument } from './render-document.js';
import { toJsonText } from './json-text.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import { parseSelector, parseSort } from './selector.js';

export const FIND_DEFAULT_LIMIT = 100;
export const FIND_MAX_LIMIT = 10_000;
export const BULK_MAX_DOCS = 100_000;
export const CHANGES_MAX_LIMIT = 10_000;
const DOCS_HEAD = Buffer.from('{"docs":');

export interface WriteResult {
  id: string;
  rev: string;
  created: boolean;
}

export interface FindRequest {
  selector?: unknown;
  sort?: unknown;
  limit?: number;
  bookmark?: string;
  fields?: string[];
  /** Include each document's `_meta` (off by default: it doubles the size of a listing). */
  meta?: boolean;
}

/** A planned write, and the data object it stores (validated before it is written). */
interface Planned {
  write: DocumentWrite;
  data: Record<string, unknown> | null;
}

export interface DocumentServiceDeps {
  store: DocumentStore;
  catalog: Catalog;
  gate: Gate;
  clock: Clock;
  /** Internal doctypes governed by the gate but not in the catalog (file metadata). */
  internalDoctypes?: ReadonlySet<string>;
}

export type DocumentService = ReturnType<typeof createDocumentService>;

export function createDocumentService(deps: DocumentServiceDeps) {
  const { store, catalog, gate, clock } = deps;
  /** (space, doctype) pairs whose catalog indexes were ensured by this process. */
  const indexed = new Set<string>();

  function doctypeOf(name: string) {
    const doctype = catalog.get(name);
    if (!doctype || doctype.kind !== 'document') {
      throw new FoyerError(
        'unknown_doctype',
        doctype ? `"${name}" is a time series: use /api/series/${name}.` : `There is no doctype named "${name}".`,
        { doctype: name },
      );
    }
    return doctype;
  }

  async function ensureCatalogIndexes(space: string, name: string): Promise<void> {
    const key = `${space}\u0000${name}`;
    if (indexed.has(key)) return;
    for (const fields of catalog.get(name)?.indexes ?? []) await store.ensureIndex(space, name, [...fields]);
    indexed.add(key);
  }

  async function validate(name: string, data: Record<string, unknown>, where = 'body'): Promise<void> {
    const issues = (await catalog.validator(name))(data);
    if (issues.length > 0) throw invalid(name, where, issues);
  }

  function invalid(name: string, where: string, issues: ValidationIssue[], index?: number): FoyerError {
    const version = catalog.get(name)?.version;
    return new FoyerError(
      'validation_failed',
      `${where} does not match doctype ${name} v${version}: ${issues.map((i) => i.message).join('; ')}`,
      { doctype: name, version, ...(index === undefined ? {} : { index }), issues },
    );
  }

  async function checkFileReferences(space: string, name: string, data: Record<string, unknown>): Promise<void> {
    for (const field of catalog.get(name)?.fileFields ?? []) {
      const value = data[field];
      const fileIds =
        typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
      for (const fileId of fileIds) {
        const file = await store.getDocument(space, FILE_DOCTYPE, fileId);
        if (!file || file.deleted) {
          throw new FoyerError('validation_failed', `${field}: there is no file with id "${fileId}" in this space.`, {
            issues: [{ path: `/${field}`, rule: 'file', message: `${field}: no such file "${fileId}"` }],
          });
        }
      }
    }
  }

  /** Builds the store write for one document, checking the revision the client holds. */
  function planWrite(
    permit: Permit,
    name: string,
    id: string,
    body: DocumentBody,
    rev: string | undefined,
    current: StoredDocument | null,
    index?: number,
  ): Planned {
    let live = current !== null && !current.deleted;
    const at = index === undefined ? '' : ` (document ${index})`;
    // Only a grant's scope needs the current data (visibility, merging hidden fields).
    const currentData = live && permit.scope ? (JSON.parse(current!.data ?? '{}') as Record<string, unknown>) : null;
    if (permit.scope && currentData && !visible(permit.scope, currentData)) {
      // Outside the grant: exactly as if it did not exist (creating over it is still refused below).
      if (body.deleted || rev !== undefined) {
        throw hiddenByScope(new FoyerError('not_found', `No document "${id}" in ${name}${at}.`, { id, index }));
      }
      live = true;
    }
    if (!body.deleted && permit.scope) {
      const data = currentData && rev !== undefined ? mergeUpdate(permit.scope, currentData, body.data) : body.data;
      const where = index === undefined ? 'body' : `docs[${index}]`;
      checkWritable(permit.scope, body.data, where);
      // A merged update must stay inside the filter whole; a creation's data is the body, checked above.
      if (data !== body.data) checkWritable({ ...permit.scope, fields: null }, data, where);
      body = { ...body, data };
    }
    if (body.deleted) {
      if (!live) throw new FoyerError('not_found', `No document "${id}" in ${name}${at}.`, { id, index });
      if (rev === undefined) throw missingRevision(id, index);
    }
    if (live && rev === undefined) {
      throw new FoyerError(
        'conflict',
        `Document "${id}" already exists${at}: send its current revision (_rev or If-Match) to replace it.`,
        { id, index, ...(permit.scope ? {} : { currentRev: current!.rev }) },
      );
    }
    if (rev !== undefined && (!live || current!.rev !== rev)) {
      throw new FoyerError('conflict', `Revision ${rev} of "${id}" is not the current one${at}.`, {
        id,
        index,
        currentRev: live ? current!.rev : null,
      });
    }
    const write: DocumentWrite = {
      doctype: name,
      id,
      expectedRev: live ? current!.rev : null,
      rev: nextRevision(current?.rev ?? null),
      deleted: body.deleted,
      data: body.deleted ? null : toJsonText(body.data, index === undefined ? 'body' : `docs[${index}]`),
      meta: stampMeta(permit.principal, current && !current.deleted ? current.meta : null, clock.now(), body.deleted),
    };
    return { write, data: body.deleted ? null : body.data };
  }

  const missingRevision = (id: string, index?: number) =>
    new FoyerError('conflict', `Deleting "${id}" needs its current revision (_rev, ?rev= or If-Match).`, { id, index });

  /** Validates what will be stored: after the scope's merge, so a field-limited update validates whole. */
  async function planChecked(
    permit: Permit,
    name: string,
    id: string,
    body: DocumentBody,
    rev: string | undefined,
    current: StoredDocument | null,
  ): Promise<DocumentWrite> {
    const { write, data } = planWrite(permit, name, id, body, rev, current);
    if (data !== null) {
      await validate(name, data);
      await checkFileReferences(permit.space, name, data);
    }
    return write;
  }

  /**
   * Writes one document. Without a revision it is first written as new without a read (one store
   * call instead of two): only when a row is there already (live, hidden by the scope, or a
   * tombstone whose revision the new one follows) is it read and the write planned again.
   * Returns the write as stored (its `rev`, and `expectedRev` null for a creation).
   */
  async function createOrPut(
    permit: Permit,
    name: string,
    id: string,
    body: DocumentBody,
    rev: string | undefined,
  ): Promise<DocumentWrite> {
    if (rev === undefined) {
      const write: DocumentWrite = { ...(await planChecked(permit, name, id, body, rev, null)), fresh: true };
      try {
        await store.writeDocuments(permit.space, [write]);
        return write;
      } catch (e) {
        if (!isFoyerError(e) || e.code !== 'conflict') throw e;
      }
    }
    const current = await store.getDocument(permit.space, name, id);
    const write = await planChecked(permit, name, id, body, rev, current);
    await store.writeDocuments(permit.space, [write]);
    return write;
  }

  /**
   * A page of `_find`: JSON text, or the store's UTF-8 bytes when it rendered the page itself (no
   * sort or field list), which reach the response without becoming JavaScript strings.
   */
  async function findPage(
    ctx: RequestContext,
    name: string,
    request: FindRequest,
  ): Promise<{ json: string | Uint8Array; count: number }> {
    doctypeOf(name);
    const permit = await gate(ctx, { verb: 'read', doctype: name });
    const { scope } = permit;
    let ids: string[] = [];
    return permit.track(
      async () => {
        const asked = parseSelector(request.selector ?? {});
        const sort: SortKey[] = request.sort === undefined ? [] : parseSort(request.sort);
        checkSelectorFields(scope, asked);
        checkQueryFields(
          scope,
          sort.map((k) => k.field),
          'The sort',
        );
        if (request.fields) checkQueryFields(scope, request.fields, 'The field list');
        const selector = withinFilter(scope, asked);
        const limit = Math.min(request.limit ?? FIND_DEFAULT_LIMIT, FIND_MAX_LIMIT);
        const after = request.bookmark ? decodeBookmark(request.bookmark, sort) : undefined;
        await ensureCatalogIndexes(permit.space, name);
        // One extra row tells whether another page exists without a second query.
        const meta = request.meta === true;
        const query = { selector, sort, limit: limit + 1, after, meta };
        const fields = request.fields ?? scope?.fields ?? undefined;
        const rendered =
          fields || !store.findRendered ? null : await store.findRendered(permit.space, name, { ...query, limit });
        if (rendered) {
          ids = rendered.ids;
          const last = ids[ids.length - 1];
          const bookmark =
            rendered.more && last ? `,"bookmark":"${encodeBookmark({ values: [], id: last }, sort)}"` : '';
          return { json: Buffer.concat([DOCS_HEAD, rendered.json, Buffer.from(`${bookmark}}`)]), count: ids.length };
        }
        const rows = await store.findDocuments(permit.space, name, query);
        const more = rows.length > limit;
        const page = more ? rows.slice(0, limit) : rows;
        let bookmark: string | undefined;
        if (more) {
          const last = page[page.length - 1]!;
          const data = JSON.parse(last.data ?? '{}') as Record<string, unknown>;
          bookmark = encodeBookmark({ values: sort.map((k) => valueAt(data, k.field)), id: last.id }, sort);
        }
        ids = page.map((d) => d.id);
        const docs = page.map((d) => renderDocument(fields ? project(d, fields) : d, meta));
        return {
          json: `{"docs":[${docs.join(',')}]${bookmark ? `,"bookmark":"${bookmark}"` : ''}}`,
          count: page.length,
        };
      },
      (r) => ({ count: r.count, ids }),
    );
  }

  const one = (r: WriteResult) => ({ count: 1, ids: [r.id] });

  return {
    async get(ctx: RequestContext, name: string, id: string): Promise<{ json: string; rev: string }> {
      doctypeOf(name);
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      return permit.track(
        async () => {
          checkDocumentId(id);
          const doc = await store.getDocument(permit.space, name, id);
          if (!doc || doc.deleted) throw new FoyerError('not_found', `No document "${id}" in ${name}.`, { id });
          return { json: renderDocument(scoped(permit, doc)), rev: doc.rev };
        },
        () => ({ count: 1, ids: [id] }),
      );
    },

    async create(ctx: RequestContext, name: string, input: unknown): Promise<WriteResult> {
      doctypeOf(name);
      const permit = await gate(ctx, { verb: 'create', doctype: name });
      return permit.track(async () => {
        const body = splitDocumentBody(input);
        if (body.rev !== undefined || body.deleted) {
          throw new FoyerError(
            'bad_request',
            'POST creates a new document: use PUT to replace or DELETE to delete one.',
          );
        }
        const id = body.id === undefined ? newDocumentId() : checkDocumentId(body.id);
        await ensureCatalogIndexes(permit.space, name);
        const written = await createOrPut(permit, name, id, body, undefined);
        return { id, rev: written.rev, created: true };
      }, one);
    },

    async put(ctx: RequestContext, name: string, id: string, input: unknown, ifMatch?: string): Promise<WriteResult> {
      doctypeOf(name);
      checkDocumentId(id);
      const body = splitDocumentBody(input);
      if (body.id !== undefined && body.id !== id) {
        throw new FoyerError('bad_request', `The body's _id "${body.id}" differs from the id in the path "${id}".`);
      }
      if (body.deleted) throw new FoyerError('bad_request', 'Use DELETE to delete a document.');
      const rev = body.rev ?? ifMatch;
      if (body.rev !== undefined && ifMatch !== undefined && body.rev !== ifMatch) {
        throw new FoyerError('bad_request', "The body's _rev and the If-Match header differ.");
      }
      const permit = await gate(ctx, { verb: rev === undefined ? 'create' : 'update', doctype: name });
      return permit.track(async () => {
        await ensureCatalogIndexes(permit.space, name);
        const written = await createOrPut(permit, name, id, body, rev);
        return { id, rev: written.rev, created: written.expectedRev === null };
      }, one);
    },

    async remove(ctx: RequestContext, name: string, id: string, rev: string | undefined): Promise<WriteResult> {
      doctypeOf(name);
      checkDocumentId(id);
      const permit = await gate(ctx, { verb: 'delete', doctype: name });
      return permit.track(async () => {
        const current = await store.getDocument(permit.space, name, id);
        const { write } = planWrite(permit, name, id, { data: {}, deleted: true }, rev, current);
        const [written] = await store.writeDocuments(permit.space, [write]);
        return { id, rev: written!.rev, created: false };
      }, one);
    },

    /** All or nothing: every document is checked before anything is written. */
    async bulk(ctx: RequestContext, name: string, inputs: unknown[]): Promise<WriteResult[]> {
      doctypeOf(name);
      if (inputs.length > BULK_MAX_DOCS) {
        throw new FoyerError('payload_too_large', `A batch holds at most ${BULK_MAX_DOCS} documents.`);
      }
      const bodies = inputs.map((input, i) => splitDocumentBody(input, `docs[${i}]`));
      const verbs = new Set<Verb>(
        bodies.map((b) => (b.deleted ? 'delete' : b.rev !== undefined ? 'update' : 'create')),
      );
      if (verbs.size === 0) return [];
      // One permit per verb the batch uses; the first one carries the batch's ledger entry.
      const permits: Permit[] = [];
      for (const verb of verbs) permits.push(await gate(ctx, { verb, doctype: name }));
      const permitFor = (b: DocumentBody) =>
        permits.find((p) => p.verb === (b.deleted ? 'delete' : b.rev !== undefined ? 'update' : 'create'))!;
      const permit = permits[0]!;
      return permit.track(
        async () => {
          const ids = bodies.map((b, i) => {
            if (b.id === undefined) return newDocumentId();
            try {
              return checkDocumentId(b.id);
            } catch (e) {
              throw new FoyerError('invalid_name', `docs[${i}]: ${(e as Error).message}`, { index: i, id: b.id });
            }
          });
          const seen = new Set<string>();
          ids.forEach((id, i) => {
            if (seen.has(id))
              throw new FoyerError('bad_request', `docs[${i}]: id "${id}" appears twice in the batch.`, { index: i });
            seen.add(id);
          });
          await ensureCatalogIndexes(permit.space, name);
          // Only client-chosen ids can already exist; server ids are fresh.
          const chosen = bodies.flatMap((b, i) => (b.id === undefined ? [] : [i]));
          const found = await store.getDocuments(
            permit.space,
            name,
            chosen.map((i) => ids[i]!),
          );
          const currents = new Map(chosen.map((i, k) => [i, found[k] ?? null]));
          const check = await catalog.validator(name);
          const writes: DocumentWrite[] = new Array(bodies.length);
          for (const [i, b] of bodies.entries()) {
            const { write, data } = planWrite(permitFor(b), name, ids[i]!, b, b.rev, currents.get(i) ?? null, i);
            writes[i] = write;
            if (data === null) continue;
            const issues = check(data);
            if (issues.length > 0) throw invalid(name, `docs[${i}]`, issues, i);
            await checkFileReferences(permit.space, name, data);
          }
          const written = await store.writeDocuments(permit.space, writes);
          return written.map((w, i) => ({ id: w.id, rev: w.rev, created: writes[i]!.expectedRev === null }));
        },
        (results) => ({ count: results.length, ids: results.map((r) => r.id) }),
      );
    },

    /** A page of `_find` as JSON text (see findPage). */
    async find(ctx: RequestContext, name: string, request: FindRequest): Promise<{ json: string; count: number }> {
      const page = await findPage(ctx, name, request);
      return {
        json: typeof page.json === 'string' ? page.json : Buffer.from(page.json).toString('utf8'),
        count: page.count,
      };
    },

    findPage,

    async changes(
      ctx: RequestContext,
      name: string,
      since: number,
      limit: number,
      includeDocs: boolean,
    ): Promise<string> {
      doctypeOf(name);
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      const { scope } = permit;
      const ids: string[] = [];
      return permit.track(
        async () => {
          const capped = Math.min(limit, CHANGES_MAX_LIMIT);
          const rows = await store.changes(permit.space, name, since, capped + 1);
          const more = rows.length > capped;
          const page = more ? rows.slice(0, capped) : rows;
          // A filtered grant sees only live documents inside its filter: it needs their data to tell.
          const filtered = scope !== null && scope.filter !== null;
          const docs =
            includeDocs || filtered
              ? await store.getDocuments(
                  permit.space,
                  name,
                  page.map((r) => r.id),
                )
              : [];
          const results: string[] = [];
          page.forEach((r, i) => {
            const doc = docs[i];
            if (filtered && (!doc || doc.deleted || !visible(scope, JSON.parse(doc.data ?? '{}')))) return;
            ids.push(r.id);
            const head = `{"id":${JSON.stringify(r.id)},"rev":"${r.rev}","seq":${r.seq}${r.deleted ? ',"deleted":true' : ''}`;
            results.push(includeDocs && doc ? `${head},"doc":${renderDocument(scoped(permit, doc))}}` : `${head}}`);
          });
          const lastSeq = page.length ? page[page.length - 1]!.seq : since;
          return `{"results":[${results.join(',')}],"last_seq":${lastSeq},"pending":${more}}`;
        },
        () => ({ count: ids.length, ids }),
      );
    },

    async createIndex(ctx: RequestContext, name: string, fields: string[]): Promise<void> {
      doctypeOf(name);
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      return permit.track(
        async () => {
          parseSort(fields); // validates the field paths
          checkQueryFields(permit.scope, fields, 'The index');
          await store.ensureIndex(permit.space, name, fields);
        },
        () => ({ count: 0 }),
      );
    },

    async listIndexes(ctx: RequestContext, name: string): Promise<string[][]> {
      doctypeOf(name);
      const permit = await gate(ctx, { verb: 'read', doctype: name });
      return permit.track(
        async () => {
          await ensureCatalogIndexes(permit.space, name);
          return store.listIndexes(permit.space, name);
        },
        () => ({ count: 0 }),
      );
    },
  };
}

/**
 * A document as the permit lets its holder see it: outside the grant's filter it does not exist
 * (same answer as a missing id; the ledger records the denial), and only listed fields show.
 */
function scoped(permit: Permit, doc: StoredDocument): StoredDocument {
  const { scope } = permit;
  if (scope === null || doc.data === null) return doc;
  const data = JSON.parse(doc.data) as Record<string, unknown>;
  if (!visible(scope, data)) {
    throw hiddenByScope(new FoyerError('not_found', `No document "${doc.id}" in ${doc.doctype}.`, { id: doc.id }));
  }
  if (scope.fields === null) return doc;
  // Nothing to hide when every field the document has is listed whole: no re-serialising.
  const fields = scope.fields;
  if (Object.keys(data).every((key) => fields.includes(key))) return doc;
  return { ...doc, data: JSON.stringify(projectFields(fields, data)) };
}

/** Keeps only the listed (dotted) fields of a document's data. */
function project(doc: StoredDocument, fields: readonly string[]): StoredDocument {
  if (doc.data === null) return doc;
  const data = JSON.parse(doc.data) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const parts = field.split('.');
    let src: unknown = data;
    for (const p of parts)
      src = typeof src === 'object' && src !== null ? (src as Record<string, unknown>)[p] : undefined;
    if (src === undefined) continue;
    let dst = out;
    parts.slice(0, -1).forEach((p) => {
      dst = (dst[p] ??= {}) as Record<string, unknown>;
    });
    dst[parts[parts.length - 1]!] = src;
  }
  return { ...doc, data: JSON.stringify(out) };
}
