import { describe, it } from 'vitest';
import { googleSemanticImporter } from './google-semantic.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('Google Semantic Location History fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(googleSemanticImporter, /^google-semantic-/, 1200, 5);
  }, 30_000);
});
