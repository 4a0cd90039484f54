import { describe, it } from 'vitest';
import { geojsonImporter } from './geojson.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('GeoJSON fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(geojsonImporter, /^geojson-/, 1200, 10);
  }, 30_000);
});
