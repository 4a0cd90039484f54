/**
 * App frames in real Chromium: the Apps screen installs a hostile test app through the consent
 * flow, opens it in its sandboxed frame, and the app's attempts (another host, an image from
 * elsewhere, the shell's cookies and storage, data outside its grant, the owner's API with the
 * owner's cookies, navigating the top window) are all stopped; the network and data attempts are
 * in the ledger (CSP reports as denials of the app, the gate's own denials).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkAccessibility,
  ensureWebBuild,
  launchBrowser,
  logIn,
  newContext,
  openPage,
  screenshots,
} from '../../testing/browser.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { packageRoot } from '../../platform/package-root.js';

let f: TestFoyer;
let browser: Browser;

beforeAll(async () => {
  ensureWebBuild();
  const dir = await mkdtemp(join(tmpdir(), 'foyer-probe-'));
  const registryFile = join(dir, 'registry.json');
  const probe = join(packageRoot(), 'src', 'apps', 'testing', 'probe-app');
  await writeFile(registryFile, JSON.stringify({ apps: [{ id: 'probe', path: probe }] }));
  [f, browser] = await Promise.all([startTestFoyer({ overrides: { appRegistryFile: registryFile } }), launchBrowser()]);
  await f.ownerToken();
  await f.request('/api/data/bank.transaction', {
    method: 'POST',
    json: { date: '2025-03-11T10:00:00Z', label: 'LOYER', amount: -250, currency: 'EUR', accountId: 'acc-1' },
  });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await f?.close();
});

async function deniedEntries(): Promise<JsonBody[]> {
  return (await jsonBody(await f.request('/api/ledger?outcome=denied&limit=200'))).entries as JsonBody[];
}

describe('app frame isolation in Chromium', () => {
  it('installs through the consent screen, then stops every escape of the app and ledgers them', async () => {
    const context = await newContext(browser);
    await logIn(context, f);
    const { page } = await openPage(context, f, '/apps');
    await page.evaluate("window.localStorage.setItem('foyer', 'shell secret')");
    const card = page.locator('li[data-app="probe"]');
    await card.getByRole('button', { name: 'Install' }).click();
    await page.getByRole('heading', { name: 'Probe asks for your consent' }).waitFor();
    await expect(page.locator('.app-consent dl').first().textContent()).resolves.toContain('Bank transaction');
    await checkAccessibility(page);
    await screenshots(page, 'apps-consent');
    // Nothing is reachable before the owner accepts.
    expect((await f.request('/api/apps/probe/session', { method: 'POST', json: {} })).status).toBe(403);
    await page.getByRole('button', { name: 'Accept' }).click();

    const frame = page.frameLocator('iframe.app-frame');
    const result = frame.locator('#result');
    await expect.poll(async () => (await result.textContent()) ?? '', { timeout: 20_000 }).toMatch(/^\{/);
    const r = JSON.parse((await result.textContent())!) as Record<string, string>;
    expect(r.origin).toBe('null');
    expect(r.allowedRead).toBe('allowed: 1');
    expect(r.otherHost).toMatch(/^stopped: TypeError/);
    expect(r.image).toBe('stopped: Error: image blocked');
    expect(r.cookies).toMatch(/^stopped: SecurityError|^allowed: ""$/);
    expect(r.localStorage).toMatch(/^stopped: SecurityError/);
    expect(r.outsideGrant).toBe('stopped: FoyerApiError: scope_denied');
    // The owner's cookie is not sent from the opaque origin (and its answer is not readable).
    expect(r.ownerCookies).toMatch(/^stopped: TypeError/);
    expect(r.topNavigation).toMatch(/^stopped: /);
    expect(page.url()).toBe(`${f.url}/apps/probe`);
    await screenshots(page, 'apps-frame');

    await expect
      .poll(async () => (await deniedEntries()).map((e) => `${e.actorKind}:${e.actorId}:${e.code}`), {
        timeout: 10_000,
      })
      .toEqual(
        expect.arrayContaining([
          'app:probe:csp_violation:connect-src',
          'app:probe:csp_violation:img-src',
          'app:probe:scope_denied',
        ]),
      );
    const entries = await deniedEntries();
    expect(entries.some((e) => e.actorKind === 'app' && e.doctype === 'energy.contract')).toBe(true);
    // The request with the owner's cookies arrived without them: an anonymous denial, not the owner.
    expect(
      entries.some((e) => e.actorKind === 'anonymous' && e.doctype === 'foyer.grant' && e.code === 'unauthenticated'),
    ).toBe(true);

    // Uninstalling from the screen withdraws the consent: the app's token dies at once.
    await page.getByRole('button', { name: 'Uninstall' }).click();
    await page.getByLabel('Delete it').check();
    await page.locator('form.danger-zone').getByRole('button', { name: 'Uninstall' }).click();
    await page.getByText('Probe is uninstalled').waitFor();
    expect(page.url()).toBe(`${f.url}/apps`);
    const apps = await jsonBody(await f.request('/api/apps'));
    expect(apps.apps.find((a: JsonBody) => a.id === 'probe').installed).toBeNull();
    await screenshots(page, 'apps');
    await checkAccessibility(page);
    await context.close();
  }, 120_000);
});
