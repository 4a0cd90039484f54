/**
 * Each fault the simulated bank injects, against the bank connector (with short deadlines: a hang
 * costs the test half a second): the run ends in its documented state (docs/connectors.md, "The
 * bank connector"), with a message the person can act on, and nothing is duplicated or
 * half-written: a failed first sync leaves the space empty and the cursor unset, and the run
 * after the fault brings exactly the household's records.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { createBankHolder } from '../../holders/bank/bank-holder.js';
import { parseFaultSpec } from '../../holders/faults/fault-config.js';
import { createHousehold, type Customer, type Household } from '../../holders/household/household.js';
import { jsonBody } from '../../testing/json-body.js';
import { createdOf, failsCleanlyThenRecovers, faultRigs, type CleanFailure } from '../redirect-testing/fault-rig.js';
import type { HolderLogin } from '../redirect-testing/person-at-holder.js';
import { bankPsd2Connector } from './definition.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;
const quick = {
  ...bankPsd2Connector(),
  entry: fileURLToPath(new URL('./testing/quick-connector.js', import.meta.url)),
};

let household: Household;
let customer: Customer;
let expected: Record<string, number>;
let rigs: ReturnType<typeof faultRigs>;

beforeAll(() => {
  household = createHousehold({ seed: 'bank-faults-test' });
  customer = household.customers.find((c) => c.holders.includes('bank'))!;
  const window = household.window(NOW);
  expected = {
    'bank.account': household.records(customer.id, 'bank', 'bank.account', window).length,
    'bank.transaction': household.records(customer.id, 'bank', 'bank.transaction', window).length,
  };
  rigs = faultRigs({
    now: NOW,
    definition: quick,
    holder: (clock, faults) => createBankHolder({ household, clock, faults }),
    login: customer.logins.bank!,
    doctypes: { 'bank.account': false, 'bank.transaction': false },
    expected,
  });
});
afterEach(() => rigs.close());
const installed = (...args: Parameters<typeof rigs.installed>) => rigs.installed(...args);
const connected = (...specs: string[]) => rigs.connected(...specs);

describe('the bank connector under the bank’s faults', () => {
  it('collects everything exactly despite latency and short pages', async () => {
    const r = await connected('latency=always,ms=1-5', 'short-page=always,size=40');
    const run = await r.run();
    expect(run.error).toBe(null);
    expect(createdOf(run)).toEqual(expected);
    expect(await r.held()).toEqual(expected);
    // 40 operations a page: every booked operation came through its own page, none twice.
    expect(run.calls[new URL(r.holder.url).host]!.allowed).toBeGreaterThan(expected['bank.transaction']! / 40);
  }, 30_000);

  it('tries a 500 again within the run, and ends holder_unavailable when the bank keeps failing', async () => {
    const r = await connected('server-error=every:4,paths=/v1/');
    const run = await r.run();
    expect(run.error).toBe(null);
    expect(createdOf(run)).toEqual(expected);
    expect(run.logs.some((l) => l.includes('answered 500, trying again'))).toBe(true);

    r.faults.rules = Object.fromEntries([parseFaultSpec('server-error=always,paths=/v1/')]);
    const down = await r.run();
    expect(down.error).toMatchObject({ code: 'holder_unavailable', retry: 'backoff' });
    expect(down.error!.detail).toContain('INTERNAL_SERVER_ERROR');
    expect(down.error!.message).toContain('Banque Horizon');
  }, 30_000);

  it.each<CleanFailure>([
    {
      title: 'a 500 in the middle of a first sync: holder_unavailable',
      fault: 'server-error=always,paths=/v1/accounts/',
      code: 'holder_unavailable',
      detail: 'INTERNAL_SERVER_ERROR',
    },
    {
      title: 'a 429: quota, with the bank’s Retry-After',
      fault: 'rate-limit=always,retry-after=120,paths=/v1/accounts',
      code: 'quota',
      detail: 'ACCESS_EXCEEDED',
      retryAfterSeconds: 120,
    },
    {
      title: 'a bank that hangs: each call given up at its deadline, tried again, then holder_unavailable',
      fault: 'timeout=always,ms=5000,paths=/v1/accounts',
      code: 'holder_unavailable',
      detail: 'no answer after 2 tries',
    },
    {
      title: 'malformed JSON on a page: holder_format_changed',
      fault: 'malformed-json=every:3,paths=/v1/accounts/',
      code: 'holder_format_changed',
      detail: 'is not JSON',
    },
    {
      title: 'a changed field format (French dates, decimal commas): holder_format_changed naming the field',
      fault: 'changed-format=always,paths=/v1/accounts/',
      code: 'holder_format_changed',
      detail: 'balanceAmount.amount "',
    },
  ])(
    '$title; nothing written, and the run after it brings everything once',
    async (c) => {
      await failsCleanlyThenRecovers(await connected(c.fault), c);
    },
    30_000,
  );

  it('an expired consent: user_action_needed, "renew your consent at Banque Horizon"; renewed, the run goes on', async () => {
    const r = await connected('expired-credentials=every:3');
    const run = await r.run();
    await r.failedCleanly(run, 'user_action_needed');
    expect(run.error!.detail).toContain('renew your consent at Banque Horizon');
    expect(run.error!.retry).toBe('person');
    expect((await r.installation()).attention?.code).toBe('user_action_needed');
    // The same consent stays expired.
    r.faults.rules = {};
    expect((await r.run()).error?.code).toBe('user_action_needed');
    // Renewing: a new consent authorised at the bank.
    expect((await r.connect()).status).toBe(200);
    expect((await r.installation()).attention).toBe(null);
    await r.recovers();
  }, 30_000);

  it('a consent past its validUntil is seen at its status, before any read: renew it at the bank', async () => {
    const r = await installed([], (clock, faults) => createBankHolder({ household, clock, faults, maxConsentDays: 1 }));
    expect((await r.connect()).status).toBe(200);
    expect((await r.run()).error).toBe(null);
    r.rig.clock.advance(2 * DAY);
    const run = await r.run();
    expect(run.error?.code).toBe('user_action_needed');
    expect(run.error!.detail).toBe(
      'Your consent at Banque Horizon expired after 2026-03-11: renew your consent at Banque Horizon ' +
        '(connect the connector again; you log in at Banque Horizon).',
    );
    expect(run.counts).toEqual({});
  }, 30_000);

  it('a second factor at the bank is the person’s to type there; a wrong code connects nothing', async () => {
    const r = await installed(['second-factor=always']);
    const login: HolderLogin = { ...customer.logins.bank!, otp: '000000' };
    if (login.otp === customer.logins.bank!.otp) login.otp = '111111';
    await expect(r.connect(login)).rejects.toThrow('did not send the person back (401)');
    expect((await r.run()).error?.code).toBe('user_action_needed');

    expect((await r.connect()).status).toBe(200);
    const run = await r.run();
    expect(run.error).toBe(null);
    expect(createdOf(run)).toEqual(expected);
  }, 30_000);

  it('a bank refusing to create the consent: the connection fails with its reason, nothing kept', async () => {
    const r = await installed(['rate-limit=always,paths=/v1/consents']);
    const start = await r.rig.f.request(`/api/connectors/${r.id}/oauth/start`, { method: 'POST' });
    expect(start.status).toBe(503);
    expect((await jsonBody(start)).error.message).toBe(
      'creating the consent: Banque Horizon answered 429 ACCESS_EXCEEDED (Too many requests).',
    );
    expect(await r.rig.f.foyer.vault.list(DEFAULT_SPACE)).toEqual([]);
  }, 30_000);

  it('a person who refuses at the bank connects nothing, and runs ask them to connect', async () => {
    const r = await installed([]);
    const denied = await r.connect(customer.logins.bank!, 'deny');
    expect(denied.status).toBe(400);
    expect(denied.page).toContain('Banque Horizon did not grant access');
    const run = await r.run();
    expect(run.error?.code).toBe('user_action_needed');
    expect(run.error!.detail).toBe('Connect to Banque Horizon first.');
    expect(await r.rig.f.foyer.vault.list(DEFAULT_SPACE)).toEqual([]);
  }, 30_000);
});
