/**
 * Each fault the simulated distributor injects, against the electricity connector (with short
 * deadlines): the run ends in its documented state (docs/connectors.md, "The electricity
 * connector"), and nothing is duplicated or half-written: a first sync failing in its load curve,
 * after the daily and maximum-power streams were read, leaves the space empty and the cursor
 * unset; the run after the fault brings exactly the household's records.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createElectricityHolder } from '../../holders/electricity/electricity-holder.js';
import { parseFaultSpec, type FaultConfig } from '../../holders/faults/fault-config.js';
import { createHousehold, type Customer, type Household } from '../../holders/household/household.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import { defaultElectricityClient } from '../../holders/start-holders.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import type { RunRecord } from '../connector-records.js';
import { connectAtHolder, type HolderLogin } from '../bank-psd2/testing/person-at-holder.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { electricityEnedisConnector } from './definition.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const ID = 'electricity-enedis';
const DOCTYPES = [
  'energy.electricity.daily',
  'energy.electricity.load-curve',
  'energy.electricity.max-power',
  'energy.contract',
  'bill',
] as const;
const SERIES = new Set<string>(DOCTYPES.slice(0, 3));
const quick = {
  ...electricityEnedisConnector(),
  entry: fileURLToPath(new URL('./testing/quick-connector.js', import.meta.url)),
};

let household: Household;
let customer: Customer;
let expected: Record<string, number>;
let rig: KitRig | undefined;
let holder: RunningHolder | undefined;

beforeAll(() => {
  household = createHousehold({ seed: 'electricity-faults-test' });
  customer = household.customers.find((c) => c.holders.includes('electricity'))!;
  const window = household.window(NOW);
  expected = Object.fromEntries(
    DOCTYPES.map((d) => [d, household.records(customer.id, 'electricity', d, window).length]),
  );
});
afterEach(async () => {
  await holder?.close();
  await rig?.close();
  holder = rig = undefined;
});

const distributorApp = (clock: KitRig['clock'], faults: FaultConfig) =>
  createElectricityHolder({ household, clock, faults, clients: [defaultElectricityClient] });

/** A Foyer with the connector installed (grant accepted) at a distributor whose faults are `specs`. */
async function installed(specs: string[]) {
  rig = await startKitRig({ now: NOW, connectors: [quick] });
  const faults: FaultConfig = { seed: 'electricity-faults', rules: Object.fromEntries(specs.map(parseFaultSpec)) };
  holder = await serveHolder(distributorApp(rig.clock, faults));
  const body = await jsonBody(
    await rig.f.request(`/api/connectors/${ID}/install`, { method: 'POST', json: { origin: holder.url } }),
  );
  await acceptGrant(rig.f, body.grant);
  return { rig, faults };
}

async function connected(...specs: string[]) {
  const r = await installed(specs);
  expect((await connectAtHolder(r.rig.f, ID, customer.logins.electricity!)).status).toBe(200);
  return r;
}

const held = async (r: KitRig) =>
  Object.fromEntries(
    await Promise.all(
      DOCTYPES.map(async (d) => [d, (SERIES.has(d) ? await r.pointKeys(d) : await r.documentIds(d)).length]),
    ),
  );
const created = (run: RunRecord) => Object.fromEntries(Object.entries(run.counts).map(([d, c]) => [d, c.created]));
const cursorOf = async (r: KitRig) =>
  (
    (await (await r.f.request('/api/connectors')).json()) as {
      connectors: { manifest: { id: string }; installed: { cursor: unknown } }[];
    }
  ).connectors.find((c) => c.manifest.id === ID)!.installed.cursor;

async function failedCleanly(r: KitRig, run: RunRecord, code: string) {
  expect(run.outcome).toBe('failed');
  expect(run.error?.code).toBe(code);
  expect(run.counts).toEqual({});
  expect(Object.values(await held(r)).every((n) => n === 0)).toBe(true);
  expect(await cursorOf(r)).toBe(null);
}

async function recovers(r: KitRig, faults: FaultConfig) {
  faults.rules = {};
  const run = await r.run(ID);
  expect(run.error).toBe(null);
  expect(created(run)).toEqual(expected);
  expect(await held(r)).toEqual(expected);
}

describe('the electricity connector under the distributor’s faults', () => {
  it('collects everything exactly despite latency (and short pages, which its API does not have)', async () => {
    const { rig } = await connected('latency=always,ms=1-3', 'short-page=always,size=1');
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(created(run)).toEqual(expected);
  }, 60_000);

  it('tries a 500 again within the run; a distributor that keeps failing mid-sync: holder_unavailable, nothing written', async () => {
    const { rig } = await connected('server-error=every:6');
    const retried = await rig.run(ID);
    expect(retried.error).toBe(null);
    expect(created(retried)).toEqual(expected);
    expect(retried.logs.some((l) => l.includes('answered 500, trying again'))).toBe(true);
    await holder!.close();
    await rig.close();

    const again = await connected('server-error=always,paths=/metering_data_clc');
    const run = await again.rig.run(ID);
    await failedCleanly(again.rig, run, 'holder_unavailable');
    expect(run.error!.detail).toContain('internal_server_error');
    await recovers(again.rig, again.faults);
  }, 60_000);

  it('a 429 ends the run as quota with the distributor’s Retry-After', async () => {
    const { rig, faults } = await connected('rate-limit=always,retry-after=90,paths=/metering_data_clc');
    const run = await rig.run(ID);
    await failedCleanly(rig, run, 'quota');
    expect(run.error!.retryAfterSeconds).toBe(90);
    await recovers(rig, faults);
  }, 60_000);

  it('a hanging load curve: given up at the deadline, tried again, then holder_unavailable', async () => {
    const { rig, faults } = await connected('timeout=always,ms=5000,paths=/metering_data_clc');
    const run = await rig.run(ID);
    await failedCleanly(rig, run, 'holder_unavailable');
    expect(run.error!.detail).toContain('no answer after 2 tries');
    await recovers(rig, faults);
  }, 60_000);

  it('malformed JSON in the middle of the load curve: holder_format_changed, nothing written', async () => {
    const { rig, faults } = await connected('malformed-json=every:40,paths=/metering_data_clc');
    const run = await rig.run(ID);
    await failedCleanly(rig, run, 'holder_format_changed');
    expect(run.error!.detail).toContain('is not JSON');
    await recovers(rig, faults);
  }, 60_000);

  it.each([
    // The period's days turn French (the load curve's local times do not match the pattern changed).
    ['/metering_data_dc', 'start "10/03/2023" is not a day YYYY-MM-DD'],
    ['/metering_data_clc', 'start "10/03/2023" is not a day YYYY-MM-DD'],
  ])(
    'a changed field format under %s: holder_format_changed, nothing written',
    async (path, said) => {
      const { rig, faults } = await connected(`changed-format=always,paths=${path}`);
      const run = await rig.run(ID);
      await failedCleanly(rig, run, 'holder_format_changed');
      expect(run.error!.detail).toContain(said);
      await recovers(rig, faults);
    },
    60_000,
  );

  it('an expired token is renewed once within the run; refused again, login_failed', async () => {
    const { rig } = await connected('expired-credentials=every:25');
    const renewed = await rig.run(ID);
    expect(renewed.error).toBe(null);
    expect(created(renewed)).toEqual(expected);
    await holder!.close();
    await rig.close();

    const again = await connected('expired-credentials=always,paths=/metering_data_clc');
    const run = await again.rig.run(ID);
    await failedCleanly(again.rig, run, 'login_failed');
    expect(run.error!.detail).toContain('even with a new token');
    await recovers(again.rig, again.faults);
  }, 60_000);

  it('a consent the distributor no longer holds: user_action_needed, renew it there; renewed, the run goes on', async () => {
    const { rig, faults } = await connected();
    // The distributor starts again and has forgotten its consents (as when one ends).
    const port = holder!.port;
    await holder!.close();
    holder = await serveHolder(distributorApp(rig.clock, faults), port);
    const run = await rig.run(ID);
    await failedCleanly(rig, run, 'user_action_needed');
    expect(run.error!.detail).toContain('renew your consent at Réseau Électrique de l’Estuaire');
    expect(run.error!.detail).toContain('ADAM-DC-0008');
    expect((await connectAtHolder(rig.f, ID, customer.logins.electricity!)).status).toBe(200);
    await recovers(rig, faults);
  }, 60_000);

  it('a second factor at the distributor is the person’s to type there; a wrong code connects nothing', async () => {
    const { rig } = await installed(['second-factor=always']);
    const login: HolderLogin = { ...customer.logins.electricity!, otp: '000000' };
    if (login.otp === customer.logins.electricity!.otp) login.otp = '111111';
    await expect(connectAtHolder(rig.f, ID, login)).rejects.toThrow('did not send the person back (401)');
    expect((await connectAtHolder(rig.f, ID, customer.logins.electricity!)).status).toBe(200);
    expect((await rig.run(ID)).error).toBe(null);
  }, 60_000);

  it('a distributor sending the person back without a usage point connects nothing, and says so', async () => {
    const { rig } = await installed([]);
    const started = await jsonBody(await rig.f.request(`/api/connectors/${ID}/oauth/start`, { method: 'POST' }));
    const state = new URL(started.authorizationUrl as string).searchParams.get('state')!;
    const back = await fetch(`${rig.f.url}/api/connectors/${ID}/oauth/callback?state=${state}`);
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('sent no usage point id (14 digits) back');
    expect((await rig.run(ID)).error?.detail).toBe('Connect to Réseau Électrique de l’Estuaire first.');
  }, 60_000);

  it('a person who refuses at the distributor connects nothing', async () => {
    const { rig } = await installed([]);
    const denied = await connectAtHolder(rig.f, ID, customer.logins.electricity!, 'deny');
    expect(denied.status).toBe(400);
    expect(denied.page).toContain('did not grant access (access_denied)');
    const run = await rig.run(ID);
    expect(run.error?.code).toBe('user_action_needed');
    expect(run.error!.detail).toBe('Connect to Réseau Électrique de l’Estuaire first.');
  }, 60_000);
});
