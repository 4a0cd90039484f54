/**
 * Browser tests: Debian's Chromium driven by playwright-core against a real Foyer serving the
 * built web app. No browser download ever: a missing Chromium is an error (the tests fail, they
 * never skip). Helpers take screenshots at desktop and phone widths, run axe-core, and measure
 * long tasks (the 100 ms target).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { packageRoot } from '../platform/package-root.js';
import { parseSetCookie } from './browser-session.js';
import type { TestFoyer } from './test-foyer.js';
import { TEST_PASSPHRASE } from './test-foyer.js';

export const CHROMIUM_PATH = process.env.FOYER_CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Quiet on a closed network: no background fetches, updates, sync or QUIC probes. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

const root = packageRoot();
export const SCREENSHOT_DIR = path.join(root, 'test-results', 'screenshots');
export const WEB_DIST = path.join(root, 'web', 'dist');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) ` +
        'or set FOYER_CHROMIUM_PATH. Browser tests fail without it; they never skip.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/** A fresh context (cookies of its own) at desktop width, in the given language. */
export async function newContext(browser: Browser, options: { locale?: 'en' | 'fr' } = {}): Promise<BrowserContext> {
  const locale = options.locale === 'fr' ? 'fr-FR' : 'en-GB';
  return browser.newContext({ viewport: DESKTOP, locale, timezoneId: 'Europe/Paris' });
}

/** Sets the passphrase if needed and logs this context in (the session cookie lands in the context). */
export async function logIn(context: BrowserContext, foyer: TestFoyer): Promise<void> {
  const space = 'default';
  if (!(await foyer.foyer.ownerAuth.status(space)).initialised)
    await foyer.foyer.ownerAuth.init(space, TEST_PASSPHRASE);
  const res = await context.request.post(`${foyer.url}/api/auth/login`, { data: { passphrase: TEST_PASSPHRASE } });
  if (!res.ok()) throw new Error(`login failed: ${res.status()} ${await res.text()}`);
  // Again as session cookies: a Foyer on a simulated clock sets expiry dates the browser, on the
  // real clock, may find past.
  const cookies = res
    .headersArray()
    .filter((h) => h.name.toLowerCase() === 'set-cookie')
    .map((h) => parseSetCookie(h.value));
  await context.addCookies(
    cookies.map((c) => ({
      name: c.name,
      value: c.value,
      url: foyer.url,
      httpOnly: c.attributes.has('httponly'),
      sameSite: 'Strict' as const,
    })),
  );
}

/**
 * Opens a path of the test Foyer in a new page of the context. Page errors and failed requests to
 * other origins are collected (the app must never reach outside Foyer).
 */
export async function openPage(context: BrowserContext, foyer: TestFoyer, pathname = '/'): Promise<OpenedPage> {
  const page = await context.newPage();
  // Under the tests' own time limit, so a wait that fails names what it waited for.
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(`console error: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (!r.url().startsWith(foyer.url) && !r.url().startsWith('data:') && !r.url().startsWith('blob:'))
      problems.push(`request outside Foyer: ${r.url()}`);
  });
  await startLongTaskProbe(page);
  await page.goto(foyer.url + pathname);
  return { page, problems };
}

export interface OpenedPage {
  page: Page;
  /** Page errors, console errors (other than HTTP 4xx answers) and requests outside Foyer. */
  problems: string[];
}

/** Full-page PNGs at desktop (1280x800) and phone (390x844) widths: `<name>-desktop.png`, `<name>-phone.png`. */
export async function screenshots(page: Page, name: string): Promise<string[]> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  const files: string[] = [];
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const file = path.join(SCREENSHOT_DIR, `${name}-${label}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await page.setViewportSize(before);
  return files;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * Runs axe-core in the page (its source evaluated through the debugging protocol, which the page's
 * CSP does not govern) and throws on any critical violation, listing them. Answers every violation.
 */
export async function checkAccessibility(page: Page, options: { failOn?: string[] } = {}): Promise<AxeViolation[]> {
  const failOn = options.failOn ?? ['critical'];
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(readFileSync(path.join(root, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8'));
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  )) as AxeViolation[];
  const failing = violations.filter((v) => failOn.includes(v.impact ?? ''));
  if (failing.length > 0) {
    const lines = failing.map(
      (v) => `${v.impact}: ${v.id} (${v.help}) at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
    );
    throw new Error(`Accessibility violations on ${page.url()}:\n${lines.join('\n')}`);
  }
  return violations;
}

/** Records long tasks (over 50 ms, the browser's own threshold) from the page's start. */
async function startLongTaskProbe(page: Page): Promise<void> {
  await page.addInitScript(`
    window.__foyerLongTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__foyerLongTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch (e) {}
  `);
}

/**
 * The longest task (ms) while `action` runs: 0 when none exceeded 50 ms. Waits two frames after the
 * action so its rendering is counted.
 */
export async function longestTaskDuring(page: Page, action: () => Promise<void>): Promise<number> {
  await page.evaluate('window.__foyerLongTasks = []');
  await action();
  await page.evaluate(
    'new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 100))))',
  );
  const tasks = (await page.evaluate('window.__foyerLongTasks')) as { duration: number }[];
  return tasks.reduce((max, t) => Math.max(max, t.duration), 0);
}

/**
 * Builds the web app when `web/dist` is missing or older than its sources (a developer editing and
 * testing); CI's `npm ci` has built it already. A lock folder keeps parallel test files from
 * building at once.
 */
export function ensureWebBuild(): void {
  const lock = path.join(root, 'web', '.build-lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (!isStale()) return;
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() > deadline) throw new Error(`web build lock ${lock} held for 2 minutes: remove it`);
      spawnSync('sleep', ['0.5']);
      continue;
    }
    try {
      if (!isStale()) return;
      const r = spawnSync(
        path.join(root, 'node_modules', '.bin', 'vite'),
        ['build', '--config', 'web/vite.config.ts'],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
      return;
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
}

function isStale(): boolean {
  const index = path.join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [path.join(root, 'web', 'index.html'), path.join(root, 'web', 'vite.config.ts')];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (!entry.name.includes('.test.')) sources.push(full);
    }
  };
  walk(path.join(root, 'web', 'src'));
  walk(path.join(root, 'web', 'public'));
  return sources.some((file) => existsSync(file) && statSync(file).mtimeMs > built);
}
