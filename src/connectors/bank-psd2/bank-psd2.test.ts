/**
 * The built-in bank connector against the simulated PSD2 bank (real HTTP on loopback, a real
 * Foyer on SQLite, real worker threads): connecting is a consent authorised at the bank's own
 * pages; a first sync brings exactly the household's accounts and transactions; a rerun creates
 * nothing; the next simulated day adds only that day, and the pending payments booked meanwhile
 * are updated in place, never duplicated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { createBankHolder } from '../../holders/bank/bank-holder.js';
import { addDays } from '../../holders/household/days.js';
import {
  createHousehold,
  type Customer,
  type Household,
  type HolderRecord,
} from '../../holders/household/household.js';
import { serveHolder, type RunningHolder } from '../../holders/serve-holder.js';
import { importedDocumentId } from '../../importers/import-service.js';
import { acceptGrant } from '../../testing/grants.js';
import { jsonBody } from '../../testing/json-body.js';
import { builtinConnectors } from '../builtin-connectors.js';
import { startKitRig, type KitRig } from '../holder-kit/testing/kit-rig.js';
import { CONSENT_DAYS } from './connection.js';
import { bankPsd2Connector } from './definition.js';
import { connectAtHolder } from '../redirect-testing/person-at-holder.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const DAY = 86_400_000;
const ID = 'bank-psd2';

let rig: KitRig;
let household: Household;
let bank: RunningHolder;
let customer: Customer;

beforeAll(async () => {
  rig = await startKitRig({ now: NOW, connectors: [bankPsd2Connector()] });
  // As `foyer holders` makes it: the holders clamp to what they have published.
  household = createHousehold({ seed: 'bank-connector-test' });
  bank = await serveHolder(createBankHolder({ household, clock: rig.clock }));
  customer = household.customers.find((c) => c.holders.includes('bank'))!;
}, 60_000);
afterAll(async () => {
  await bank?.close();
  await rig?.close();
});

async function docs(doctype: string): Promise<Map<string, Record<string, unknown>>> {
  const all = await rig.f.foyer.documentStore.findDocuments(DEFAULT_SPACE, doctype, {
    selector: null,
    sort: [],
    limit: 1_000_000,
  });
  return new Map(all.filter((d) => !d.deleted).map((d) => [d.id, JSON.parse(d.data!) as Record<string, unknown>]));
}

/** Card payments of the bank's last two published days are pending (docs/simulated-holders.md). */
const isPending = (r: HolderRecord, last: string) => r.data.type === 'card' && r.day >= addDays(last, -1);

/** What the PSD2 interface carries of a household transaction (it has no category, card or MCC). */
function expectedTransaction(r: HolderRecord, last: string): Record<string, unknown> {
  const { category: _c, cardLast4: _l, merchantCategoryCode: _m, ...rest } = r.data as Record<string, unknown>;
  return { ...rest, bookingStatus: isPending(r, last) ? 'pending' : 'booked' };
}

const transactions = (range: { from: string; to: string }) =>
  household.records(customer.id, 'bank', 'bank.transaction', range);
const txId = (r: HolderRecord) => importedDocumentId('bank.transaction', r.key);

describe('the bank connector (NextGenPSD2)', () => {
  it('is offered by Foyer, connecting at the bank (redirect), never asking a password', async () => {
    const offered = builtinConnectors().find((c) => c.manifest.id === ID);
    expect(offered?.manifest.auth).toEqual({ kind: 'redirect' });
    expect(offered?.connection).toBeDefined();
  });

  it('connects by a consent the person authorises at the bank; Foyer keeps its id and end, not the password', async () => {
    const installed = await jsonBody(
      await rig.f.request(`/api/connectors/${ID}/install`, { method: 'POST', json: { origin: bank.url } }),
    );
    await acceptGrant(rig.f, installed.grant);
    const refused = await rig.f.request(`/api/connectors/${ID}/credentials`, {
      method: 'POST',
      json: { values: { username: 'x', password: 'y' } },
    });
    expect(refused.status).toBe(400);

    const done = await connectAtHolder(rig.f, ID, customer.logins.bank!);
    expect(done.status).toBe(200);
    const kept = await rig.tokens(ID);
    expect(Object.keys(kept)).toEqual(['consentId']);
    expect(JSON.stringify(kept)).not.toContain(customer.logins.bank!.password);
    // The bank holds it valid, for the days PSD2 allows.
    const consent = await fetch(`${bank.url}/v1/consents/${kept.consentId}`, {
      headers: { 'x-request-id': crypto.randomUUID() },
    });
    expect(await consent.json()).toMatchObject({
      consentStatus: 'valid',
      validUntil: addDays('2026-03-10', CONSENT_DAYS),
      recurringIndicator: true,
      access: { allPsd2: 'allAccounts' },
    });
  });

  it('first sync: exactly the household’s accounts (with booked balances) and three years of transactions', async () => {
    const window = household.window(rig.clock.now());
    const expected = transactions(window);
    const accounts = household.records(customer.id, 'bank', 'bank.account', window);
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(run.counts).toEqual({
      'bank.account': { created: accounts.length, updated: 0, unchanged: 0, kept: 0 },
      'bank.transaction': { created: expected.length, updated: 0, unchanged: 0, kept: 0 },
    });

    const stored = await docs('bank.transaction');
    expect([...stored.keys()].sort()).toEqual(expected.map(txId).sort());
    for (const r of expected) expect(stored.get(txId(r))).toEqual(expectedTransaction(r, window.to));
    expect(expected.some((r) => isPending(r, window.to))).toBe(true);

    const storedAccounts = await docs('bank.account');
    expect(storedAccounts.size).toBe(accounts.length);
    for (const a of accounts) {
      const doc = storedAccounts.get(importedDocumentId('bank.account', a.key))!;
      const id = a.data.accountId as string;
      const pending = expected
        .filter((r) => r.data.accountId === id && isPending(r, window.to))
        .reduce((s, r) => s + (r.data.amount as number), 0);
      const { overdraftLimit: _o, ownership: _w, openingDate: _d, interestRate: _i, loan: _l, ...carried } = a.data;
      expect(doc).toEqual({
        ...carried,
        balance: Number((household.balance(customer.id, id, window.to) - pending).toFixed(2)),
        balanceDate: '2026-03-09T23:00:00Z',
      });
    }
  }, 60_000);

  it('a second run creates nothing and changes nothing', async () => {
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    for (const c of Object.values(run.counts)) expect(c).toMatchObject({ created: 0, updated: 0 });
  });

  it('the next day adds only that day; payments pending yesterday are booked in place, not duplicated', async () => {
    const before = await docs('bank.transaction');
    const last = household.window(rig.clock.now()).to;
    const wasPending = transactions({ from: last, to: last })
      .concat(transactions({ from: addDays(last, -1), to: addDays(last, -1) }))
      .filter((r) => isPending(r, last));
    rig.clock.advance(DAY);
    const day = household.window(rig.clock.now()).to;
    const fresh = transactions({ from: day, to: day });
    const run = await rig.run(ID);
    expect(run.error).toBe(null);
    expect(run.counts['bank.transaction']!.created).toBe(fresh.length);
    const nowBooked = wasPending.filter((r) => !isPending(r, day));
    expect(nowBooked.length).toBeGreaterThan(0);
    expect(run.counts['bank.transaction']!.updated).toBe(nowBooked.length);

    const after = await docs('bank.transaction');
    expect(after.size).toBe(before.size + fresh.length);
    for (const r of nowBooked) expect(after.get(txId(r))).toEqual(expectedTransaction(r, day));
    for (const r of fresh) expect(after.get(txId(r))).toEqual(expectedTransaction(r, day));
  }, 60_000);

  it('a fifth unattended read in a day is over the consent’s frequency: quota until the bank’s next day', async () => {
    // Today: the run above; PSD2 consents here allow four a day.
    for (let i = 0; i < 3; i++) expect((await rig.run(ID)).error).toBe(null);
    const fifth = await rig.run(ID);
    expect(fifth.error).toMatchObject({ code: 'quota', retry: 'backoff' });
    expect(fifth.error!.detail).toContain('ACCESS_EXCEEDED');
    // 12:00 UTC is 13:00 in Paris: eleven hours to midnight.
    expect(fifth.error!.retryAfterSeconds).toBe(11 * 3600);
    expect(fifth.counts).toEqual({});
  }, 60_000);
});
