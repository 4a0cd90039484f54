import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../../core/principal.js';
import { DEFAULT_SPACE } from '../../core/spaces/space-service.js';
import { startTestFoyer } from '../../testing/test-foyer.js';
import type { ByteOpener } from '../source/import-source.js';

const bytes = readFileSync(new URL('./fixtures/csv-bpce.csv', import.meta.url));
const file = (name: string, data: Uint8Array): ByteOpener => ({
  name,
  size: data.length,
  async *open() {
    yield data;
  },
});

describe('bank CSV presets', () => {
  it('applies the mapping corrected for one export to the next export of the same layout', async () => {
    const t = await startTestFoyer();
    try {
      const owner: RequestContext = { space: DEFAULT_SPACE, principal: { kind: 'system', reason: 'test' } };
      const first = await t.foyer.imports.preview(owner, file('mars.csv', bytes));
      expect(first.format.id).toBe('bank-csv');
      const inferred = first.details!.mapping as { columns: Record<string, number> };
      const corrected = { ...inferred, columns: { ...inferred.columns, label: 1, category: 6 } };
      await t.foyer.imports.run(owner, file('mars.csv', bytes), { options: { csvMapping: corrected } });

      // The next month's export: same header, other lines (here: the same file under another name).
      const next = await t.foyer.imports.preview(owner, file('avril.csv', bytes));
      expect(next.details).toMatchObject({ preset: 'applied', mapping: { columns: { label: 1, category: 6 } } });
      expect(next.sample['bank.transaction']![0]).toMatchObject({ label: 'INTERMARCHE', category: 'Alimentation' });
    } finally {
      await t.close();
    }
  });
});
