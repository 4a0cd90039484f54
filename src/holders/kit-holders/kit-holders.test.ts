import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { catalogValidator } from '../../holder-kit/conformance/catalog-validator.js';
import { createConformanceClient } from '../../holder-kit/conformance/conformance-client.js';
import {
  callbackParams,
  consentAfterLogin,
  consentOf,
  decide,
  exchangeCode,
  loginPage,
  newPkce,
  newState,
  obtainCode,
  tokensOf,
  type FlowContext,
} from '../../holder-kit/conformance/oauth-flow.js';
import { DEFAULT_REDIRECT_URI, runHolderKitConformance } from '../../holder-kit/conformance/run-conformance.js';
import { discoveryDocumentSchema } from '../../holder-kit/discovery-document.js';
import { manualClock } from '../../platform/clock.js';
import { noFaults, parseFaultSpec, type FaultConfig } from '../faults/fault-config.js';
import { createHousehold, type Household } from '../household/household.js';
import { publishedAt } from './household-items.js';
import { kitHolderIds, type KitHolderId } from './kit-holder-profiles.js';
import { startKitHolder, type KitHolder } from './start-kit-holder.js';

const NOW = Date.UTC(2026, 2, 10, 12);
let catalog: Catalog;
const running: KitHolder[] = [];

beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
});
afterAll(async () => {
  await Promise.all(running.map((h) => h.close()));
});

async function start(holder: KitHolderId, faults: FaultConfig = noFaults()) {
  const clock = manualClock(NOW);
  const household = createHousehold({ seed: 'kit-holders-test', clock });
  const h = await startKitHolder(holder, { household, clock, faults, catalog });
  running.push(h);
  return { h, clock, household };
}

const faultsOf = (...specs: string[]): FaultConfig => ({
  seed: 'kit-faults',
  rules: Object.fromEntries(specs.map(parseFaultSpec)),
});

function customerOf(household: Household, holder: KitHolderId) {
  const customer = household.customers.find((c) => c.holders.includes(holder))!;
  return { customer, login: customer.logins[holder]! };
}

/** The browser and client side of the conformance test, driven by hand. */
async function flow(url: string, username: string, password: string): Promise<FlowContext> {
  const client = createConformanceClient({
    fetch,
    holderOrigin: new URL(url).origin,
    redirectUri: DEFAULT_REDIRECT_URI,
    timeoutMs: 10_000,
    patienceMs: 0,
  });
  const doc = discoveryDocumentSchema.parse((await client.get(`${url}/.well-known/holder-kit`)).json);
  return { client, doc, clientId: 'foyer', redirectUri: DEFAULT_REDIRECT_URI, username, password };
}

async function accessToken(ctx: FlowContext, scopes: string[]) {
  const { code, pkce } = await obtainCode(ctx, scopes);
  return tokensOf(await exchangeCode(ctx, code, pkce.verifier)).accessToken;
}

async function walk(ctx: FlowContext, token: string, doctype: string, query = '') {
  const items: { key: string; updatedAt: string; data: Record<string, unknown> }[] = [];
  let next: string | null = null;
  let pages = 0;
  do {
    const url = new URL(ctx.doc.doctypes.find((d) => d.name === doctype)!.endpoint);
    for (const [k, v] of new URLSearchParams(query)) url.searchParams.set(k, v);
    if (next) url.searchParams.set('cursor', next);
    const r = await ctx.client.bearer(url.href, token);
    expect(r.status).toBe(200);
    const body = r.json as { items: typeof items; next: string | null };
    items.push(...body.items);
    next = body.next;
    pages++;
  } while (next);
  return { items, pages };
}

describe('simulated holders on the Holder Kit', () => {
  it.each(kitHolderIds)('the %s passes the Holder Kit conformance test', async (holder) => {
    const { h, household } = await start(holder);
    const { login } = customerOf(household, holder);
    const report = await runHolderKitConformance({
      baseUrl: h.url,
      username: login.username,
      password: login.password,
      validate: catalogValidator(catalog),
    });
    expect(report.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect(report.passed).toBe(true);
    // What is skipped is only what this customer has no data for.
    for (const c of report.checks.filter((c) => c.status === 'skip')) {
      expect([c.id, c.reason]).toEqual([c.id, expect.stringMatching(/^(no items|0 item|1 item|no item names a file)/)]);
    }
  });

  it('serves exactly the household’s records of the last three years, with their files', async () => {
    const { h, household } = await start('insurer');
    const { customer, login } = customerOf(household, 'insurer');
    const ctx = await flow(h.url, login.username, login.password);
    const token = await accessToken(ctx, ['insurance.contract', 'bill']);
    const window = household.window(NOW);
    for (const doctype of ['insurance.contract', 'bill']) {
      const served = (await walk(ctx, token, doctype, 'limit=1000')).items;
      const records = household.records(customer.id, 'insurer', doctype, window);
      expect(served.map((i) => i.key).sort()).toEqual(records.map((r) => r.key).sort());
      const byKey = new Map(records.map((r) => [r.key, r]));
      for (const item of served) {
        expect(item.data).toEqual(byKey.get(item.key)!.data);
        expect(item.updatedAt).toBe(new Date(publishedAt(byKey.get(item.key)!.day)).toISOString());
      }
    }
    expect(ctx.doc.holder.name).toBe('Aurore Assurances');
    expect(ctx.doc.doctypes.map((d) => [d.name, d.schemaId])).toContainEqual([
      'insurance.contract',
      'urn:foyer:doctype:insurance.contract:1',
    ]);
  });

  it('publishes a day at 06:00 Paris the next day: since then returns that day alone', async () => {
    const { h, household, clock } = await start('water');
    const { login } = customerOf(household, 'water');
    const ctx = await flow(h.url, login.username, login.password);
    const token = await accessToken(ctx, ['water.daily']);
    const first = (await walk(ctx, token, 'water.daily', 'limit=1000')).items;
    expect(first.length).toBeGreaterThan(1000);
    const last = first[first.length - 1]!;
    expect(last.data.date).toBe('2026-03-09');

    clock.set(Date.UTC(2026, 2, 11, 4, 59)); // 05:59 in Paris
    const fresh = await accessToken(ctx, ['water.daily']);
    expect((await walk(ctx, fresh, 'water.daily', `since=${last.updatedAt}`)).items).toEqual([]);
    clock.set(Date.UTC(2026, 2, 11, 5, 0, 1)); // 06:00:01 in Paris
    const added = (await walk(ctx, fresh, 'water.daily', `since=${last.updatedAt}`)).items;
    expect(added.map((i) => i.data.date)).toEqual(['2026-03-10']);
    // The first day of the three years dropped out as the last one came in.
    const all = (await walk(ctx, fresh, 'water.daily', 'limit=1000')).items;
    expect(all).toHaveLength(first.length);
    expect(all[0]!.data.date).toBe('2023-03-11');
  });

  it('logs customers in with their login at this holder, not another holder’s', async () => {
    const { h, household } = await start('telecom');
    const { login, customer } = customerOf(household, 'telecom');
    const wrong = await flow(h.url, login.username, customer.logins.insurer!.password);
    const form = await loginPage(wrong, ['telecom.line'], newPkce(), newState());
    await expect(consentAfterLogin(wrong, form)).rejects.toThrow(/no consent form/);
    const right = await flow(h.url, login.username, login.password);
    expect(await accessToken(right, ['telecom.line'])).toMatch(/^hk_at_/);
  });

  it('answers injected 500s in the Kit’s error shape, marked as faults', async () => {
    const { h, household } = await start('gas', faultsOf('server-error=always,paths=/v1/data/'));
    const { login } = customerOf(household, 'gas');
    const ctx = await flow(h.url, login.username, login.password);
    const token = await accessToken(ctx, ['energy.gas.daily']);
    const r = await ctx.client.bearer(ctx.doc.doctypes.find((d) => d.name === 'energy.gas.daily')!.endpoint, token);
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ error: 'server_error' });
    expect(r.headers.get('x-foyer-fault')).toBe('server-error');
    expect(h.faults.events.map((e) => e.kind)).toEqual(['server-error']);
  });

  it('asks for the customer’s one-time code when the second-factor fault strikes the login', async () => {
    const { h, household } = await start('retailer', faultsOf('second-factor=always'));
    const { login } = customerOf(household, 'retailer');
    const ctx = await flow(h.url, login.username, login.password);
    const form = await loginPage(ctx, ['retail.receipt'], newPkce(), newState());
    const asked = await ctx.client.submit(form, { username: login.username, password: login.password });
    expect(asked.text).toContain('name="otp"');
    const [otpForm] = ctx.client.forms(asked);
    const wrong = await ctx.client.submit(otpForm!, { otp: '000000' });
    expect(wrong.status).toBe(401);
    const nav = await ctx.client.navigate(await ctx.client.submit(otpForm!, { otp: login.otp }));
    expect(nav.kind).toBe('page');
    const consent = consentOf(ctx, nav);
    expect(consent).toBeDefined();
    expect(callbackParams(await decide(ctx, consent!, 'allow')).code).toBeTruthy();
  });

  it('serves short pages while the short-page fault lasts, without losing an item', async () => {
    const { h, household } = await start('telecom', faultsOf('short-page=always,size=7'));
    const { login } = customerOf(household, 'telecom');
    const ctx = await flow(h.url, login.username, login.password);
    const token = await accessToken(ctx, ['telecom.data-usage']);
    const { items, pages } = await walk(ctx, token, 'telecom.data-usage', 'limit=1000');
    expect(pages).toBe(Math.ceil(items.length / 7));
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    expect(items.length).toBeGreaterThan(1000);
  });
});
