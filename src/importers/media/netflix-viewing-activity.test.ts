import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importFailure, keysOf } from './media-testing.js';
import { netflixViewingActivityImporter as importer } from './netflix-viewing-activity.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url));
const HEADER =
  'Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,Bookmark,Latest Bookmark,Country';
const row = (fields: Partial<Record<'start' | 'duration' | 'title' | 'bookmark', string>>) =>
  `${HEADER}\nCamille,${fields.start ?? '2024-03-09 20:47:12'},${fields.duration ?? '00:46:28'},,${
    fields.title ?? 'Lupin'
  },,TV,${fields.bookmark ?? '00:46:30'},00:46:30,FR (France)\n`;

const failure = (bytes: string | Uint8Array) => importFailure(importer, bytes, 'ViewingActivity.csv');

describe('Netflix viewing activity', () => {
  it('recognises the file by its header, with or without a byte order mark', async () => {
    const bytes = await fixture('ViewingActivity.csv');
    expect(await detectionOf(importer, bytes)).toBeGreaterThan(0.9);
    expect(await detectionOf(importer, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]))).toBeGreaterThan(0.9);
  });

  it('scores bank CSVs, other CSVs and JSON at 0', async () => {
    expect(await detectionOf(importer, 'Date;Libellé;Montant\n09/03/2024;CB NETFLIX.COM;-13,49\n')).toBe(0);
    expect(
      await detectionOf(importer, 'Date,Description,Amount,Balance\n2024-03-09,NETFLIX.COM,-13.49,1200.00\n'),
    ).toBe(0);
    expect(await detectionOf(importer, 'Title,Date\n"Lupin: Partie 1: Chapitre 1",09/03/2024\n')).toBe(0);
    expect(await detectionOf(importer, await fixture('StreamingHistory_music_0.json'))).toBe(0);
  });

  it('reads an episode: UTC start, end = start + duration, series, season and episode', async () => {
    const { records, of, warnings } = await runImporter(importer, await fixture('ViewingActivity.csv'));
    await expectCatalogValid(records);
    expect(warnings).toEqual([]);
    expect(of('media.view')[0]).toEqual({
      platform: 'netflix',
      profile: 'Camille',
      title: 'Lupin: Partie 1: Chapitre 1',
      contentType: 'episode',
      seriesTitle: 'Lupin',
      seasonLabel: 'Partie 1',
      season: 1,
      episodeTitle: 'Chapitre 1',
      start: '2024-03-09T20:47:12Z',
      end: '2024-03-09T21:33:40Z',
      durationSeconds: 2788,
      positionSeconds: 2790,
      latestView: true,
      autoplayed: false,
      device: 'Samsung 2020 UHD TV',
      country: 'FR',
    });
  });

  it('keeps trailers, hooks and recaps, marked, autoplayed, without reading them as episodes', async () => {
    const views = (await runImporter(importer, await fixture('ViewingActivity.csv'))).of('media.view');
    expect(views[1]).toMatchObject({
      title: 'Génération 56k : Saison 1 (Bande-annonce)',
      supplementalType: 'trailer',
      autoplayed: true,
      durationSeconds: 58,
      extra: { attributes: ['Autoplayed: user action: None'] },
    });
    expect(views[1]).not.toHaveProperty('contentType');
    expect(views[4]).toMatchObject({ title: 'Modern Family: Season 1_hook_primary_16x9', supplementalType: 'hook' });
    expect(views[7]).toMatchObject({ supplementalType: 'recap', start: '2024-03-31T01:30:00Z' });
  });

  it('reads titles with commas and doubled quotes, earlier sessions, hidden views and H:MM:SS with one hour digit', async () => {
    const views = (await runImporter(importer, await fixture('ViewingActivity.csv'))).of('media.view');
    expect(views[2]).toMatchObject({
      title: "Love, Death & Robots: Volume 1: Sonnie's Edge (Episode 1)",
      seriesTitle: 'Love, Death & Robots',
      episodeTitle: "Sonnie's Edge",
      episode: 1,
      latestView: false,
    });
    expect(views[3]).toMatchObject({
      profile: 'Jules',
      title: 'Le "Grand" Bain',
      durationSeconds: 5658,
      autoplayed: true,
      country: 'BE',
    });
    expect(views[5]).toMatchObject({ title: 'Black Mirror: Bandersnatch', durationSeconds: 2463, autoplayed: false });
    expect(views[5]).not.toHaveProperty('contentType');
    expect(views[6]).toMatchObject({ hidden: true, seriesTitle: 'Friends', episode: 20 });
  });

  it('reads the same rows from a re-saved file: byte order mark and LF line ends', async () => {
    const bytes = await fixture('ViewingActivity.csv');
    const resaved = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(bytes.toString('utf8').replace(/\r\n/g, '\n')),
    ]);
    const { records } = await runImporter(importer, resaved);
    await expectCatalogValid(records);
    expect(records).toEqual((await runImporter(importer, bytes)).records);
  });

  it('keys sessions on profile, start and title, the same on every import', async () => {
    const bytes = await fixture('ViewingActivity.csv');
    const keys = keysOf((await runImporter(importer, bytes)).records);
    expect(keys[0]).toBe('netflix|Camille|2024-03-09T20:47:12Z|Lupin: Partie 1: Chapitre 1');
    expect(new Set(keys).size).toBe(keys.length);
    expect(keysOf((await runImporter(importer, bytes)).records)).toEqual(keys);
  });

  it('warns and goes on for a row without a title or with an unreadable bookmark', async () => {
    const { records, warnings } = await runImporter(
      importer,
      `${HEADER}\nCamille,2024-03-09 20:47:12,00:46:28,,,,TV,00:46:30,00:46:30,FR (France)\n` +
        row({ bookmark: 'soon' }).split('\n')[1],
    );
    expect(records).toHaveLength(1);
    expect(records[0]?.data).not.toHaveProperty('positionSeconds');
    expect(warnings).toEqual([
      { line: 2, message: 'a session without a title is skipped.' },
      { line: 3, message: 'the bookmark "soon" is not H:MM:SS; it is left out.' },
    ]);
  });

  it.each([['46 min'], ['00:61:00'], ['-0:10:00'], ['999:00:00'], ['']])(
    'rejects the broken duration "%s", naming file and line',
    async (duration) => {
      const e = await failure(row({ duration }));
      expect(e.message).toMatch(/^ViewingActivity\.csv, line 2: the duration .* is not a length of time/);
    },
  );

  it.each([
    ['1999-12-31 23:00:00', /absurd/],
    ['2099-01-01 00:00:00', /absurd/],
    ['09/03/2024 20:47', /not a date/],
  ])('rejects the start time %s with its line', async (start, message) => {
    const e = await failure(row({ start }));
    expect(e.message).toMatch(/^ViewingActivity\.csv, line 2: /);
    expect(e.message).toMatch(message);
  });

  it('rejects a file cut in the middle of a row or a quoted title', async () => {
    const text = (await fixture('ViewingActivity.csv')).toString('utf8');
    const cut = await failure(text.slice(0, text.indexOf('Samsung 2020 UHD TV')));
    expect(cut.message).toMatch(/line 2: this row has 7 fields where the header has 10/);
    const inQuotes = await failure(text.slice(0, text.indexOf('Chapitre 1')));
    expect(inQuotes.message).toMatch(/line 2: the file ends inside a quoted field/);
  });

  it('rejects a CSV whose header is not the viewing activity, and an empty file', async () => {
    const e = await failure('Profile Name,Start,Length\nCamille,x,y\n');
    expect(e.message).toMatch(/line 1: the header has no "start time", "duration", "title" column/);
    expect(await failure('')).toHaveProperty('message', 'ViewingActivity.csv: the file is empty.');
  });
});
