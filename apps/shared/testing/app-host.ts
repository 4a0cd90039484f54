/**
 * For the apps' browser tests. Through Foyer's Apps screen: install an app, read its consent, accept,
 * and get its sandboxed frame (`installThroughScreen`, `openInScreen`). Or without the screen:
 * install through the consent API exactly as the screen does (install, read the pending grants,
 * accept each with the hash of the text read) and host the page in a sandboxed frame of the
 * logged-in shell whose hello is answered with the session from POST /api/apps/<id>/session.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { DESKTOP, PHONE, SCREENSHOT_DIR } from '../../../src/testing/browser.js';
import type { TestFoyer } from '../../../src/testing/test-foyer.js';
import { jsonBody, type JsonBody } from '../../../src/testing/json-body.js';

export async function installWithConsent(f: TestFoyer, id: string, language: 'en' | 'fr'): Promise<JsonBody> {
  const installed = await f.request(`/api/apps/${id}/install`, { method: 'POST', json: {} });
  if (installed.status !== 201) throw new Error(`install ${id}: ${installed.status} ${await installed.text()}`);
  const view = await jsonBody(installed);
  const grants = (view.installed.grants as JsonBody[])
    .filter((g) => g.pending)
    .map((g) => ({ id: g.id, version: g.pending.version, consentHash: g.pending.consentHash }));
  const accepted = await f.request(`/api/apps/${id}/accept`, { method: 'POST', json: { language, grants } });
  if (accepted.status !== 200) throw new Error(`accept ${id}: ${accepted.status} ${await accepted.text()}`);
  return jsonBody(accepted);
}

const SCREEN = {
  en: { install: 'Install', accept: 'Accept', asks: 'asks for your consent' },
  fr: { install: 'Installer', accept: 'Accepter', asks: 'demande votre accord' },
} as const;

/**
 * On the Apps screen (the page at /apps, logged in): Install, the consent shown in plain words
 * (answered for checks), Accept; resolves with the consent's text and the app's frame once loaded.
 */
export async function installThroughScreen(
  page: Page,
  id: string,
  language: 'en' | 'fr',
): Promise<{ consent: string; frame: Frame }> {
  const words = SCREEN[language];
  await page.locator(`li[data-app="${id}"]`).getByRole('button', { name: words.install }).click();
  const consent = page.locator('.app-consent');
  await consent.first().waitFor();
  const text = await consent.first().innerText();
  await page.getByRole('button', { name: words.accept, exact: true }).click();
  return { consent: text, frame: await appFrame(page) };
}

/** The app's page as the Apps screen shows an installed app (/apps/<id>). */
export async function openInScreen(page: Page, id: string): Promise<Frame> {
  await page.goto(new URL(`/apps/${id}`, page.url()).href);
  return appFrame(page);
}

async function appFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('iframe.app-frame', { timeout: 30_000 });
  const frame = await handle.contentFrame();
  if (!frame) throw new Error('the app frame did not load');
  return frame;
}

/** Installs the app with consent unless it is installed already (tests may run alone). */
export async function ensureInstalled(f: TestFoyer, id: string, language: 'en' | 'fr'): Promise<JsonBody> {
  const view = await jsonBody(await f.request(`/api/apps/${id}`));
  return view.installed ? view : installWithConsent(f, id, language);
}

/** Replaces the shell page's content with the app's frame; resolves with the frame once it loaded. */
export async function hostApp(page: Page, id: string, language: 'en' | 'fr'): Promise<Frame> {
  await page.evaluate(
    ({ id, language }) => {
      const frame = document.createElement('iframe');
      frame.src = `/app-frame/${id}`;
      frame.setAttribute('sandbox', 'allow-scripts');
      frame.title = id;
      frame.style.width = '100%';
      frame.style.height = '100vh';
      frame.style.border = '0';
      frame.style.display = 'block';
      document.body.style.margin = '0';
      window.addEventListener('message', (event) => {
        const data = event.data as { type?: string } | null;
        if (event.source !== frame.contentWindow || data?.type !== 'foyer-app:hello') return;
        const csrf = document.cookie
          .split('; ')
          .find((c) => c.startsWith('foyer_csrf='))
          ?.slice('foyer_csrf='.length);
        void fetch(`/api/apps/${id}/session?language=${language}`, {
          method: 'POST',
          headers: { 'x-csrf-token': csrf ?? '' },
          credentials: 'same-origin',
        })
          .then((r) => r.json())
          .then((session: unknown) => frame.contentWindow?.postMessage(session, '*'));
      });
      document.body.replaceChildren(frame);
    },
    { id, language },
  );
  const handle = await page.waitForSelector(`iframe[title="${id}"]`);
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`the ${id} frame did not load`);
  return frame;
}

/**
 * Screenshots of a framed app at desktop and phone widths, the frame showing the app's whole page:
 * a full-page capture would not repaint a sandboxed frame (its own process) past the viewport, so
 * the viewport is grown until the frame is as tall as the app's page.
 */
export async function frameScreenshots(page: Page, frame: Frame, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  const files: string[] = [];
  const painted = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
  const element = page.locator('iframe').first();
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    for (let i = 0; i < 4; i++) {
      await frame.evaluate(painted);
      const box = await element.boundingBox();
      const content = Number(await frame.evaluate('document.documentElement.scrollHeight'));
      const viewport = page.viewportSize() ?? size;
      if (!box || box.height >= content - 1 || viewport.height >= 8000) break;
      // The frame's height follows the viewport's (vh units): grow the viewport by the missing part.
      const ratio = Math.max(0.1, box.height / viewport.height);
      const height = Math.min(8000, Math.ceil(viewport.height + (content - box.height) / ratio + 8));
      await page.setViewportSize({ width: size.width, height });
    }
    await frame.evaluate(painted);
    const file = join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file });
    files.push(file);
  }
  await page.setViewportSize(before);
  return files;
}
