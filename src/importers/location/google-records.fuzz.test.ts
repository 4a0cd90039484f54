import { describe, it, expect } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { googleRecordsImporter } from './google-records.js';
import { fixturesMatching } from './location-testing.js';

describe('Google Records.json fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    const fixtures = fixturesMatching(/^google-(records|location-history)/);
    const { imported, rejected } = await fuzzImporter(googleRecordsImporter, fixtures, { cases: 600, seed: 4 });
    expect(imported + rejected).toBe(1200);
    // Mutations must exercise both outcomes, or the test proves nothing.
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  }, 30_000);
});
