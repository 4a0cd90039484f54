import { describe, it } from 'vitest';
import { googleTimelineAndroidImporter } from './google-timeline-android.js';
import { expectFuzzSurvives } from './location-testing.js';

describe('Google Timeline.json (Android) fuzzing', () => {
  it('ends every mutation of the fixtures in records valid for the catalog or an import error', async () => {
    await expectFuzzSurvives(googleTimelineAndroidImporter, /^google-timeline-android/, 1200, 6);
  }, 30_000);
});
