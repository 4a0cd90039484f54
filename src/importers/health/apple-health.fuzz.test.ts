import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { fixturesMatching } from './health-testing.js';
import { appleHealthImporter } from './apple-health-importer.js';

describe('Apple Health export.xml fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    const fixtures = fixturesMatching(/^apple-health-/);
    const { imported, rejected } = await fuzzImporter(appleHealthImporter, fixtures, { cases: 500, seed: 11 });
    expect(imported + rejected).toBe(2000);
    // Mutations must exercise both outcomes, or the test proves nothing.
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  }, 30_000);
});
