/**
 * Imports over HTTP, for the web app: upload a file (or a zip archive) with `dryRun=true` to see the
 * preview (format, counts, sample, inferred mapping, warnings), adjust the options, then upload it
 * again without `dryRun` to import. Stateless on purpose: nothing uploaded outlives its request, so
 * any process of a hosted deployment can serve either step. Progress comes as server-sent events
 * when the client asks for `text/event-stream`.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { FoyerError } from '../../core/errors.js';
import { importPath, type ArchiveHandler, type FileOutcome } from '../../importers/import-paths.js';
import type { ImportProgress, ImportService } from '../../importers/import-service.js';
import type { ImportOptions } from '../../importers/importer.js';
import { eventStream } from '../event-stream.js';
import { json } from '../respond.js';
import { rawBody } from '../read-body.js';
import { defineRoute, type Route } from '../route.js';

const counts = z.object({
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  kept: z.number(),
  deleted: z.number(),
  points: z.number(),
});
const warning = z.object({ line: z.number().optional(), message: z.string() });
const errorBody = z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() });
const report = z.object({
  id: z.string(),
  file: z.string(),
  size: z.number().nullable(),
  checksum: z.string(),
  format: z.object({ id: z.string(), title: z.string() }),
  encoding: z.string(),
  status: z.enum(['previewed', 'imported', 'failed']),
  counts: z.record(z.string(), counts),
  records: z.number(),
  warnings: z.array(warning),
  warningCount: z.number(),
  sample: z.record(z.string(), z.array(z.unknown())),
  details: z.record(z.string(), z.unknown()).optional(),
  startedAt: z.string(),
  finishedAt: z.string(),
  error: errorBody.optional(),
});
const outcome = z.object({
  file: z.string(),
  status: z.enum(['imported', 'previewed', 'failed', 'skipped']),
  report: report.optional(),
  error: errorBody.optional(),
});

/** The preview's adjustable choices, sent back as JSON in the `options` query parameter. */
const importOptions = z
  .object({
    csvMapping: z.record(z.string(), z.unknown()).optional(),
    accountId: z.string().min(1).max(128).optional(),
    dateOrder: z.enum(['DMY', 'MDY', 'YMD']).optional(),
  })
  .strict();

export function importRoutes(deps: {
  imports: ImportService;
  uploadDir: string;
  maxFileBytes: number;
  /** Archives read whole as another platform's export (a Cozy Cloud export). */
  archiveHandlers?: readonly ArchiveHandler[];
}): Route[] {
  const { imports, uploadDir, maxFileBytes } = deps;

  /** Keeps the upload in a private temporary file for the request's duration (zips need random access). */
  async function withUpload<T>(req: Request, fn: (file: string) => Promise<T>): Promise<T> {
    const body = rawBody(req, maxFileBytes);
    await mkdir(uploadDir, { recursive: true, mode: 0o700 });
    const file = path.join(uploadDir, `${Date.now().toString(36)}-${randomBytes(8).toString('hex')}.upload`);
    try {
      // A body without a length, or a lying one, is cut at the limit: it must not fill the disk.
      await pipeline(capped(body, maxFileBytes), createWriteStream(file, { mode: 0o600, flags: 'wx' }));
      return await fn(file);
    } finally {
      await rm(file, { force: true });
    }
  }

  return [
    defineRoute(
      {
        method: 'post',
        path: '/api/imports',
        operationId: 'importFile',
        summary: 'Import a file or a zip archive (or preview it with dryRun=true).',
        description:
          'The body is the file itself. Detection is by content; each file (each file of an archive) is imported ' +
          'all or nothing. With `Accept: text/event-stream` the answer is a stream of `progress` events, one ' +
          '`file` event per file, and a final `done` event holding the same body as the JSON answer.',
        tag: 'imports',
        auth: 'owner',
        query: z.object({
          name: z.string().min(1).max(1024).meta({ description: 'The file name (for messages and provenance only).' }),
          dryRun: z.enum(['true', 'false']).optional().meta({ description: 'true: read and report, write nothing.' }),
          format: z.string().max(64).optional().meta({ description: 'Force an importer instead of detecting one.' }),
          options: z
            .string()
            .max(16 * 1024)
            .optional()
            .meta({ description: 'JSON of the adjustable choices: csvMapping, accountId, dateOrder.' }),
        }),
        body: { kind: 'raw', description: 'The file content.' },
        responses: {
          200: { description: 'What happened to each file.', json: z.object({ files: z.array(outcome) }) },
        },
      },
      async (c, { query, ctx }) => {
        const options = parseOptions(query.options);
        const request = {
          dryRun: query.dryRun === 'true',
          options,
          archiveHandlers: deps.archiveHandlers ?? [],
          ...(query.format ? { format: query.format } : {}),
        };
        const name = path.basename(query.name);
        if ((c.req.header('accept') ?? '').includes('text/event-stream')) {
          return eventStream(async (send) => {
            const files = await withUpload(c.req.raw, (file) =>
              importPath(
                imports,
                ctx,
                file,
                {
                  ...request,
                  onProgress: throttled((p) => send('progress', p)),
                  onFile: (f) => send('file-start', { file: f }),
                },
                name,
              ),
            );
            for (const f of files) send('file', f);
            return { files };
          }, 'The import failed.');
        }
        const files = await withUpload(c.req.raw, (file) => importPath(imports, ctx, file, request, name));
        // One file that failed is the request's failure; an archive reports per file.
        const [only] = files;
        if (files.length === 1 && only?.status === 'failed' && only.error) throw toError(only.error);
        return json({ files });
      },
    ),
    defineRoute(
      {
        method: 'get',
        path: '/api/imports',
        operationId: 'listImports',
        summary: 'Past imports, newest first: file, format, counts, warnings, or the error.',
        tag: 'imports',
        auth: 'owner',
        responses: { 200: { description: 'History.', json: z.object({ imports: z.array(report) }) } },
      },
      async (_c, { ctx }) => json({ imports: await imports.list(ctx) }),
    ),
  ];
}

async function* capped(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let received = 0;
  for await (const chunk of body) {
    received += chunk.length;
    if (received > maxBytes)
      throw new FoyerError('payload_too_large', `Files are at most ${maxBytes} bytes here.`, { maxBytes });
    yield chunk;
  }
}

function parseOptions(text: string | undefined): ImportOptions {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new FoyerError('bad_request', 'options: not JSON.');
  }
  const parsed = importOptions.safeParse(value);
  if (!parsed.success) {
    throw new FoyerError(
      'validation_failed',
      `options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data as ImportOptions;
}

function toError(error: NonNullable<FileOutcome['error']>): FoyerError {
  return new FoyerError(error.code as ConstructorParameters<typeof FoyerError>[0], error.message, error.details);
}

/** At most one progress event per 200 ms, and always the last phases. */
function throttled(send: (p: ImportProgress) => void): (p: ImportProgress) => void {
  let last = 0;
  return (p) => {
    const now = Date.now();
    if (p.phase !== 'reading' || now - last >= 200) {
      last = now;
      send(p);
    }
  };
}
