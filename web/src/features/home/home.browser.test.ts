import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HouseholdRig } from '../../../../src/connectors/testing/household-rig.js';
import { startHouseholdBrowser, type HouseholdBrowser } from '../../../../src/testing/household-browser.js';
import { checkAccessibility, logIn, newContext, openPage, screenshots } from '../../../../src/testing/browser.js';
import { recordWebMetric } from '../../../../src/testing/web-metrics.js';

const NOW = Date.UTC(2026, 2, 10, 12);

describe('Home with the synthetic household (browser)', () => {
  let household: HouseholdBrowser;
  let h: HouseholdRig;
  let browser: Browser;
  beforeAll(async () => {
    household = await startHouseholdBrowser({ now: NOW, seed: 'web-home', customerId: 'family' });
    ({ rig: h, browser } = household);
  }, 240_000);
  afterAll(() => household?.close());

  it('shows every connected organisation with what it holds, matching the space, within 1.5 s', async () => {
    const context = await newContext(browser);
    await logIn(context, h.rig.f);
    // The first visit also warms the server's code paths; the later ones are what a person coming
    // back to Home sees. The cold one and the best warm one are reported; the target applies to the latter.
    const { page, problems } = await openPage(context, h.rig.f, '/');
    const homeShownAt = async () =>
      Number(
        await page
          .waitForFunction(
            () => (globalThis as any).document.querySelector('[data-ready=home]') && performance.now(),
            undefined,
            { polling: 'raf', timeout: 10_000 },
          )
          .then((handle) => handle.jsonValue()),
      );
    recordWebMetric('homeInteractiveColdMs', Math.round(await homeShownAt()));
    // Two warm visits: on a shared machine either can be stretched by other processes taking the
    // CPU; the best is what the page costs (as for the table's passes in my-data).
    const warm: number[] = [];
    for (let visit = 0; visit < 2; visit++) {
      await page.reload();
      warm.push(await homeShownAt());
    }
    const interactiveMs = Math.min(...warm);
    recordWebMetric('homeInteractiveMs', Math.round(interactiveMs));
    expect(interactiveMs).toBeLessThanOrEqual(1500);

    // One card per connector, each OK after a successful sync.
    for (const id of h.connectors) {
      const card = page.locator(`[data-source="connector:${id}"]`);
      await expect.poll(() => card.count()).toBe(1);
      expect(await card.getByText('OK', { exact: true }).count()).toBe(1);
    }
    // The numbers shown are what the space holds.
    const held = await h.held(['bank.transaction', 'bill', 'water.daily', 'energy.electricity.load-curve']);
    const shown = async (source: string, doctype: string) =>
      Number(
        await page
          .locator(`[data-source="${source}"] [data-doctype="${doctype}"] [data-count]`)
          .getAttribute('data-count'),
      );
    expect(await shown('connector:bank-psd2', 'bank.transaction')).toBe(held['bank.transaction']);
    expect(await shown('connector:water-kit', 'water.daily')).toBe(held['water.daily']);
    expect(await shown('connector:electricity-enedis', 'energy.electricity.load-curve')).toBe(
      held['energy.electricity.load-curve'],
    );
    const bills = await page
      .locator('[data-doctype="bill"] [data-count]')
      .evaluateAll((cells) =>
        cells.reduce((n, c) => n + Number((c as unknown as { dataset: { count: string } }).dataset.count), 0),
      );
    expect(bills).toBe(held.bill);
    // A period breaks only after its dash: never inside a date ("March" / "2026") nor before the dash.
    const periods = await page.locator('[data-doctype] td:last-child').allTextContents();
    expect(periods.length).toBeGreaterThan(0);
    for (const period of periods) expect(period).toMatch(/^(—|[^ ]+\u00a0– [^ ]+)$/);

    await screenshots(page, 'home');
    await checkAccessibility(page);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks French with French numbers when the browser asks for it', async () => {
    const context = await newContext(browser, { locale: 'fr' });
    await logIn(context, h.rig.f);
    const { page } = await openPage(context, h.rig.f, '/');
    await page.getByRole('heading', { name: 'Accueil' }).waitFor();
    await page.locator('[data-ready=home]').waitFor();
    const held = await h.held(['bank.transaction']);
    const cell = page.locator('[data-source="connector:bank-psd2"] [data-doctype="bank.transaction"] [data-count]');
    expect(await cell.textContent()).toBe(new Intl.NumberFormat('fr-FR').format(held['bank.transaction']!));
    expect(await page.getByRole('columnheader', { name: 'Période' }).count()).toBeGreaterThan(0);
    await context.close();
  });
});
