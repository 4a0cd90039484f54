import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { netflixViewingActivityImporter } from './netflix-viewing-activity.js';

describe('Netflix viewing activity under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const bytes = await readFile(new URL('./fixtures/ViewingActivity.csv', import.meta.url));
    const fixtures = [
      { name: 'ViewingActivity.csv', bytes },
      // The same rows with LF ends and a byte order mark, as a re-saved file has them.
      {
        name: 'ViewingActivity-lf.csv',
        bytes: Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(bytes.toString('utf8').replace(/\r\n/g, '\n')),
        ]),
      },
    ];
    const { imported, rejected } = await fuzzImporter(netflixViewingActivityImporter, fixtures, {
      cases: 600,
      seed: 13,
    });
    expect(imported + rejected).toBe(1200);
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
