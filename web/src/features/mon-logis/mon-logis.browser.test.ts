/**
 * Mon logis in Chromium, on the family of the synthetic household connected at every simulated
 * holder (a real Foyer, real holders, real connectors): the figures shown are checked against the
 * household's own records, computed here without the screen's code.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdRig } from '../../../../src/connectors/testing/household-rig.js';
import { startHouseholdBrowser, type HouseholdBrowser } from '../../../../src/testing/household-browser.js';
import { checkAccessibility, logIn, newContext, openPage, screenshots } from '../../../../src/testing/browser.js';
import { expectedCosts, expectedKwh, parseShown } from '../../../e2e/household-figures.js';
import { addDays, addMonths, localDay } from './calendar.js';

let h: HouseholdRig;
let browser: Browser;
const NOW = Date.now();
const today = localDay(NOW, 'Europe/Paris');

let household: HouseholdBrowser;

beforeAll(async () => {
  household = await startHouseholdBrowser({ now: NOW, seed: 'web-views-mon-logis', customerId: 'family' });
  ({ rig: h, browser } = household);
}, 240_000);
afterAll(() => household?.close());

/** What the holders served: three years to the last published day. */
const served = () => h.household.window(NOW);
const records: HouseholdBrowser['records'] = (holder, doctype) => household.records(holder, doctype);

/** The figure after the label: "Last 12 months: 10,207 kWh" → 10207. */
async function figure(page: Page, name: string): Promise<number> {
  return parseShown((await page.locator(`[data-figure="${name}"]`).innerText()).split(':').pop()!, 'en');
}

async function open(locale: 'en' | 'fr'): Promise<{ page: Page; problems: string[] }> {
  const context = await newContext(browser, { locale });
  await logIn(context, h.rig.f);
  const opened = await openPage(context, h.rig.f, '/mon-logis');
  await opened.page.locator('#costs-table').waitFor({ timeout: 30_000 });
  await opened.page.locator('#contracts-table').waitFor();
  await opened.page.locator('#water-chart').waitFor();
  await opened.page.locator('#load-curve-chart').waitFor();
  return opened;
}

describe('Mon logis (browser)', () => {
  it('shows each month’s housing costs per category as the bank debited them, each bill once', async () => {
    const { page, problems } = await open('en');
    const expected = expectedCosts(h.household, 'family', served());
    const months = Array.from({ length: 12 }, (_, i) => addMonths(today.slice(0, 7), i - 11));
    let checked = 0;
    for (const month of months) {
      const row = page.locator(`#costs-table tr[data-month="${month}"]`);
      const want = expected.get(month) ?? { insurer: 0, energy: 0, water: 0, telecom: 0 };
      for (const c of ['insurer', 'energy', 'water', 'telecom'] as const) {
        const shown = parseShown(await row.locator(`td[data-category="${c}"]`).innerText(), 'en');
        expect(shown, `${month} ${c}`).toBeCloseTo(want[c], 2);
        if (want[c] > 0) checked++;
      }
      const total = parseShown(await row.locator('td[data-category="total"]').innerText(), 'en');
      expect(total).toBeCloseTo(want.insurer + want.energy + want.water + want.telecom, 2);
    }
    expect(checked).toBeGreaterThan(30);
    await page.locator('#costs-chart svg rect').first().waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('shows electricity and gas over the last 12 months and 30 days as the meters counted them', async () => {
    const { page } = await open('en');
    const elec = records('electricity', 'energy.electricity.daily');
    const last = (elec[elec.length - 1]!.date as string).slice(0, 7);
    const from = addMonths(last, -11);
    const shown12 = await figure(page, 'electricity-12-months');
    expect(shown12).toBe(Math.round(expectedKwh(h.household, 'family', 'electricity', served(), from, last)));
    const lastDay = elec[elec.length - 1]!.date as string;
    const days30 = elec
      .filter((p) => (p.date as string) > addDays(lastDay, -30))
      .reduce((a, p) => a + (p.energyKwh as number), 0);
    expect(await figure(page, 'electricity-30-days')).toBe(Math.round(days30));
    const gasShown = await figure(page, 'gas-12-months');
    expect(gasShown).toBe(Math.round(expectedKwh(h.household, 'family', 'gas', served(), from, last)));
    expect(await page.locator('#electricity-daily svg g.chart-bar').count()).toBe(30);
    expect(await page.locator('#electricity-monthly svg g.chart-bar').count()).toBe(12);
    await page.context().close();
  });

  it('zooms the load curve with the buttons and the keyboard, asking finer points as it narrows', async () => {
    const { page } = await open('en');
    const title = page.locator('#load-curve-chart figcaption');
    expect(await title.innerText()).toContain('hourly means');
    await page.getByRole('button', { name: 'Zoom in' }).click();
    await page.locator('#load-curve-chart figcaption', { hasText: 'every half hour' }).waitFor();
    const path = await page.locator('#load-curve-chart path.chart-line').getAttribute('d');
    // Four days of half hours: 192 points (a clock change adds or removes two).
    expect((path ?? '').match(/[ML]/g)!.length).toBeGreaterThanOrEqual(188);
    await page.locator('#load-curve-chart .chart-canvas').focus();
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await page.locator('#load-curve-chart figcaption', { hasText: 'hourly means' }).waitFor();
    await page.keyboard.press('-');
    await page.keyboard.press('-');
    await page.locator('#load-curve-chart figcaption', { hasText: 'daily means' }).waitFor();
    await page.getByRole('button', { name: 'Earlier' }).click();
    await page.context().close();
  });

  it('alerts on every leak the water meter flagged in the last year, and lists the contract dates ahead', async () => {
    const { page } = await open('en');
    const water = records('water', 'water.daily');
    const flagged = water
      .filter((d) => d.leak === true && (d.date as string) >= addDays(today, -365))
      .map((d) => d.date as string);
    const alerts = await page
      .locator('[data-leak-from]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-leak-from')!));
    for (const day of flagged)
      expect(
        alerts.some((from) => from <= day && addDays(from, 13) >= day),
        day,
      ).toBe(true);
    if (flagged.length === 0) expect(alerts.length + (await page.locator('.notice-ok').count())).toBeGreaterThan(0);

    const contracts = [
      ...records('insurer', 'insurance.contract'),
      ...records('electricity', 'energy.contract'),
      ...records('gas', 'energy.contract'),
    ] as { contractNumber: string; startDate: string }[];
    for (const c of contracts) {
      const thisYear = `${today.slice(0, 4)}${c.startDate.slice(4)}`;
      const next = thisYear >= today ? thisYear : `${Number(today.slice(0, 4)) + 1}${c.startDate.slice(4)}`;
      const row = page.locator(`#contracts-table tr[data-contract="${c.contractNumber}"]`).first();
      const shown = await row.locator('td').first().innerText();
      expect(shown, c.contractNumber).toBe(
        new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${next}T12:00:00Z`)),
      );
    }
    await page.context().close();
  });

  it('speaks French with French numbers, is accessible, and fits desktop and phone widths', async () => {
    const { page, problems } = await open('fr');
    await page.getByRole('heading', { name: 'Dépenses mensuelles du logement' }).waitFor();
    const cell = await page.locator('#costs-table tbody tr').last().locator('td[data-category="total"]').innerText();
    expect(cell).toMatch(/^\d{1,3}([\u202f\u00a0 ]\d{3})*,\d{2}[\u202f\u00a0 ]€$/);
    await checkAccessibility(page);
    await screenshots(page, 'mon-logis');
    // Nothing overflows a phone's width.
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
