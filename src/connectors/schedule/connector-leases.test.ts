import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { createSqliteDocumentStore } from '../../storage/sqlite/sqlite-document-store.js';
import { makeTestPostgresStore } from '../../testing/postgres.js';
import { createConnectorLeases } from './connector-leases.js';

const MINUTE = 60_000;
const SPACE = 'alice';

const stores: [string, () => Promise<{ store: DocumentStore; cleanup(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'foyer-leases-'));
      const store = createSqliteDocumentStore({ dataDir: dir });
      return {
        store,
        async cleanup() {
          await store.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  ['PostgreSQL', () => makeTestPostgresStore()],
];

describe.each(stores)('connector run leases on %s', (_, open) => {
  let store: DocumentStore;
  let cleanup: () => Promise<void>;
  const clock = manualClock(Date.parse('2026-06-15T10:00:00.000Z'));
  const leasesOf = (holder: string) => createConnectorLeases({ store, clock, holder });

  beforeAll(async () => {
    ({ store, cleanup } = await open());
    await store.createSpace({ id: SPACE, hosts: [], timeZone: 'Europe/Paris', createdAt: new Date().toISOString() });
  });
  afterAll(() => cleanup());

  it('lets one holder take a lease and refuses it to everyone, that holder too, while it lasts', async () => {
    const a = leasesOf('process-a');
    const b = leasesOf('process-b');
    const took = await a.take(SPACE, 'bank', 10 * MINUTE);
    expect(took.taken).toBe(true);
    expect(await b.take(SPACE, 'bank', 10 * MINUTE)).toEqual({
      taken: false,
      heldBy: 'process-a',
      until: clock.now() + 10 * MINUTE,
    });
    expect((await a.take(SPACE, 'bank', 10 * MINUTE)).taken).toBe(false);
    // Another connector of the same space is another lease.
    expect((await b.take(SPACE, 'telecom', 10 * MINUTE)).taken).toBe(true);
  });

  it('hands a lapsed lease over, and the old holder releasing it later leaves the new one alone', async () => {
    const a = leasesOf('process-a');
    const b = leasesOf('process-b');
    const c = leasesOf('process-c');
    const first = await a.take(SPACE, 'water', 10 * MINUTE);
    if (!first.taken) throw new Error('the free lease was not taken');
    clock.advance(10 * MINUTE - 1);
    expect((await b.take(SPACE, 'water', 10 * MINUTE)).taken).toBe(false);
    clock.advance(1);
    const second = await b.take(SPACE, 'water', 10 * MINUTE);
    expect(second.taken).toBe(true);
    await a.release(first.lease);
    expect(await c.take(SPACE, 'water', 10 * MINUTE)).toMatchObject({ taken: false, heldBy: 'process-b' });
  });

  it('frees a released lease at once', async () => {
    const a = leasesOf('process-a');
    const took = await a.take(SPACE, 'gas', 10 * MINUTE);
    if (!took.taken) throw new Error('the free lease was not taken');
    await a.release(took.lease);
    expect((await leasesOf('process-b').take(SPACE, 'gas', 10 * MINUTE)).taken).toBe(true);
  });

  it('gives a lease taken by many processes at once to exactly one', async () => {
    for (const connector of ['insurer', 'retailer']) {
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => leasesOf(`process-${i}`).take(SPACE, connector, 10 * MINUTE)),
      );
      const winners = results.filter((r) => r.taken);
      expect(winners).toHaveLength(1);
      for (const r of results) if (!r.taken) expect(r.until).toBe(clock.now() + 10 * MINUTE);
    }
  });
});
