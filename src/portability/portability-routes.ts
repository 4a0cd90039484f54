/**
 * Portability over HTTP (owner only). The export is one streamed request: the archive is written
 * while it is downloaded, so no copy of the space is ever kept on the server and any process of a
 * hosted deployment can serve it (docs/archive-format.md explains the choice over export jobs).
 * The import takes the archive as the request body, kept in a private temporary file for the
 * request (a zip is read from its end), and answers the merge's report; with
 * `Accept: text/event-stream`, progress events come first.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { FoyerError } from '../core/errors.js';
import { eventStream } from '../http/event-stream.js';
import { rawBody } from '../http/read-body.js';
import { json, respond } from '../http/respond.js';
import { defineRoute, type Route } from '../http/route.js';
import type { Log } from '../platform/logger.js';
import type { PortabilityProgress } from './portability-deps.js';
import type { PortabilityService } from './portability-service.js';
import { writableSink } from './zip-writer.js';

/** The archive passphrase travels in a header: never in a URL, which logs keep. */
export const PASSPHRASE_HEADER = 'x-foyer-archive-passphrase';

const counts = z.object({ created: z.number(), unchanged: z.number(), conflicts: z.number() });
const importReport = z.object({
  status: z.enum(['imported', 'checked']),
  archive: z.object({
    space: z.string(),
    createdAt: z.string(),
    foyerVersion: z.string(),
    formatVersion: z.number(),
    encrypted: z.boolean(),
  }),
  documents: z.record(z.string(), counts),
  points: z.record(z.string(), counts),
  files: counts.extend({ bytes: z.number() }),
  ledger: z.object({
    entries: z.number(),
    head: z.object({ seq: z.number(), hash: z.string() }),
    carried: counts,
  }),
  conflicts: z.array(
    z.object({
      kind: z.enum(['document', 'point']),
      doctype: z.string(),
      id: z.string(),
      reason: z.enum(['differs', 'deleted_here']),
      archiveRev: z.string().optional(),
      spaceRev: z.string().optional(),
    }),
  ),
  conflictCount: z.number(),
});

export function portabilityRoutes(deps: {
  portability: PortabilityService;
  uploadDir: string;
  maxArchiveBytes: number;
  log: Log;
}): Route[] {
  const { portability, uploadDir, maxArchiveBytes, log } = deps;
  const stamp = () => new Date().toISOString().slice(0, 10);

  async function withUpload<T>(req: Request, fn: (file: string) => Promise<T>): Promise<T> {
    await mkdir(uploadDir, { recursive: true, mode: 0o700 });
    const file = path.join(uploadDir, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.archive`);
    try {
      await pipeline(
        capped(rawBody(req, maxArchiveBytes), maxArchiveBytes),
        createWriteStream(file, { mode: 0o600, flags: 'wx' }),
      );
      return await fn(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/export',
        operationId: 'exportArchive',
        summary: 'Download the whole space as an archive (streamed), optionally sealed under a passphrase.',
        description:
          'The answer is the archive as it is written (docs/archive-format.md): a zip, or with a passphrase the ' +
          'zip sealed in AES-256-GCM chunks. Its manifest is its last member: an archive whose download was cut ' +
          'has none, and an import refuses it.',
        tag: 'portability',
        auth: 'owner',
        body: {
          kind: 'json',
          schema: z
            .object({
              passphrase: z.string().min(12).max(1024).optional(),
              formats: z
                .boolean()
                .optional()
                .meta({ description: 'Domain formats inside the archive too (default false).' }),
            })
            .strict(),
        },
        responses: {
          200: { description: 'The archive.', content: ['application/zip', 'application/octet-stream'] },
        },
      },
      async (_c, { body, ctx }) => {
        const out = new PassThrough({ highWaterMark: 1024 * 1024 });
        const sealed = body.passphrase !== undefined;
        portability
          .exportArchive(ctx, writableSink(out), {
            ...(sealed ? { passphrase: body.passphrase } : {}),
            ...(body.formats === true ? { formats: true } : {}),
          })
          .then(
            () => out.end(),
            (e: unknown) => {
              // Headers are gone: cutting the stream is the only way left to say so (no manifest: refused on import).
              log('warn', 'export stopped', { space: ctx.space, error: e instanceof Error ? e.message : String(e) });
              out.destroy(e instanceof Error ? e : new Error(String(e)));
            },
          );
        const name = `foyer-${ctx.space}-${stamp()}.zip${sealed ? '.sealed' : ''}`;
        return respond(Readable.toWeb(out) as ReadableStream<Uint8Array>, 200, {
          'content-type': sealed ? 'application/octet-stream' : 'application/zip',
          'content-disposition': `attachment; filename="${name}"`,
        });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/export/formats',
        operationId: 'listExportFormats',
        summary: 'The domain formats the space can be exported in, one doctype family each.',
        tag: 'portability',
        auth: 'owner',
        responses: {
          200: {
            description: 'Formats.',
            json: z.object({
              formats: z.array(
                z.object({ file: z.string(), doctype: z.string(), mediaType: z.string(), title: z.string() }),
              ),
            }),
          },
        },
      },
      async () =>
        json({
          formats: portability
            .formats()
            .map(({ file, doctype, mediaType, title }) => ({ file, doctype, mediaType, title })),
        }),
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/export/formats/:file',
        operationId: 'exportFormat',
        summary:
          'One domain format on demand: bank-transactions.csv/.ofx, calendar.ics, contacts.vcf, places.geojson, consumption.csv.',
        tag: 'portability',
        auth: 'owner',
        params: z.object({ file: z.string().max(64) }),
        responses: {
          200: { description: 'The file (empty when the space holds no such data).', content: ['text/plain'] },
        },
      },
      async (_c, { params, ctx }) => {
        const { format, bytes } = await portability.exportFormat(ctx, params.file);
        return respond(Readable.toWeb(Readable.from(bytes)) as ReadableStream<Uint8Array>, 200, {
          'content-type': format.mediaType,
          'content-disposition': `attachment; filename="${format.file}"`,
        });
      },
    ),
    defineRoute(
      {
        method: 'post',
        path: '/api/import-archive',
        operationId: 'importArchive',
        summary: 'Merge a Foyer archive into this space (or check it with dryRun=true).',
        description:
          'The body is the archive. Encrypted archives need the passphrase in the X-Foyer-Archive-Passphrase header. ' +
          'Checked whole before anything is written, then committed in one transaction: documents keep their ' +
          'revisions, identical ones are left alone, differing ones are reported as conflicts (the space’s kept).',
        tag: 'portability',
        auth: 'owner',
        query: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
        body: { kind: 'raw', description: 'The archive.' },
        responses: { 200: { description: 'What the merge did (or would do).', json: importReport } },
      },
      async (c, { query, ctx }) => {
        const passphrase = c.req.header(PASSPHRASE_HEADER);
        const options = { ...(passphrase !== undefined ? { passphrase } : {}), dryRun: query.dryRun === 'true' };
        if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
          return eventStream(
            (send) =>
              withUpload(c.req.raw, (file) =>
                portability.importArchive(ctx, file, { ...options, onProgress: throttled((p) => send('progress', p)) }),
              ),
            'The archive import failed.',
          );
        }
        return json(await withUpload(c.req.raw, (file) => portability.importArchive(ctx, file, options)));
      },
    ),
  ];
}

function throttled(send: (p: PortabilityProgress) => void): (p: PortabilityProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase === 'done' || now - last >= 250) {
      last = now;
      send({ ...p });
    }
  };
}

/** A body without a length, or a lying one, is cut at the limit: it must not fill the disk. */
async function* capped(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes) {
      throw new FoyerError('payload_too_large', `Archives are at most ${maxBytes} bytes here.`, { maxBytes });
    }
    yield chunk;
  }
}
