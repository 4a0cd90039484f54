import { describe, it } from 'vitest';
import { expectFuzzSurvives, fixturesNamed } from './energy-testing.js';
import { enedisCsvImporter } from './enedis-csv.js';

describe('Enedis CSV fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(enedisCsvImporter, fixturesNamed(/^enedis-.*\.csv$/), 1200, 11);
  }, 60_000);
});
