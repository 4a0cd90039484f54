import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { fuzzImporter } from '../../testing/fuzz.js';
import { spotifyExtendedHistoryImporter } from './spotify-extended-history.js';

const names = ['Streaming_History_Audio_2023-2024_0.json', 'endsong_0.json'];

describe('Spotify extended history under fuzzing', () => {
  it('imports cleanly or fails with a FoyerError on 1,200 mutated files', async () => {
    const fixtures = await Promise.all(
      names.map(async (name) => ({ name, bytes: await readFile(new URL(`./fixtures/${name}`, import.meta.url)) })),
    );
    const { imported, rejected } = await fuzzImporter(spotifyExtendedHistoryImporter, fixtures, {
      cases: 600,
      seed: 12,
    });
    expect(imported + rejected).toBe(1200);
    expect(imported).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  }, 30_000);
});
