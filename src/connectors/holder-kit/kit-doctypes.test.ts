import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../../core/catalog/load-catalog.js';
import { KIT_DOCTYPES, schemaIdOf } from './kit-doctypes.js';

describe("the Holder Kit connector's table of catalog doctypes", () => {
  it('is the catalog: every doctype, its version, its kind, its file field and its schema id', async () => {
    const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
    const fromCatalog = Object.fromEntries(
      catalog.list().map((d) => {
        const field = d.fileFields[0];
        const property = field ? (d.schema.properties as Record<string, { type?: string }>)[field] : undefined;
        expect(d.fileFields.length, d.name).toBeLessThanOrEqual(1);
        return [
          d.name,
          {
            version: d.version,
            series: d.kind === 'series',
            ...(field ? { files: { field, many: property?.type === 'array' } } : {}),
          },
        ];
      }),
    );
    expect(KIT_DOCTYPES).toEqual(fromCatalog);
    for (const d of catalog.list()) expect(schemaIdOf(d.name, d.version)).toBe(d.schema.$id);
  });
});
