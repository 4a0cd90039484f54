import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { kmlImporter as importer } from './kml.js';
import { fixture, importFailure } from './location-testing.js';

const day = fixture('kml-google-day.kml');
const tracks = fixture('kml-gx-track.kml');

const kml = (body: string) =>
  `<?xml version="1.0"?>\n<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document>\n${body}\n</Document></kml>`;

describe('KML detection', () => {
  it('recognises KML with or without declaration and comments', async () => {
    expect(await detectionOf(importer, day)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, tracks)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, '<kml><Placemark/></kml>')).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other XML, JSON or text', async () => {
    for (const other of [
      '<?xml version="1.0"?><gpx version="1.1"><trk/></gpx>',
      '<?xml version="1.0"?><Document><Placemark/></Document>',
      '{"kml": true}',
      'kml,lat,lon',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('KML parsing', () => {
  it('reads a Google day export: stays become visits with their address, moves are skipped', async () => {
    const result = await runImporter(importer, day, { name: 'history-2019-06-21.kml' });
    await expectCatalogValid(result.records);
    expect(result.records).toEqual([
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'kml:2019-06-20T22:00:00.000Z|45.75970,4.85630',
        line: 25,
        data: {
          start: '2019-06-20T22:00:00.000Z',
          end: '2019-06-21T06:42:10.000Z',
          lat: 45.7597,
          lon: 4.8563,
          placeName: 'Domicile',
          address: { street: '12 Rue des Lilas', postalCode: '69003', city: 'Lyon', country: 'FR' },
          source: 'import',
          deviceId: 'kml',
        },
      },
      {
        kind: 'document',
        doctype: 'location.visit',
        key: 'kml:2019-06-21T07:05:33.000Z|45.74250,4.88010',
        line: 56,
        data: {
          start: '2019-06-21T07:05:33.000Z',
          end: '2019-06-21T16:30:00.000Z',
          lat: 45.7425,
          lon: 4.8801,
          placeName: 'Hôpital Édouard Herriot',
          address: { street: "5 Place d'Arsonval", postalCode: '69003', city: 'Lyon', country: 'FR' },
          source: 'import',
          deviceId: 'kml',
        },
      },
    ]);
    expect(result.warnings).toEqual([{ line: 42, message: 'this LineString gives no time for its points: skipped.' }]);
  });

  it('pairs gx:Track times and coordinates, interleaved or not, and reads timed points of a MultiGeometry', async () => {
    const result = await runImporter(importer, tracks, { name: 'rando.kml' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      { deviceId: 'kml', t: '2024-08-03T07:00:00.000Z', lat: 45.8326, lon: 6.8652, altitudeMetres: 1035 },
      { deviceId: 'kml', t: '2024-08-03T07:00:05.500Z', lat: 45.8331, lon: 6.866, altitudeMetres: 1042.5 },
      // Local times (no offset), read in Paris summer time.
      { deviceId: 'kml', t: '2024-08-03T12:00:00.000Z', lat: 45.84, lon: 6.87, altitudeMetres: 1100 },
      { deviceId: 'kml', t: '2024-08-03T12:01:00.000Z', lat: 45.841, lon: 6.871, altitudeMetres: 1101 },
      { deviceId: 'kml', t: '2024-08-03T10:30:00.000Z', lat: 45.8412, lon: 6.8711, altitudeMetres: 1230 },
    ]);
    expect(result.warnings).toEqual([
      { line: 44, message: 'this LineString gives no time for its points: skipped.' },
      { line: 49, message: 'this placemark has no TimeStamp or TimeSpan: skipped.' },
      {
        line: 33,
        message: 'a gx:Track ends with 1 <when> left unpaired (it must have as many <when> as <gx:coord>): skipped.',
      },
      { line: 54, message: 'this placemark is dated too vaguely for a point: skipped.' },
    ]);
  });

  it('streams a long gx:Track with its times first, as the specification writes it', async () => {
    const n = 3000;
    const whens = Array.from(
      { length: n },
      (_, i) => `<when>${new Date(Date.UTC(2024, 0, 1) + i * 1000).toISOString()}</when>`,
    );
    const coords = Array.from({ length: n }, (_, i) => `<gx:coord>${(2 + i / 1e4).toFixed(4)} 48.8 35</gx:coord>`);
    const result = await runImporter(
      importer,
      kml(`<Placemark><gx:Track>${whens.join('\n')}\n${coords.join('\n')}</gx:Track></Placemark>`),
    );
    const points = result.of('location.point');
    expect(points).toHaveLength(n);
    expect(points[n - 1]).toEqual({
      deviceId: 'kml',
      t: '2024-01-01T00:49:59.000Z',
      lat: 48.8,
      lon: 2.2999,
      altitudeMetres: 35,
    });
  });

  it('makes a point of a placemark with a one-sided TimeSpan', async () => {
    const result = await runImporter(
      importer,
      kml(
        '<Placemark><TimeSpan><begin>2024-02-01T10:00:00+01:00</begin></TimeSpan><Point><coordinates>2.35,48.85</coordinates></Point></Placemark>',
      ),
    );
    expect(result.of('location.point')).toEqual([
      { deviceId: 'kml', t: '2024-02-01T09:00:00.000Z', lat: 48.85, lon: 2.35 },
    ]);
  });
});

describe('KML bad input', () => {
  const stamped = (when: string, coordinates: string) =>
    kml(
      `<Placemark>\n<TimeStamp><when>${when}</when></TimeStamp>\n<Point><coordinates>${coordinates}</coordinates></Point>\n</Placemark>`,
    );

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(day);
    const e = await importFailure(importer, text.slice(0, text.indexOf('</Placemark>')), 'history.kml');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^history\.kml, line \d+: this is not well-formed XML/);
  });

  it('rejects broken and absurd times', async () => {
    expect((await importFailure(importer, stamped('2024-06-31T10:00:00Z', '2.35,48.85'))).message).toBe(
      'bad-file, line 4: the time "2024-06-31T10:00:00Z" is not a date and time.',
    );
    expect((await importFailure(importer, stamped('9999-01-01T00:00:00Z', '2.35,48.85'))).message).toContain(
      'not plausible',
    );
    expect(
      (await importFailure(importer, kml('<Placemark><gx:Track><when>noon</when></gx:Track></Placemark>'))).message,
    ).toContain('"noon" is not a date and time');
  });

  it('rejects coordinates out of range or unreadable', async () => {
    expect((await importFailure(importer, stamped('2024-06-01T10:00:00Z', '48.85,200.1'))).message).toBe(
      'bad-file, line 5: the latitude in "48.85,200.1" is out of range (it must be between -90 and 90).',
    );
    expect((await importFailure(importer, stamped('2024-06-01T10:00:00Z', '2.35 48.85'))).message).toContain(
      'the coordinates "2.35 48.85" are not "longitude, latitude[, altitude]"',
    );
    expect(
      (
        await importFailure(
          importer,
          kml(
            '<Placemark><gx:Track><when>2024-06-01T10:00:00Z</when><gx:coord>2.35,48.85</gx:coord></gx:Track></Placemark>',
          ),
        )
      ).message,
    ).toContain('not "longitude, latitude[, altitude]"');
  });

  it('rejects XML that is not KML and entity declarations', async () => {
    expect((await importFailure(importer, '<?xml version="1.0"?><gpx/>')).message).toContain('not a KML file');
    expect(
      (await importFailure(importer, '<!DOCTYPE kml [<!ENTITY e SYSTEM "file:///etc/passwd">]><kml>&e;</kml>')).message,
    ).toContain('entities');
  });
});
