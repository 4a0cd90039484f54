/**
 * The Energy, Places and Carbon pages in Chromium, on the family of the synthetic household
 * connected at every simulated holder (a real Foyer, real holders, real connectors). Each app is
 * installed on the Apps screen (its consent read, then accepted) and shown in its sandboxed frame there; its figures are
 * checked against the household's own records; its grants are in the consents and its reads in
 * the ledger.
 */
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdRig } from '../../src/connectors/testing/household-rig.js';
import { startHouseholdBrowser, type HouseholdBrowser } from '../../src/testing/household-browser.js';
import { jsonBody, type JsonBody } from '../../src/testing/json-body.js';
import { checkAccessibility, logIn, newContext, openPage } from '../../src/testing/browser.js';
import { ensureInstalled, frameScreenshots, installThroughScreen, openInScreen } from './testing/app-host.js';

let h: HouseholdRig;
let browser: Browser;
const NOW = Date.now();

let household: HouseholdBrowser;

beforeAll(async () => {
  household = await startHouseholdBrowser({ now: NOW, seed: 'apps-builtin', customerId: 'family' });
  ({ rig: h, browser } = household);
}, 240_000);
afterAll(() => household?.close());

const records: HouseholdBrowser['records'] = (holder, doctype) => household.records(holder, doctype);

/** "1 234", "1,234.5" → 1234, 1234.5 */
const parseShown = (text: string, lang: 'en' | 'fr'): number => {
  const cleaned = text.replace(/[\s\u202f\u00a0]/g, '').replace(/[^\d.,-]/g, '');
  return Number(lang === 'fr' ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, ''));
};

/**
 * The Apps screen, logged in: installs the app there (Install, its consent, Accept) unless it is
 * installed, then waits for `ready` in the app's frame.
 */
async function open(
  id: string,
  lang: 'en' | 'fr',
  ready: string,
  install: boolean,
): Promise<{ page: Page; frame: Frame; problems: string[]; consent?: string }> {
  const context = await newContext(browser, { locale: lang });
  await logIn(context, h.rig.f);
  const { page, problems } = await openPage(context, h.rig.f, '/apps');
  let frame: Frame;
  let consent: string | undefined;
  if (install) ({ frame, consent } = await installThroughScreen(page, id, lang));
  else frame = await openInScreen(page, id);
  try {
    await frame.locator(ready).first().waitFor({ timeout: 90_000 });
  } catch (e) {
    // Say what the page shows instead (an error in plain words, an empty state).
    const shown = await frame
      .locator('body')
      .innerText()
      .catch(() => '(no page)');
    throw new Error(`${id}: ${ready} did not appear; the page shows: ${shown.slice(0, 600)}; ${problems.join('; ')}`, {
      cause: e,
    });
  }
  return { page, frame, problems, ...(consent !== undefined ? { consent } : {}) };
}

/** The app's grants as the Consents screen lists them, and the app's reads in the ledger. */
async function consentsAndLedger(id: string): Promise<{ doctypes: string[]; reads: JsonBody[] }> {
  const { grants } = await jsonBody(await h.rig.f.request('/api/grants'));
  const mine = (grants as JsonBody[]).filter((g) => g.grantee.kind === 'app' && g.grantee.id === id);
  expect(mine.length).toBeGreaterThan(0);
  for (const g of mine) expect(g.status).toBe('active');
  const { entries } = await jsonBody(await h.rig.f.request(`/api/ledger?grantee=app:${id}&limit=500`));
  return {
    doctypes: mine.flatMap((g) => (g.scopes as JsonBody[]).map((s) => s.doctype as string)).sort(),
    reads: entries as JsonBody[],
  };
}

async function finish(id: string, page: Page, frame: Frame, problems: string[]): Promise<void> {
  // axe runs inside the frame through the debugging protocol, as checkAccessibility does in a page.
  await checkAccessibility(frame as unknown as Page);
  await frameScreenshots(page, frame, `app-${id}`);
  // Nothing overflows a phone's width.
  await page.setViewportSize({ width: 390, height: 844 });
  expect(
    Number(await frame.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')),
  ).toBeLessThanOrEqual(0);
  expect(problems).toEqual([]);
  await page.context().close();
}

describe('Energy (browser)', () => {
  it('is installed through consent, shows the bills matching the meter and the debits, and its reads are ledgered', async () => {
    const { page, frame, problems, consent } = await open('energy', 'en', 'table td.ok', true);
    // The consent named the data in words, the purpose and the filters.
    expect(consent).toContain('Daily electricity consumption');
    expect(consent).toContain('Electricity load curve');

    // The last 12 months as the meter counted them.
    const elec = records('electricity', 'energy.electricity.daily');
    const year = elec.slice(-365).reduce((s, d) => s + (d.energyKwh as number), 0);
    const card = await frame.locator('.card', { hasText: 'kWh over the last 12 months' }).locator('strong').innerText();
    expect(parseShown(card, 'en')).toBe(Math.round(year));

    // Every bill shown matches the meter; only bills whose debit is not due yet lack one.
    const bills = records('electricity', 'bill');
    const bank = records('bank', 'bank.transaction');
    const lastBankDay = bank.reduce((m, t) => ((t.valueDate as string) > m ? (t.valueDate as string) : m), '');
    const rows = await frame
      .locator('section', { hasText: 'Bills checked against the meter' })
      .locator('tbody tr')
      .all();
    expect(rows.length).toBe(Math.min(24, bills.length));
    const notYetDebited = bills.filter((b) => (b.dueDate as string) > lastBankDay).length;
    let unpaid = 0;
    for (const row of rows) {
      const status = await row.locator('td').last().innerText();
      if (status === 'no debit found') unpaid++;
      else expect(status).toBe('matches');
    }
    expect(unpaid).toBe(notYetDebited);

    // The family cooks and heats water with gas: its heaviest hour is in the evening.
    const top = await frame.locator('p', { hasText: 'Heaviest hours' }).innerText();
    expect(Number(/(\d+)h–/.exec(top)?.[1])).toBeGreaterThanOrEqual(17);

    await frame.getByRole('button', { name: 'By season' }).click();
    await frame.locator('td', { hasText: 'winter' }).first().waitFor();
    await frame.getByRole('button', { name: 'Gas' }).click();
    await frame.locator('.card', { hasText: 'bills checked' }).first().waitFor();
    await frame.getByRole('button', { name: 'Electricity' }).click();
    await frame.getByRole('button', { name: 'By month' }).click();

    const { doctypes, reads } = await consentsAndLedger('energy');
    expect(doctypes).toEqual([
      'bank.transaction',
      'bill',
      'energy.contract',
      'energy.electricity.daily',
      'energy.electricity.load-curve',
      'energy.gas.daily',
    ]);
    const read = new Set(reads.filter((e) => e.outcome === 'allowed').map((e) => e.doctype));
    for (const d of doctypes) expect(read.has(d), d).toBe(true);
    expect(reads.every((e) => e.purpose === 'personal-insight')).toBe(true);
    await finish('energy', page, frame, problems);
  }, 120_000);
});

describe('Places (browser)', () => {
  it('is installed through consent, puts Home first on the bundled map, and counts trips', async () => {
    const { page, frame, problems, consent } = await open('places', 'fr', 'svg.map circle.place', true);
    expect(consent).toContain('Point de localisation');
    const first = frame.locator('section', { hasText: 'Lieux les plus fréquentés' }).locator('tbody tr').first();
    expect(await first.locator('td').nth(1).innerText()).toBe('Domicile');
    // The home circle is drawn on the bundled basemap: land and the Loire, no tile.
    expect(await frame.locator('svg.map path.land').count()).toBe(2);
    expect(await frame.locator('svg.map path.river').count()).toBe(1);
    expect(await frame.locator('svg.map image').count()).toBe(0);
    expect(await frame.locator('svg.map circle.place.home').count()).toBe(1);
    const points = records('telecom', 'location.point').length;
    const shown = await frame.locator('.card', { hasText: 'points de localisation' }).locator('strong').innerText();
    expect(parseShown(shown, 'fr')).toBe(points);
    expect(await frame.locator('section', { hasText: 'Déplacements par jour' }).locator('svg rect').count()).toBe(60);

    const { doctypes, reads } = await consentsAndLedger('places');
    expect(doctypes).toEqual(['app.places.settings', 'location.point', 'location.visit']);
    expect(reads.some((e) => e.doctype === 'location.point' && e.outcome === 'allowed')).toBe(true);
    await finish('places', page, frame, problems);
  }, 120_000);
});

describe('Places: a tile source set by the person (browser)', () => {
  it('saves it in the app’s own doctype, and the frame’s CSP stops the tiles, each refusal ledgered', async () => {
    await ensureInstalled(h.rig.f, 'places', 'fr');
    const { page, frame, problems } = await open('places', 'en', 'svg.map circle.place', false);
    const tiles = { failed: [] as string[], finished: [] as string[] };
    page.on('requestfailed', (r) => {
      if (r.url().startsWith('https://tiles.example/')) tiles.failed.push(r.failure()?.errorText ?? '');
    });
    page.on('requestfinished', (r) => {
      if (r.url().startsWith('https://tiles.example/')) tiles.finished.push(r.url());
    });
    await frame.locator('summary', { hasText: 'Map background' }).click();
    await frame.getByLabel('Tile URL template').fill('https://tiles.example/{z}/{x}/{y}.png');
    await frame.getByRole('button', { name: 'Save' }).click();
    await frame.locator('[role="status"]', { hasText: 'Saved.' }).waitFor();
    expect(await frame.locator('svg.map image').count()).toBeGreaterThan(0);

    const saved = await jsonBody(
      await h.rig.f.request('/api/data/app.places.settings/_find', { method: 'POST', json: {} }),
    );
    expect(saved.docs.map((d: JsonBody) => d.tileUrl)).toEqual(['https://tiles.example/{z}/{x}/{y}.png']);
    // The browser reports what the CSP blocked; Foyer ledgers each report as a denial of the app.
    let denied: JsonBody[] = [];
    for (let i = 0; i < 50 && denied.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 200));
      denied = (await jsonBody(await h.rig.f.request('/api/ledger?grantee=app:places&outcome=denied&limit=50')))
        .entries;
    }
    expect(denied.length).toBeGreaterThan(0);
    // Every tile request was stopped by the CSP before the network; none completed.
    expect(tiles.finished).toEqual([]);
    expect(tiles.failed.length).toBeGreaterThan(0);
    expect(
      tiles.failed.every((e) => /csp/i.test(e)),
      tiles.failed.join(),
    ).toBe(true);
    // The only problems are those refusals (in the console, as requests that never left), and the
    // browser's CSP reports, sent from the opaque origin, whose answers it may not read.
    expect(problems.filter((p) => !/tiles\.example|ERR_BLOCKED_BY_RESPONSE\.NotSameOrigin/.test(p))).toEqual([]);

    await frame.getByRole('button', { name: 'Use the bundled map' }).click();
    await frame.locator('[role="status"]', { hasText: 'Saved.' }).waitFor();
    await page.context().close();
  }, 120_000);
});

describe('Carbon (browser)', () => {
  it('is installed through consent, says it estimates, cites its sources, and shows twelve months', async () => {
    const { page, frame, problems, consent } = await open('carbon', 'en', 'table tbody tr', true);
    expect(consent).toContain('Shop receipt');
    expect(consent).toContain('Bank transaction');
    expect(await frame.locator('[role="note"]').innerText()).toContain('These are estimates, not measurements');
    const sources = await frame.locator('section', { hasText: 'Sources' }).locator('li').allInnerTexts();
    expect(sources.some((s) => s.includes('AGRIBALYSE') && s.includes('2023'))).toBe(true);
    expect(sources.some((s) => s.includes('ADEME') && s.includes('2024'))).toBe(true);
    const months = frame.locator('section', { hasText: 'Estimated footprint per month' }).locator('tbody tr');
    expect(await months.count()).toBe(12);
    const year = parseShown(await frame.locator('.card').first().locator('strong').innerText(), 'en');
    expect(year).toBeGreaterThan(100);
    // Rent or loan, energy and insurance are listed as not estimated.
    const left = await frame
      .locator('section', { hasText: 'Spending not estimated' })
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-category')));
    expect(left).toEqual(expect.arrayContaining(['housing', 'energy', 'insurance']));
    expect(await frame.locator('tr[data-category="housing"] td').first().innerText()).toBe('Housing');

    const { doctypes, reads } = await consentsAndLedger('carbon');
    expect(doctypes).toEqual(['bank.transaction', 'retail.receipt']);
    expect(reads.some((e) => e.doctype === 'retail.receipt' && e.outcome === 'allowed')).toBe(true);
    await finish('carbon', page, frame, problems);
  }, 120_000);
});
