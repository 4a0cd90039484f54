import { describe, it } from 'vitest';
import { expectFuzzSurvives, fixturesNamed } from './energy-testing.js';
import { grdfJsonImporter } from './grdf-json.js';

describe('GRDF JSON fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(grdfJsonImporter, fixturesNamed(/^grdf-.*\.(json|ndjson)$/), 1200, 14);
  }, 60_000);
});
