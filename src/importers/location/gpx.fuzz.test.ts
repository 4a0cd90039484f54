import { describe, it } from 'vitest';
import { gpxImporter } from './gpx.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('GPX fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(gpxImporter, /^gpx-/, 1200, 8);
  }, 30_000);
});
