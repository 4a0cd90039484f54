import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { googleTimelineAndroidImporter } from './google-timeline-android.js';
import { googleTimelineIosImporter as importer } from './google-timeline-ios.js';
import { fixture, importFailure } from './location-testing.js';

const history = fixture('google-timeline-ios.json');

describe('Google location-history.json (iOS) detection', () => {
  it('recognises the export', async () => {
    expect(await detectionOf(importer, history)).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other JSON arrays', async () => {
    for (const other of [
      '[{"endTime": "2019-02-02 01:23", "artistName": "Noir Désir", "trackName": "Le vent nous portera", "msPlayed": 1000}]',
      '[{"startTime": "2024-01-01", "visit": "the dentist"}]',
      '{"semanticSegments": []}',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('Google location-history.json (iOS) parsing', () => {
  it('reads visits (numbers as strings, geo: places) and path points timed in minutes after the start', async () => {
    const result = await runImporter(importer, history, { name: 'location-history.json' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      { deviceId: 'google-timeline:ios', t: '2024-07-14T06:14:00.000Z', lat: 48.8583, lon: 2.2945 },
      { deviceId: 'google-timeline:ios', t: '2024-07-14T06:16:00.000Z', lat: 48.86, lon: 2.3 },
    ]);
    expect(result.records.filter((r) => r.kind === 'document')).toEqual([
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'google:2024-07-14T08:05:12.000Z',
        line: 16,
        data: {
          start: '2024-07-14T08:05:12.000Z',
          end: '2024-07-14T10:30:00.000Z',
          lat: 48.8443,
          lon: 2.375,
          placeCategory: 'home',
          confidence: 0.87,
          source: 'import',
          deviceId: 'google-timeline:ios',
          extra: { placeId: 'ChIJ8ZOpJRpy5kcRdxGKwO4kSr8' },
        },
      },
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'google:2024-07-14T11:10:00.000Z',
        line: 44,
        data: {
          start: '2024-07-14T11:10:00.000Z',
          end: '2024-07-14T16:00:00.000Z',
          lat: 48.8049,
          lon: 2.1204,
          placeCategory: 'work',
          confidence: 0.712,
          source: 'import',
          deviceId: 'google-timeline:ios',
          extra: { placeId: 'ChIJdUyx15R95kcRj85ZX8H8OAU' },
        },
      },
    ]);
    expect(result.warnings).toEqual([
      { line: 58, message: 'a timeline path point has no position or no time: skipped.' },
    ]);
  });

  it('gives a stay the same key as the Android export of the same timeline', async () => {
    const ios = await runImporter(importer, history);
    const android = await runImporter(googleTimelineAndroidImporter, fixture('google-timeline-android.json'));
    const keyOf = (r: (typeof ios.records)[number]) => (r.kind === 'document' ? r.key : undefined);
    expect(ios.records.map(keyOf)).toContain('google:2024-07-14T08:05:12.000Z');
    expect(android.records.map(keyOf)).toContain('google:2024-07-14T08:05:12.000Z');
  });
});

describe('Google location-history.json (iOS) bad input', () => {
  const path = (point: string, offset: string, start = '2024-07-14T08:00:00.000+02:00') =>
    `[\n{"startTime": "${start}", "endTime": "2024-07-14T09:00:00.000+02:00",\n "timelinePath": [{"point": ${point}, "durationMinutesOffsetFromStartTime": ${offset}}]}]`;

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(history);
    const e = await importFailure(importer, text.slice(0, 900), 'location-history.json');
    expect(e.message).toMatch(/^location-history\.json, line \d+: the file ends before its JSON does/);
  });

  it('rejects unreadable and out-of-range places', async () => {
    expect((await importFailure(importer, path('"geo:48.8583;2.2945"', '"3"'))).message).toBe(
      'bad-file, line 2: the coordinates "geo:48.8583;2.2945" cannot be read.',
    );
    expect((await importFailure(importer, path('"geo:48.8583,182.2945"', '"3"'))).message).toContain(
      'the longitude in "geo:48.8583,182.2945" is out of range',
    );
  });

  it('rejects absurd times, including offsets running into the future', async () => {
    expect(
      (await importFailure(importer, path('"geo:48.8583,2.2945"', '"3"', '0001-01-01T00:00:00.000Z'))).message,
    ).toContain('not plausible');
    expect((await importFailure(importer, path('"geo:48.8583,2.2945"', '"99999999"'))).message).toContain(
      'the time "2024-07-14T08:00:00.000+02:00 + 99999999 min" is not plausible',
    );
  });

  it('rejects JSON that is not a list of segments', async () => {
    expect((await importFailure(importer, '{"semanticSegments": []}')).message).toContain(
      'not a list of timeline segments',
    );
  });
});
