/**
 * Detection across families: each media and social importer claims its own fixtures and no other
 * fixture of the project (bank CSVs included), and the bank CSV importer does not claim the
 * viewing activity CSV.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { detectionOf } from '../../testing/importers.js';
import { bankCsvImporter } from '../bank/bank-csv-importer.js';
import type { Importer } from '../importer.js';
import { metaDyiImporter } from '../social/meta-dyi.js';
import { xArchiveImporter } from '../social/x-archive.js';
import { netflixViewingActivityImporter } from './netflix-viewing-activity.js';
import { spotifyAccountHistoryImporter } from './spotify-account-history.js';
import { spotifyExtendedHistoryImporter } from './spotify-extended-history.js';

const importersDir = fileURLToPath(new URL('..', import.meta.url));

/** Fixtures (relative to src/importers) each importer must claim. */
const own = new Map<Importer, RegExp>([
  [spotifyAccountHistoryImporter, /^media\/fixtures\/StreamingHistory_/],
  [spotifyExtendedHistoryImporter, /^media\/fixtures\/(Streaming_History_Audio_|endsong_)/],
  [netflixViewingActivityImporter, /^media\/fixtures\/ViewingActivity\.csv$/],
  [xArchiveImporter, /^social\/fixtures\/x\/(?!like\.js$)/],
  [metaDyiImporter, /^social\/fixtures\/meta\//],
]);

async function allFixtures(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, inFixtures: boolean): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path, inFixtures || entry.name === 'fixtures');
      else if (inFixtures) out.push(relative(importersDir, path).split('\\').join('/'));
    }
  };
  await walk(importersDir, false);
  return out.sort();
}

describe('media and social detection among all the project fixtures', () => {
  it('claims its own fixtures and scores every other fixture below 0.5', async () => {
    const fixtures = await allFixtures();
    expect(fixtures.filter((f) => f.startsWith('bank/')).length).toBeGreaterThan(0);
    for (const [importer, mine] of own) {
      for (const fixture of fixtures) {
        const score = await detectionOf(importer, await readFile(join(importersDir, fixture)), fixture);
        if (mine.test(fixture)) expect(score, `${importer.id} on ${fixture}`).toBeGreaterThan(0.8);
        else expect(score, `${importer.id} on ${fixture}`).toBeLessThan(0.5);
      }
    }
  });

  it('is not taken for a bank CSV', async () => {
    for (const name of [
      'ViewingActivity.csv',
      'StreamingHistory_music_0.json',
      'Streaming_History_Audio_2023-2024_0.json',
    ]) {
      const bytes = await readFile(new URL(`./fixtures/${name}`, import.meta.url));
      expect(await detectionOf(bankCsvImporter, bytes), name).toBeLessThan(0.5);
    }
  });
});
