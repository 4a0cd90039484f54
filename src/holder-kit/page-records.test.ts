import { describe, expect, it } from 'vitest';
import type { HolderKitItem } from './holder-kit-options.js';
import { KitError } from './kit-error.js';
import { pageRecords } from './page-records.js';

const item = (key: string, updatedAt: number): HolderKitItem => ({ key, updatedAt, data: { key } });
const keys = (items: HolderKitItem[]) => items.map((i) => i.key);

describe('pageRecords', () => {
  const items = [item('c', 20), item('a', 10), item('b', 20), item('d', 30), item('e', 40)];

  it('orders by updatedAt then key, whatever the input order, without changing the input', () => {
    const copy = [...items];
    expect(keys(pageRecords(items, { until: 100, limit: 10 }).items)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(items).toEqual(copy);
  });

  it('walks pages from the position of the previous last item, ties included', () => {
    const first = pageRecords(items, { until: 100, limit: 2 });
    expect(keys(first.items)).toEqual(['a', 'b']);
    const second = pageRecords(items, { until: 100, limit: 2, cursor: first.next! });
    expect(keys(second.items)).toEqual(['c', 'd']);
    const third = pageRecords(items, { until: 100, limit: 2, cursor: second.next! });
    expect(third).toEqual({ items: [item('e', 40)], next: null });
  });

  it('keeps only items after since (strictly) and before until (strictly)', () => {
    expect(keys(pageRecords(items, { since: 20, until: 40, limit: 10 }).items)).toEqual(['d']);
    expect(keys(pageRecords(items, { since: 19, until: 41, limit: 10 }).items)).toEqual(['b', 'c', 'd', 'e']);
  });

  it('gives no next cursor when the rest lies at or past until', () => {
    expect(pageRecords(items, { until: 30, limit: 3 }).next).toBeNull();
    expect(pageRecords(items, { until: 31, limit: 3 }).next).not.toBeNull();
  });

  it('handles keys containing the position separator', () => {
    const odd = [item('x~1', 5), item('x~2', 5)];
    const first = pageRecords(odd, { until: 10, limit: 1 });
    expect(keys(pageRecords(odd, { until: 10, limit: 1, cursor: first.next! }).items)).toEqual(['x~2']);
  });

  it('refuses a position it cannot read', () => {
    for (const cursor of ['', 'abc', '~a', 'x~a']) {
      expect(() => pageRecords(items, { until: 100, limit: 2, cursor })).toThrow(KitError);
    }
  });
});
