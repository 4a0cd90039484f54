/**
 * The Banking page in Chromium, on the family of the synthetic household connected at every
 * simulated holder (a real Foyer, real holders, real connectors). The app is installed through
 * the consent API as the Apps screen does it, shown in a sandboxed frame of the shell, and what it
 * shows is checked against the household's own records; its grant is listed in the consents and
 * its reads and writes are in the ledger.
 */
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdRig } from '../../src/connectors/testing/household-rig.js';
import { startHouseholdBrowser, type HouseholdBrowser } from '../../src/testing/household-browser.js';
import { jsonBody, type JsonBody } from '../../src/testing/json-body.js';
import {
  checkAccessibility,
  logIn,
  newContext,
  openPage,
  screenshots,
  SCREENSHOT_DIR,
} from '../../src/testing/browser.js';
import { hostApp, installWithConsent } from '../shared/testing/app-host.js';

let h: HouseholdRig;
let browser: Browser;
const NOW = Date.now();

let household: HouseholdBrowser;

beforeAll(async () => {
  household = await startHouseholdBrowser({ now: NOW, seed: 'apps-banking', customerId: 'family' });
  ({ rig: h, browser } = household);
}, 240_000);
afterAll(() => household?.close());

const records: HouseholdBrowser['records'] = (holder, doctype) => household.records(holder, doctype);

/** "1 234,56 €", "-€1,234.56" → 1234.56, -1234.56 */
const parseShown = (text: string, lang: 'en' | 'fr'): number => {
  const cleaned = text
    .replace(/[\s\u202f\u00a0]/g, '')
    .replace(/[^\d.,-]/g, '')
    .replace(/\u2212/g, '-');
  return Number(lang === 'fr' ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, ''));
};

async function open(lang: 'en' | 'fr'): Promise<{ page: Page; frame: Frame; problems: string[] }> {
  const context = await newContext(browser, { locale: lang });
  await logIn(context, h.rig.f);
  const { page, problems } = await openPage(context, h.rig.f, '/');
  const frame = await hostApp(page, 'banking', lang);
  await frame.locator('[data-testid="operations"] tbody tr').first().waitFor({ timeout: 60_000 });
  return { page, frame, problems };
}

describe('Banking (browser)', () => {
  it('is installed through consent and shows accounts, balances, linked bills and recurring payments from the household', async () => {
    const view = await installWithConsent(h.rig.f, 'banking', 'fr');
    expect(view.installed.status).toBe('active');
    const { page, frame, problems } = await open('fr');

    // Every account of the bank, with the balance the bank gave at its last published day.
    const accounts = records('bank', 'bank.account');
    const cards = frame.locator('[data-testid="accounts"] li');
    expect(await cards.count()).toBe(accounts.length);
    const transactions = records('bank', 'bank.transaction');
    const lastDay = transactions.reduce((m, t) => ((t.valueDate as string) > m ? (t.valueDate as string) : m), '');
    for (const a of accounts) {
      const card = cards.filter({ hasText: a.label as string });
      const shown = parseShown(await card.locator('[data-testid="balance"]').innerText(), 'fr');
      expect(shown, a.label as string).toBeCloseTo(h.household.balance('family', a.accountId as string, lastDay), 2);
    }
    expect(await frame.locator('figure.chart svg path.line').count()).toBe(1);

    // The latest month's energy debits, each next to the bill it paid.
    const month = lastDay.slice(0, 7);
    const energy = transactions.filter((t) => (t.valueDate as string).startsWith(month) && t.category === 'energy');
    const bills = new Map(
      records('electricity', 'bill')
        .concat(records('gas', 'bill'))
        .map((b) => [b.number, b]),
    );
    for (const t of energy) {
      const row = frame.locator('[data-testid="operations"] tbody tr', { hasText: t.label as string });
      const bill = bills.get(t.reference) as Record<string, unknown>;
      expect(await row.locator('[data-testid="link"]').innerText()).toContain(bill.label as string);
    }
    // The mortgage is a recurring payment.
    expect(await frame.locator('[data-testid="recurring"]').innerText()).toContain('ECHEANCE PRET IMMOBILIER');

    // The Consents screen's data: the app's one grant, active, on the doctypes of its manifest.
    const { grants } = await jsonBody(await h.rig.f.request('/api/grants'));
    const mine = (grants as JsonBody[]).filter((g) => g.grantee.kind === 'app' && g.grantee.id === 'banking');
    expect(mine.map((g) => g.status)).toEqual(['active']);
    const doctypes = mine.flatMap((g) => (g.scopes as JsonBody[]).map((s) => s.doctype as string));
    expect(doctypes).toEqual(
      expect.arrayContaining(['bank.account', 'bank.transaction', 'bill', 'app.banking.correction']),
    );
    // Its reads are in the ledger, under its purpose.
    const { entries } = await jsonBody(await h.rig.f.request('/api/ledger?grantee=app:banking&limit=500'));
    const read = new Set((entries as JsonBody[]).filter((e) => e.outcome === 'allowed').map((e) => e.doctype));
    for (const d of ['bank.account', 'bank.transaction', 'bill', 'retail.receipt']) expect(read.has(d), d).toBe(true);
    expect((entries as JsonBody[]).every((e) => e.purpose === 'personal-insight')).toBe(true);

    await checkAccessibility(frame as unknown as Page);
    await screenshots(page, 'app-banking');
    // The operations and what follows, below the first screen.
    await frame.locator('#operations').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'app-banking-operations-desktop.png') });
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('learns from a correction: the other bakery lines follow, and the correction is written and ledgered; keeps a budget limit', async () => {
    const { page, frame, problems } = await open('en');
    const bakery = frame.locator('[data-testid="operations"] tbody tr', { hasText: 'BOULANGERIE' });
    const count = await bakery.count();
    expect(count).toBeGreaterThan(1);
    expect(await bakery.first().locator('select').inputValue()).toBe('groceries');
    await bakery.first().locator('select').selectOption('restaurant');
    await frame.locator('[data-testid="operations"] select[data-source="model"]').first().waitFor({ timeout: 30_000 });
    for (let i = 1; i < count; i++) {
      const select = bakery.nth(i).locator('select');
      expect(await select.inputValue()).toBe('restaurant');
      expect(await select.getAttribute('data-source')).toBe('model');
    }
    const { docs } = await jsonBody(
      await h.rig.f.request('/api/data/app.banking.correction/_find', { method: 'POST', json: {} }),
    );
    expect((docs as JsonBody[]).map((d) => d.category)).toEqual(['restaurant']);
    const { entries } = await jsonBody(await h.rig.f.request('/api/ledger?grantee=app:banking&limit=500'));
    expect(
      (entries as JsonBody[]).some(
        (e) => e.doctype === 'app.banking.correction' && e.verb === 'create' && e.outcome === 'allowed',
      ),
    ).toBe(true);

    // A budget limit set in the page is kept as the app's document and shown back.
    const groceries = frame.locator('[data-testid="budget"] tr[data-category="groceries"]');
    await groceries.locator('input').fill('432');
    await groceries.locator('input').press('Enter');
    await groceries.locator('input').blur();
    await expect
      .poll(async () => {
        const found = await jsonBody(
          await h.rig.f.request('/api/data/app.banking.limit/_find', { method: 'POST', json: {} }),
        );
        return (found.docs as JsonBody[]).map((d) => [d.category, d.amount]);
      })
      .toEqual([['groceries', 432]]);
    // The field still shows it once the page has reloaded its documents.
    await frame.locator('[data-testid="budget"] tr[data-category="groceries"] input').waitFor();
    await expect.poll(() => groceries.locator('input').inputValue()).toBe('432');
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('runs its links service in the sandbox: every debited energy bill gets its link document, ledgered as the service', async () => {
    const run = await jsonBody(
      await h.rig.f.request('/api/apps/banking/services/links/run', { method: 'POST', json: {} }),
    );
    expect(run).toMatchObject({ ok: true });
    const { docs } = await jsonBody(
      await h.rig.f.request('/api/data/app.banking.link/_find', { method: 'POST', json: { limit: 10_000 } }),
    );
    const links = docs as JsonBody[];
    const transactions = await jsonBody(
      await h.rig.f.request('/api/data/bank.transaction/_find', { method: 'POST', json: { limit: 10_000 } }),
    );
    const billDocs = await jsonBody(
      await h.rig.f.request('/api/data/bill/_find', { method: 'POST', json: { limit: 10_000 } }),
    );
    const billByNumber = new Map((billDocs.docs as JsonBody[]).map((b) => [b.number, b._id]));
    const energyDebits = (transactions.docs as JsonBody[]).filter(
      (t) => typeof t.reference === 'string' && /^L[EG]/.test(t.reference as string),
    );
    expect(energyDebits.length).toBeGreaterThan(40);
    const byTransaction = new Map(links.map((l) => [l.transactionId, l]));
    for (const t of energyDebits) {
      const link = byTransaction.get(t._id);
      expect(
        link?.targets.map((x: JsonBody) => x.id),
        t.label as string,
      ).toContain(billByNumber.get(t.reference));
    }
    // A second run finds nothing to change.
    const again = await jsonBody(
      await h.rig.f.request('/api/apps/banking/services/links/run', { method: 'POST', json: {} }),
    );
    expect(again.ok).toBe(true);
    expect(again.logs.join(' ')).toContain('0 links written, 0 removed');
    const { entries } = await jsonBody(await h.rig.f.request('/api/ledger?grantee=service:banking/links&limit=500'));
    const mine = entries as JsonBody[];
    expect(mine.some((e) => e.doctype === 'bank.transaction' && e.verb === 'read' && e.outcome === 'allowed')).toBe(
      true,
    );
    expect(mine.some((e) => e.doctype === 'app.banking.link' && e.verb === 'create' && e.outcome === 'allowed')).toBe(
      true,
    );
  }, 120_000);

  it('works with optional scopes left out: no receipts read, the rest linked; uninstalling deletes what it wrote', async () => {
    const f = h.rig.f;
    const post = (path: string, json: unknown = {}) => f.request(path, { method: 'POST', json });
    expect((await post('/api/apps/banking/uninstall', { choice: 'delete' })).status).toBe(200);
    for (const doctype of ['app.banking.link', 'app.banking.correction', 'app.banking.limit'])
      expect((await jsonBody(await post(`/api/data/${doctype}/_find`))).docs, doctype).toEqual([]);

    // Install again, leaving the receipts and the claims out.
    const installed = await jsonBody(await post('/api/apps/banking/install'));
    const grants = (installed.installed.grants as JsonBody[]).map((g) => {
      const scopes = g.pending.terms.scopes as JsonBody[];
      const omit = scopes.flatMap((x, i) =>
        ['retail.receipt', 'insurance.claim'].includes(x.doctype as string) ? [i] : [],
      );
      expect(omit).toHaveLength(2);
      return { id: g.id, version: g.pending.version, consentHash: g.pending.consentHash, omit };
    });
    expect((await post('/api/apps/banking/accept', { language: 'en', grants })).status).toBe(200);

    const run = await jsonBody(await post('/api/apps/banking/services/links/run'));
    expect(run.ok).toBe(true);
    expect(run.logs.join(' ')).toContain('retail.receipt not readable');
    const links = (await jsonBody(await post('/api/data/app.banking.link/_find', { limit: 10_000 })))
      .docs as JsonBody[];
    const targets = links.flatMap((l) => (l.targets as JsonBody[]).map((x) => x.doctype));
    expect(targets).not.toContain('retail.receipt');
    expect(targets).toContain('bill');
    const { entries } = await jsonBody(await f.request('/api/ledger?grantee=service:banking/links&limit=500'));
    expect((entries as JsonBody[]).some((e) => e.doctype === 'retail.receipt' && e.outcome === 'denied')).toBe(true);

    // The page shows the accounts and the month all the same.
    const { page, frame, problems } = await open('en');
    expect(await frame.locator('[data-testid="accounts"] li').count()).toBe(records('bank', 'bank.account').length);
    expect(problems).toEqual([]);
    await page.context().close();
  }, 120_000);
});
