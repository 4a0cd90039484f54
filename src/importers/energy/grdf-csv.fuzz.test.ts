import { describe, it } from 'vitest';
import { expectFuzzSurvives, fixturesNamed } from './energy-testing.js';
import { grdfCsvImporter } from './grdf-csv.js';

describe('GRDF CSV fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(grdfCsvImporter, fixturesNamed(/^grdf-.*\.csv$/), 1200, 13);
  }, 60_000);
});
