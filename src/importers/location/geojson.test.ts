import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { geojsonImporter as importer } from './geojson.js';
import { fixture, importFailure } from './location-testing.js';

const collection = fixture('geojson-togeojson.geojson');
const single = fixture('geojson-feature.geojson');

describe('GeoJSON detection', () => {
  it('recognises feature collections and single features', async () => {
    expect(await detectionOf(importer, collection)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, single)).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other JSON or text', async () => {
    for (const other of [
      '{"locations": []}',
      '{"type": "Point"}',
      '[{"type": "Feature"}]',
      'type,Feature',
      '{"semanticSegments": []}',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('GeoJSON parsing', () => {
  it('reads togeojson lines with coordTimes, points with timestamps, multipoints with times', async () => {
    const result = await runImporter(importer, collection, { name: 'tracks.geojson' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      { deviceId: 'geojson', t: '2024-05-01T09:00:00.000Z', lat: 45.7772, lon: 4.8516, altitudeMetres: 170 },
      { deviceId: 'geojson', t: '2024-05-01T09:00:10.250Z', lat: 45.7775, lon: 4.8521, altitudeMetres: 171.5 },
      { deviceId: 'geojson', t: '2024-05-01T09:00:20.000Z', lat: 45.7779, lon: 4.8526 },
      { deviceId: 'geojson', t: '2024-05-02T08:00:00.000Z', lat: 44.8378, lon: -0.5792 },
      { deviceId: 'geojson', t: '2024-05-02T08:01:00.000Z', lat: 44.8382, lon: -0.5801 },
      { deviceId: 'geojson', t: '2024-05-02T08:30:00.000Z', lat: 44.8402, lon: -0.5901 },
      // Epoch seconds; the device named in the properties, accents folded.
      {
        deviceId: 'geojson:Telephone-de-Lea',
        t: '2024-05-02T08:00:00.000Z',
        lat: 48.8566,
        lon: 2.3522,
        accuracyMetres: 12,
        altitudeMetres: 35,
      },
      // Epoch milliseconds, then a local time read in Paris.
      { deviceId: 'geojson', t: '2024-05-02T09:00:00.000Z', lat: 48.85, lon: 2.35 },
      { deviceId: 'geojson', t: '2024-05-02T08:10:00.000Z', lat: 48.86, lon: 2.36 },
    ]);
    expect(result.warnings).toEqual([
      { line: 37, message: 'this feature gives no time for its points: skipped.' },
      { line: 42, message: 'this feature is a Polygon, not points or lines: skipped.' },
    ]);
  });

  it('reads a single Feature at the root, with local times on the night clocks go back', async () => {
    const result = await runImporter(importer, single);
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'geojson:garmin-edge-530',
        t: '2023-10-28T23:30:00.000Z',
        lat: 43.7102,
        lon: 7.262,
        altitudeMetres: 12,
      },
      // 02:30 happened twice that night: the first one, summer time.
      {
        deviceId: 'geojson:garmin-edge-530',
        t: '2023-10-29T00:30:00.000Z',
        lat: 43.711,
        lon: 7.2631,
        altitudeMetres: 15,
      },
    ]);
  });

  it('keeps the pairs when a line has more positions than times, and says so', async () => {
    const text = `{"type": "FeatureCollection", "features": [\n{"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[2, 48], [2.1, 48.1]]}, "properties": {"coordTimes": ["2024-01-01T10:00:00Z"]}}]}`;
    const result = await runImporter(importer, text);
    expect(result.of('location.point')).toEqual([
      { deviceId: 'geojson', t: '2024-01-01T10:00:00.000Z', lat: 48, lon: 2 },
    ]);
    expect(result.warnings).toEqual([
      { line: 2, message: 'this feature has 2 positions but 1 times: only the pairs are kept.' },
    ]);
  });
});

describe('GeoJSON bad input', () => {
  const feature = (coordinates: string, time: string) =>
    `{"type": "FeatureCollection", "features": [\n{"type": "Feature", "geometry": {"type": "Point", "coordinates": ${coordinates}}, "properties": {"time": ${time}}}]}`;

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(collection);
    const e = await importFailure(importer, text.slice(0, 600), 'tracks.geojson');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^tracks\.geojson, line \d+: the file ends before its JSON does/);
  });

  it('rejects positions out of range or malformed', async () => {
    expect((await importFailure(importer, feature('[48.85, 95.2]', '"2024-01-01T10:00:00Z"'))).message).toBe(
      'bad-file, line 2: the latitude in "[48.85, 95.2]" is out of range (it must be between -90 and 90).',
    );
    expect((await importFailure(importer, feature('["2.35", "48.85"]', '"2024-01-01T10:00:00Z"'))).message).toContain(
      'the position ["2.35","48.85"] is not [longitude, latitude]',
    );
  });

  it('rejects broken and absurd times', async () => {
    expect((await importFailure(importer, feature('[2.35, 48.85]', '"2024-01-01 25:00"'))).message).toContain(
      'the time "2024-01-01 25:00" is not a date and time',
    );
    expect((await importFailure(importer, feature('[2.35, 48.85]', '-86400'))).message).toContain('not plausible');
    expect((await importFailure(importer, feature('[2.35, 48.85]', 'true'))).message).toContain(
      'the time true is not a date and time',
    );
  });

  it('rejects JSON that is not GeoJSON', async () => {
    expect((await importFailure(importer, '{"locations": []}')).message).toContain('it is not GeoJSON');
  });
});
