import { describe, it } from 'vitest';
import { expectFuzzSurvives, fixturesNamed } from './energy-testing.js';
import { enedisJsonImporter } from './enedis-json.js';

describe('Enedis API JSON fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(enedisJsonImporter, fixturesNamed(/^enedis-.*\.json$/), 1200, 12);
  }, 60_000);
});
