import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { fixturesMatching } from './health-testing.js';
import { fhirImporter } from './fhir-importer.js';

describe('FHIR JSON fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    const fixtures = fixturesMatching(/^fhir-/);
    const { imported, rejected } = await fuzzImporter(fhirImporter, fixtures, { cases: 500, seed: 11 });
    expect(imported + rejected).toBe(2000);
    // Mutations must exercise both outcomes, or the test proves nothing.
    expect(imported).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  }, 30_000);
});
