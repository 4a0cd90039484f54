import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FileService } from '../../core/files/file-service.js';
import { FoyerError, isFoyerError } from '../../core/errors.js';
import type { ByteRange } from '../../storage/file-store.js';
import { errorResponse } from '../error-response.js';
import { defineRoute, type Route } from '../route.js';
import { json, respond } from '../respond.js';
import { clientRevision, requestHeader } from '../request-header.js';
import { rawBody } from '../read-body.js';

const fileView = z.object({
  id: z.string(),
  rev: z.string(),
  name: z.string(),
  folder: z.string(),
  type: z.string(),
  size: z.number(),
  sha256: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const idParams = z.object({ id: z.string().max(1024) });
const revQuery = z.object({
  rev: z.string().max(100).optional().meta({ description: 'Current revision (or If-Match).' }),
});

/** `bytes=a-b`, `bytes=a-`, `bytes=-n`; anything else (several ranges, other units) is ignored: 200. */
export function parseRange(header: string | undefined): ((size: number) => ByteRange | undefined) | undefined {
  const m = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  // Positions beyond any file size mean "past the end"; clamping keeps them integers the stores accept.
  const position = (digits: string) => Math.min(Number(digits), Number.MAX_SAFE_INTEGER);
  return (size) => {
    if (m[1] === '') {
      const n = position(m[2]!);
      // RFC 9110 §14.1.2: a zero-length suffix, or any suffix of an empty file, selects nothing.
      if (n === 0 || size === 0)
        throw new FoyerError('range_not_satisfiable', 'This suffix range selects nothing.', { size });
      return { start: Math.max(0, size - n), end: size - 1 };
    }
    const start = position(m[1]!);
    const end = m[2] === '' ? Number.MAX_SAFE_INTEGER : position(m[2]!);
    if (end < start) return undefined;
    return { start, end };
  };
}

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
function contentDisposition(kind: 'attachment' | 'inline', name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // encodeURIComponent leaves ' ( ) * bare, which RFC 8187's attr-char does not allow.
  const exact = encodeURIComponent(name).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}

export function fileRoutes(deps: { files: FileService; maxFileBytes: number }): Route[] {
  const { files, maxFileBytes } = deps;
  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/files',
        operationId: 'uploadFile',
        summary: 'Upload a file (the raw bytes as the body, streamed).',
        description: 'The Content-Type header is stored as the file type. Size and SHA-256 are computed on the way.',
        tag: 'files',
        auth: 'grant',
        query: z.object({
          name: z.string().min(1).max(1024).meta({ description: 'File name, without any folder.' }),
          folder: z
            .string()
            .max(2048)
            .optional()
            .meta({ description: 'Folder path, e.g. `/bills/2024` (default `/`).' }),
        }),
        body: { kind: 'raw', description: 'The file content.' },
        responses: { 201: { description: 'Stored.', json: fileView } },
      },
      async (c, { query, ctx }) => {
        const file = await files.upload(
          ctx,
          {
            name: query.name,
            ...(query.folder ? { folder: query.folder } : {}),
            type: requestHeader(c, 'content-type'),
          },
          rawBody(c.req.raw, maxFileBytes),
        );
        return json(file, 201, { etag: `"${file.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/files',
        operationId: 'listFiles',
        summary: 'Files directly in a folder, and its subfolders.',
        tag: 'files',
        auth: 'grant',
        query: z.object({ folder: z.string().max(2048).default('/') }),
        responses: {
          200: {
            description: 'Listing.',
            json: z.object({ folder: z.string(), files: z.array(fileView), folders: z.array(z.string()) }),
          },
        },
      },
      async (c, { query, ctx }) => json({ folder: query.folder, ...(await files.list(ctx, query.folder)) }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/files/:id',
        operationId: 'getFile',
        summary: "A file's metadata.",
        tag: 'files',
        auth: 'grant',
        params: idParams,
        responses: { 200: { description: 'Metadata.', json: fileView } },
      },
      async (c, { params, ctx }) => {
        const file = await files.metadata(ctx, params.id);
        return json(file, 200, { etag: `"${file.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/files/:id/content',
        operationId: 'downloadFile',
        summary: "A file's content; supports `Range: bytes=...` (206).",
        tag: 'files',
        auth: 'grant',
        params: idParams,
        query: z.object({ disposition: z.enum(['attachment', 'inline']).default('attachment') }),
        responses: {
          200: { description: 'The whole content.', content: ['application/octet-stream'] },
          206: { description: 'The requested range.', content: ['application/octet-stream'] },
          416: { description: 'The range starts past the end.' },
        },
      },
      async (c, { params, query, ctx }) => {
        let download: Awaited<ReturnType<FileService['download']>>;
        try {
          download = await files.download(ctx, params.id, parseRange(requestHeader(c, 'range')));
        } catch (e) {
          // RFC 9110 §15.5.17: a 416 says how large the file is, so the client can ask again.
          if (!isFoyerError(e) || e.code !== 'range_not_satisfiable') throw e;
          const size = (e.details as { size?: unknown } | undefined)?.size;
          return errorResponse(e, typeof size === 'number' ? { 'content-range': `bytes */${size}` } : {});
        }
        const { file, body, range } = download;
        const headers: Record<string, string> = {
          'content-type': file.type,
          'accept-ranges': 'bytes',
          etag: `"${file.sha256}"`,
          'content-disposition': contentDisposition(query.disposition, file.name),
          // Whatever the file holds, it never runs as a page of this origin.
          'content-security-policy': "sandbox; default-src 'none'",
          'cache-control': 'private, no-cache',
        };
        const stream = Readable.toWeb(body) as ReadableStream<Uint8Array>;
        if (range) {
          headers['content-range'] = `bytes ${range.start}-${range.end}/${file.size}`;
          headers['content-length'] = String(range.end - range.start + 1);
          return respond(stream, 206, headers);
        }
        headers['content-length'] = String(file.size);
        return respond(stream, 200, headers);
      },
    ),
    defineRoute(
      {
        method: 'put',
        path: '/api/files/:id/content',
        operationId: 'replaceFileContent',
        summary: "Replace a file's content (needs its current revision).",
        tag: 'files',
        auth: 'grant',
        params: idParams,
        query: revQuery,
        body: { kind: 'raw', description: 'The new content.' },
        responses: { 200: { description: 'Replaced.', json: fileView } },
      },
      async (c, { params, query, ctx }) => {
        const file = await files.replaceContent(
          ctx,
          params.id,
          clientRevision(c, query.rev),
          requestHeader(c, 'content-type'),
          rawBody(c.req.raw, maxFileBytes),
        );
        return json(file, 200, { etag: `"${file.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'patch',
        path: '/api/files/:id',
        operationId: 'updateFile',
        summary: 'Rename or move a file (needs its current revision).',
        tag: 'files',
        auth: 'grant',
        params: idParams,
        query: revQuery,
        body: {
          kind: 'json',
          schema: z.object({ name: z.string().max(1024).optional(), folder: z.string().max(2048).optional() }),
        },
        responses: { 200: { description: 'Updated.', json: fileView } },
      },
      async (c, { params, query, body, ctx }) => {
        const file = await files.update(ctx, params.id, clientRevision(c, query.rev), body);
        return json(file, 200, { etag: `"${file.rev}"` });
      },
    ),
    defineRoute(
      {
        method: 'delete',
        path: '/api/files/:id',
        operationId: 'deleteFile',
        summary: 'Delete a file and its content (needs its current revision).',
        tag: 'files',
        auth: 'grant',
        params: idParams,
        query: revQuery,
        responses: {
          200: { description: 'Deleted.', json: z.object({ ok: z.literal(true), id: z.string(), rev: z.string() }) },
        },
      },
      async (c, { params, query, ctx }) => {
        const r = await files.remove(ctx, params.id, clientRevision(c, query.rev));
        return json({ ok: true as const, ...r });
      },
    ),
  ];
}
