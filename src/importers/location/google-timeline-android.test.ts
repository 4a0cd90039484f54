import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { googleTimelineAndroidImporter as importer } from './google-timeline-android.js';
import { fixture, importFailure } from './location-testing.js';

const timeline = fixture('google-timeline-android.json');

describe('Google Timeline.json (Android) detection', () => {
  it('recognises the export', async () => {
    expect(await detectionOf(importer, timeline)).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other JSON or text', async () => {
    for (const other of [
      '{"locations": []}',
      '{"timelineObjects": []}',
      '[{"startTime": "x", "visit": {}}]',
      'semanticSegments',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('Google Timeline.json (Android) parsing', () => {
  it('reads visits, path points and raw positions, times with their offsets', async () => {
    const result = await runImporter(importer, timeline, { name: 'Timeline.json' });
    await expectCatalogValid(result.records);
    expect(result.records).toEqual([
      {
        kind: 'point',
        doctype: 'location.point',
        line: 3,
        data: { deviceId: 'google-timeline:android', t: '2024-07-14T06:14:00.000Z', lat: 48.8583, lon: 2.2945 },
      },
      {
        kind: 'point',
        doctype: 'location.point',
        line: 3,
        data: { deviceId: 'google-timeline:android', t: '2024-07-14T06:16:00.000Z', lat: 48.86, lon: 2.3 },
      },
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'google:2024-07-14T08:05:12.000Z',
        line: 17,
        data: {
          start: '2024-07-14T08:05:12.000Z',
          end: '2024-07-14T10:30:00.000Z',
          lat: 48.8443,
          lon: 2.375,
          placeCategory: 'home',
          confidence: 0.87,
          source: 'import',
          deviceId: 'google-timeline:android',
          extra: { placeId: 'ChIJ8ZOpJRpy5kcRdxGKwO4kSr8' },
        },
      },
      {
        // A nested visit (level 1), on the other side of the equator and of Greenwich, at -03:00.
        kind: 'document',
        doctype: 'location.visit',
        key: 'google:2023-12-24T21:00:00.000Z|1',
        line: 55,
        data: {
          start: '2023-12-24T21:00:00.000Z',
          end: '2023-12-25T04:15:00.000Z',
          lat: -22.9189912,
          lon: -43.224765,
          confidence: 0.55,
          source: 'import',
          deviceId: 'google-timeline:android',
          extra: { placeId: 'ChIJW6AIkVXemwARTtIvZ2xC3FA' },
        },
      },
      {
        kind: 'point',
        doctype: 'location.point',
        line: 102,
        data: {
          deviceId: 'google-timeline:android',
          t: '2024-07-14T05:46:13.000Z',
          lat: 48.8633043,
          lon: 2.3011529,
          accuracyMetres: 3,
          altitudeMetres: 53.70000076293945,
          speedMetresPerSecond: 0.00535565847530961,
          source: 'gps',
        },
      },
      {
        kind: 'point',
        doctype: 'location.point',
        line: 134,
        data: {
          deviceId: 'google-timeline:android',
          t: '2024-07-14T07:37:38.000Z',
          lat: 48.86324,
          lon: 2.3011764,
          accuracyMetres: 12,
          source: 'wifi',
        },
      },
    ]);
    expect(result.warnings).toEqual([{ line: 71, message: 'this visit has no place location: skipped.' }]);
  });
});

describe('Google Timeline.json (Android) bad input', () => {
  const segment = (point: string, time: string) =>
    `{"semanticSegments": [\n{"startTime": "2024-07-14T08:00:00.000+02:00", "endTime": "2024-07-14T09:00:00.000+02:00",\n "timelinePath": [{"point": ${point}, "time": ${time}}]}]}`;

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(timeline);
    const e = await importFailure(importer, text.slice(0, 1500), 'Timeline.json');
    expect(e.message).toMatch(/^Timeline\.json, line \d+: the file ends before its JSON does/);
  });

  it('rejects unreadable and out-of-range coordinates', async () => {
    expect(
      (await importFailure(importer, segment('"48.8583° N, 2.2945° E"', '"2024-07-14T08:10:00.000+02:00"'))).message,
    ).toBe('bad-file, line 2: the coordinates "48.8583° N, 2.2945° E" cannot be read.');
    expect(
      (await importFailure(importer, segment('"98.8583°, 2.2945°"', '"2024-07-14T08:10:00.000+02:00"'))).message,
    ).toContain('the latitude in "98.8583°, 2.2945°" is out of range');
  });

  it('rejects broken and absurd times', async () => {
    expect(
      (await importFailure(importer, segment('"48.8583°, 2.2945°"', '"2024-07-14T25:10:00.000+02:00"'))).message,
    ).toContain('the time "2024-07-14T25:10:00.000+02:00" is not a date and time');
    expect(
      (await importFailure(importer, segment('"48.8583°, 2.2945°"', '"2024-07-14T08:10:00.000+99:00"'))).message,
    ).toContain('is not a date and time');
    expect(
      (await importFailure(importer, segment('"48.8583°, 2.2945°"', '"1200-07-14T08:10:00.000+02:00"'))).message,
    ).toContain('not plausible');
  });

  it('rejects JSON that is not a Timeline export', async () => {
    expect((await importFailure(importer, '{"locations": []}')).message).toContain('no "semanticSegments" list');
  });
});
