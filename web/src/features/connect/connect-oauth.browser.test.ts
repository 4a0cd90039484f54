import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHouseholdRig, type HouseholdRig } from '../../../../src/connectors/testing/household-rig.js';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  logIn,
  newContext,
  openPage,
  screenshots,
} from '../../../../src/testing/browser.js';

const NOW = Date.UTC(2026, 2, 10, 12);

describe('Connect by the holder’s own pages (browser)', () => {
  let h: HouseholdRig;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuild();
    [h, browser] = await Promise.all([
      startHouseholdRig({ now: NOW, seed: 'web-connect-oauth', customerId: 'family' }),
      launchBrowser(),
    ]);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('hands off to the water company to log in and consent, comes back, and collects', async () => {
    const water = h.holders.holders.find((x) => x.id === 'water')!;
    const login = h.customer.logins.water!;
    const context = await newContext(browser);
    await logIn(context, h.rig.f);
    const { page } = await openPage(context, h.rig.f, '/connect?connector=water-kit');
    const card = page.locator('[data-connector=water-kit]');
    await card.getByText('Another server (advanced)').click();
    await card.getByLabel('Address of the organisation’s server').fill(water.url);
    await card.getByRole('button', { name: /^Connect / }).click();
    await card.getByRole('button', { name: 'I agree' }).click();

    // The holder's pages open in a new tab: the person logs in and agrees there, not in Foyer.
    const opened = context.waitForEvent('page');
    await card.getByRole('link', { name: /^Open / }).click();
    const holderPage = await opened;
    await holderPage.locator('input[name=username]').fill(login.username);
    await holderPage.locator('input[name=password]').fill(login.password);
    await holderPage.locator('input[name=password]').press('Enter');
    const otp = holderPage.locator('input[name=otp]');
    const allow = holderPage.locator('button[name=decision][value=allow]');
    await Promise.race([otp.waitFor(), allow.waitFor()]);
    if (await otp.count()) {
      await otp.fill(login.otp ?? '');
      await otp.press('Enter');
    }
    await allow.click();
    await holderPage.getByText('The connection is made.').waitFor();
    await holderPage.close();

    await card.getByRole('button', { name: /^I have agreed at / }).click();
    await card.getByRole('button', { name: 'Collect now' }).click();
    await card.locator('[data-run-outcome=succeeded]').waitFor({ timeout: 60_000 });
    const held = await h.held(['water.daily']);
    expect(held['water.daily']).toBeGreaterThan(0);
    await card.getByText('OK', { exact: true }).waitFor();
    await screenshots(page, 'connect-oauth');
    await checkAccessibility(page);
    await context.close();
  }, 120_000);
});
