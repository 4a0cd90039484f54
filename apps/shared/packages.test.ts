import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppPackage } from '../../src/apps/app-package.js';
import { createWebBundler } from '../../src/apps/frame/web-bundle.js';

const apps = join(import.meta.dirname, '..');
const bundle = createWebBundler();

describe.each(['energy', 'places', 'carbon'])('the %s app package', (id) => {
  it('loads: manifest valid, files present, every scope explained in both languages', async () => {
    const pkg = await loadAppPackage(join(apps, id));
    expect(pkg.manifest.id).toBe(id);
    for (const s of pkg.manifest.scopes) {
      expect(s.reason.en.length, s.doctype).toBeGreaterThan(10);
      expect(s.reason.fr.length, s.doctype).toBeGreaterThan(10);
      // Catalog data is only read: an app writes nothing but its own doctypes.
      if (!s.doctype.startsWith(`app.${id}.`)) expect(s.verbs).toEqual(['read']);
    }
    expect(pkg.doctypes.every((d) => d.name.startsWith(`app.${id}.`))).toBe(true);
  });

  it('bundles its page into one script that reaches no host of its own', async () => {
    const page = await bundle(join(apps, id, 'web/main.tsx'));
    expect(page.length).toBeGreaterThan(10_000);
    expect(page).not.toMatch(/<\/script/i);
    // The page talks to Foyer through the SDK only: no hard-coded origin.
    expect(page).not.toMatch(/https?:\/\/(?!tiles\.example)[a-z0-9.-]+\.[a-z]{2,}\/(?:api|v\d)/i);
  });
});
