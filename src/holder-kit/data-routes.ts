/**
 * The data the customer consented to: `GET /v1/data/{doctype}` (cursor paging, `since`) and
 * `GET /v1/files/{id}`, each with an access token (RFC 6750) whose scope names the doctype.
 */
import { createHash } from 'node:crypto';
import type { Context, Hono } from 'hono';
import { z } from 'zod';
import { parseInstant } from './instant.js';
import { bearerError, KitError } from './kit-error.js';
import { queryParams } from './kit-request.js';
import type { KitSettings } from './kit-settings.js';
import { digest } from './secrets.js';
import type { TokenGrant } from './token-routes.js';

const FILE_ID = /^[A-Za-z0-9._~-]{1,200}$/;

export function dataRoutes(app: Hono, s: KitSettings): void {
  const querySchema = z.object({
    since: z
      .string()
      .transform(
        (text, ctx) => parseInstant(text) ?? (ctx.addIssue({ code: 'custom', message: 'bad instant' }), z.NEVER),
      )
      .optional(),
    cursor: z.string().min(1).optional(),
    limit: z
      .string()
      .regex(/^[1-9]\d{0,5}$/)
      .transform(Number)
      .pipe(z.number().max(s.maxPageSize))
      .optional(),
  });
  const problems = {
    since: new KitError(
      'invalid_since',
      'since must be an RFC 3339 instant with a time zone, e.g. 2026-01-31T06:00:00Z.',
    ),
    limit: new KitError('invalid_limit', `limit must be a whole number from 1 to ${s.maxPageSize}.`),
    cursor: new KitError('invalid_cursor', 'cursor must be a next value this server returned.'),
  };

  /** Fixed one-minute windows per consent, on the injected clock. */
  const windows = new Map<string, { start: number; count: number }>();
  function countRequest(grantId: string) {
    const now = s.clock.now();
    let w = windows.get(grantId);
    if (!w || now - w.start >= 60_000) {
      if (windows.size > 10_000) for (const [id, old] of windows) if (now - old.start >= 60_000) windows.delete(id);
      w = { start: now, count: 0 };
      windows.set(grantId, w);
    }
    w.count++;
    if (w.count > s.requestsPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((w.start + 60_000 - now) / 1000));
      throw new KitError('rate_limited', `More than ${s.requestsPerMinute} requests in a minute.`, {
        'retry-after': String(retryAfter),
      });
    }
  }

  async function tokenOf(c: Context): Promise<{ grantId: string; grant: TokenGrant }> {
    const header = c.req.header('authorization');
    if (!header) throw bearerError(null, 'An access token is required.');
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header);
    if (!match) throw bearerError('invalid_token', 'The Authorization header is not a bearer token.');
    const entry = await s.store.get('access', digest(match[1]!));
    if (!entry?.grantId) throw bearerError('invalid_token', 'The access token is unknown, expired or revoked.');
    countRequest(entry.grantId);
    return { grantId: entry.grantId, grant: entry.data as unknown as TokenGrant };
  }

  function requireScope(grant: TokenGrant, doctype: string) {
    if (!grant.scopes.includes(doctype)) {
      throw bearerError('insufficient_scope', `The customer did not consent to ${doctype}.`, doctype);
    }
  }

  app.get('/v1/data/:doctype', async (c) => {
    const { grant } = await tokenOf(c);
    const doctype = c.req.param('doctype');
    const dataset = s.datasets.get(doctype);
    if (!dataset) throw new KitError('unknown_doctype', `This holder does not offer ${doctype}.`);
    requireScope(grant, doctype);
    const parsed = querySchema.safeParse(queryParams(c.req.url));
    if (!parsed.success) throw problems[parsed.error.issues[0]!.path[0] as keyof typeof problems];
    const { since, cursor, limit = s.defaultPageSize } = parsed.data;

    let state = { doctype, since: since ?? null, until: s.clock.now(), position: undefined as string | undefined };
    if (cursor !== undefined) {
      const decoded = s.cursors.decode(grant.customerId, cursor);
      if (decoded.doctype !== doctype) throw new KitError('invalid_cursor', 'The cursor belongs to another doctype.');
      if (since !== undefined && since !== decoded.since) {
        throw new KitError('invalid_cursor', 'since differs from the walk this cursor belongs to; drop one of them.');
      }
      state = decoded;
    }
    const page = await dataset.list(grant.customerId, {
      ...(state.since !== null ? { since: state.since } : {}),
      until: state.until,
      ...(state.position !== undefined ? { cursor: state.position } : {}),
      limit,
    });
    if (page.items.length > limit) throw new Error(`Dataset ${doctype} returned more than ${limit} items`);
    const next =
      page.next === null
        ? null
        : s.cursors.encode(grant.customerId, { doctype, since: state.since, until: state.until, position: page.next });
    const items = page.items.map((item) => ({
      key: item.key,
      updatedAt: new Date(item.updatedAt).toISOString(),
      data: item.data,
      ...(item.files && item.files.length > 0 ? { files: item.files } : {}),
    }));
    return c.json({ items, next }, 200, { 'cache-control': 'no-store' });
  });

  app.get('/v1/files/:id', async (c) => {
    const { grant } = await tokenOf(c);
    const id = c.req.param('id');
    const file = FILE_ID.test(id) && s.files ? await s.files.get(grant.customerId, id) : undefined;
    if (!file) throw new KitError('not_found', 'No such file.');
    requireScope(grant, file.doctype);
    const etag = `"${createHash('sha256').update(file.content).digest('base64url')}"`;
    const headers: Record<string, string> = {
      etag,
      'cache-control': 'private, no-cache',
      'x-content-type-options': 'nosniff',
    };
    const ifNoneMatch = c.req.header('if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      return new Response(null, { status: 304, headers });
    }
    headers['content-type'] = file.contentType;
    headers['content-length'] = String(file.content.byteLength);
    if (file.name)
      headers['content-disposition'] = `attachment; filename="${file.name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"`;
    // A view over the same bytes typed as BodyInit under both Node's and the DOM's lib.
    const body = new Uint8Array(file.content.buffer as ArrayBuffer, file.content.byteOffset, file.content.byteLength);
    return new Response(body, { status: 200, headers });
  });
}
