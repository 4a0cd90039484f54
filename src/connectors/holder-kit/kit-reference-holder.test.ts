/**
 * The generic Holder Kit connector against the Kit's own reference holder (the library as any
 * organisation would mount it): paging, `since`, changed items upserted by key, a grant narrower
 * than what the holder offers, the connector's own deadline, and what it refuses to guess: items
 * that do not fit the catalog, a discovery naming a schema or Kit version Foyer does not know.
 */
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHolderKit } from '../../holder-kit/holder-kit.js';
import { createReferenceHolder, REFERENCE_CLIENT, type ReferenceHolder } from '../../holder-kit/reference-holder.js';
import { parseFaultSpec, type FaultConfig } from '../../holders/faults/fault-config.js';
import { faultInjection } from '../../holders/faults/fault-injection.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import type { RunRecord } from '../connector-records.js';
import { startKitRig, type KitRig } from './testing/kit-rig.js';
import { referenceConnectors } from './testing/reference-connectors.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const ALICE = { username: 'alice', password: 'alice-password' };

let rig: KitRig;
let reference: ReferenceHolder;
let served: RunningHolder;
/** Every request the holder got: `METHOD path?query`. */
let requests: string[];
let faults: FaultConfig;
/** Applied to the discovery document the holder serves, when set. */
let rewriteDiscovery: ((doc: Record<string, unknown>) => void) | null;
let stuck: boolean;

beforeEach(async () => {
  rig = await startKitRig({ now: NOW, connectors: referenceConnectors() });
  reference = createReferenceHolder({
    clock: rig.clock,
    clients: [{ ...REFERENCE_CLIENT, acceptsRedirectUri: (uri) => uri.startsWith('http://127.0.0.1:') }],
  });
  requests = [];
  faults = { seed: 'reference', rules: {} };
  rewriteDiscovery = null;
  stuck = false;
  const app = new Hono();
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    requests.push(`${c.req.method} ${url.pathname}${url.search}`);
    await next();
    if (url.pathname === '/.well-known/holder-kit' && rewriteDiscovery) {
      const doc = (await c.res.json()) as Record<string, unknown>;
      rewriteDiscovery(doc);
      c.res = new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/json' } });
    }
  });
  app.use('*', faultInjection(faults));
  const kit = createHolderKit(reference.options);
  app.all('*', async (c) => {
    const url = new URL(c.req.url);
    if (!stuck || !url.pathname.startsWith('/v1/data/')) return kit.fetch(c.req.raw);
    // A broken holder: the first page again and again, always with the same next.
    url.searchParams.delete('cursor');
    const page = (await (await kit.fetch(new Request(url, c.req.raw))).json()) as object;
    return c.json({ ...page, next: 'stuck' });
  });
  served = await serveHolder(app);
  await rig.connect('reference-kit', served.url, ALICE);
});
afterEach(async () => {
  await served.close();
  await rig.close();
});

const counts = (run: RunRecord) =>
  Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, [c.created, c.updated, c.unchanged]]));
const dataRequests = () => requests.filter((r) => r.startsWith('GET /v1/data/'));

describe('the generic Holder Kit connector on the reference holder', () => {
  it('walks every page from discovery, then asks only for what changed since, and upserts a changed item by its key', async () => {
    const first = await rig.run('reference-kit');
    expect(first.error).toBe(null);
    // Two meters for 90 days, three bills; pages of 7.
    expect(counts(first)).toEqual({ 'water.daily': [180, 0, 0], bill: [3, 0, 0] });
    expect(dataRequests().filter((r) => r.includes('water.daily'))).toHaveLength(Math.ceil(180 / 7));
    expect(dataRequests().every((r) => r.includes('limit=7') && !r.includes('since='))).toBe(true);
    expect(await rig.documentIds('bill')).toHaveLength(3);

    // The holder corrects a bill and publishes a reading.
    const [bill] = (await reference.options.datasets[1]!.list('c1', { until: NOW, limit: 1 })).items;
    const now = rig.clock.now();
    reference.upsert('c1', 'bill', {
      ...bill!,
      updatedAt: now - 1000,
      data: { ...(bill!.data as object), totalAmount: 99 },
    });
    reference.upsert('c1', 'water.daily', {
      key: 'W1-0001/2026-03-10',
      updatedAt: now - 500,
      data: { meterId: 'W1-0001', date: '2026-03-10', volumeLitres: 111, leak: false },
    });
    requests = [];
    rig.clock.advance(60_000);
    const second = await rig.run('reference-kit');
    expect(counts(second)).toEqual({ 'water.daily': [1, 0, 0], bill: [0, 1, 0] });
    expect(dataRequests()).toHaveLength(2);
    expect(dataRequests().every((r) => r.includes('since='))).toBe(true);
    expect(await rig.documentIds('bill')).toHaveLength(3);

    // A backfill reads everything again and creates nothing.
    const backfill = await rig.run('reference-kit', { backfill: true });
    expect(counts(backfill)).toEqual({ 'water.daily': [0, 0, 181], bill: [0, 0, 3] });
  });

  it('collects only the doctypes its grant allows when the holder offers more', async () => {
    await rig.connect('reference-bills', served.url, ALICE);
    requests = [];
    const run = await rig.run('reference-bills');
    expect(counts(run)).toEqual({ bill: [3, 0, 0] });
    expect(dataRequests().every((r) => r.startsWith('GET /v1/data/bill'))).toBe(true);
  });

  it('skips a doctype the holder stopped offering, and says so in the run’s log', async () => {
    rewriteDiscovery = (doc) => {
      doc.doctypes = (doc.doctypes as { name: string }[]).filter((d) => d.name !== 'bill');
    };
    const run = await rig.run('reference-kit');
    expect(counts(run)).toEqual({ 'water.daily': [180, 0, 0] });
    expect(run.logs).toContain('Reference Water: water.daily: 180, bill: not offered');
  });

  it('ends holder_format_changed on an item that does not fit the catalog, writing nothing of the run', async () => {
    reference.upsert('c1', 'water.daily', {
      key: 'W1-0001/broken',
      updatedAt: NOW - 1000,
      data: { date: '2026-03-09', volumeLitres: 'a lot' },
    });
    const run = await rig.run('reference-kit');
    expect(run.error).toMatchObject({ code: 'holder_format_changed' });
    expect(run.error!.detail).toContain('does not fit the catalog');
    expect(await rig.pointKeys('water.daily')).toEqual([]);
    expect(await rig.documentIds('bill')).toEqual([]);
  });

  it.each([
    [
      'a schema version Foyer does not know',
      (doc: Record<string, unknown>) => {
        const water = (doc.doctypes as Record<string, unknown>[]).find((d) => d.name === 'water.daily')!;
        water.schemaVersion = 2;
        water.schemaId = 'urn:foyer:doctype:water.daily:2';
      },
      'Foyer knows version 1',
    ],
    [
      'a Kit major version it does not read',
      (doc: Record<string, unknown>) => (doc.kitVersion = '2.0'),
      'Holder Kit 2.0',
    ],
    ['a discovery without doctypes', (doc: Record<string, unknown>) => delete doc.doctypes, 'lists no doctypes'],
  ])('ends holder_format_changed on %s, before reading any data', async (_what, rewrite, detail) => {
    rewriteDiscovery = rewrite;
    const run = await rig.run('reference-kit');
    expect(run.error).toMatchObject({ code: 'holder_format_changed', retry: 'next' });
    expect(run.error!.detail).toContain(detail);
    expect(dataRequests()).toEqual([]);
  });

  it('ends holder_format_changed when the holder gives the same page cursor twice, instead of looping', async () => {
    stuck = true;
    const run = await rig.run('reference-kit');
    expect(run.error).toMatchObject({ code: 'holder_format_changed' });
    expect(run.error!.detail).toContain('water.daily: the holder gave the same page cursor twice');
    expect(dataRequests()).toHaveLength(2);
  });

  it('gives up on a call that outlives its deadline after a bounded number of tries: holder_unavailable', async () => {
    faults.rules.timeout = parseFaultSpec('timeout=always,ms=5000,paths=/v1/data/')[1];
    const run = await rig.run('reference-kit');
    expect(run.error).toMatchObject({ code: 'holder_unavailable' });
    expect(run.error!.detail).toContain('no answer after 2 tries');
    expect(dataRequests()).toHaveLength(2);
    expect(run.durationMs).toBeLessThan(4000);
  });
});
