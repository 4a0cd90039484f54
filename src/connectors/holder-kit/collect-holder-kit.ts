/**
 * The generic Holder Kit connector: collects from any holder that serves the Holder Kit v1
 * (docs/holder-kit.md), reading only what its discovery document says. For each doctype the
 * connector's grant allows (its manifest's) that the holder offers and Foyer's catalog knows in
 * the same schema version: walk `GET /v1/data/{doctype}` page by page from the `since` the last
 * good run kept for that doctype, upsert each item on its natural key (or append it as a point of
 * a series), and keep the newest `updatedAt` seen as the next `since`. With `files`, the files
 * an item lists (a bill's PDF) are stored with `ctx.file` (keyed by the holder's file id) and the
 * item's catalog file field points to them; a doctype with no file field leaves its files at the
 * holder. The runtime writes it all, cursor and files included, only if the run ends well: a
 * failed run leaves nothing and starts again from the same place.
 */
import { ConnectorError, type ConnectorContext } from '../sdk.js';
import { DEFAULT_CALL_OPTIONS, kitFile, kitGet, type KitCallOptions } from './kit-calls.js';
import { discoveryUrl, fileUrl, readDiscovery, type KitDoctype } from './kit-discovery.js';
import { KIT_DOCTYPES, schemaIdOf, type KnownDoctype } from './kit-doctypes.js';
import { readPage, type KitItem } from './kit-page.js';

export interface HolderKitOptions extends Partial<KitCallOptions> {
  /** The doctypes the connector's grant allows (its manifest's), in the order to collect them. */
  doctypes: readonly string[];
  /** Items asked per page (at most the holder's maxPageSize). */
  pageSize?: number;
  /** Store the files items list (the manifest declares `foyer.file`). */
  files?: boolean;
}

/** Per doctype, the `updatedAt` of the newest item collected: the next run's `since`. */
export interface HolderKitCursor {
  since: Record<string, string>;
}

const DEFAULT_PAGE_SIZE = 1000;
/** Files fetched at once: a holder is not flooded, a first sync is not serialised. */
const FILE_CONCURRENCY = 4;

/** A file name as the space takes it: no separators or control characters. */
// eslint-disable-next-line no-control-regex
const fileName = (name: string) => name.replace(/[/\\\u0000-\u001f\u007f]/g, '-').slice(0, 200);

async function eachLimited<T>(list: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, list.length) }, worker));
}

function cursorOf(value: unknown): HolderKitCursor {
  const since = (value as { since?: unknown } | null)?.since;
  if (typeof since !== 'object' || since === null) return { since: {} };
  return {
    since: Object.fromEntries(Object.entries(since).filter((e): e is [string, string] => typeof e[1] === 'string')),
  };
}

export async function collectHolderKit(ctx: ConnectorContext, options: HolderKitOptions): Promise<void> {
  const calls: KitCallOptions = { ...DEFAULT_CALL_OPTIONS, ...options };
  const { accessToken } = await ctx.credentials();
  if (!accessToken) throw new ConnectorError('user_action_needed', 'There is no access token: connect again.');
  const bearer = { authorization: `Bearer ${accessToken}` };
  const discovery = readDiscovery(await kitGet(ctx, discoveryUrl(ctx.api), 'discovery', {}, calls));
  const pageSize = Math.min(discovery.maxPageSize, options.pageSize ?? DEFAULT_PAGE_SIZE);
  const since = { ...cursorOf(ctx.cursor.get()).since };
  let done = 0;
  let filesKept = 0;
  let filesLeft = 0;
  const summary: string[] = [];
  const filesAt = options.files ? discovery.files : null;

  /** The item's data with its file field pointing at Foyer's copies of its files. */
  async function withFiles(item: KitItem, doctype: string, field: NonNullable<KnownDoctype['files']>) {
    const ids: string[] = [];
    for (const f of item.files ?? []) {
      ids.push(
        await kitFile(
          ctx,
          {
            key: f.id,
            url: fileUrl(filesAt!, f.id),
            headers: bearer,
            name: fileName(f.name ?? f.id),
            ...(f.contentType ? { contentType: f.contentType } : {}),
          },
          `${doctype} ${item.key.slice(0, 80)}: file ${f.id.slice(0, 80)}`,
          calls,
        ),
      );
    }
    filesKept += ids.length;
    return { ...item.data, [field.field]: field.many ? ids : ids[0] };
  }

  async function upsertAll(name: string, items: KitItem[]): Promise<void> {
    const field = filesAt ? KIT_DOCTYPES[name]?.files : undefined;
    const plain = items.filter((i) => !field || !i.files);
    if (filesAt) for (const i of plain) filesLeft += i.files?.length ?? 0;
    await Promise.all(plain.map((i) => ctx.upsert(name, i.key, i.data)));
    if (field) {
      await eachLimited(
        items.filter((i) => i.files),
        FILE_CONCURRENCY,
        async (i) => ctx.upsert(name, i.key, await withFiles(i, name, field)),
      );
    }
  }

  async function walk(offered: KitDoctype, series: boolean): Promise<number> {
    const from = since[offered.name];
    let newest = from === undefined ? -Infinity : Date.parse(from);
    let next: string | null = null;
    let count = 0;
    do {
      const url = new URL(offered.endpoint);
      url.searchParams.set('limit', String(pageSize));
      if (from !== undefined) url.searchParams.set('since', from);
      if (next !== null) url.searchParams.set('cursor', next);
      const page = readPage(await kitGet(ctx, url.href, offered.name, bearer, calls), offered.name);
      if (page.next !== null && page.next === next) {
        throw new ConnectorError(
          'holder_format_changed',
          `${offered.name}: the holder gave the same page cursor twice.`,
        );
      }
      if (series) {
        if (page.items.length > 0)
          await ctx.points(
            offered.name,
            page.items.map((i) => i.data),
          );
      } else {
        await upsertAll(offered.name, page.items);
      }
      for (const item of page.items) {
        if (item.updatedMs > newest) {
          newest = item.updatedMs;
          since[offered.name] = item.updatedAt;
        }
      }
      count += page.items.length;
      done += page.items.length;
      ctx.progress({ done, message: `${offered.name}: ${count}` });
      next = page.next;
    } while (next !== null);
    return count;
  }

  for (const name of options.doctypes) {
    const offered = discovery.doctypes.find((d) => d.name === name);
    if (!offered) {
      summary.push(`${name}: not offered`);
      continue;
    }
    const known = KIT_DOCTYPES[name];
    if (!known) throw new ConnectorError('internal', `${name} is not in the connector's table of catalog doctypes.`);
    if (offered.schemaVersion !== known.version || offered.schemaId !== schemaIdOf(name, known.version)) {
      throw new ConnectorError(
        'holder_format_changed',
        `${discovery.holderName} serves ${name} in schema ${offered.schemaId.slice(0, 100)} (version ${offered.schemaVersion}); Foyer knows version ${known.version}.`,
      );
    }
    summary.push(`${name}: ${await walk(offered, known.series)}`);
  }
  ctx.cursor.set({ since } satisfies HolderKitCursor);
  if (filesKept + filesLeft > 0) {
    summary.push(`files: ${filesKept}${filesLeft > 0 ? ` (${filesLeft} left at the holder)` : ''}`);
  }
  ctx.log(`${discovery.holderName}: ${summary.join(', ')}`);
}
