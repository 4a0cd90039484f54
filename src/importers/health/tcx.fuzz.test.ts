import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { fixturesMatching } from './health-testing.js';
import { tcxImporter } from './tcx-importer.js';

describe('TCX fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    const fixtures = fixturesMatching(/^tcx-/);
    const { imported, rejected } = await fuzzImporter(tcxImporter, fixtures, { cases: 1000, seed: 11 });
    expect(imported + rejected).toBe(2000);
    // Mutations must exercise both outcomes, or the test proves nothing.
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  }, 30_000);
});
