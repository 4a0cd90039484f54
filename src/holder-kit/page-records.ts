/**
 * One page of an in-memory list, the way the Kit pages: items ordered by (updatedAt, key), those
 * in (since, until), after the position of the previous page's last item. The position is that
 * item's (updatedAt, key), so items appended behind the walk never shift it.
 */
import type { HolderKitItem, HolderKitListQuery, HolderKitPage } from './holder-kit-options.js';
import { KitError } from './kit-error.js';

export function compareItems(a: HolderKitItem, b: HolderKitItem): number {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

const positionOf = (item: HolderKitItem) => `${item.updatedAt}~${item.key}`;

function parsePosition(position: string): HolderKitItem {
  const at = position.indexOf('~');
  const updatedAt = Number(position.slice(0, at));
  if (at < 1 || !Number.isSafeInteger(updatedAt)) {
    throw new KitError('invalid_cursor', 'The cursor does not name a position in this list.');
  }
  return { updatedAt, key: position.slice(at + 1), data: null };
}

/** The first index from which `after` holds (it must hold for every later item of the sorted list). */
function firstWhere(items: readonly HolderKitItem[], after: (item: HolderKitItem) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (after(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `items` in any order (already sorted ones are not copied). */
export function pageRecords(items: readonly HolderKitItem[], query: HolderKitListQuery): HolderKitPage {
  let sorted = items;
  for (let i = 1; i < items.length; i++) {
    if (compareItems(items[i - 1]!, items[i]!) > 0) {
      sorted = [...items].sort(compareItems);
      break;
    }
  }
  const since = query.since;
  let start = since === undefined ? 0 : firstWhere(sorted, (item) => item.updatedAt > since);
  if (query.cursor !== undefined) {
    const position = parsePosition(query.cursor);
    start = Math.max(
      start,
      firstWhere(sorted, (item) => compareItems(item, position) > 0),
    );
  }
  const page: HolderKitItem[] = [];
  let i = start;
  for (; i < sorted.length && page.length < query.limit; i++) {
    const item = sorted[i]!;
    if (item.updatedAt >= query.until) break;
    page.push(item);
  }
  const more = i < sorted.length && sorted[i]!.updatedAt < query.until;
  return { items: page, next: more && page.length > 0 ? positionOf(page[page.length - 1]!) : null };
}
