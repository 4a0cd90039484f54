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
import { createHousehold, type Customer, type Household } from '../../holders/household/household.js';
import { defaultElectricityClient } from '../../holders/start-holders.js';
import { jsonBody } from '../../testing/json-body.js';
import { createdOf, failsCleanlyThenRecovers, faultRigs, type CleanFailure } from '../redirect-testing/fault-rig.js';
import type { HolderLogin } from '../redirect-testing/person-at-holder.js';
import { electricityEnedisConnector } from './definition.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DOCTYPES = {
  'energy.electricity.daily': true,
  'energy.electricity.load-curve': true,
  'energy.electricity.max-power': true,
  'energy.contract': false,
  bill: false,
  'foyer.file': false,
};
const quick = {
  ...electricityEnedisConnector(),
  entry: fileURLToPath(new URL('./testing/quick-connector.js', import.meta.url)),
};

let household: Household;
let customer: Customer;
let expected: Record<string, number>;
let rigs: ReturnType<typeof faultRigs>;

beforeAll(() => {
  household = createHousehold({ seed: 'electricity-faults-test' });
  customer = household.customers.find((c) => c.holders.includes('electricity'))!;
  const window = household.window(NOW);
  expected = Object.fromEntries(
    Object.keys(DOCTYPES)
      .filter((d) => d !== 'foyer.file')
      .map((d) => [d, household.records(customer.id, 'electricity', d, window).length]),
  );
  // A PDF a bill.
  expected['foyer.file'] = expected.bill!;
  rigs = faultRigs({
    now: NOW,
    definition: quick,
    holder: (clock, faults) =>
      createElectricityHolder({ household, clock, faults, clients: [defaultElectricityClient] }),
    login: customer.logins.electricity!,
    doctypes: DOCTYPES,
    expected,
  });
});
afterEach(() => rigs.close());
const installed = (specs: string[]) => rigs.installed(specs);
const connected = (...specs: string[]) => rigs.connected(...specs);

describe('the electricity connector under the distributor’s faults', () => {
  it('collects everything exactly despite latency (and short pages, which its API does not have)', async () => {
    const r = await connected('latency=always,ms=1-3', 'short-page=always,size=1');
    const run = await r.run();
    expect(run.error).toBe(null);
    expect(createdOf(run)).toEqual(expected);
  }, 60_000);

  it('tries a 500 again within the run', async () => {
    const retried = await (await connected('server-error=every:6')).run();
    expect(retried.error).toBe(null);
    expect(createdOf(retried)).toEqual(expected);
    expect(retried.logs.some((l) => l.includes('answered 500, trying again'))).toBe(true);
  }, 60_000);

  // Most strike the load curve, after the daily and maximum-power streams were read.
  it.each<CleanFailure>([
    {
      title: 'a 500 that lasts: holder_unavailable',
      fault: 'server-error=always,paths=/metering_data_clc',
      code: 'holder_unavailable',
      detail: 'internal_server_error',
    },
    {
      title: 'a 429: quota, with the distributor’s Retry-After',
      fault: 'rate-limit=always,retry-after=90,paths=/metering_data_clc',
      code: 'quota',
      detail: 'too_many_requests',
      retryAfterSeconds: 90,
    },
    {
      title: 'a hang: given up at the deadline, tried again, then holder_unavailable',
      fault: 'timeout=always,ms=5000,paths=/metering_data_clc',
      code: 'holder_unavailable',
      detail: 'no answer after 2 tries',
    },
    {
      title: 'malformed JSON in the middle of the load curve: holder_format_changed',
      fault: 'malformed-json=every:40,paths=/metering_data_clc',
      code: 'holder_format_changed',
      detail: 'is not JSON',
    },
    // The period's days turn French (the load curve's local times do not match the pattern changed).
    {
      title: 'a changed field format in the daily energy: holder_format_changed',
      fault: 'changed-format=always,paths=/metering_data_dc',
      code: 'holder_format_changed',
      detail: 'start "10/03/2023" is not a day YYYY-MM-DD',
    },
    {
      title: 'a changed field format in the load curve: holder_format_changed',
      fault: 'changed-format=always,paths=/metering_data_clc',
      code: 'holder_format_changed',
      detail: 'start "10/03/2023" is not a day YYYY-MM-DD',
    },
    {
      title: 'a bill’s PDF the supplier keeps failing to serve: holder_unavailable',
      fault: 'server-error=always,paths=/supplier/v1/files',
      code: 'holder_unavailable',
      detail: '500',
    },
    {
      title: 'a token refused even when new: login_failed',
      fault: 'expired-credentials=always,paths=/metering_data_clc',
      code: 'login_failed',
      detail: 'even with a new token',
    },
  ])(
    '$title; nothing written, and the run after it brings everything once',
    async (c) => {
      await failsCleanlyThenRecovers(await connected(c.fault), c);
    },
    60_000,
  );

  it.each(['expired-credentials=every:25', 'expired-credentials=always,times=1,paths=/supplier/v1/files'])(
    'an expired token (%s) is renewed once within the run',
    async (fault) => {
      const renewed = await (await connected(fault)).run();
      expect(renewed.error).toBe(null);
      expect(createdOf(renewed)).toEqual(expected);
    },
    60_000,
  );

  it('a consent the distributor no longer holds: user_action_needed, renew it there; renewed, the run goes on', async () => {
    const r = await connected();
    // The distributor starts again and has forgotten its consents (as when one ends).
    await r.restartHolder();
    const run = await r.run();
    await r.failedCleanly(run, 'user_action_needed');
    expect(run.error!.detail).toContain('renew your consent at Réseau Électrique de l’Estuaire');
    expect(run.error!.detail).toContain('ADAM-DC-0008');
    expect((await r.connect()).status).toBe(200);
    await r.recovers();
  }, 60_000);

  it('a second factor at the distributor is the person’s to type there; a wrong code connects nothing', async () => {
    const r = await installed(['second-factor=always']);
    const login: HolderLogin = { ...customer.logins.electricity!, otp: '000000' };
    if (login.otp === customer.logins.electricity!.otp) login.otp = '111111';
    await expect(r.connect(login)).rejects.toThrow('did not send the person back (401)');
    expect((await r.connect()).status).toBe(200);
    expect((await r.run()).error).toBe(null);
  }, 60_000);

  it('a distributor sending the person back without a usage point connects nothing, and says so', async () => {
    const r = await installed([]);
    const started = await jsonBody(await r.rig.f.request(`/api/connectors/${r.id}/oauth/start`, { method: 'POST' }));
    const state = new URL(started.authorizationUrl as string).searchParams.get('state')!;
    const back = await fetch(`${r.rig.f.url}/api/connectors/${r.id}/oauth/callback?state=${state}`);
    expect(back.status).toBe(400);
    expect(await back.text()).toContain('sent no usage point id (14 digits) back');
    expect((await r.run()).error?.detail).toBe('Connect to Réseau Électrique de l’Estuaire first.');
  }, 60_000);

  it('a person who refuses at the distributor connects nothing', async () => {
    const r = await installed([]);
    const denied = await r.connect(customer.logins.electricity!, 'deny');
    expect(denied.status).toBe(400);
    expect(denied.page).toContain('did not grant access (access_denied)');
    const run = await r.run();
    expect(run.error?.code).toBe('user_action_needed');
    expect(run.error!.detail).toBe('Connect to Réseau Électrique de l’Estuaire first.');
  }, 60_000);
});
