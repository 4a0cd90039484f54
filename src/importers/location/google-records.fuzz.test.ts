import { describe, it } from 'vitest';
import { googleRecordsImporter } from './google-records.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('Google Records.json fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(googleRecordsImporter, /^google-(records|location-history)/, 1200, 4);
  }, 30_000);
});
