import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConnectors } from '../../../../src/connectors/testing/test-connectors.js';
import {
  HOLDER_LOGIN,
  HOLDER_OTP,
  startTestHolder,
  type TestHolder,
} from '../../../../src/connectors/testing/test-holder.js';
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

const FIXTURES = path.resolve('src/importers/bank/fixtures');

describe('Connect and import (browser)', () => {
  let foyer: TestFoyer;
  let holder: TestHolder;
  let browser: Browser;
  beforeAll(async () => {
    ensureWebBuild();
    [foyer, holder, browser] = await Promise.all([
      startTestFoyer({ overrides: { connectors: testConnectors() } }),
      startTestHolder(),
      launchBrowser(),
    ]);
    await foyer.ownerToken();
  });
  afterAll(async () => {
    await browser?.close();
    await holder?.close();
    await foyer?.close();
  });

  it('connects with a login form: consent, a refused password said in plain words, then collecting with a second factor', async () => {
    const context = await newContext(browser);
    await logIn(context, foyer);
    const { page, problems } = await openPage(context, foyer, '/connect');
    await page.locator('[data-ready=connect]').waitFor();
    const card = page.locator('[data-connector=test-login]');
    await card.getByText('Another server (advanced)').click();
    await card.getByLabel('Address of the organisation’s server').fill(holder.url);
    await card.getByRole('button', { name: 'Connect Test Holder' }).click();

    // The consent, in full, before anything happens.
    await card.getByRole('group', { name: 'Your consent' }).waitFor();
    expect(await card.locator('.consent-text').textContent()).toContain('Collect your bills and consumption.');
    await screenshots(page, 'connect-consent');
    await checkAccessibility(page);
    await card.getByRole('button', { name: 'I agree' }).click();

    // A wrong password: the run fails, and the card says what to do.
    await card.getByLabel('Email').fill(HOLDER_LOGIN.username);
    await card.getByLabel('Password').fill('not-the-password');
    await card.getByRole('button', { name: 'Save and collect' }).click();
    await card.getByRole('alert').getByText('your password may have changed. Enter it again.').waitFor();
    await card.getByText('Needs action').waitFor();

    await card.getByRole('button', { name: 'Your login at Test Holder' }).click();
    await card.getByLabel('Email').fill(HOLDER_LOGIN.username);
    await card.getByLabel('Password').fill(HOLDER_LOGIN.password);
    await card.getByRole('button', { name: 'Save and collect' }).click();
    await card.locator('[data-run-outcome=succeeded]').waitFor();
    expect(await card.locator('[data-run-outcome=succeeded]').textContent()).toMatch(/Collected: \d+ new/);
    const bills = (await (
      await foyer.request('/api/data/bill/_find', { method: 'POST', json: { selector: {} } })
    ).json()) as any;
    expect(bills.docs.length).toBe(holder.bills.length);

    // The holder now asks for a code: the card asks the person, and the run goes on with it.
    holder.mode = 'second-factor';
    await card.getByRole('button', { name: 'Collect now' }).click();
    await card.getByLabel('Code').fill(HOLDER_OTP);
    await screenshots(page, 'connect-second-factor');
    await card.getByRole('button', { name: 'Send the code' }).click();
    await card.locator('[data-run-outcome=succeeded]').waitFor();
    holder.mode = 'ok';
    await card.getByText('OK', { exact: true }).waitFor();
    await screenshots(page, 'connect');
    await checkAccessibility(page);
    expect(problems.filter((p) => !/40[0-9]/.test(p))).toEqual([]);
    await context.close();
  });

  it('imports a bank CSV: preview with format, counts, sample and mapping, then progress and summary', async () => {
    const context = await newContext(browser);
    await logIn(context, foyer);
    const { page } = await openPage(context, foyer, '/connect');
    await page.locator('[data-ready=connect]').waitFor();
    await page.getByLabel('Choose a file').setInputFiles(path.join(FIXTURES, 'csv-generic-debit-credit.csv'));
    await page.getByRole('heading', { name: 'Preview of csv-generic-debit-credit.csv' }).waitFor();
    expect(await page.getByText(/Recognised as .*CSV/i).count()).toBe(1);
    const created = Number(
      await page.locator('[data-doctype="bank.transaction"] [data-created]').getAttribute('data-created'),
    );
    expect(created).toBeGreaterThan(0);
    expect(await page.getByRole('table', { name: /Sample: Bank transaction/ }).count()).toBe(1);
    // The mapping Foyer guessed, adjustable: the label column is the "Libellé" one.
    const label = page.getByLabel('Label', { exact: true });
    expect(await label.locator('option:checked').textContent()).toMatch(/Libell/);
    await page.getByRole('button', { name: 'Preview again' }).click();
    await page.getByRole('heading', { name: 'Preview of csv-generic-debit-credit.csv' }).waitFor();
    await screenshots(page, 'import-preview');
    await checkAccessibility(page);
    // Nothing was written by the preview.
    const before = (await (
      await foyer.request('/api/data/bank.transaction/_find', { method: 'POST', json: { selector: {} } })
    ).json()) as any;
    expect(before.docs).toEqual([]);

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByTestId('import-summary').waitFor();
    const summary = page.getByTestId('import-summary');
    expect(await summary.locator('[data-doctype="bank.transaction"] [data-created]').getAttribute('data-created')).toBe(
      String(created),
    );
    expect(await summary.getByRole('status').textContent()).toMatch(/^Imported csv-generic-debit-credit\.csv: \d+ new/);
    const after = (await (
      await foyer.request('/api/data/bank.transaction/_find', { method: 'POST', json: { selector: {} } })
    ).json()) as any;
    expect(after.docs.length).toBe(created);
    await screenshots(page, 'import-summary');

    // A file no importer reads: said in plain words.
    await page.getByLabel('Choose a file').setInputFiles({
      name: 'notes.bin',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from([0, 1, 2, 3, 255, 254]),
    });
    await page.getByRole('alert').getByText('Foyer does not recognise this file.', { exact: false }).waitFor();
    await context.close();
  });
});
