import { describe, expect, it } from 'vitest';
import { manualClock } from '../platform/clock.js';
import { createMemoryHolderKitStore, type StoredEntry } from './holder-kit-store.js';

const entry = (id: string, grantId: string | null, expiresAt: number): StoredEntry => ({
  kind: 'access',
  id,
  grantId,
  expiresAt,
  consumedAt: null,
  data: { n: 1 },
});

describe('createMemoryHolderKitStore', () => {
  it('forgets an entry once the clock reaches its expiry', async () => {
    const clock = manualClock(1000);
    const store = createMemoryHolderKitStore({ clock });
    await store.put(entry('a', null, 2000));
    expect(await store.get('access', 'a')).toMatchObject({ id: 'a' });
    expect(await store.get('refresh', 'a')).toBeUndefined();
    clock.set(2000);
    expect(await store.get('access', 'a')).toBeUndefined();
    expect(await store.consume('access', 'a', 2000)).toBeUndefined();
  });

  it('lets exactly one of two concurrent consumers see the entry unconsumed', async () => {
    const store = createMemoryHolderKitStore({ clock: manualClock(0) });
    await store.put(entry('a', null, 10));
    const [x, y] = await Promise.all([store.consume('access', 'a', 5), store.consume('access', 'a', 6)]);
    expect([x?.consumedAt, y?.consumedAt]).toEqual([null, 5]);
  });

  it('hands out copies: changing what it returned changes nothing stored', async () => {
    const store = createMemoryHolderKitStore({ clock: manualClock(0) });
    await store.put(entry('a', null, 10));
    (await store.get('access', 'a'))!.data.n = 2;
    expect((await store.get('access', 'a'))!.data.n).toBe(1);
  });

  it('deletes every entry of a grant, and only those', async () => {
    const store = createMemoryHolderKitStore({ clock: manualClock(0) });
    await store.put(entry('a', 'g1', 10));
    await store.put({ ...entry('b', 'g1', 10), kind: 'refresh' });
    await store.put(entry('c', 'g2', 10));
    await store.revokeGrant('g1');
    expect(await store.get('access', 'a')).toBeUndefined();
    expect(await store.get('refresh', 'b')).toBeUndefined();
    expect(await store.get('access', 'c')).toBeDefined();
  });
});
