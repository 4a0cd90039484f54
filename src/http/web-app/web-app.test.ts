import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { webAppCsp } from './web-app-csp.js';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="app"></div></body></html>';

async function fakeBuild(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-web-dist-'));
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), INDEX);
  await writeFile(path.join(dir, 'assets', 'index-AbC123.js'), 'console.log("app")');
  await writeFile(path.join(dir, 'assets', 'index-AbC123.css'), 'body{}');
  await writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return dir;
}

describe('the web app served by Foyer', () => {
  let t: TestFoyer;
  let dist: string;
  beforeAll(async () => {
    dist = await fakeBuild();
    t = await startTestFoyer({ overrides: { webApp: { distDir: dist, frameSrc: ['http://apps.localhost:8080'] } } });
  });
  afterAll(async () => {
    await t.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('answers the app page at / under the strict CSP, never cached stale', async () => {
    const res = await fetch(`${t.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(INDEX);
    const csp = res.headers.get('content-security-policy')!;
    for (const directive of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self' data: blob:",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      'frame-src http://apps.localhost:8080',
    ]) {
      expect(csp.split('; ')).toContain(directive);
    }
    expect(csp).not.toContain('unsafe');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('keeps the setup link working: /?setup=… is the app page, which reads the code', async () => {
    const res = await fetch(`${t.url}/?setup=abc`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(INDEX);
  });

  it('answers the app page for client routes (SPA fallback), HEAD included', async () => {
    for (const route of ['/data/bank.transaction', '/connect', '/consents', '/data/bank.transaction/tx-1']) {
      const res = await fetch(t.url + route);
      expect(res.status, route).toBe(200);
      expect(await res.text()).toBe(INDEX);
    }
    const head = await fetch(`${t.url}/connect`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves hashed assets with an immutable cache and their type', async () => {
    const js = await fetch(`${t.url}/assets/index-AbC123.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await js.text()).toBe('console.log("app")');
    const css = await fetch(`${t.url}/assets/index-AbC123.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const icon = await fetch(`${t.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toBe('image/svg+xml');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for files the build does not have, and never climbs out of it', async () => {
    for (const p of [
      '/assets/missing-123.js',
      '/assets/..%2F..%2Fpackage.json',
      '/assets/sub/index-AbC123.js',
      '/nope.js',
      '/a/b/c.png',
    ]) {
      const res = await fetch(t.url + p);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as any).error.code).toBe('not_found');
    }
  });

  it('leaves the API, OAuth and discovery alone', async () => {
    expect((await fetch(`${t.url}/api/health`)).status).toBe(200);
    const unknown = await fetch(`${t.url}/api/no-such-thing`, { headers: { accept: 'text/html' } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toContain('application/json');
    const discovery = await fetch(`${t.url}/.well-known/openid-configuration`);
    expect(discovery.headers.get('content-type')).toContain('application/json');
    const oauth = await fetch(`${t.url}/oauth/nothing-here`);
    expect(await oauth.text()).not.toBe(INDEX);
  });

  it('still serves the first-run page assets it does not replace', async () => {
    const res = await fetch(`${t.url}/assets/first-run.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/javascript');
  });
});

describe('the web app before it is built', () => {
  let t: TestFoyer;
  beforeAll(async () => {
    t = await startTestFoyer({ overrides: { webApp: { distDir: path.join(os.tmpdir(), 'foyer-no-such-build') } } });
  });
  afterAll(() => t.close());

  it('answers client routes with a page saying to run npm run build', async () => {
    const res = await fetch(`${t.url}/data`);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('npm run build');
  });

  it('keeps the server-rendered first-run page at / so the printed setup link works', async () => {
    const res = await fetch(`${t.url}/?setup=abc`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Create your passphrase');
  });
});

describe('the web app CSP', () => {
  it('has no frame-src unless asked, and takes origins only', () => {
    expect(webAppCsp()).not.toContain('frame-src');
    expect(webAppCsp({ frameSrc: ['https://apps.example.org'] })).toContain('frame-src https://apps.example.org');
    for (const bad of ["https://x.org; script-src 'unsafe-inline'", '*', 'https://x.org/path', 'javascript:']) {
      expect(() => webAppCsp({ frameSrc: [bad] }), bad).toThrow(/not an origin/);
    }
  });
});
