import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCatalog } from '../core/catalog/catalog.js';
import { createAppCatalog } from './app-catalog.js';
import { defaultRegistryFile, loadAppRegistry } from './app-registry.js';
import { copyTutorialApp, TUTORIAL_DIR } from './testing/app-fixtures.js';
import { loadAppPackage } from './app-package.js';

const emptyCatalog = () => createAppCatalog(createCatalog([]));

describe('app registry', () => {
  it('loads the repository registry: the tutorial and the built-in apps, their doctypes in the catalog', async () => {
    const catalog = emptyCatalog();
    const registry = await loadAppRegistry(catalog, defaultRegistryFile());
    const ids = registry.list().map((p) => p.manifest.id);
    expect(ids).toEqual(expect.arrayContaining(['big-spends', 'banking', 'energy', 'places', 'carbon']));
    expect(registry.listed('banking')).toBe(true);
    // Loaded at start without compiling; every listed app's package still passes the full check.
    for (const pkg of registry.list()) await expect(loadAppPackage(pkg.dir)).resolves.toBeTruthy();
    expect(catalog.get('app.big-spends.alert')?.title.fr).toBe('Gros débit');
    const validate = await catalog.validator('app.big-spends.alert');
    expect(validate({ transactionId: 'a', date: '2025-01-01T00:00:00Z', label: 'x', amount: -1 })).toEqual([]);
    expect(validate({ transactionId: 'a' }).length).toBeGreaterThan(0);
  });

  it('refuses a missing or malformed registry file, and an entry whose folder holds another app', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'foyer-registry-'));
    await expect(loadAppRegistry(emptyCatalog(), join(dir, 'none.json'))).rejects.toThrow('missing or malformed');
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ apps: [{ id: 'x' }] }));
    await expect(loadAppRegistry(emptyCatalog(), join(dir, 'bad.json'))).rejects.toThrow('missing or malformed');
    await writeFile(join(dir, 'wrong.json'), JSON.stringify({ apps: [{ id: 'other', path: TUTORIAL_DIR }] }));
    await expect(loadAppRegistry(emptyCatalog(), join(dir, 'wrong.json'))).rejects.toThrow(
      'lists "other" but its folder holds "big-spends"',
    );
  });

  it('adds an app from a folder, and takes a newer definition of its doctypes from an update', async () => {
    const copy = await copyTutorialApp();
    const catalog = emptyCatalog();
    const registry = await loadAppRegistry(catalog, copy.registryFile);
    expect(registry.listed('big-spends')).toBe(true);
    await copy.edit((m) => {
      m.version = '2.0.0';
      m.doctypes[0]!.schema = { ...m.doctypes[0]!.schema, required: ['transactionId'] };
    });
    expect((await registry.addFolder(copy.dir)).manifest.version).toBe('2.0.0');
    expect((await catalog.validator('app.big-spends.alert'))({ transactionId: 'a' })).toEqual([]);
  });
});
