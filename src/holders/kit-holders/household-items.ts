/**
 * The household's records as Holder Kit items, for one holder: what it serves at the clock's time
 * (three years back, to the last day published), each record changed at 06:00 Paris the day after
 * its day, which is when the holder publishes it. Items are kept per customer and doctype, sorted
 * once; a new day only computes that day (three years of calls take ~100 ms to compute, a page
 * must not).
 */
import type { HolderKitItem } from '../../holder-kit/holder-kit-options.js';
import { compareItems } from '../../holder-kit/page-records.js';
import { addDays, atParis } from '../household/days.js';
import type { HolderId, HolderRecord, Household } from '../household/household.js';

interface DayItem extends HolderKitItem {
  day: string;
}

interface Cached {
  from: string;
  to: string;
  daily: DayItem[];
  reference: DayItem[];
  items: DayItem[];
}

export interface HolderFileInfo {
  doctype: string;
  name: string;
  contentType: string;
}

export interface HouseholdItems {
  /** The doctype's items at `now`, ordered by (updatedAt, key). */
  items(customerId: string, doctype: string, now: number): HolderKitItem[];
  /** What a customer's file is, if one of the items served at `now` lists it. */
  file(customerId: string, fileId: string, now: number): HolderFileInfo | undefined;
}

/** When the holder publishes a day's records: 06:00 Paris the next day. */
export const publishedAt = (day: string): number => atParis(addDays(day, 1), 6);

function toItem(record: HolderRecord): DayItem {
  return {
    key: record.key,
    updatedAt: publishedAt(record.day),
    data: record.data,
    day: record.day,
    ...(record.files && record.files.length > 0
      ? { files: record.files.map((f) => ({ id: f.id, name: f.name, contentType: f.mediaType })) }
      : {}),
  };
}

function merge(a: DayItem[], b: DayItem[]): DayItem[] {
  if (b.length === 0) return a;
  const out: DayItem[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && compareItems(a[i]!, b[j]!) <= 0)) out.push(a[i++]!);
    else out.push(b[j++]!);
  }
  return out;
}

export function createHouseholdItems(household: Household, holder: HolderId): HouseholdItems {
  const cache = new Map<string, Cached>();

  function items(customerId: string, doctype: string, now: number): DayItem[] {
    if (!household.customer(customerId).holders.includes(holder)) return [];
    const window = household.window(now);
    const id = `${customerId}|${doctype}`;
    let c = cache.get(id);
    if (!c || window.from < c.from || window.to < c.to) {
      // First use, or the clock went back: everything again.
      const records = household.records(customerId, holder, doctype, window);
      const daily = records
        .filter((r) => !r.reference)
        .map(toItem)
        .sort(compareItems);
      const reference = records
        .filter((r) => r.reference)
        .map(toItem)
        .sort(compareItems);
      c = { ...window, daily, reference, items: merge(daily, reference) };
      cache.set(id, c);
    } else if (window.to > c.to || window.from > c.from) {
      // Days published since: only those; days now older than three years drop out.
      const added =
        window.to > c.to
          ? household.records(customerId, holder, doctype, { from: addDays(c.to, 1), to: window.to })
          : [];
      const first = c.daily.findIndex((item) => item.day >= window.from);
      const kept = first < 0 ? [] : c.daily.slice(first);
      const daily = kept.concat(
        added
          .filter((r) => !r.reference)
          .map(toItem)
          .sort(compareItems),
      );
      const fresh = added.filter((r) => r.reference);
      const reference = window.to > c.to && fresh.length > 0 ? fresh.map(toItem).sort(compareItems) : c.reference;
      c = { ...window, daily, reference, items: merge(daily, reference) };
      cache.set(id, c);
    }
    return c.items;
  }

  return {
    items,
    file(customerId, fileId, now) {
      for (const doctype of household.doctypes(customerId, holder)) {
        for (const item of items(customerId, doctype, now)) {
          const f = item.files?.find((x) => x.id === fileId);
          if (f) return { doctype, name: f.name ?? fileId, contentType: f.contentType ?? 'application/octet-stream' };
        }
      }
      return undefined;
    },
  };
}
