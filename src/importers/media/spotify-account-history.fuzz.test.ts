import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { spotifyAccountHistoryImporter } from './spotify-account-history.js';

const names = ['StreamingHistory_music_0.json', 'StreamingHistory_podcast_0.json'];

describe('Spotify account-data history under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = await Promise.all(
      names.map(async (name) => ({ name, bytes: await readFile(new URL(`./fixtures/${name}`, import.meta.url)) })),
    );
    const { imported, rejected } = await fuzzImporter(spotifyAccountHistoryImporter, fixtures, {
      cases: 600,
      seed: 11,
    });
    expect(imported + rejected).toBe(1200);
    // Both outcomes happen: the mutations reach the parser and its checks.
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
