import { describe, it } from 'vitest';
import { fuzzFixtures } from './media-testing.js';
import { spotifyExtendedHistoryImporter } from './spotify-extended-history.js';

describe('Spotify extended history under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = ['Streaming_History_Audio_2023-2024_0.json', 'endsong_0.json'];
    await fuzzFixtures(spotifyExtendedHistoryImporter, new URL('./fixtures/', import.meta.url), fixtures, {
      cases: 600,
      seed: 12,
    });
  }, 30_000);
});
