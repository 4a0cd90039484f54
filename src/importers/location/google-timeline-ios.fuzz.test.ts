import { describe, it } from 'vitest';
import { googleTimelineIosImporter } from './google-timeline-ios.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('Google location-history.json (iOS) fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(googleTimelineIosImporter, /^google-timeline-ios/, 1200, 7);
  }, 30_000);
});
