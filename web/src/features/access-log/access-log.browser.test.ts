/**
 * The access log in Chromium against a real Foyer: an app that writes bills and is refused bank
 * transactions, the owner's own reads; the timeline, its filters, the per-grantee chart, the
 * refusals highlighted and the integrity check, each compared with the ledger API.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrant, testTerms, type TestGrant } from '../../../../src/testing/grants.js';
import { jsonBody } from '../../../../src/testing/json-body.js';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  logIn,
  newContext,
  openPage,
  screenshots,
} from '../../../../src/testing/browser.js';
import { startTestFoyer, type TestFoyer } from '../../../../src/testing/test-foyer.js';

let f: TestFoyer;
let browser: Browser;
let app: TestGrant;

beforeAll(async () => {
  ensureWebBuild();
  [f, browser] = await Promise.all([startTestFoyer(), launchBrowser()]);
  await f.ownerToken();
  app = await activeGrant(f, testTerms({ scopes: [{ doctype: 'bill', verbs: ['read', 'create'] }] }), {
    kind: 'app',
    id: 'mon-budget',
    name: 'Mon budget',
  });
  for (const n of [1, 2]) {
    const bill = {
      vendor: 'Onde',
      vendorCategory: 'telecom',
      issueDate: `2026-0${n}-02`,
      totalAmount: 20,
      currency: 'EUR',
    };
    expect((await f.request('/api/data/bill', { method: 'POST', json: bill, token: app.accessToken })).status).toBe(
      201,
    );
  }
  for (let i = 0; i < 3; i++) {
    const refused = await f.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: { selector: {} },
      token: app.accessToken,
    });
    expect(refused.status).toBe(403);
  }
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

const ledger = async (q: string) =>
  (await jsonBody(await f.request(`/api/ledger?${q}`))).entries as { seq: number; outcome: string; actorId: string }[];

async function open(path = '/access-log', locale: 'en' | 'fr' = 'en') {
  const context = await newContext(browser, { locale });
  await logIn(context, f);
  const opened = await openPage(context, f, path);
  await opened.page.locator('.ledger-entry').first().waitFor();
  return opened;
}

describe('Access log (browser)', () => {
  it('shows the timeline by day with refusals highlighted, and a chart per grantee and day', async () => {
    const { page, problems } = await open();
    const denied = page.locator('.ledger-entry[data-outcome="denied"]');
    expect(await denied.count()).toBe(3);
    await denied.first().locator('.badge', { hasText: 'Refused' }).waitFor();
    await denied.first().getByText('Mon budget').waitFor();
    await denied.first().getByText('tried to read · Bank transaction: refused (scope_denied)').waitFor();
    await page.locator('.ledger-entry', { hasText: 'added 1 · Bill' }).first().waitFor();
    // The chart names the app and marks the day with refusals.
    await page.locator('#ledger-chart .chart-legend', { hasText: 'Mon budget' }).waitFor();
    expect(await page.locator('#ledger-chart g.chart-bar.marked').count()).toBe(1);
    await screenshots(page, 'access-log');
    await checkAccessibility(page);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('filters by who, which data and outcome, as the ledger API counts them', async () => {
    const { page } = await open();
    await page.getByLabel('Who').selectOption({ label: 'Mon budget' });
    await page.getByLabel('Outcome').selectOption('denied');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/grantee=app%3Amon-budget/);
    // A locator count, not waitForFunction: a string evaluated in the page is refused by the app's CSP.
    await expect.poll(() => page.locator('.ledger-entry[data-outcome="allowed"]').count()).toBe(0);
    const seqs = await page
      .locator('.ledger-entry')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs).toEqual((await ledger('grantee=app:mon-budget&outcome=denied')).map((e) => e.seq));

    await page.getByLabel('Outcome').selectOption('');
    await page.getByLabel('Which data').selectOption({ label: 'Bill' });
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/doctype=bill/);
    await expect.poll(() => page.locator('.ledger-entry[data-outcome="denied"]').count()).toBe(0);
    const billSeqs = await page
      .locator('.ledger-entry')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(billSeqs).toEqual((await ledger('grantee=app:mon-budget&doctype=bill')).map((e) => e.seq));
    expect(billSeqs.length).toBe(2);

    // A day with nothing: the empty state.
    await page.getByLabel('From').fill('2020-01-01');
    await page.getByLabel('To (included)').fill('2020-01-02');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('No access matches').waitFor();
    await page.context().close();
  });

  it('verifies the chain and says it is intact, with the count the server checked', async () => {
    const { page } = await open('/access-log', 'fr');
    await page.getByRole('button', { name: 'Vérifier l’intégrité' }).click();
    const result = page.locator('#verify-result .notice-ok');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toMatch(/^Intact : [\d\s\u202f]+ entrées vérifiées/);
    const checked = Number(text.replace(/^Intact : ([\d\s\u202f]+) entrées.*$/s, '$1').replace(/\D/g, ''));
    const verify = await jsonBody(await f.request('/api/ledger/verify'));
    expect(verify.ok).toBe(true);
    // The server checked up to its head then; the page's own reads came after.
    expect(checked).toBeGreaterThan(5);
    expect(checked).toBeLessThanOrEqual(verify.checked as number);
    await page.context().close();
  });

  it('is usable with the keyboard alone and fits a phone', async () => {
    const { page } = await open();
    await page.getByLabel('Who').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.id')).toBe('filter-data');
    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    ).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
