import { z } from 'zod';
import {
  BULK_MAX_DOCS,
  CHANGES_MAX_LIMIT,
  FIND_MAX_LIMIT,
  type DocumentService,
} from '../../core/documents/document-service.js';
import { defineRoute, type Route } from '../route.js';
import { json, jsonText, respond } from '../respond.js';
import { documentId, documentInput, documentJson, doctypeName, writeResult } from '../schemas.js';
import { clientRevision, requestHeader } from '../request-header.js';

const BULK_BODY_LIMIT = 64 * 1024 * 1024;

const docParams = z.object({ doctype: doctypeName, id: documentId });
const typeParams = z.object({ doctype: doctypeName });

export function documentRoutes(deps: { documents: DocumentService }): Route[] {
  const { documents } = deps;
  const written = (r: { id: string; rev: string }) => ({ ok: true as const, id: r.id, rev: r.rev });
  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/data/:doctype',
        operationId: 'createDocument',
        summary: 'Create a document; the server chooses its id unless the body has `_id`.',
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        body: { kind: 'json', schema: documentInput },
        responses: {
          201: { description: 'Created.', json: writeResult },
        },
      },
      async (c, { params, body, ctx }) => {
        const r = await documents.create(ctx, params.doctype, body);
        return json(written(r), 201, { etag: `"${r.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/data/:doctype/:id',
        operationId: 'getDocument',
        summary: 'Read a document.',
        description: 'Answers 304 when `If-None-Match` holds the current revision.',
        tag: 'documents',
        auth: 'grant',
        params: docParams,
        responses: { 200: { description: 'The document.', json: documentJson }, 304: { description: 'Unchanged.' } },
      },
      async (c, { params, ctx }) => {
        const doc = await documents.get(ctx, params.doctype, params.id);
        const etag = `"${doc.rev}"`;
        if (requestHeader(c, 'if-none-match') === etag) return respond(null, 304, { etag });
        return jsonText(doc.json, 200, { etag });
      },
    ),
    defineRoute(
      {
        method: 'put',
        path: '/api/data/:doctype/:id',
        operationId: 'putDocument',
        summary: 'Create a document with this id, or replace it.',
        description:
          'Replacing needs the current revision, as `_rev` in the body or `If-Match`; otherwise 409 `conflict`.',
        tag: 'documents',
        auth: 'grant',
        params: docParams,
        body: { kind: 'json', schema: documentInput },
        responses: {
          200: { description: 'Replaced.', json: writeResult },
          201: { description: 'Created.', json: writeResult },
        },
      },
      async (c, { params, body, ctx }) => {
        const r = await documents.put(ctx, params.doctype, params.id, body, clientRevision(c));
        return json(written(r), r.created ? 201 : 200, { etag: `"${r.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/data/:doctype/:id',
        operationId: 'deleteDocument',
        summary: 'Delete a document (a tombstone stays for the changes feed).',
        tag: 'documents',
        auth: 'grant',
        params: docParams,
        query: z.object({ rev: z.string().optional().meta({ description: 'Current revision (or If-Match).' }) }),
        responses: { 200: { description: 'Deleted; `rev` is the tombstone revision.', json: writeResult } },
      },
      async (c, { params, query, ctx }) => {
        const r = await documents.remove(ctx, params.doctype, params.id, clientRevision(c, query.rev));
        return json(written(r));
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/data/:doctype/_bulk',
        operationId: 'bulkDocuments',
        summary: 'Write many documents at once, all or nothing.',
        description: `Up to ${BULK_MAX_DOCS} documents; each may carry \`_id\`, \`_rev\` and \`_deleted: true\`. If any document is invalid or conflicts, nothing is written and the error names its index.`,
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        body: {
          kind: 'json',
          maxBytes: BULK_BODY_LIMIT,
          schema: z.object({ docs: z.array(documentInput).min(1) }),
        },
        responses: {
          201: {
            description: 'All written, in order.',
            json: z.object({ ok: z.literal(true), results: z.array(z.object({ id: z.string(), rev: z.string() })) }),
          },
        },
      },
      async (c, { params, body, ctx }) => {
        const results = await documents.bulk(ctx, params.doctype, body.docs);
        return json({ ok: true as const, results: results.map((r) => ({ id: r.id, rev: r.rev })) }, 201);
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/data/:doctype/_find',
        operationId: 'findDocuments',
        summary: 'Query documents with a selector.',
        description:
          "Operators: `$eq $ne $gt $gte $lt $lte $in $exists $and $or`. Comparisons only match values of the operand's JSON type. " +
          `Results come in pages of \`limit\` (default 100, at most ${FIND_MAX_LIMIT}); \`bookmark\` fetches the next page.`,
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        body: {
          kind: 'json',
          schema: z.object({
            selector: z.record(z.string(), z.unknown()).optional(),
            sort: z.array(z.union([z.string(), z.record(z.string(), z.enum(['asc', 'desc']))])).optional(),
            limit: z.number().int().positive().optional(),
            bookmark: z.string().max(4096).optional(),
            fields: z.array(z.string().max(200)).max(100).optional(),
            meta: z
              .boolean()
              .optional()
              .meta({ description: "Include each document's `_meta` (default false: listings stay lean)." }),
          }),
        },
        responses: {
          200: {
            description: 'A page of documents; `bookmark` is present when more follow.',
            json: z.object({ docs: z.array(documentJson.partial({ _meta: true })), bookmark: z.string().optional() }),
          },
        },
      },
      async (_c, { params, body, ctx }) => jsonText((await documents.findPage(ctx, params.doctype, body)).json),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/data/:doctype/_changes',
        operationId: 'documentChanges',
        summary: 'Changes since a sequence number, for sync.',
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        query: z.object({
          since: z.coerce.number().int().min(0).default(0),
          limit: z.coerce.number().int().positive().max(CHANGES_MAX_LIMIT).default(1000),
          include_docs: z.enum(['true', 'false']).default('false'),
        }),
        responses: {
          200: {
            description: 'One row per changed document (its latest revision); `pending` tells whether more follow.',
            json: z.object({
              results: z.array(
                z.object({
                  id: z.string(),
                  rev: z.string(),
                  seq: z.number(),
                  deleted: z.boolean().optional(),
                  doc: documentJson.optional(),
                }),
              ),
              last_seq: z.number(),
              pending: z.boolean(),
            }),
          },
        },
      },
      async (_c, { params, query, ctx }) =>
        jsonText(await documents.changes(ctx, params.doctype, query.since, query.limit, query.include_docs === 'true')),
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/data/:doctype/_index',
        operationId: 'createIndex',
        summary: 'Declare an index on fields, to speed up `_find`.',
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        body: {
          kind: 'json',
          schema: z.object({ index: z.object({ fields: z.array(z.string().min(1).max(200)).min(1).max(8) }) }).loose(),
        },
        responses: { 200: { description: 'The index exists.', json: z.object({ ok: z.literal(true) }) } },
      },
      async (c, { params, body, ctx }) => {
        await documents.createIndex(ctx, params.doctype, body.index.fields);
        return json({ ok: true as const });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/data/:doctype/_index',
        operationId: 'listIndexes',
        summary: "The indexes of a doctype in this space (the catalog's and declared ones).",
        tag: 'documents',
        auth: 'grant',
        params: typeParams,
        responses: {
          200: {
            description: 'Indexes.',
            json: z.object({ indexes: z.array(z.object({ fields: z.array(z.string()) })) }),
          },
        },
      },
      async (c, { params, ctx }) => {
        const indexes = await documents.listIndexes(ctx, params.doctype);
        return json({ indexes: indexes.map((fields) => ({ fields })) });
      },
    ),
  ];
}
