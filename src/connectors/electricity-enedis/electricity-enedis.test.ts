/**
 * The built-in electricity connector against the simulated distributor in the Enedis Data
 * Connect style (real HTTP on loopback, a real Foyer on SQLite, real worker threads): connecting
 * is the person's consent at the distributor; a first sync brings exactly the household's daily
 * energy, 30-minute load curve (clock changes included), maximum power, contract and bills; a
 * rerun creates nothing; the next simulated day adds only that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { createElectricityHolder } from '../../holders/electricity/electricity-holder.js';
import {
  createHousehold,
  type Customer,
  type HolderRecord,
  type Household,
} from '../../holders/household/household.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import { defaultElectricityClient } from '../../holders/start-holders.js';
import { importedDocumentId } from '../../importers/import-service.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import { builtinConnectors } from '../builtin-connectors.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { connectAtHolder } from '../redirect-testing/person-at-holder.js';
import { SIMULATED_CLIENT } from './connection.js';
import { electricityEnedisConnector } from './definition.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;
const ID = 'electricity-enedis';
const SERIES = ['energy.electricity.daily', 'energy.electricity.load-curve', 'energy.electricity.max-power'];

let rig: KitRig;
let household: Household;
let distributor: RunningHolder;
let customer: Customer;

beforeAll(async () => {
  rig = await startKitRig({ now: NOW, connectors: [electricityEnedisConnector()] });
  // As `foyer holders` makes it: the holders clamp to what they have published.
  household = createHousehold({ seed: 'electricity-connector-test' });
  distributor = await serveHolder(
    createElectricityHolder({ household, clock: rig.clock, clients: [defaultElectricityClient] }),
  );
  customer = household.customers.find((c) => c.holders.includes('electricity'))!;
}, 60_000);
afterAll(async () => {
  await distributor?.close();
  await rig?.close();
});

/** Every point of a series doctype, as stored, in time order. */
async function points(doctype: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let after: { t: number; stream: string } | undefined;
  for (;;) {
    const page = await rig.f.foyer.documentStore.readPoints(
      DEFAULT_SPACE,
      doctype,
      { from: 0, to: 8.64e15 },
      10_000,
      after,
    );
    out.push(...page.map((p) => JSON.parse(p.data) as Record<string, unknown>));
    if (page.length < 10_000) return out;
    after = { t: page.at(-1)!.t, stream: page.at(-1)!.stream };
  }
}

async function docs(doctype: string): Promise<Map<string, unknown>> {
  const all = await rig.f.foyer.documentStore.findDocuments(DEFAULT_SPACE, doctype, {
    selector: null,
    sort: [],
    limit: 1_000_000,
  });
  return new Map(all.filter((d) => !d.deleted).map((d) => [d.id, JSON.parse(d.data!) as unknown]));
}

const records = (doctype: string, range: { from: string; to: string }) =>
  household.records(customer.id, 'electricity', doctype, range);

/** What the metering API carries of a household point (the daily split into peak hours is not in it). */
function expectedPoint(doctype: string, data: Record<string, unknown>): Record<string, unknown> {
  if (doctype !== 'energy.electricity.daily') return data;
  const { usagePointId, date, energyKwh, quality } = data;
  return { usagePointId, date, energyKwh, quality };
}

describe('the electricity connector (Enedis Data Connect style)', () => {
  it('is offered by Foyer, connects at the distributor, with the client `foyer holders` registers', () => {
    const offered = builtinConnectors().find((c) => c.manifest.id === ID);
    expect(offered?.manifest.auth).toEqual({ kind: 'redirect' });
    expect(SIMULATED_CLIENT).toEqual({
      clientId: defaultElectricityClient.clientId,
      clientSecret: defaultElectricityClient.clientSecret,
    });
  });

  it('connects by the person’s consent at the distributor: Foyer keeps the usage point, not the password', async () => {
    const installed = await jsonBody(
      await rig.f.request(`/api/connectors/${ID}/install`, { method: 'POST', json: { origin: distributor.url } }),
    );
    await acceptGrant(rig.f, installed.grant);
    const done = await connectAtHolder(rig.f, ID, customer.logins.electricity!);
    expect(done.status).toBe(200);
    const kept = await rig.tokens(ID);
    expect(kept).toEqual({ usagePointId: customer.electricity!.usagePointId, ...SIMULATED_CLIENT });
    expect(JSON.stringify(kept)).not.toContain(customer.logins.electricity!.password);
  });

  it('first sync: exactly three years of the household’s metering, its contract and its bills', async () => {
    const window = household.window(rig.clock.now());
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    for (const doctype of [...SERIES, 'energy.contract', 'bill']) {
      expect(run.counts[doctype]?.created, doctype).toBe(records(doctype, window).length);
    }
    for (const doctype of SERIES) {
      expect(await points(doctype), doctype).toEqual(
        records(doctype, window).map((r) => expectedPoint(doctype, r.data)),
      );
    }
    expect(await docs('energy.contract')).toEqual(
      new Map(records('energy.contract', window).map((r) => [importedDocumentId('energy.contract', r.key), r.data])),
    );
    // Each bill with its PDF, as the supplier issued it.
    const bills = records('bill', window);
    expect(run.counts['foyer.file']?.created).toBe(bills.length);
    const fileOf = (r: HolderRecord) => importedDocumentId('foyer.file', `${ID}/${r.files![0]!.id}`);
    expect(await docs('bill')).toEqual(
      new Map(bills.map((r) => [importedDocumentId('bill', r.key), { ...r.data, fileId: fileOf(r) }])),
    );
    for (const r of [bills[0]!, bills.at(-1)!]) {
      const content = await rig.f.request(`/api/files/${fileOf(r)}/content`);
      expect(content.headers.get('content-type')).toBe('application/pdf');
      expect(Buffer.from(await content.arrayBuffer())).toEqual(
        Buffer.from(household.file(customer.id, 'electricity', r.files![0]!.id)),
      );
    }
    // 7 days a load-curve call, 365 a daily one: three years in 157 and 4 calls; a call a PDF.
    expect(run.calls[new URL(distributor.url).host]!.allowed).toBe(1 + 1 + 4 + 4 + 157 + 1 + 4 + bills.length);
  }, 120_000);

  it('a second run creates nothing', async () => {
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    for (const c of Object.values(run.counts)) expect(c).toMatchObject({ created: 0, updated: 0 });
  });

  it('the next day adds only that day', async () => {
    const before = Object.fromEntries(await Promise.all(SERIES.map(async (d) => [d, (await points(d)).length])));
    rig.clock.advance(DAY);
    const day = household.window(rig.clock.now()).to;
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    for (const doctype of SERIES) {
      const fresh = records(doctype, { from: day, to: day });
      expect(run.counts[doctype]?.created, doctype).toBe(fresh.length);
      const stored = await points(doctype);
      expect(stored).toHaveLength(before[doctype] + fresh.length);
      expect(stored.slice(-fresh.length)).toEqual(fresh.map((r) => expectedPoint(doctype, r.data)));
    }
    expect(run.counts.bill?.created ?? 0).toBe(records('bill', { from: day, to: day }).length);
  }, 60_000);
});
