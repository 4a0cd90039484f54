/**
 * A new space: Mon logis and Consents say there is nothing yet and where to get it, section by
 * section, instead of empty charts. Then a space whose data stops in the past: Mon logis shows the
 * twelve months up to its last data, not twelve empty months (Chromium, real Foyer).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  logIn,
  newContext,
  openPage,
} from '../../../../src/testing/browser.js';
import { startTestFoyer, type TestFoyer } from '../../../../src/testing/test-foyer.js';

let f: TestFoyer;
let browser: Browser;
beforeAll(async () => {
  ensureWebBuild();
  [f, browser] = await Promise.all([startTestFoyer(), launchBrowser()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

describe('a new space, then one whose data stops in the past (browser)', () => {
  it('Mon logis shows each section’s empty state, and no chart', async () => {
    const context = await newContext(browser);
    await logIn(context, f);
    const { page, problems } = await openPage(context, f, '/mon-logis');
    for (const text of [
      'No bills or bank debits yet',
      'No electricity readings yet',
      'No gas readings yet',
      'No load curve for this period',
      'No water readings yet',
      'No contract date in the next 12 months',
    ])
      await page.getByText(text).waitFor();
    expect(await page.locator('figure.chart').count()).toBe(0);
    await checkAccessibility(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('Consents says nothing uses the data yet', async () => {
    const context = await newContext(browser, { locale: 'fr' });
    await logIn(context, f);
    const { page } = await openPage(context, f, '/consents');
    await page.getByText('Rien n’utilise encore vos données').waitFor();
    expect(await page.locator('article.grant').count()).toBe(0);
    await context.close();
  });

  it('Mon logis ends the costs at the last month with data when it is in the past', async () => {
    await f.ownerToken();
    const bill = { vendor: 'Onde Télécom', vendorCategory: 'telecom', number: 'T-2025-05', issueDate: '2025-05-02' };
    const write = async (doctype: string, body: unknown) =>
      expect((await f.request(`/api/data/${doctype}`, { method: 'POST', json: body })).status).toBe(201);
    await write('bill', { ...bill, dueDate: '2025-05-08', totalAmount: 39.99, currency: 'EUR' });
    // Paid by the bank on its due date; an insurer's debit without a bill, placed by its category.
    await write('bank.transaction', {
      date: '2025-05-07T22:00:00Z',
      label: 'PRLV SEPA ONDE TELECOM T-2025-05',
      amount: -39.99,
      currency: 'EUR',
      accountId: 'acc-1',
      reference: 'T-2025-05',
    });
    await write('bank.transaction', {
      date: '2025-04-04T22:00:00Z',
      label: 'PRLV ASSURANCE',
      amount: -31.4,
      currency: 'EUR',
      accountId: 'acc-1',
      category: 'insurance',
    });
    const context = await newContext(browser);
    await logIn(context, f);
    const { page } = await openPage(context, f, '/mon-logis');
    await page.locator('#costs-table').waitFor();
    const months = await page
      .locator('#costs-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-month')));
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2024-06');
    expect(months[11]).toBe('2025-05');
    const cell = (month: string, c: string) =>
      page.locator(`#costs-table tr[data-month="${month}"] td[data-category="${c}"]`).innerText();
    expect(await cell('2025-05', 'telecom')).toBe('€39.99');
    expect(await cell('2025-05', 'total')).toBe('€39.99');
    expect(await cell('2025-04', 'insurer')).toBe('€31.40');
    expect(await cell('2025-03', 'total')).toBe('€0.00');
    await context.close();
  });
});
