import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importFailure, keysOf } from './media-testing.js';
import { spotifyAccountHistoryImporter as importer } from './spotify-account-history.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));

const failure = (bytes: string | Uint8Array) => importFailure(importer, bytes, 'StreamingHistory0.json');

describe('Spotify account-data streaming history', () => {
  it('recognises music and podcast histories by their content', async () => {
    expect(await detectionOf(importer, await fixture('StreamingHistory_music_0.json'))).toBeGreaterThan(0.9);
    expect(await detectionOf(importer, await fixture('StreamingHistory_podcast_0.json'))).toBeGreaterThan(0.9);
  });

  it('does not claim the extended history, other JSON, CSV or text', async () => {
    expect(await detectionOf(importer, await fixture('Streaming_History_Audio_2023-2024_0.json'))).toBe(0);
    expect(await detectionOf(importer, '[{"endTime": 3}]')).toBe(0);
    expect(await detectionOf(importer, '{"endTime":"2024-03-09 19:45","msPlayed":1}')).toBe(0);
    expect(await detectionOf(importer, 'Date;Libellé;Montant\n09/03/2024;CB SPOTIFY;-10,99\n')).toBe(0);
    expect(await detectionOf(importer, 'hello')).toBe(0);
  });

  it('reads plays with UTC end times, start = end - time played, and accents', async () => {
    const { records, of, warnings } = await runImporter(importer, await fixture('StreamingHistory_music_0.json'));
    await expectCatalogValid(records);
    expect(warnings).toEqual([]);
    const plays = of('media.listen');
    expect(plays).toHaveLength(5);
    expect(plays[0]).toEqual({
      platform: 'spotify',
      kind: 'track',
      title: 'La Javanaise',
      artist: 'Serge Gainsbourg',
      start: '2024-03-09T19:42:33.412Z',
      end: '2024-03-09T19:45:00Z',
      durationSeconds: 146.588,
    });
    expect(plays[2]).toMatchObject({ artist: 'Angèle', title: 'Tout oublier (feat. Roméo Elvis)', durationSeconds: 0 });
    // The night the clocks change in Paris changes nothing: the file is in UTC.
    expect(plays[4]).toMatchObject({ end: '2024-03-31T01:30:00Z', title: '"Christine" – Saint Claude' });
  });

  it('keys two plays of one track ending in the same minute apart by the time played', async () => {
    const { records } = await runImporter(importer, await fixture('StreamingHistory_music_0.json'));
    const keys = keysOf(records);
    expect(keys[0]).toBe('spotify|2024-03-09T19:45:00Z|Serge Gainsbourg|La Javanaise|146588');
    expect(new Set(keys).size).toBe(keys.length);
    const again = await runImporter(importer, await fixture('StreamingHistory_music_0.json'));
    expect(keysOf(again.records)).toEqual(keys);
  });

  it('reads podcast plays as episodes and skips a play without a name, with its line', async () => {
    const { records, of, warnings } = await runImporter(importer, await fixture('StreamingHistory_podcast_0.json'));
    await expectCatalogValid(records);
    expect(of('media.listen')).toEqual([
      {
        platform: 'spotify',
        kind: 'episode',
        title: 'Les ondes gravitationnelles',
        show: 'La Méthode scientifique',
        start: '2023-11-02T07:43:25.779Z',
        end: '2023-11-02T08:14:00Z',
        durationSeconds: 1834.221,
      },
    ]);
    expect(warnings).toEqual([{ line: 1, message: 'a play without a track or episode name is skipped.' }]);
  });

  it('rejects a truncated file, naming it', async () => {
    const bytes = (await fixture('StreamingHistory_music_0.json')).subarray(0, 200);
    const e = await failure(bytes);
    expect(e.message).toMatch(/^StreamingHistory0\.json, line \d+: .*truncated/);
  });

  it('rejects corrupt JSON with its line', async () => {
    const e = await failure(
      '[\n{"endTime":"2024-03-09 19:45","artistName":"A","trackName":"B","msPlayed":1},\n{"endTime" "x"}\n]',
    );
    expect(e.message).toMatch(/^StreamingHistory0\.json, line 3: /);
  });

  it.each([
    ['1999-12-31 23:59', /absurd/],
    ['9999-01-01 00:00', /absurd/],
    ['2024-02-30 10:00', /not a date/],
    ['yesterday', /not a date/],
  ])('rejects the end time %s with its line', async (endTime, message) => {
    const e = await failure(`[\n{"endTime":"${endTime}","artistName":"A","trackName":"B","msPlayed":1}\n]`);
    expect(e.message).toMatch(/^StreamingHistory0\.json, line 2: /);
    expect(e.message).toMatch(message);
  });

  it.each([['-5'], ['"12,5"'], ['1e12'], ['null']])('rejects a time played of %s', async (ms) => {
    const e = await failure(`[{"endTime":"2024-03-09 19:45","artistName":"A","trackName":"B","msPlayed":${ms}}]`);
    expect(e.message).toMatch(/time played/);
  });

  it('rejects a file that is not a list of plays', async () => {
    const e = await failure('{"endTime":"2024-03-09 19:45"}');
    expect(e.message).toMatch(/not a list of plays/);
  });
});
