/**
 * The generic Holder Kit connector: collects from any holder that serves the Holder Kit v1
 * (docs/holder-kit.md), reading only what its discovery document says. For each doctype the
 * connector's grant allows (its manifest's) that the holder offers and Foyer's catalog knows in
 * the same schema version: walk `GET /v1/data/{doctype}` page by page from the `since` the last
 * good run kept for that doctype, upsert each item on its natural key (or append it as a point of
 * a series), and keep the newest `updatedAt` seen as the next `since`. The runtime writes it all,
 * cursor included, only if the run ends well: a failed run leaves nothing and starts again from
 * the same place.
 */
import { ConnectorError, type ConnectorContext } from '../sdk.js';
import { DEFAULT_CALL_OPTIONS, kitGet, type KitCallOptions } from './kit-calls.js';
import { discoveryUrl, readDiscovery, type KitDoctype } from './kit-discovery.js';
import { KIT_DOCTYPES, schemaIdOf } from './kit-doctypes.js';
import { readPage } from './kit-page.js';

export interface HolderKitOptions extends Partial<KitCallOptions> {
  /** The doctypes the connector's grant allows (its manifest's), in the order to collect them. */
  doctypes: readonly string[];
  /** Items asked per page (at most the holder's maxPageSize). */
  pageSize?: number;
}

/** Per doctype, the `updatedAt` of the newest item collected: the next run's `since`. */
export interface HolderKitCursor {
  since: Record<string, string>;
}

const DEFAULT_PAGE_SIZE = 1000;

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
  const summary: string[] = [];

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
        await Promise.all(page.items.map((i) => ctx.upsert(offered.name, i.key, i.data)));
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
  ctx.log(`${discovery.holderName}: ${summary.join(', ')}`);
}
