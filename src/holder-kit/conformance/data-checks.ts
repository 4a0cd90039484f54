/**
 * The checks of one doctype's endpoint: walking every page, small pages against large ones,
 * `since`, limits, cursors (forged, altered, from another doctype), and the data's schema.
 */
import { z } from 'zod';
import type { DiscoveryDocument } from '../discovery-document.js';
import { parseInstant } from '../instant.js';
import { CheckSkipped, ensure, type Recorder } from './check-recorder.js';
import { CheckFailure, type ConformanceClient } from './conformance-client.js';
import { DOCTYPE_CHECKS, doctypeCheckId, type DoctypeCheck } from './conformance-report.js';
import { expectError } from './oauth-flow.js';

type DoctypeEntry = DiscoveryDocument['doctypes'][number];

export interface WalkedItem {
  key: string;
  updatedAt: string;
  at: number;
  data: Record<string, unknown>;
  files?: { id: string; name?: string | undefined; contentType?: string | undefined }[] | undefined;
}

export interface DataContext {
  client: ConformanceClient;
  doc: DiscoveryDocument;
  accessToken: string;
  /** Problems of `data` for a schema, or null when the schema is not known here. */
  validate?: (schemaId: string, data: unknown) => string[] | null | Promise<string[] | null>;
  maxItems: number;
}

const pageSchema = z.object({
  items: z.array(
    z.object({
      key: z.string().min(1),
      updatedAt: z.string().refine((s) => parseInstant(s) !== undefined, 'not an RFC 3339 instant with a zone'),
      data: z.record(z.string(), z.unknown()),
      files: z
        .array(z.object({ id: z.string().min(1), name: z.string().optional(), contentType: z.string().optional() }))
        .optional(),
    }),
  ),
  next: z.string().min(1).nullable(),
});

export function dataUrl(d: DoctypeEntry, params: Record<string, string | number | undefined>): string {
  const url = new URL(d.endpoint);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, String(value));
  return url.href;
}

interface Walk {
  items: WalkedItem[];
  pages: number;
  /** The first page's `next`, to tamper with. */
  firstNext: string | null;
}

/** Follows `next` to the end; every page must be well formed and within the limit. */
export async function walk(
  ctx: DataContext,
  d: DoctypeEntry,
  params: { limit?: number; since?: string },
): Promise<Walk> {
  const limit = params.limit ?? ctx.doc.paging.defaultPageSize;
  const items: WalkedItem[] = [];
  const cursors = new Set<string>();
  let cursor: string | undefined;
  let firstNext: string | null = null;
  for (let page = 1; ; page++) {
    const r = await ctx.client.bearer(dataUrl(d, { ...params, cursor }), ctx.accessToken);
    ensure(r.status === 200, `page ${page} answered ${r.status}: ${r.text.slice(0, 200)}`);
    const parsed = pageSchema.safeParse(r.json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CheckFailure(`page ${page} is malformed at ${issue.path.join('.') || '(body)'}: ${issue.message}`);
    }
    const { items: got, next } = parsed.data;
    ensure(got.length <= limit, `page ${page} has ${got.length} items, above the limit of ${limit}`);
    for (const item of got) items.push({ ...item, at: parseInstant(item.updatedAt)! });
    ensure(items.length <= ctx.maxItems, `more than ${ctx.maxItems} items: stopped`);
    if (page === 1) firstNext = next;
    if (next === null) return { items, pages: page, firstNext };
    ensure(!cursors.has(next), `page ${page} gives a next cursor already given: the walk would never end`);
    cursors.add(next);
    cursor = next;
  }
}

function duplicates(items: WalkedItem[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const item of items) (seen.has(item.key) ? twice : seen).add(item.key);
  return [...twice];
}

const sample = (keys: string[]) =>
  keys.slice(0, 3).join(', ') + (keys.length > 3 ? ` and ${keys.length - 3} more` : '');

/** A copy of the cursor with one character changed in its middle. */
function altered(cursor: string): string {
  const i = Math.floor(cursor.length / 2);
  return cursor.slice(0, i) + (cursor[i] === 'A' ? 'B' : 'A') + cursor.slice(i + 1);
}

export async function checkDoctype(
  rec: Recorder,
  ctx: DataContext,
  d: DoctypeEntry,
  foreignCursor: string | null,
): Promise<{ items: WalkedItem[]; cursor: string | null }> {
  const check = <T>(c: DoctypeCheck, fn: () => Promise<T>) =>
    rec.check(doctypeCheckId(d.name, c), DOCTYPE_CHECKS[c], fn);
  const { maxPageSize, defaultPageSize } = ctx.doc.paging;
  const expect400 = async (params: Record<string, string>, code: string) => {
    const r = await ctx.client.bearer(dataUrl(d, params), ctx.accessToken);
    expectError(r, [400], [code], `${d.name} with ${new URLSearchParams(params).toString()}`);
  };

  const all = await check('walk', async () => {
    const { items } = await walk(ctx, d, { limit: maxPageSize });
    const twice = duplicates(items);
    ensure(twice.length === 0, `keys served twice: ${sample(twice)}`);
    const back = items.findIndex((item, i) => i > 0 && item.at < items[i - 1]!.at);
    ensure(back < 0, `items are not in updatedAt order: ${items[back]?.key} comes after a later one`);
    return items;
  });
  if (!all) return { items: [], cursor: null };

  const firstNext = await check('paging', async () => {
    if (all.length < 2) throw new CheckSkipped(`${all.length} item(s): nothing to split into pages`);
    const limit = Math.max(1, Math.min(Math.ceil(all.length / 5), Math.floor(maxPageSize / 2)));
    const small = await walk(ctx, d, { limit });
    const twice = duplicates(small.items);
    ensure(twice.length === 0, `with limit=${limit}, keys served twice across pages: ${sample(twice)}`);
    const keys = new Set(small.items.map((i) => i.key));
    const missing = all.filter((i) => !keys.has(i.key)).map((i) => i.key);
    ensure(missing.length === 0, `with limit=${limit}, keys missing: ${sample(missing)}`);
    ensure(
      small.items.length === all.length,
      `with limit=${limit}, ${small.items.length} items instead of ${all.length}`,
    );
    return small.firstNext;
  });

  await check('limits', async () => {
    await expect400({ limit: String(maxPageSize + 1) }, 'invalid_limit');
    await expect400({ limit: '0' }, 'invalid_limit');
    await expect400({ limit: 'ten' }, 'invalid_limit');
    const r = await ctx.client.bearer(dataUrl(d, {}), ctx.accessToken);
    const count = (r.json as { items?: unknown[] } | undefined)?.items?.length;
    ensure(r.status === 200 && count !== undefined, `without limit: ${r.status}`);
    ensure(count <= defaultPageSize, `without limit, ${count} items: above defaultPageSize ${defaultPageSize}`);
  });

  await check('since', async () => {
    if (all.length === 0) throw new CheckSkipped('no items');
    const middle = all[Math.floor(all.length / 2)]!;
    const expected = all.filter((i) => i.at > middle.at).map((i) => i.key);
    const got = (await walk(ctx, d, { limit: maxPageSize, since: middle.updatedAt })).items;
    const gotKeys = new Set(got.map((i) => i.key));
    const early = got.filter((i) => i.at <= middle.at).map((i) => i.key);
    ensure(early.length === 0, `since=${middle.updatedAt} returned items changed at or before it: ${sample(early)}`);
    const missing = expected.filter((k) => !gotKeys.has(k));
    ensure(missing.length === 0, `since=${middle.updatedAt} left out items changed after it: ${sample(missing)}`);
    const last = all[all.length - 1]!;
    const none = await walk(ctx, d, { since: last.updatedAt });
    ensure(none.items.length === 0, `since=${last.updatedAt} (the latest change) returned ${none.items.length} items`);
  });

  await check('bad-since', async () => {
    for (const since of ['yesterday', '2026-01-01', '2026-01-01T00:00:00', '2026-02-30T00:00:00Z']) {
      await expect400({ since }, 'invalid_since');
    }
  });

  await check('bad-cursor', async () => {
    await expect400({ cursor: 'not-a-cursor' }, 'invalid_cursor');
    if (firstNext) {
      await expect400({ cursor: altered(firstNext) }, 'invalid_cursor');
      await expect400({ cursor: firstNext.slice(0, -2) }, 'invalid_cursor');
    }
    if (foreignCursor) await expect400({ cursor: foreignCursor }, 'invalid_cursor');
  });

  await check('schema', async () => {
    if (!ctx.validate) throw new CheckSkipped('no schema validator given');
    if (all.length === 0) throw new CheckSkipped('no items');
    const problems: string[] = [];
    for (const item of all) {
      const issues = await ctx.validate(d.schemaId, item.data);
      if (issues === null) throw new CheckSkipped(`schema ${d.schemaId} is not known here`);
      if (issues.length > 0) problems.push(`${item.key}: ${issues.slice(0, 2).join('; ')}`);
      if (problems.length >= 3) break;
    }
    ensure(problems.length === 0, `invalid items: ${problems.join(' | ')}`);
  });

  return { items: all, cursor: firstNext ?? null };
}
