import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { KIT_DOCTYPES, schemaIdOf } from './kit-doctypes.js';

describe("the Holder Kit connector's table of catalog doctypes", () => {
  it('is the catalog: every doctype, its version, its kind and its schema id', async () => {
    const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
    const fromCatalog = Object.fromEntries(
      catalog.list().map((d) => [d.name, { version: d.version, series: d.kind === 'series' }]),
    );
    expect(KIT_DOCTYPES).toEqual(fromCatalog);
    for (const d of catalog.list()) expect(schemaIdOf(d.name, d.version)).toBe(d.schema.$id);
  });
});
