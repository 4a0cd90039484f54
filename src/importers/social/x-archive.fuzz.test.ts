import { describe, it } from 'vitest';
import { fuzzFixtures } from '../media/media-testing.js';
import { xArchiveImporter } from './x-archive.js';

describe('X archive data files under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = [
      'tweets.js',
      'tweet.js',
      'deleted-tweets.js',
      'follower.js',
      'direct-messages.js',
      'direct-messages-group.js',
    ];
    await fuzzFixtures(xArchiveImporter, new URL('./fixtures/x/', import.meta.url), fixtures, { cases: 200, seed: 21 });
  }, 30_000);
});
