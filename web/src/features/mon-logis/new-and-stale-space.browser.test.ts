/**
 * A new space: Mon logis and Consents say there is nothing yet and where to get it, section by
 * section, instead of empty charts (Chromium, real Foyer with no data).
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

describe('empty space (browser)', () => {
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
});
