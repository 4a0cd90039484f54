import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { xArchiveImporter } from './x-archive.js';

const names = [
  'tweets.js',
  'tweet.js',
  'deleted-tweets.js',
  'follower.js',
  'direct-messages.js',
  'direct-messages-group.js',
];

describe('X archive data files under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = await Promise.all(
      names.map(async (name) => ({ name, bytes: await readFile(new URL(`./fixtures/x/${name}`, import.meta.url)) })),
    );
    const { imported, rejected } = await fuzzImporter(xArchiveImporter, fixtures, { cases: 200, seed: 21 });
    expect(imported + rejected).toBe(1200);
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
