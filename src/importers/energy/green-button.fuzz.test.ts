import { describe, it } from 'vitest';
import { expectFuzzSurvives, fixturesNamed } from './energy-testing.js';
import { greenButtonImporter } from './green-button.js';

describe('Green Button XML fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(greenButtonImporter, fixturesNamed(/^green-button-/), 1200, 15);
  }, 60_000);
});
