/**
 * For the apps' browser tests: install an app through the consent API exactly as the Apps screen
 * does (install, read the pending grants, accept each with the hash of the text read), and show
 * its page the way Foyer's shell hosts it: a sandboxed frame of the logged-in shell whose hello is
 * answered with the session from POST /api/apps/<id>/session.
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
 * Screenshots of a framed app at desktop and phone widths, each as tall as the app's page: a
 * full-page capture of the shell would not repaint a sandboxed frame (its own process) past the
 * viewport, so the viewport is grown to the frame's height instead.
 */
export async function frameScreenshots(page: Page, frame: Frame, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  const files: string[] = [];
  const painted = 'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))';
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await frame.evaluate(painted);
    const height = Number(await frame.evaluate('document.documentElement.scrollHeight'));
    await page.setViewportSize({ width: size.width, height: Math.min(8000, Math.max(size.height, height)) });
    await frame.evaluate(painted);
    const file = join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file });
    files.push(file);
  }
  await page.setViewportSize(before);
  return files;
}
