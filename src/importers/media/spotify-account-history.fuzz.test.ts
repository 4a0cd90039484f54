import { describe, it } from 'vitest';
import { fuzzFixtures } from './media-testing.js';
import { spotifyAccountHistoryImporter } from './spotify-account-history.js';

describe('Spotify account-data history under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = ['StreamingHistory_music_0.json', 'StreamingHistory_podcast_0.json'];
    await fuzzFixtures(spotifyAccountHistoryImporter, new URL('./fixtures/', import.meta.url), fixtures, {
      cases: 600,
      seed: 11,
    });
  }, 30_000);
});
