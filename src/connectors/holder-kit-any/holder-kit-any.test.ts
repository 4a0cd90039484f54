/**
 * The `holder-kit` connector installed at any Kit holder's origin (real HTTP on loopback, real
 * Foyer on SQLite, real worker threads): its OAuth endpoints and scopes come from the holder's
 * discovery document, the first sync brings what that holder offers, a rerun creates nothing;
 * a discovery pointing elsewhere, a holder offering nothing it knows, an install without origin
 * are refused with a message the person can act on.
 */
import { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FILE_DOCTYPE } from '../../core/files/file-doctype.js';
import type { Catalog } from '../../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { createHolderKit } from '../../holder-kit/holder-kit.js';
import { createReferenceHolder, REFERENCE_CLIENT } from '../../holder-kit/reference-holder.js';
import { noFaults } from '../../holders/faults/fault-config.js';
import { createHousehold } from '../../holders/household/household.js';
import type { KitHolderId } from '../../holders/kit-holders/kit-holder-profiles.js';
import { startKitHolder } from '../../holders/kit-holders/start-kit-holder.js';
import { serveHolder } from '../../holders/serve-holder.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import type { RunRecord } from '../connector-records.js';
import { KIT_DOCTYPES } from '../holder-kit/kit-doctypes.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { anyKitHolderConnector } from './definition.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const ID = 'holder-kit';

let catalog: Catalog;
const closing: (() => Promise<void>)[] = [];
beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
});
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});
afterAll(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

async function rig(): Promise<KitRig> {
  const r = await startKitRig({ now: NOW, connectors: [anyKitHolderConnector()] });
  closing.push(() => r.close());
  return r;
}

const created = (run: RunRecord) => Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, c.created]));

/** Created per doctype for these items (count per doctype, files once each, only doctypes with a file field). */
function expectedCounts(items: Record<string, { files?: { id: string }[] }[]>): Record<string, number> {
  const counts: Record<string, number> = {};
  const files = new Set<string>();
  for (const [doctype, list] of Object.entries(items)) {
    if (list.length > 0) counts[doctype] = list.length;
    if (KIT_DOCTYPES[doctype]!.files) for (const i of list) for (const f of i.files ?? []) files.add(f.id);
  }
  if (files.size > 0) counts[FILE_DOCTYPE] = files.size;
  return counts;
}

/** A first run creates exactly these items (and their files), a second one nothing (its token refreshed). */
async function expectSyncThenNothing(r: KitRig, items: Record<string, { files?: { id: string }[] }[]>) {
  const first = await r.run(ID);
  expect(first.error).toBe(null);
  expect(created(first)).toEqual(expectedCounts(items));
  const second = await r.run(ID);
  expect(second.error).toBe(null);
  expect(second.counts).toEqual({});
}

/** The Kit's reference holder on loopback, its discovery document rewritten by `rewrite`. */
async function referenceHolder(r: KitRig, rewrite: (doc: Record<string, unknown>) => void = () => {}) {
  const reference = createReferenceHolder({
    clock: r.clock,
    clients: [{ ...REFERENCE_CLIENT, acceptsRedirectUri: (uri) => uri.startsWith('http://127.0.0.1:') }],
  });
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    if (new URL(c.req.url).pathname !== '/.well-known/holder-kit') return;
    const doc = (await c.res.json()) as Record<string, unknown>;
    rewrite(doc);
    c.res = new Response(JSON.stringify(doc), { headers: { 'content-type': 'application/json' } });
  });
  const kit = createHolderKit(reference.options);
  app.all('*', (c) => kit.fetch(c.req.raw));
  const served = await serveHolder(app);
  closing.push(() => served.close());
  return { reference, url: served.url };
}

/** Installs at `origin`, accepts the grant, and asks to start the OAuth connection. */
async function startAt(r: KitRig, origin: string) {
  const installed = await jsonBody(
    await r.f.request(`/api/connectors/${ID}/install`, { method: 'POST', json: { origin } }),
  );
  await acceptGrant(r.f, installed.grant);
  const res = await r.f.request(`/api/connectors/${ID}/oauth/start`, { method: 'POST' });
  return { status: res.status, body: await jsonBody(res) };
}

describe('the holder-kit connector, installed at any Kit holder', () => {
  it.each<KitHolderId>(['water', 'telecom'])(
    'at the simulated %s holder: connects by discovery, first sync equals the household’s records, a rerun creates nothing',
    async (holder) => {
      const r = await rig();
      const household = createHousehold({ seed: `holder-kit-any-${holder}`, clock: r.clock });
      const h = await startKitHolder(holder, { household, clock: r.clock, faults: noFaults(), catalog });
      closing.push(() => h.close());
      const customer = household.customers.find((c) => c.holders.includes(holder))!;
      await r.connect(ID, h.url, customer.logins[holder]!);
      // The discovered token endpoint is kept with the tokens: a refresh before each run reaches it.
      expect((await r.tokens(ID)).tokenUrl).toBe(`${h.url}/oauth/token`);

      const range = household.window(r.clock.now());
      const records = Object.fromEntries(
        household.doctypes(customer.id, holder).map((d) => [d, household.records(customer.id, holder, d, range)]),
      );
      await expectSyncThenNothing(r, records);
    },
    120_000,
  );

  it('at the Kit’s reference holder: first sync equals what it holds for the person, a rerun creates nothing', async () => {
    const r = await rig();
    const { reference, url } = await referenceHolder(r);
    const alice = reference.customers.find((c) => c.username === 'alice')!;
    await r.connect(ID, url, alice);
    const items: Record<string, { files?: { id: string }[] }[]> = {};
    for (const dataset of reference.options.datasets) {
      items[dataset.doctype] = (await dataset.list(alice.customerId, { until: r.clock.now(), limit: 1_000_000 })).items;
    }
    await expectSyncThenNothing(r, items);
  }, 60_000);

  it('refuses a discovery document whose endpoints are on another origin, naming it', async () => {
    const r = await rig();
    const { url } = await referenceHolder(r, (doc) => {
      (doc.endpoints as Record<string, string>).token = 'http://127.0.0.2:9/oauth/token';
    });
    const started = await startAt(r, url);
    expect(started.status).toBe(400);
    expect((started.body.error as { message: string }).message).toContain(
      `sends you to http://127.0.0.2:9, not to ${url}`,
    );
  }, 60_000);

  it('refuses a holder offering none of the doctypes it collects, saying what the holder offers', async () => {
    const r = await rig();
    const { url } = await referenceHolder(r, (doc) => {
      doc.doctypes = [
        { name: 'pet.vet-visit', schemaVersion: 1, schemaId: 'urn:x:pet:1', endpoint: 'http://x.test/v1/data/pet' },
      ];
    });
    const started = await startAt(r, url);
    expect(started.status).toBe(400);
    expect((started.body.error as { message: string }).message).toBe(
      `${url} offers none of the data Any Holder Kit holder collects (it offers pet.vet-visit).`,
    );
  }, 60_000);

  it('refuses an origin that serves no Holder Kit discovery document', async () => {
    const r = await rig();
    const { url } = await referenceHolder(r, (doc) => {
      delete doc.endpoints;
    });
    const started = await startAt(r, url);
    expect(started.status).toBe(400);
    expect((started.body.error as { message: string }).message).toBe(
      `${url}/.well-known/holder-kit is not a Holder Kit discovery document (200).`,
    );
  }, 60_000);

  it('is not installed without the holder’s origin', async () => {
    const r = await rig();
    const res = await r.f.request(`/api/connectors/${ID}/install`, { method: 'POST', json: {} });
    expect(res.status).toBe(400);
    expect(((await jsonBody(res)).error as { message: string }).message).toContain(
      'give the holder’s address (origin)',
    );
    expect(await r.f.foyer.connectors.installations('default')).toEqual([]);
  }, 60_000);
});
