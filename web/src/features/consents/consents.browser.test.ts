/**
 * The Consents screen in Chromium against a real Foyer: a pending request accepted with an
 * optional scope left out, a renewal asked and accepted, withdrawals with the delete and the keep
 * choices and their receipts; each checked against the grant API afterwards.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrant, requestGrant, testTerms, type TestGrant } from '../../../../src/testing/grants.js';
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
let budget: TestGrant;
let notes: TestGrant;
let pendingId: string;

const bill = (n: number) => ({
  vendor: 'Lumen Énergie',
  vendorCategory: 'energy',
  issueDate: `2026-0${n}-04`,
  totalAmount: 40 + n,
  currency: 'EUR',
});

beforeAll(async () => {
  ensureWebBuild();
  [f, browser] = await Promise.all([startTestFoyer(), launchBrowser()]);
  await f.ownerToken();
  budget = await activeGrant(
    f,
    testTerms({ scopes: [{ doctype: 'bill', verbs: ['read', 'create'] }], onWithdraw: 'delete' }),
    { kind: 'app', id: 'mon-budget', name: 'Mon budget', publisher: 'Foyer tests' },
  );
  for (const n of [1, 2, 3]) {
    const res = await f.request('/api/data/bill', { method: 'POST', json: bill(n), token: budget.accessToken });
    expect(res.status).toBe(201);
  }
  notes = await activeGrant(f, testTerms({ scopes: [{ doctype: 'bill', verbs: ['create'] }], onWithdraw: 'keep' }), {
    kind: 'app',
    id: 'carnet',
    name: 'Carnet',
  });
  await f.request('/api/data/bill', { method: 'POST', json: bill(4), token: notes.accessToken });
  const asked = await requestGrant(
    f,
    testTerms({
      scopes: [
        { doctype: 'bank.transaction', verbs: ['read'] },
        {
          doctype: 'bill',
          verbs: ['read'],
          optional: true,
          reason: { en: 'to match payments', fr: 'pour rapprocher' },
        },
      ],
      storage: { kind: 'recipient', name: 'Budget Cloud SAS', country: 'FR' },
      retention: 'P6M',
    }),
    { kind: 'client', id: 'budget-cloud', name: 'Budget Cloud', publisher: 'Budget SAS' },
  );
  pendingId = asked.id as string;
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

const grantOf = async (id: string) => jsonBody(await f.request(`/api/grants/${id}`));
const card = (page: Page, name: string) => page.locator('article.grant', { has: page.getByRole('heading', { name }) });

async function open(locale: 'en' | 'fr' = 'en') {
  const context = await newContext(browser, { locale });
  await logIn(context, f);
  const opened = await openPage(context, f, '/consents');
  await opened.page.locator('article.grant').first().waitFor();
  return opened;
}

describe('Consents (browser)', () => {
  it('shows a request in plain words and accepts it with the optional data left out', async () => {
    const { page, problems } = await open();
    const waiting = page.getByRole('region', { name: 'Waiting for your consent' });
    const request = waiting.locator('article.grant', { hasText: 'Budget Cloud' });
    const facts = request.locator('dl');
    await facts.getByText('Outside service “Budget Cloud” (Budget SAS)').waitFor();
    await facts.getByText('copied to Budget Cloud SAS, FR.').waitFor();
    await facts.getByText('6 months').waitFor();
    await facts.getByText('Chart your spending.', { exact: false }).waitFor();
    await facts.getByText('Bank transaction (bank.transaction): read').waitFor();
    await screenshots(page, 'consents');
    await checkAccessibility(page);

    const optional = request.getByRole('checkbox', { name: /Bill \(bill\): read; optional/ });
    expect(await optional.isChecked()).toBe(true);
    await optional.uncheck();
    await request.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Consent given to Budget Cloud.').waitFor();

    const grant = await grantOf(pendingId);
    expect(grant.status).toBe('active');
    expect((grant.active as { decision: { omitted: number[]; language: string } }).decision).toMatchObject({
      omitted: [1],
      language: 'en',
    });
    const inForce = page.getByRole('region', { name: 'In force' });
    await inForce.locator('article.grant', { hasText: 'Budget Cloud' }).getByText('(left out by you)').waitFor();
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('when the terms change while the page is open, accepting is refused and the new text is shown', async () => {
    const asked = await requestGrant(f, testTerms({ retention: 'P1Y' }), {
      kind: 'app',
      id: 'budget-plus',
      name: 'Budget plus',
    });
    const { page } = await open();
    const request = card(page, 'Budget plus');
    await request.locator('dl').getByText('1 year', { exact: true }).waitFor();
    // Meanwhile the grantee asks for longer retention.
    const changed = await f.request(`/api/grants/${asked.id as string}/versions`, {
      method: 'POST',
      json: { terms: testTerms({ retention: 'P3Y' }) },
    });
    expect(changed.status).toBe(200);
    await request.getByRole('button', { name: 'Accept' }).click();
    await request.getByRole('alert').getByText('The terms changed since this text was shown').waitFor();
    await request.locator('dl').getByText('3 years', { exact: true }).waitFor();
    expect((await grantOf(asked.id as string)).status).toBe('pending');
    await request.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Consent given to Budget plus.').waitFor();
    const grant = await grantOf(asked.id as string);
    expect((grant.active as { terms: { retention: string } }).terms.retention).toBe('P3Y');
    await page.context().close();
  });

  it('renews: the same terms asked until a year later, in force once accepted', async () => {
    const { page } = await open();
    const before = Date.parse(
      ((await grantOf(budget.id)).active as { terms: { validUntil: string } }).terms.validUntil,
    );
    await card(page, 'Mon budget').getByRole('button', { name: 'Renew for a year' }).click();
    await page.getByText('The renewal is ready').waitFor();
    const renewal = page
      .getByRole('region', { name: 'Waiting for your consent' })
      .locator('article.grant', { hasText: 'Mon budget' });
    await renewal.getByText('Renewal asked: the same terms until').waitFor();
    await renewal.getByRole('button', { name: 'Accept' }).click();
    await page.getByText('Consent given to Mon budget.').waitFor();
    const after = (await grantOf(budget.id)).active as { terms: { validUntil: string }; version: number };
    expect(after.version).toBe(2);
    expect(Date.parse(after.terms.validUntil) - before).toBeGreaterThanOrEqual(364 * 86_400_000);
    await page.context().close();
  });

  it('withdraws with the delete choice and shows the deletion receipt; with keep, says nothing was deleted', async () => {
    const { page } = await open();
    const mine = card(page, 'Mon budget');
    await mine.getByRole('button', { name: 'Withdraw…' }).click();
    // The grant's own choice comes first; the person can change it.
    expect(await mine.getByRole('radio', { name: 'Delete what it created' }).isChecked()).toBe(true);
    await mine.getByRole('button', { name: 'Withdraw consent' }).click();
    await page.getByText('Consent to Mon budget withdrawn.').waitFor();
    const ended = page.getByRole('region', { name: 'Ended' });
    const receipt = ended.locator('article.grant', { hasText: 'Mon budget' }).locator('.receipt');
    await receipt.getByText('3 records of Bill').waitFor();
    const found = await jsonBody(await f.request('/api/data/bill/_find', { method: 'POST', json: { selector: {} } }));
    expect((found.docs as unknown[]).length).toBe(1); // Carnet's bill is still there
    expect((await grantOf(budget.id)).status).toBe('withdrawn');
    // Its token is dead at once.
    const refused = await f.request('/api/data/bill/_find', {
      method: 'POST',
      json: { selector: {} },
      token: budget.accessToken,
    });
    expect(refused.status).toBe(403);
    expect(((await jsonBody(refused)).error as { code: string }).code).toBe('grant_inactive');

    const carnet = card(page, 'Carnet');
    await carnet.getByRole('button', { name: 'Withdraw…' }).click();
    expect(await carnet.getByRole('radio', { name: 'Keep what it created' }).isChecked()).toBe(true);
    await carnet.getByRole('button', { name: 'Withdraw consent' }).click();
    await ended
      .locator('article.grant', { hasText: 'Carnet' })
      .getByText('You chose to keep what it created')
      .waitFor();
    const still = await jsonBody(await f.request('/api/data/bill/_find', { method: 'POST', json: { selector: {} } }));
    expect((still.docs as unknown[]).length).toBe(1);
    await screenshots(page, 'consents-receipts');
    await checkAccessibility(page);
    await page.context().close();
  });

  it('speaks French from Foyer’s French consent text, with French dates, and fits a phone', async () => {
    const { page, problems } = await open('fr');
    await page.getByRole('heading', { name: 'Consentements' }).waitFor();
    await page.locator('dl').getByText('copiées chez Budget Cloud SAS, FR.').waitFor();
    await page.locator('dl').getByText('6 mois').first().waitFor();
    const asked = await grantOf(pendingId);
    const until = (asked.active ?? asked.pending) as { terms: { validUntil: string } };
    // In the browser context's time zone (Paris), not the test process's: the day differs late in a UTC evening.
    const frDate = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }).format(
      new Date(until.terms.validUntil),
    );
    await page.locator('dl').getByText(frDate).first().waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    expect(
      await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
    ).toBeLessThanOrEqual(0);
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
