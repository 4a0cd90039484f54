import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppPackage } from '../../src/apps/app-package.js';
import { createWebBundler } from '../../src/apps/frame/web-bundle.js';
import { categories } from './logic/category-rules.js';

const dir = import.meta.dirname;

describe('the Banking app package', () => {
  it('loads: manifest valid, files present, its doctypes compile and are namespaced under app.banking', async () => {
    const pkg = await loadAppPackage(dir);
    expect(pkg.manifest.id).toBe('banking');
    expect(pkg.doctypes.map((d) => d.name).sort()).toEqual([
      'app.banking.correction',
      'app.banking.limit',
      'app.banking.link',
    ]);
    // Every scope says why, in both languages, and keeps derived data for a stated time.
    for (const s of pkg.manifest.scopes) {
      expect(s.reason.en.length).toBeGreaterThan(10);
      expect(s.reason.fr.length).toBeGreaterThan(10);
      expect(s.retention).toBe('P3Y');
    }
    // Reads only, except its own doctypes.
    for (const s of pkg.manifest.scopes.filter((x) => !x.doctype.startsWith('app.banking.')))
      expect(s.verbs).toEqual(['read']);
    // Receipts are read without their items: the totals are enough to link them.
    expect(pkg.manifest.scopes.find((s) => s.doctype === 'retail.receipt')?.fields).not.toContain('items');
  });

  it('offers corrections in exactly the categories the rules and the model use', async () => {
    const pkg = await loadAppPackage(dir);
    const correction = pkg.manifest.doctypes.find((d) => d.name === 'app.banking.correction');
    const schema = correction?.schema as { properties: { category: { enum: string[] } } };
    expect(schema.properties.category.enum).toEqual([...categories]);
  });

  it('bundles its page and its service into single scripts', async () => {
    const bundle = createWebBundler();
    const page = await bundle(join(dir, 'web/main.tsx'));
    expect(page.length).toBeGreaterThan(10_000);
    expect(page).not.toMatch(/<\/script/i);
    const service = await bundle(join(dir, 'services/links.ts'));
    expect(service).toContain('app.banking.link');
  });
});
