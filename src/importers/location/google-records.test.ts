import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { googleRecordsImporter as importer } from './google-records.js';
import { fixture, importFailure } from './location-testing.js';

const records = fixture('google-records.json');
const old = fixture('google-location-history-2014.json');

describe('Google Records.json detection', () => {
  it('recognises both generations of the file', async () => {
    expect(await detectionOf(importer, records)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, old)).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other JSON, text or XML', async () => {
    for (const other of [
      '{"timelineObjects": [{"placeVisit": {}}]}',
      '{"semanticSegments": [], "rawSignals": []}',
      '[{"endTime": "2019-02-02 01:23", "artistName": "Noir Désir", "msPlayed": 1000}]',
      '{"type": "FeatureCollection", "features": []}',
      'Date;Libellé;Montant\n01/02/2024;CB;-12,30\n',
      '<?xml version="1.0"?><gpx version="1.1"></gpx>',
      '{"locations": "elsewhere"}',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('Google Records.json parsing', () => {
  it('reads every generation of record: E7 signs and overflow, timestampMs, ISO with offsets', async () => {
    const result = await runImporter(importer, records, { name: 'Records.json' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'google:-813004233',
        t: '2014-01-01T12:00:00.000Z',
        lat: -34.6037,
        lon: -58.3816,
        accuracyMetres: 25,
        source: 'gps',
        activity: 'still',
      },
      {
        deviceId: 'google:-813004233',
        t: '2014-01-01T12:02:00.000Z',
        lat: 45.5017,
        lon: -73.5673,
        accuracyMetres: 1200,
        source: 'cell',
      },
      {
        deviceId: 'google:1394512876',
        t: '2022-01-12T17:18:24.190Z',
        lat: 48.8583701,
        lon: 2.2944813,
        accuracyMetres: 12,
        altitudeMetres: 35,
        speedMetresPerSecond: 4,
        source: 'wifi',
        activity: 'cycling',
      },
      { deviceId: 'google:1394512876', t: '2022-01-13T09:00:00.000Z', lat: 43.6047, lon: 1.4442, accuracyMetres: 9 },
      { deviceId: 'google', t: '2022-01-13T10:30:05.500Z', lat: 45.764, lon: 4.8357 },
    ]);
    expect(result.records.map((r) => r.line)).toEqual([2, 19, 35, 61, 69]);
  });

  it('warns, with line numbers, about records it skips or trims', async () => {
    const { warnings } = await runImporter(importer, records, { name: 'Records.json' });
    expect(warnings).toEqual([
      { line: 26, message: 'this record has no latitudeE7/longitudeE7: skipped.' },
      { line: 61, message: 'the altitude 11280 m is outside -500 to 10,000 m: the point is kept without it.' },
    ]);
  });

  it('reads the 2014 "Location History.json" with its "activitys" spelling', async () => {
    const result = await runImporter(importer, old);
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      { deviceId: 'google', t: '2015-01-28T16:07:29.107Z', lat: 29.953381, lon: -90.171792, accuracyMetres: 39 },
      {
        deviceId: 'google',
        t: '2015-01-28T15:46:24.764Z',
        lat: 29.9533844,
        lon: -90.1717807,
        accuracyMetres: 40,
        activity: 'still',
      },
    ]);
  });

  it('lists the first warnings of a kind and counts the rest', async () => {
    const many = Array.from({ length: 25 }, (_, i) => `{"timestampMs": "${1400000000000 + i}"}`);
    const { warnings, records: out } = await runImporter(importer, `{"locations": [\n${many.join(',\n')}\n]}`);
    expect(out).toEqual([]);
    expect(warnings).toHaveLength(21);
    expect(warnings[0]).toEqual({ line: 2, message: 'this record has no latitudeE7/longitudeE7: skipped.' });
    expect(warnings[20]).toEqual({
      message: '5 more records without coordinates were skipped or trimmed the same way.',
    });
  });
});

describe('Google Records.json bad input', () => {
  const one = (fields: string) => `{"locations": [\n{"latitudeE7": 488583701, "longitudeE7": 22944813, ${fields}}\n]}`;

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(records);
    const e = await importFailure(importer, text.slice(0, text.length / 2), 'Records.json');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^Records\.json, line \d+: the file ends before its JSON does/);
  });

  it('rejects an absurd latitudeE7', async () => {
    const e = await importFailure(
      importer,
      `{"locations": [\n{"timestampMs": "1388577600000", "latitudeE7": 9123456789, "longitudeE7": 0}]}`,
    );
    expect(e.message).toBe(
      'bad-file, line 2: the latitude in "latitudeE7 9123456789, longitudeE7 0" is out of range (it must be between -90 and 90).',
    );
    const lon = await importFailure(
      importer,
      `{"locations": [{"timestampMs": "1388577600000", "latitudeE7": 0, "longitudeE7": 1850000000}]}`,
    );
    // Above 1,800,000,000 is read as an overflowed negative value: -244.5 degrees is still absurd.
    expect(lon.message).toContain('the longitude in "latitudeE7 0, longitudeE7 1850000000" is out of range');
  });

  it('rejects coordinates that are not numbers', async () => {
    const e = await importFailure(
      importer,
      `{"locations": [{"timestampMs": "1388577600000", "latitudeE7": "north", "longitudeE7": 1}]}`,
    );
    expect(e.message).toContain('the coordinates (latitudeE7 "north", longitudeE7 1) are not numbers');
  });

  it('rejects absurd and broken times', async () => {
    expect((await importFailure(importer, one('"timestamp": "1200-01-01T00:00:00Z"'))).message).toBe(
      'bad-file, line 2: the time "1200-01-01T00:00:00Z" is not plausible for a location record (before 1990 or in the future).',
    );
    expect((await importFailure(importer, one('"timestamp": "9999-12-31T00:00:00Z"'))).message).toContain(
      'not plausible',
    );
    expect((await importFailure(importer, one('"timestamp": "2022-13-45T10:00:00Z"'))).message).toContain(
      'the time "2022-13-45T10:00:00Z" is not a date and time',
    );
    expect((await importFailure(importer, one('"timestampMs": "12e5"'))).message).toContain(
      'the timestamp "12e5" is not a number of milliseconds',
    );
    // Seconds taken for milliseconds: January 1970.
    expect((await importFailure(importer, one('"timestampMs": "1431000487"'))).message).toContain('not plausible');
  });

  it('rejects JSON that is not a Records.json, and corrupt JSON', async () => {
    expect((await importFailure(importer, '[{"latitudeE7": 1}]')).message).toContain('no "locations" list');
    expect((await importFailure(importer, '{"locations": [{"latitudeE7": 1,, }]}')).message).toContain(
      'not valid JSON',
    );
    expect((await importFailure(importer, '')).message).toContain('no JSON at all');
  });
});
