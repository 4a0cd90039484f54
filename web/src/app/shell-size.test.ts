import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ensureWebBuild, WEB_DIST } from '../../../src/testing/browser.js';
import { recordWebMetric } from '../../../src/testing/web-metrics.js';

describe('the built web app', () => {
  it('ships at most 250 KB of JavaScript gzipped, all of it from Foyer itself', () => {
    ensureWebBuild();
    const assets = path.join(WEB_DIST, 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((n, f) => n + gzipSync(readFileSync(path.join(assets, f)), { level: 9 }).length, 0);
    const kb = Math.round((gzipped / 1024) * 10) / 10;
    recordWebMetric('shellJsGzipKb', kb);
    expect(kb).toBeLessThanOrEqual(250);

    // No external anything: every script, stylesheet and image the page names is one of the build's.
    const index = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8');
    const refs = [...index.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(1);
    for (const ref of refs) expect(ref, ref).toMatch(/^\/(assets\/)?[A-Za-z0-9._-]+$/);
    expect(index).not.toMatch(/<script>(?!\s*<\/script>)/); // no inline script
    for (const f of readdirSync(assets)) {
      const text = readFileSync(path.join(assets, f), 'utf8');
      expect(text, f).not.toMatch(/https?:\/\/(fonts\.googleapis|fonts\.gstatic|cdn\.|unpkg|cdnjs|jsdelivr)/);
    }
  });
});
