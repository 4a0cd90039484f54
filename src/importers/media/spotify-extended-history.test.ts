import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importFailure, keysOf } from './media-testing.js';
import { spotifyExtendedHistoryImporter as importer } from './spotify-extended-history.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));
const FILE = 'Streaming_History_Audio_2023-2024_0.json';

const failure = (bytes: string | Uint8Array) => importFailure(importer, bytes, FILE);

const play = (fields: Record<string, unknown>) =>
  JSON.stringify([
    {
      ts: '2024-03-09T19:45:35Z',
      ms_played: 1000,
      master_metadata_track_name: 'B',
      master_metadata_album_artist_name: 'A',
      spotify_track_uri: 'spotify:track:x',
      ...fields,
    },
  ]);

describe('Spotify extended streaming history', () => {
  it('recognises the current and the older (endsong) files by their content', async () => {
    expect(await detectionOf(importer, await fixture(FILE))).toBeGreaterThan(0.9);
    expect(await detectionOf(importer, await fixture('endsong_0.json'))).toBeGreaterThan(0.9);
  });

  it('does not claim the account-data history, other JSON or CSV', async () => {
    expect(await detectionOf(importer, await fixture('StreamingHistory_music_0.json'))).toBe(0);
    expect(await detectionOf(importer, '[{"ts": 1, "value": 2}]')).toBe(0);
    expect(await detectionOf(importer, 'ts,ms_played\n2024-03-09T19:45:35Z,12\n')).toBe(0);
  });

  it('reads a track with its URI, device, country and flags, and drops the IP address', async () => {
    const { records, of } = await runImporter(importer, await fixture(FILE));
    await expectCatalogValid(records);
    const plays = of('media.listen');
    expect(plays[0]).toEqual({
      platform: 'spotify',
      kind: 'track',
      title: 'La Javanaise',
      artist: 'Serge Gainsbourg',
      album: 'Gainsbourg Percussions',
      uri: 'spotify:track:3ZLyt2ndLFBh148XRYjYYZ',
      start: '2024-03-09T19:43:08.412Z',
      end: '2024-03-09T19:45:35Z',
      durationSeconds: 146.588,
      device: 'Android OS 14 API 34 (Google, Pixel 8)',
      country: 'FR',
      reasonStart: 'trackdone',
      reasonEnd: 'trackdone',
      shuffle: false,
      skipped: false,
      offline: false,
      privateSession: false,
    });
    expect(plays[1]).toMatchObject({
      artist: 'Angèle',
      skipped: true,
      offline: true,
      extra: { offlineTimestamp: 1710013535 },
    });
    expect(JSON.stringify(records)).not.toMatch(/92\.184|2a01:cb00|81\.246/);
  });

  it('reads podcast episodes and audiobook chapters; an unknown country and a null flag are left out', async () => {
    const { of } = await runImporter(importer, await fixture(FILE));
    const [, , episode, chapter] = of('media.listen');
    expect(episode).toMatchObject({
      kind: 'episode',
      title: 'Les ondes gravitationnelles',
      show: 'La Méthode scientifique',
      uri: 'spotify:episode:6n7Ud1Kx4bUPOBlNbDsMIh',
      privateSession: true,
    });
    expect(episode).not.toHaveProperty('country');
    expect(episode).not.toHaveProperty('skipped');
    expect(chapter).toMatchObject({
      kind: 'audiobook',
      title: 'Chapitre 1',
      show: 'Le Petit Prince',
      uri: 'spotify:episode:0hbZ1nLAkD1KGqkBZ5qaZC',
      country: 'BE',
    });
  });

  it('skips a play with no name at all, warning with its line', async () => {
    const { records, warnings } = await runImporter(importer, await fixture(FILE));
    expect(records).toHaveLength(4);
    expect(warnings).toEqual([{ line: 102, message: 'a play without a track, episode or audiobook name is skipped.' }]);
  });

  it('reads the older endsong file: space-separated UTC time, user name kept, decrypted IP and user agent dropped', async () => {
    const { records, of } = await runImporter(importer, await fixture('endsong_0.json'));
    await expectCatalogValid(records);
    expect(of('media.listen')).toEqual([
      expect.objectContaining({
        account: 'camille.martin',
        title: 'Ne me quitte pas',
        album: 'La Valse à mille temps',
        end: '2019-06-21T18:04:51Z',
        device: 'Partner google cast_tv;Chromecast;;',
        extra: { offlineTimestamp: 0 },
      }),
    ]);
    expect(JSON.stringify(records)).not.toMatch(/90\.12\.34\.56|user_agent|unknown/);
  });

  it('keys plays on their end instant and URI, the same on every import', async () => {
    const first = await runImporter(importer, await fixture(FILE));
    const second = await runImporter(importer, await fixture(FILE));
    const keys = keysOf(first.records);
    expect(keys[0]).toBe('spotify|2024-03-09T19:45:35Z|spotify:track:3ZLyt2ndLFBh148XRYjYYZ');
    expect(keysOf(second.records)).toEqual(keys);
    const offset = await runImporter(importer, play({ ts: '2024-03-09T21:45:35+02:00' }));
    expect(offset.records[0]).toMatchObject({ key: 'spotify|2024-03-09T19:45:35Z|spotify:track:x' });
    const noUri = await runImporter(importer, play({ spotify_track_uri: null }));
    expect(noUri.records[0]).toMatchObject({ key: 'spotify|2024-03-09T19:45:35Z|A|B' });
  });

  it('rejects a truncated file', async () => {
    const e = await failure((await fixture(FILE)).subarray(0, 1500));
    expect(e.message).toMatch(/truncated/);
  });

  it.each([
    ['1970-01-01T00:00:00Z', /absurd/],
    ['2999-03-09T19:45:35Z', /absurd/],
    ['2024-13-09T19:45:35Z', /not a date/],
    ['2024-03-09T24:10:00Z', /not a date/],
  ])('rejects the time %s, naming file and line', async (ts, message) => {
    const e = await failure(play({ ts }));
    expect(e.message).toMatch(new RegExp(`^${FILE}, line 1: `));
    expect(e.message).toMatch(message);
  });

  it('rejects an absurd time played', async () => {
    const e = await failure(play({ ms_played: 90_000_000 }));
    expect(e.message).toMatch(/time played \(90000000 ms\) is absurd/);
  });

  it('rejects an entry that is not an object', async () => {
    const e = await failure('[\n"ts"\n]');
    expect(e.message).toMatch(/line 2: an entry of the list is not an object/);
  });
});
