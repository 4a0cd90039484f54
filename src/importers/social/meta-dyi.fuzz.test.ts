import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { metaDyiImporter } from './meta-dyi.js';

const names = [
  'your_posts_1.json',
  'comments.json',
  'message_1.json',
  'your_friends.json',
  'posts_1.json',
  'post_comments_1.json',
  'followers_1.json',
  'following.json',
];

describe('Facebook and Instagram exports under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = await Promise.all(
      names.map(async (name) => ({ name, bytes: await readFile(new URL(`./fixtures/meta/${name}`, import.meta.url)) })),
    );
    const { imported, rejected } = await fuzzImporter(metaDyiImporter, fixtures, { cases: 150, seed: 31 });
    expect(imported + rejected).toBe(1200);
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
