/**
 * The whole journey of issue 6, in Chromium, as one person on the synthetic household's family:
 * first run → connect the simulated holders (through the web app and the holders' own pages) →
 * Home and Mon logis with real figures (checked against the household's records) → import a bank
 * file → correct and delete a record → withdraw a consent and read its deletion receipt → find all
 * of it in the access log. A screenshot of each screen at desktop and phone widths
 * (`test-results/screenshots/journey-*`). The steps share one browser page and run in order.
 */
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinConnectors } from '../../src/connectors/builtin-connectors.js';
import { connectorOfHolder } from '../../src/connectors/testing/household-rig.js';
import { noFaults } from '../../src/holders/faults/fault-config.js';
import { createHousehold, type HolderId, type Household } from '../../src/holders/household/household.js';
import { startHolders, type RunningHolders } from '../../src/holders/start-holders.js';
import { manualClock } from '../../src/platform/clock.js';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  newContext,
  openPage,
  screenshots,
} from '../../src/testing/browser.js';
import { jsonBody } from '../../src/testing/json-body.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../../src/testing/test-foyer.js';
import { addMonths, localDay } from '../src/features/mon-logis/calendar.js';
import { expectedCosts, expectedKwh, parseShown } from './household-figures.js';

const NOW = Date.now();
const today = localDay(NOW, 'Europe/Paris');
const CUSTOMER = 'family';
const OFX = path.join(import.meta.dirname, '../../src/importers/bank/fixtures/ofx-102-sgml-fr.ofx');

let f: TestFoyer;
let holders: RunningHolders;
let household: Household;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  ensureWebBuild();
  const clock = manualClock(NOW);
  household = createHousehold({ seed: 'web-journey' });
  [f, browser] = await Promise.all([
    startTestFoyer({ overrides: { clock, connectors: builtinConnectors() } }),
    launchBrowser(),
  ]);
  holders = await startHolders({ household, clock, faults: noFaults(), basePort: 0 });
  context = await newContext(browser);
}, 120_000);
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await holders?.close();
  await f?.close();
});

/** The owner's own calls to check what the screens did (a personal token, made after the first run). */
const owner = async (pathname: string, init: RequestInit & { json?: unknown } = {}) => {
  await f.ownerToken();
  return jsonBody(await f.request(pathname, init));
};
const served = () => household.window(NOW);
const family = () => household.customer(CUSTOMER);

async function go(label: string, ready: string): Promise<void> {
  const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true });
  // Already there: load it afresh, as a person would.
  if (new URL(page.url()).pathname === (await link.getAttribute('href'))) await page.reload();
  else await link.click();
  await page.locator(ready).first().waitFor({ timeout: 30_000 });
}

describe('the whole journey (browser)', { timeout: 120_000 }, () => {
  it('1. first run: the printed setup link, a passphrase, the space', async () => {
    const code = f.foyer.setupCodes.issue('default');
    const opened = await openPage(context, f, `/?setup=${code}`);
    page = opened.page;
    page.on('pageerror', (e) => problems.push(e.message));
    await page.getByRole('heading', { name: 'Welcome to Foyer' }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(TEST_PASSPHRASE);
    await page.getByLabel('Passphrase again').fill(TEST_PASSPHRASE);
    await screenshots(page, 'journey-1-first-run');
    await page.getByRole('button', { name: 'Create my space' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect((await f.foyer.ownerAuth.status('default')).initialised).toBe(true);
  });

  it('2. connects every holder of the family through the web app and the holders’ own pages', async () => {
    await connectHolders();
    const { connectors } = (await owner('/api/connectors')) as {
      connectors: {
        manifest: { id: string };
        installed: { grantStatus: string; lastRun: { outcome: string } | null } | null;
      }[];
    };
    const installed = connectors
      .filter((c) => c.installed?.grantStatus === 'active' && c.installed.lastRun?.outcome === 'succeeded')
      .map((c) => c.manifest.id);
    expect(installed.sort()).toEqual(
      family()
        .holders.map((h) => connectorOfHolder[h])
        .sort(),
    );
  }, 300_000);

  it('3. Home shows what each holder gave, as many as the holders served', async () => {
    await go('Home', '[data-ready=home]');
    const count = async (source: string, doctype: string) =>
      Number(
        await page
          .locator(`[data-source="${source}"] [data-doctype="${doctype}"] [data-count]`)
          .getAttribute('data-count'),
      );
    const records = (holder: HolderId, doctype: string) =>
      household.records(CUSTOMER, holder, doctype, served()).length;
    expect(await count('connector:bank-psd2', 'bank.transaction')).toBe(records('bank', 'bank.transaction'));
    expect(await count('connector:water-kit', 'water.daily')).toBe(records('water', 'water.daily'));
    expect(await count('connector:insurer-kit', 'insurance.contract')).toBe(records('insurer', 'insurance.contract'));
    await screenshots(page, 'journey-3-home');
    await checkAccessibility(page);
  });

  it('4. Mon logis shows the household’s real figures', async () => {
    await go('Mon logis', '#costs-table');
    await page.locator('#contracts-table').waitFor();
    const expected = expectedCosts(household, CUSTOMER, served());
    for (let i = -11; i <= 0; i++) {
      const month = addMonths(today.slice(0, 7), i);
      const want = expected.get(month) ?? { insurer: 0, energy: 0, water: 0, telecom: 0 };
      const shown = parseShown(
        await page.locator(`#costs-table tr[data-month="${month}"] td[data-category="total"]`).innerText(),
        'en',
      );
      expect(shown, month).toBeCloseTo(want.insurer + want.energy + want.water + want.telecom, 2);
    }
    const elec = household.records(CUSTOMER, 'electricity', 'energy.electricity.daily', served());
    const last = (elec[elec.length - 1]!.data.date as string).slice(0, 7);
    const figure = await page.locator('[data-figure="electricity-12-months"]').innerText();
    expect(parseShown(figure.split(':').pop()!, 'en')).toBe(
      Math.round(expectedKwh(household, CUSTOMER, 'electricity', served(), addMonths(last, -11), last)),
    );
    await page.locator('#water-chart').waitFor();
    await screenshots(page, 'journey-4-mon-logis');
  });

  let imported: string[] = [];
  it('5. imports a bank statement (OFX): preview, then import', async () => {
    const before = await bankCount();
    await importFile(OFX);
    await screenshots(page, 'journey-5-import');
    const after = await bankCount();
    expect(after - before).toBe(5);
    // The statement's own labels (the household's bank has no such lines).
    const one = async (prefix: string) =>
      (
        (await owner('/api/data/bank.transaction/_find', {
          method: 'POST',
          json: { selector: { label: { $gte: prefix, $lt: `${prefix}\uffff` } } },
        })) as { docs: { _id: string }[] }
      ).docs.map((d) => d._id);
    imported = [...(await one('CB CARREFOUR MARKET')), ...(await one('CHEQUE 8812345'))];
    expect(imported).toHaveLength(2);
  });

  it('6. corrects one imported record and deletes another in My data', async () => {
    const [toCorrect, toDelete] = imported as [string, string];
    await correctRecord(toCorrect, 'label', 'CB CARREFOUR MARKET PARIS 11');
    await screenshots(page, 'journey-6-record');
    const corrected = await owner(`/api/data/bank.transaction/${toCorrect}`);
    expect(corrected.label).toBe('CB CARREFOUR MARKET PARIS 11');
    await deleteRecord(toDelete);
    expect((await f.request(`/api/data/bank.transaction/${toDelete}`)).status).toBe(404);
  });

  it('7. withdraws the water connector’s consent, deleting what it brought, and reads the receipt', async () => {
    await go('Consents', 'article.grant');
    const card = page.locator('article.grant', { has: page.getByRole('heading', { name: "Eau de l'Estuaire" }) });
    await card.getByRole('button', { name: 'Withdraw…' }).click();
    await card.getByRole('radio', { name: 'Delete what it created' }).check();
    await card.getByRole('button', { name: 'Withdraw consent' }).click();
    await page.getByText("Consent to Eau de l'Estuaire withdrawn.").waitFor();
    const receipt = page
      .getByRole('region', { name: 'Ended' })
      .locator('article.grant', { hasText: "Eau de l'Estuaire" })
      .locator('.receipt');
    const days = household.records(CUSTOMER, 'water', 'water.daily', served()).length;
    const bills = household.records(CUSTOMER, 'water', 'bill', served());
    await receipt.locator(`li[data-doctype="water.daily"][data-count="${days}"]`).waitFor();
    await receipt.locator(`li[data-doctype="bill"][data-count="${bills.length}"]`).waitFor();
    await receipt
      .getByText(`${new Intl.NumberFormat('en-GB').format(days)} readings of Daily water consumption`)
      .waitFor();
    await screenshots(page, 'journey-7-consents');
    // The water is gone from Mon logis too.
    await go('Mon logis', '#costs-table');
    await page.getByText('No water readings yet').waitFor();
  });

  it('8. finds all of it in the access log, and the chain is intact', async () => {
    await go('Access log', '.ledger-entry');
    const seen = async (who: RegExp, what: string) => {
      await page.getByLabel('Who').selectOption({ label: await optionLabel('#filter-who', who) });
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.locator('.ledger-entry', { hasText: what }).first().waitFor();
    };
    await seen(/^Banque Horizon$/, '· Bank transaction');
    await seen(/^Eau de l'Estuaire$/, '· Daily water consumption');
    await seen(/^File import /, 'added 5 · Bank transaction');
    await seen(/^You \(web app\)$/, 'changed 1 · Bank transaction');
    await page.locator('.ledger-entry', { hasText: 'deleted 1 · Bank transaction' }).first().waitFor();
    await page.locator('.ledger-entry', { hasText: '· Consents' }).first().waitFor();
    await seen(/^Foyer \(withdrawal of Eau de l'Estuaire\)$/, 'deleted 12 · Bill');
    await page.getByRole('button', { name: 'Verify integrity' }).click();
    await page.locator('#verify-result .notice-ok').waitFor();
    await screenshots(page, 'journey-8-access-log');
    await checkAccessibility(page);
    expect(problems).toEqual([]);
  });
});

async function optionLabel(select: string, pattern: RegExp): Promise<string> {
  const labels = await page.locator(`${select} option`).allInnerTexts();
  const found = labels.find((l) => pattern.test(l.trim()));
  if (!found) throw new Error(`no option ${pattern} in ${select}: ${labels.join(' | ')}`);
  return found.trim();
}

async function bankCount(): Promise<number> {
  let n = 0;
  let bookmark: string | undefined;
  for (;;) {
    const page = (await owner('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: { selector: {}, fields: ['amount'], limit: 10_000, ...(bookmark ? { bookmark } : {}) },
    })) as { docs: unknown[]; bookmark?: string };
    n += page.docs.length;
    if (!page.bookmark || page.docs.length === 0) return n;
    bookmark = page.bookmark;
  }
}

/**
 * Connect & import, for each holder the family is a client of, as the person does it: the
 * holder's server address (the simulated holders listen on ephemeral ports), "Connect", read and
 * accept the consent, log in and allow at the holder's own pages in the new tab, come back, and
 * collect with the run's progress until it says what it collected.
 */
async function connectHolders(): Promise<void> {
  await go('Connect', '[data-ready=connect]');
  for (const h of holders.holders.filter((x) => family().holders.includes(x.id))) {
    const id = connectorOfHolder[h.id];
    const login = family().logins[h.id]!;
    const card = page.locator(`article[data-connector="${id}"]`);
    const holder = (await card.locator('h3').innerText()).trim();
    await card.locator('details.advanced summary').click();
    await card.locator(`#origin-${id}`).fill(h.url);
    await card.getByRole('button', { name: `Connect ${holder}` }).click();
    await card.getByRole('button', { name: 'I agree' }).click();
    const [tab] = await Promise.all([
      context.waitForEvent('page'),
      card.getByRole('link', { name: `Open ${holder}` }).click(),
    ]);
    await consentAtHolderPages(tab, login);
    await tab.close();
    await card.getByRole('button', { name: `I have agreed at ${holder}` }).click();
    await card.getByRole('button', { name: 'Collect now' }).click();
    await card.locator('[data-run-outcome="succeeded"]').waitFor({ timeout: 120_000 });
    if (h.id === 'bank') await screenshots(page, 'journey-2-connect');
  }
}

/** The holder's own pages in the tab Foyer opened: log in (a code if asked), allow, and back to Foyer. */
async function consentAtHolderPages(tab: Page, login: { username: string; password: string; otp?: string }) {
  await tab.locator('input[name=username]').fill(login.username);
  await tab.locator('input[name=password]').fill(login.password);
  await tab.locator('button[type=submit]:not([formnovalidate])').first().click();
  const next = tab.locator('input[name=otp], button[value=allow]').first();
  await next.waitFor();
  if ((await next.getAttribute('name')) === 'otp') {
    await tab.locator('input[name=otp]').fill(login.otp ?? '');
    await tab.locator('button[type=submit]').first().click();
  }
  const accept = tab.locator('input[name=accept]');
  if ((await accept.count()) > 0) await accept.check();
  await tab.locator('button[value=allow]').click();
  await tab.getByText('The connection is made').waitFor();
  expect(new URL(tab.url()).origin).toBe(f.url);
}

/** Connect & import: choose the file, read the preview (format, counts), import. */
async function importFile(file: string): Promise<void> {
  await go('Connect', '[data-ready=connect]');
  const section = page.getByRole('region', { name: 'Import a file' });
  await section.locator('input[type=file]').setInputFiles(file);
  await section.getByText('Recognised as').waitFor();
  await screenshots(page, 'journey-5-import-preview');
  // Five operations and their account; all new.
  await section.getByText('6 records').first().waitFor();
  const row = section.getByRole('row', { name: /^Bank transaction/ });
  expect((await row.locator('td').allInnerTexts()).map((c) => c.trim())).toEqual(['5', '0', '0', '0']);
  await section.getByRole('button', { name: 'Import', exact: true }).click();
  await section.getByText(`Imported ${path.basename(file)}`).waitFor({ timeout: 60_000 });
}

/** My data: the bank transactions' table, filtered to the record, its detail. */
async function openRecord(doctype: string, title: string, filter: string, id: string): Promise<void> {
  await go('My data', 'ul.doctype-list');
  await page
    .locator('ul.doctype-list')
    .first()
    .getByRole('link', { name: new RegExp(`^${title}`) })
    .click();
  await page.getByLabel('Filter').fill(filter);
  await page.locator(`a[href="/data/${doctype}/${encodeURIComponent(id)}"]`).click();
  await page.locator('[data-ready=record]').waitFor();
}

/** My data: "Correct this record", change one field in the JSON, save. */
async function correctRecord(id: string, field: string, value: string): Promise<void> {
  await openRecord('bank.transaction', 'Bank transaction', 'CARREFOUR', id);
  await page.getByRole('button', { name: 'Correct this record' }).click();
  const editor = page.getByRole('textbox', { name: 'Correct this record' });
  const data = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
  await editor.fill(JSON.stringify({ ...data, [field]: value }, null, 2));
  await page.getByRole('button', { name: 'Save the correction' }).click();
  await page.getByText('Correction saved.').waitFor();
  await page.locator(`[data-field="${field}"]`, { hasText: value }).waitFor();
}

/** My data: "Delete this record", see what goes with it, confirm. */
async function deleteRecord(id: string): Promise<void> {
  await openRecord('bank.transaction', 'Bank transaction', '8812345', id);
  await page.getByRole('button', { name: 'Delete this record' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.waitForURL(/\/data\/bank\.transaction$/);
}
