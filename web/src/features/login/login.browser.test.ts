import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  newContext,
  openPage,
  screenshots,
} from '../../../../src/testing/browser.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../../../../src/testing/test-foyer.js';

describe('first run, login, sessions (browser)', () => {
  let foyer: TestFoyer;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuild();
    [foyer, browser] = await Promise.all([startTestFoyer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await foyer?.close();
  });

  it('creates the passphrase from the printed setup link, then logs out and in again', async () => {
    const code = foyer.foyer.setupCodes.issue('default');
    const context = await newContext(browser);
    const { page, problems } = await openPage(context, foyer, `/?setup=${code}`);
    await page.getByRole('heading', { name: 'Welcome to Foyer' }).waitFor();
    expect(await page.getByLabel('Setup code').inputValue()).toBe(code);
    await screenshots(page, 'first-run');
    await checkAccessibility(page);

    // A passphrase too short, then two that differ: said before anything is sent.
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByLabel('Passphrase again').fill('short');
    await page.getByRole('button', { name: 'Create my space' }).click();
    await page.getByText('at least 12 characters', { exact: false }).first().waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(TEST_PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(TEST_PASSPHRASE + '!');
    await page.getByRole('button', { name: 'Create my space' }).click();
    await page.getByText('The two passphrases differ.').waitFor();

    await page.getByLabel('Passphrase again').fill(TEST_PASSPHRASE);
    await page.getByRole('button', { name: 'Create my space' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(new URL(page.url()).search).toBe(''); // the spent setup code left the address bar
    expect((await foyer.foyer.ownerAuth.status('default')).initialised).toBe(true);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Log in to Foyer' }).waitFor();
    await screenshots(page, 'login');
    await checkAccessibility(page);

    await page.getByLabel('Passphrase').fill('not the passphrase at all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').getByText('not the right one').waitFor();

    await page.getByLabel('Passphrase').fill(TEST_PASSPHRASE);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(problems.filter((p) => !p.includes('401'))).toEqual([]);
    await context.close();
  });

  it('lists the sessions, ends another one, and logs out everywhere', async () => {
    const other = await newContext(browser);
    const mine = await newContext(browser, { locale: 'fr' });
    for (const context of [other, mine]) {
      const res = await context.request.post(`${foyer.url}/api/auth/login`, { data: { passphrase: TEST_PASSPHRASE } });
      expect(res.ok()).toBe(true);
    }
    const { page } = await openPage(mine, foyer, '/sessions');
    await page.getByRole('heading', { name: 'Sessions' }).waitFor();
    // French, because the browser asked for it.
    await page.getByText('Ce navigateur').waitFor();
    const rows = page.locator('tbody tr');
    expect(await rows.count()).toBeGreaterThanOrEqual(2);
    await screenshots(page, 'sessions');
    await checkAccessibility(page);

    const before = await rows.count();
    await page
      .getByRole('button', { name: /Fermer la session/ })
      .first()
      .click();
    await expect.poll(() => rows.count()).toBe(before - 1);

    await page.getByRole('button', { name: 'Se déconnecter partout' }).click();
    await page.getByRole('heading', { name: 'Connexion à Foyer' }).waitFor();
    const status = await other.request.get(`${foyer.url}/api/auth/status`);
    expect(((await status.json()) as any).authenticated).toBe(false);
    await other.close();
    await mine.close();
  });

  it('shows a page for unknown client routes and follows links with the keyboard', async () => {
    const context = await newContext(browser);
    await context.request.post(`${foyer.url}/api/auth/login`, { data: { passphrase: TEST_PASSPHRASE } });
    const { page } = await openPage(context, foyer, '/no/such/screen');
    await page.getByRole('heading', { name: 'Page not found' }).waitFor();
    // The skip link is the first stop of the keyboard, and visible when focused.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Home' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${foyer.url}/`);
    expect(await nav.getByRole('link', { name: 'Home' }).getAttribute('aria-current')).toBe('page');
    await context.close();
  });
});
