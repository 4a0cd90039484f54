import { describe, it } from 'vitest';
import { kmlImporter } from './kml.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('KML fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(kmlImporter, /^kml-/, 1200, 9);
  }, 30_000);
});
