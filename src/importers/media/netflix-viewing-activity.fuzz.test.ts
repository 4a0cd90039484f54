import { readFile } from 'node:fs/promises';
import { describe, it } from 'vitest';
import { fuzzFixtures } from './media-testing.js';
import { netflixViewingActivityImporter } from './netflix-viewing-activity.js';

describe('Netflix viewing activity under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const dir = new URL('./fixtures/', import.meta.url);
    const bytes = await readFile(new URL('ViewingActivity.csv', dir));
    // The same rows with LF ends and a byte order mark, as a re-saved file has them.
    const resaved = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(bytes.toString('utf8').replace(/\r\n/g, '\n')),
    ]);
    await fuzzFixtures(
      netflixViewingActivityImporter,
      dir,
      ['ViewingActivity.csv', { name: 'ViewingActivity-lf.csv', bytes: resaved }],
      {
        cases: 600,
        seed: 13,
      },
    );
  }, 30_000);
});
