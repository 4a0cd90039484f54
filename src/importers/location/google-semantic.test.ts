import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { googleSemanticImporter as importer } from './google-semantic.js';
import { fixture, importFailure } from './location-testing.js';

const jan2019 = fixture('google-semantic-2019_JANUARY.json');
const mar2024 = fixture('google-semantic-2024_MARCH.json');

describe('Google Semantic Location History detection', () => {
  it('recognises monthly files of both generations', async () => {
    expect(await detectionOf(importer, jan2019)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, mar2024)).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other JSON or text', async () => {
    for (const other of [
      '{"locations": []}',
      '[{"timelineObjects": []}]',
      'timelineObjects',
      '{"semanticSegments": []}',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('Google Semantic Location History parsing', () => {
  it('reads 2019 visits (timestampMs, addresses on several lines) and timed path points', async () => {
    const result = await runImporter(importer, jan2019, { name: '2019_JANUARY.json' });
    await expectCatalogValid(result.records);
    expect(result.records).toEqual([
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'google:2019-01-08T10:00:00.000Z',
        line: 2,
        data: {
          start: '2019-01-08T10:00:00.000Z',
          end: '2019-01-08T12:30:00.000Z',
          lat: 48.8583701,
          lon: 2.2944813,
          placeName: 'Tour Eiffel',
          address: {
            street: 'Champ de Mars\n5 Avenue Anatole France',
            postalCode: '75007',
            city: 'Paris',
            country: 'FR',
          },
          confidence: 0.875,
          source: 'import',
          deviceId: 'google:1394512876',
          extra: { placeId: 'ChIJLU7jZClu5kcR4PcOOO6p3I0' },
        },
      },
      {
        kind: 'point',
        doctype: 'location.point',
        line: 24,
        data: {
          deviceId: 'google:1394512876',
          t: '2019-01-08T12:45:00.000Z',
          lat: 48.8521,
          lon: 2.3341,
          accuracyMetres: 10,
          activity: 'in_vehicle',
        },
      },
    ]);
    expect(result.warnings).toEqual([{ line: 66, message: 'this place visit lacks its start or end time: skipped.' }]);
  });

  it('reads 2024 visits (ISO times, categories, child visits, foreign addresses)', async () => {
    const result = await runImporter(importer, mar2024);
    await expectCatalogValid(result.records);
    expect(result.warnings).toEqual([]);
    const visits = result.records.filter((r) => r.doctype === 'location.visit');
    expect(visits.map((v) => v.kind === 'document' && v.key)).toEqual([
      'google:2024-03-20T18:36:21.000Z',
      'google:2024-03-21T11:58:00.000Z|1',
      'google:2024-03-25T14:00:00.000Z',
    ]);
    expect(visits[0]!.data).toEqual({
      start: '2024-03-20T18:36:21.000Z',
      end: '2024-03-21T17:42:24.513Z',
      lat: 50.6443503,
      lon: 3.0774789,
      placeName: 'Bureau',
      placeCategory: 'work',
      address: { street: '147 Rue du Ballon', postalCode: '59110', city: 'La Madeleine', country: 'FR' },
      confidence: 0.4695392,
      source: 'import',
      deviceId: 'google:-813004233',
      extra: { placeId: 'ChIJD-fhtSEqw0cRkCuIhwJPMx8' },
    });
    // The child visit comes from its parent's device; its name keeps its accent.
    expect(visits[1]!.data).toMatchObject({ placeName: 'Cafétéria', deviceId: 'google:-813004233', confidence: 0.6 });
    expect(visits[2]!.data).toMatchObject({
      lon: -73.9856644,
      address: { street: '20 W 34th St.', city: 'New York', postalCode: '10001', country: 'US' },
    });
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'google:-813004233',
        t: '2024-03-21T17:45:19.542Z',
        lat: 50.645977,
        lon: 3.0751483,
        accuracyMetres: 6,
        activity: 'walking',
      },
      {
        deviceId: 'google:-813004233',
        t: '2024-03-21T17:51:02.000Z',
        lat: 50.6521911,
        lon: 3.0811212,
        accuracyMetres: 8,
        activity: 'walking',
      },
    ]);
  });

  it('keeps an address it cannot split as it was written', async () => {
    const text = `{"timelineObjects": [{"placeVisit": {"location": {"latitudeE7": 515034000, "longitudeE7": -1276000,
      "address": "10 Downing St, London SW1A 2AA, UK"}, "duration": {"startTimestamp": "2023-05-01T09:00:00Z", "endTimestamp": "2023-05-01T10:00:00Z"}}}]}`;
    const result = await runImporter(importer, text);
    await expectCatalogValid(result.records);
    expect(result.of('location.visit')[0]).toMatchObject({
      lon: -0.1276,
      extra: { address: '10 Downing St, London SW1A 2AA, UK' },
    });
    expect(result.of('location.visit')[0]).not.toHaveProperty('address');
  });

  it('warns about visits without a place and visits ending before they start', async () => {
    const text = `{"timelineObjects": [
{"placeVisit": {"location": {"name": "Nulle part"}, "duration": {"startTimestamp": "2023-05-01T09:00:00Z", "endTimestamp": "2023-05-01T10:00:00Z"}}},
{"placeVisit": {"location": {"latitudeE7": 1, "longitudeE7": 1}, "duration": {"startTimestamp": "2023-05-01T11:00:00Z", "endTimestamp": "2023-05-01T10:00:00Z"}}},
{"somethingElse": {}}
]}`;
    const result = await runImporter(importer, text);
    expect(result.records).toEqual([]);
    expect(result.warnings).toEqual([
      { line: 2, message: 'this place visit has no coordinates: skipped.' },
      { line: 3, message: 'this place visit ends before it starts: skipped.' },
      { line: 4, message: 'this timeline object is neither a placeVisit nor an activitySegment: skipped.' },
    ]);
  });
});

describe('Google Semantic Location History bad input', () => {
  const visit = (location: string, duration: string) =>
    `{"timelineObjects": [\n{"placeVisit": {"location": {${location}}, "duration": {${duration}}}}\n]}`;
  const here = '"latitudeE7": 488583701, "longitudeE7": 22944813';
  const times = '"startTimestamp": "2023-05-01T09:00:00Z", "endTimestamp": "2023-05-01T10:00:00Z"';

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(mar2024);
    const e = await importFailure(importer, text.slice(0, 2000), '2024_MARCH.json');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^2024_MARCH\.json, line \d+: /);
  });

  it('rejects coordinates out of range and absurd or broken times', async () => {
    expect((await importFailure(importer, visit('"latitudeE7": 1234567890, "longitudeE7": 0', times))).message).toBe(
      'bad-file, line 2: the latitude in "1234567890, 0" is out of range (it must be between -90 and 90).',
    );
    expect(
      (await importFailure(importer, visit(here, '"startTimestampMs": "-62135596800000", "endTimestampMs": "1"')))
        .message,
    ).toContain('not plausible');
    expect(
      (await importFailure(importer, visit(here, '"startTimestamp": "hier", "endTimestamp": "demain"'))).message,
    ).toContain('the time "hier" is not a date and time');
    expect((await importFailure(importer, visit('"latitudeE7": "48,85", "longitudeE7": 2', times))).message).toContain(
      'are not numbers',
    );
  });

  it('rejects JSON that is not a Semantic Location History file', async () => {
    expect((await importFailure(importer, '{"locations": []}')).message).toContain('no "timelineObjects" list');
    expect((await importFailure(importer, '{"timelineObjects": [}')).message).toContain('not valid JSON');
  });
});
