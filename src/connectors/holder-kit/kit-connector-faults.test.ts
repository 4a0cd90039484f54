/**
 * Each fault the simulated holders inject, against a built-in Holder Kit connector (the water
 * utility's: a series and documents): the run ends in its documented state, and nothing is
 * duplicated or half-written. Faults are the holder's run configuration; a test removes a rule to
 * end the fault, as a holder recovering would.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FILE_DOCTYPE } from '../../core/files/file-doctype.js';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { parseFaultSpec, type FaultConfig } from '../../holders/faults/fault-config.js';
import { createHousehold } from '../../holders/household/household.js';
import { startKitHolder, type KitHolder } from '../../holders/kit-holders/start-kit-holder.js';
import type { RunRecord } from '../connector-records.js';
import { kitConnectors } from './kit-connectors.js';
import { startKitRig, type KitRig } from './testing/kit-rig.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const ID = 'water-kit';

let rig: KitRig | undefined;
let holder: KitHolder | undefined;
afterEach(async () => {
  await holder?.close();
  await rig?.close();
  holder = rig = undefined;
});

/** A Foyer connected to the water utility, whose faults are `specs`. */
async function connected(...specs: string[]) {
  rig = await startKitRig({ now: NOW, connectors: kitConnectors() });
  const household = createHousehold({ seed: 'kit-faults-test', clock: rig.clock });
  const faults: FaultConfig = { seed: 'kit-faults', rules: Object.fromEntries(specs.map(parseFaultSpec)) };
  holder = await startKitHolder('water', { household, clock: rig.clock, faults });
  const customer = household.customers.find((c) => c.holders.includes('water'))!;
  await rig.connect(ID, holder.url, customer.logins.water!);
  const window = household.window(rig.clock.now());
  const bills = household.records(customer.id, 'water', 'bill', window);
  const expected = {
    'water.daily': household.records(customer.id, 'water', 'water.daily', window).length,
    bill: bills.length,
    [FILE_DOCTYPE]: new Set(bills.flatMap((b) => (b.files ?? []).map((f) => f.id))).size,
  };
  return { rig, holder, faults, expected, customer };
}

const NOTHING = { 'water.daily': 0, bill: 0, [FILE_DOCTYPE]: 0 };

/** What the space holds; every file's content is a blob, and no blob is left over. */
async function held(r: KitRig) {
  const files = await r.documentIds(FILE_DOCTYPE);
  expect(await r.f.foyer.fileStore.list(DEFAULT_SPACE)).toHaveLength(files.length);
  return {
    'water.daily': (await r.pointKeys('water.daily')).length,
    bill: (await r.documentIds('bill')).length,
    [FILE_DOCTYPE]: files.length,
  };
}
const created = (run: RunRecord) => Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, c.created]));
const installation = async (r: KitRig) =>
  (
    (await (await r.f.request('/api/connectors')).json()) as {
      connectors: { manifest: { id: string }; installed: { cursor: unknown; attention: unknown } | null }[];
    }
  ).connectors.find((c) => c.manifest.id === ID)!.installed!;

describe('the Holder Kit connector under the holder’s faults', () => {
  it('collects everything exactly despite latency and short pages', async () => {
    const { rig, holder, expected } = await connected('latency=always,ms=5', 'short-page=always,size=7');
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(created(run)).toEqual(expected);
    expect(await held(rig)).toEqual(expected);
    const shortPages = holder.faults.events.filter((e) => e.kind === 'short-page').length;
    expect(shortPages).toBeGreaterThanOrEqual(Math.ceil(expected['water.daily'] / 7));
  });

  it('tries a 500 again within the run and writes each item once', async () => {
    const { rig, holder, expected } = await connected('server-error=every:2,paths=/v1/data/');
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(holder.faults.events.length).toBeGreaterThan(0);
    expect(run.logs.some((l) => l.includes('answered 500, trying again'))).toBe(true);
    expect(await held(rig)).toEqual(expected);
  });

  it('ends holder_unavailable when 500s persist, with nothing half-written, and resumes from nothing once they stop', async () => {
    const { rig, faults, expected } = await connected('server-error=always,paths=/v1/data/bill');
    const failed = await rig.run(ID);
    expect(failed.error).toMatchObject({ code: 'holder_unavailable', retry: 'backoff' });
    expect(failed.error!.detail).toContain('bill: the holder answered 500 server_error');
    expect(failed.counts).toEqual({});
    // The water readings were read before the bills failed: none of them is in the space.
    expect(await held(rig)).toEqual(NOTHING);
    expect((await installation(rig)).cursor).toBe(null);

    delete faults.rules['server-error'];
    const run = await rig.run(ID);
    expect(created(run)).toEqual(expected);
    expect(await held(rig)).toEqual(expected);
  });

  it('tries a file again on a 500; when 500s persist on files, keeps neither file nor blob, then resumes', async () => {
    const flaky = await connected('server-error=every:12,paths=/v1/files/');
    const run = await flaky.rig.run(ID);
    expect(run.error).toBe(null);
    expect(run.logs.some((l) => /file .* answered 500\. Trying again/.test(l))).toBe(true);
    expect(await held(flaky.rig)).toEqual(flaky.expected);
    await flaky.holder.close();
    await flaky.rig.close();

    const { rig, faults, expected } = await connected('server-error=always,paths=/v1/files/');
    const failed = await rig.run(ID);
    expect(failed.error).toMatchObject({ code: 'holder_unavailable', retry: 'backoff' });
    expect(failed.error!.detail).toMatch(/^The file \/v1\/files\/bill-.* answered 500/);
    expect(await held(rig)).toEqual(NOTHING);
    delete faults.rules['server-error'];
    expect(created(await rig.run(ID))).toEqual(expected);
    expect(await held(rig)).toEqual(expected);
  });

  it('ends holder_unavailable when the holder hangs on every try', async () => {
    const { rig } = await connected('timeout=always,ms=100,paths=/v1/data/');
    const run = await rig.run(ID);
    expect(run.error).toMatchObject({ code: 'holder_unavailable', retry: 'backoff' });
    expect(await held(rig)).toEqual(NOTHING);
  });

  it('ends quota with the holder’s Retry-After on a 429', async () => {
    const { rig } = await connected('rate-limit=always,retry-after=120,paths=/v1/data/');
    const run = await rig.run(ID);
    expect(run.error).toMatchObject({ code: 'quota', retry: 'backoff', retryAfterSeconds: 120 });
    expect(await held(rig)).toEqual(NOTHING);
  });

  it.each([
    ['malformed JSON', 'malformed-json=always,paths=/v1/data/bill', 'is not JSON'],
    ['a changed field format', 'changed-format=always,paths=/v1/data/bill', 'is not an RFC 3339 instant'],
  ])('ends holder_format_changed on %s, writing nothing', async (_what, spec, detail) => {
    const { rig } = await connected(spec);
    const run = await rig.run(ID);
    expect(run.error).toMatchObject({ code: 'holder_format_changed', retry: 'next' });
    expect(run.error!.detail).toContain(detail);
    expect(await held(rig)).toEqual(NOTHING);
  });

  it('ends login_failed when the holder refuses the token Foyer just refreshed, and waits for the person', async () => {
    const { rig } = await connected('expired-credentials=always,paths=/v1/data/');
    const run = await rig.run(ID);
    expect(run.error).toMatchObject({ code: 'login_failed', retry: 'person' });
    expect(run.error!.detail).toContain('401 invalid_token');
    expect(await installation(rig)).toMatchObject({ attention: { code: 'login_failed' } });
    expect(await held(rig)).toEqual(NOTHING);
  });

  it('ends user_action_needed once the person withdrew the consent at the holder, keeping what was collected', async () => {
    const { rig, holder, expected } = await connected();
    expect(created(await rig.run(ID))).toEqual(expected);
    const { refreshToken } = await rig.tokens(ID);
    const revoked = await fetch(`${holder.url}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken!, token_type_hint: 'refresh_token', client_id: 'foyer' }),
    });
    expect(revoked.status).toBe(200);
    const run = await rig.run(ID);
    expect(run.error).toMatchObject({ code: 'user_action_needed', retry: 'person' });
    expect(await held(rig)).toEqual(expected);
  });

  it('connects through a holder login that asks a second factor; the runs need nothing more', async () => {
    const { rig, holder, expected } = await connected('second-factor=always');
    expect(holder.faults.events.map((e) => e.kind)).toContain('second-factor');
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(created(run)).toEqual(expected);
  });
});
