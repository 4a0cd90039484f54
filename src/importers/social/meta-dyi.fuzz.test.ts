import { describe, it } from 'vitest';
import { fuzzFixtures } from '../media/media-testing.js';
import { metaDyiImporter } from './meta-dyi.js';

describe('Facebook and Instagram exports under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = [
      'your_posts_1.json',
      'comments.json',
      'message_1.json',
      'your_friends.json',
      'posts_1.json',
      'post_comments_1.json',
      'followers_1.json',
      'following.json',
    ];
    await fuzzFixtures(metaDyiImporter, new URL('./fixtures/meta/', import.meta.url), fixtures, {
      cases: 150,
      seed: 31,
    });
  }, 30_000);
});
