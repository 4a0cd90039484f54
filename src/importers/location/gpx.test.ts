import { describe, it, expect } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { gpxImporter as importer } from './gpx.js';
import { activityTypeOf } from './gpx-workout.js';
import { fixture, importFailure } from './location-testing.js';

const garmin = fixture('gpx-1.1-garmin.gpx');
const gpx10 = fixture('gpx-1.0.gpx');
const latin1 = fixture('gpx-no-namespace-latin1.gpx');

const gpx = (body: string, root = '<gpx version="1.1" creator="Test">') =>
  `<?xml version="1.0"?>\n${root}\n${body}\n</gpx>`;

describe('GPX detection', () => {
  it('recognises GPX 1.0 and 1.1, with or without namespace', async () => {
    for (const bytes of [garmin, gpx10, latin1]) expect(await detectionOf(importer, bytes)).toBeGreaterThanOrEqual(0.9);
    expect(
      await detectionOf(
        importer,
        '<?xml version="1.0"?>\n<!-- comment -->\n<gpx:gpx xmlns:gpx="x"><gpx:trk/></gpx:gpx>',
      ),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other XML, JSON or text', async () => {
    for (const other of [
      '<?xml version="1.0"?><TrainingCenterDatabase><Activities/></TrainingCenterDatabase>',
      '<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>',
      '<OFX><BANKMSGSRSV1>',
      '{"type": "FeatureCollection", "features": []}',
      'lat;lon;time\n45.1;4.8;2024-01-01',
      'A GPX file is usually <gpx>',
    ]) {
      expect(await detectionOf(importer, other), other).toBeLessThan(0.5);
    }
  });
});

describe('GPX parsing', () => {
  it('reads a Garmin GPX 1.1 track: points, heart rate samples, and the workout with its distance', async () => {
    const result = await runImporter(importer, garmin, { name: 'activity_123.gpx' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'gpx:Garmin-Connect',
        t: '2024-03-31T08:00:00.000Z',
        lat: 45.7578137,
        lon: 4.8320114,
        altitudeMetres: 170.4,
      },
      {
        deviceId: 'gpx:Garmin-Connect',
        t: '2024-03-31T08:00:30.000Z',
        lat: 45.7587137,
        lon: 4.8320114,
        altitudeMetres: 171,
      },
      {
        deviceId: 'gpx:Garmin-Connect',
        t: '2024-03-31T08:01:00.000Z',
        lat: 45.7596137,
        lon: 4.8320114,
        altitudeMetres: 172.2,
      },
      {
        deviceId: 'gpx:Garmin-Connect',
        t: '2024-03-31T08:10:00.000Z',
        lat: 45.7614137,
        lon: 4.8320114,
        altitudeMetres: 171.6,
      },
      { deviceId: 'gpx:Garmin-Connect', t: '2024-03-31T08:10:31.250Z', lat: 45.7623137, lon: 4.8320114 },
    ]);
    // hr 0 is "no reading".
    expect(result.of('health.sample')).toEqual(
      [
        ['2024-03-31T08:00:00.000Z', 96],
        ['2024-03-31T08:00:30.000Z', 128],
        ['2024-03-31T08:10:00.000Z', 141],
      ].map(([t, value]) => ({
        stream: 'HKQuantityTypeIdentifierHeartRate|Garmin Connect',
        type: 'HKQuantityTypeIdentifierHeartRate',
        source: 'Garmin Connect',
        t,
        value,
        unit: 'count/min',
      })),
    );
    // 0.0009 degrees of latitude is 100.1 m: two steps in the first segment, one in the second;
    // the 200 m between the segments (a pause) is not counted.
    expect(result.records.filter((r) => r.doctype === 'activity.workout')).toEqual([
      {
        kind: 'document',
        doctype: 'activity.workout',
        key: '2024-03-31T08:00:00.000Z',
        data: {
          activityType: 'running',
          name: 'Sortie du dimanche à Lyon',
          start: '2024-03-31T08:00:00.000Z',
          end: '2024-03-31T08:10:31.250Z',
          distanceMetres: 300.2,
          heartRate: { averageBpm: 121.7, minBpm: 96, maxBpm: 141 },
          source: 'Garmin Connect',
        },
      },
    ]);
    expect(result.warnings).toEqual([
      { line: 56, message: 'the altitude -1200 m is outside -500 to 10,000 m: the point is kept without it.' },
    ]);
  });

  it('reads GPX 1.0: waypoints with a time, speed, fractional seconds; warns about points without time or fix', async () => {
    const result = await runImporter(importer, gpx10, { name: 'track.gpx' });
    await expectCatalogValid(result.records);
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'gpx:GPSBabel',
        t: '2009-10-17T18:37:26.000Z',
        lat: 47.644548,
        lon: -122.326897,
        altitudeMetres: 4.46,
      },
      {
        deviceId: 'gpx:GPSBabel',
        t: '2009-10-17T18:37:26.500Z',
        lat: 47.644548,
        lon: -122.326897,
        altitudeMetres: 4.46,
        speedMetresPerSecond: 4.2,
      },
      {
        deviceId: 'gpx:GPSBabel',
        t: '2009-10-17T18:37:36.000Z',
        lat: 47.644648,
        lon: -122.326997,
        altitudeMetres: 6.87,
        speedMetresPerSecond: 4.6,
      },
    ]);
    expect(result.of('activity.workout')).toEqual([
      {
        activityType: 'other',
        name: 'Vélo',
        start: '2009-10-17T18:37:26.500Z',
        end: '2009-10-17T18:37:36.000Z',
        distanceMetres: 13.4,
        source: 'GPSBabel - http://www.gpsbabel.org',
      },
    ]);
    expect(result.warnings).toEqual([
      { line: 11, message: 'this waypoint has no time, so it says nothing of when someone was there: skipped.' },
      { line: 16, message: 'this route point has no time, so it says nothing of when someone was there: skipped.' },
      { line: 17, message: 'this route point has no time, so it says nothing of when someone was there: skipped.' },
      { line: 30, message: 'this track point has no time, so it says nothing of when someone was there: skipped.' },
      { line: 33, message: 'the receiver had no fix for this point: skipped.' },
    ]);
  });

  it('reads Latin-1 GPX without namespace, local times in the space zone and a Strava type number', async () => {
    const result = await runImporter(importer, latin1, { name: 'strava.gpx' });
    await expectCatalogValid(result.records);
    // No creator: the track's name (accents folded) is the stream.
    expect(result.of('location.point').map((p) => [p.deviceId, p.t])).toEqual([
      ['gpx:Promenade-a-Montmartre', '2024-07-14T08:00:00.000Z'],
      ['gpx:Promenade-a-Montmartre', '2024-07-14T08:01:00.000Z'],
    ]);
    expect(result.of('activity.workout')).toEqual([
      {
        activityType: 'running',
        name: 'Promenade à Montmartre',
        start: '2024-07-14T08:00:00.000Z',
        end: '2024-07-14T08:01:00.000Z',
        distanceMetres: 49.6,
      },
    ]);
    const inTokyo = await runImporter(importer, latin1, { timeZone: 'Asia/Tokyo' });
    expect(inTokyo.of('location.point')[0]!.t).toBe('2024-07-14T01:00:00.000Z');
  });

  it('reads a time skipped or repeated by a daylight-saving change in the space zone', async () => {
    const text = gpx(
      '<wpt lat="48.85" lon="2.35"><time>2024-03-31T02:30:00</time></wpt><wpt lat="48.85" lon="2.35"><time>2024-10-27T02:30:00</time></wpt>',
    );
    const result = await runImporter(importer, text);
    // 02:30 did not exist on 31 March (read as 03:30 summer time); on 27 October it came twice (the first).
    expect(result.of('location.point').map((p) => p.t)).toEqual([
      '2024-03-31T01:30:00.000Z',
      '2024-10-27T00:30:00.000Z',
    ]);
  });

  it('makes one workout per track, each with its own type and name', async () => {
    const track = (name: string, type: string, minute: number) =>
      `<trk><name>${name}</name><type>${type}</type><trkseg><trkpt lat="45" lon="4"><time>2024-01-01T10:0${minute}:00Z</time></trkpt></trkseg></trk>`;
    const result = await runImporter(
      importer,
      gpx(
        `${track('A', 'Cycling', 0)}${track('B', 'Trail Running', 5)}<trk><name>No time</name><trkseg><trkpt lat="45" lon="4"/></trkseg></trk>`,
      ),
    );
    await expectCatalogValid(result.records);
    expect(result.of('activity.workout').map((w) => [w.name, w.activityType, w.start, w.distanceMetres])).toEqual([
      ['A', 'cycling', '2024-01-01T10:00:00.000Z', 0],
      ['B', 'running', '2024-01-01T10:05:00.000Z', 0],
    ]);
  });

  it('maps producers’ activity types onto the catalog’s words', () => {
    expect(
      ['running', 'Run', '9', 'mountain_biking', '1', 'Walk', 'Alpine Skiing', '', '42', 'Ski de fond ⛷'].map(
        activityTypeOf,
      ),
    ).toEqual([
      'running',
      'running',
      'running',
      'cycling',
      'cycling',
      'walking',
      'alpine_skiing',
      'other',
      'other',
      'ski_de_fond',
    ]);
  });
});

describe('GPX bad input', () => {
  const point = (attrs: string, time: string) =>
    gpx(`<trk><trkseg>\n<trkpt ${attrs}><time>${time}</time></trkpt>\n</trkseg></trk>`);

  it('rejects a truncated file, naming it and the line', async () => {
    const text = new TextDecoder().decode(garmin);
    const e = await importFailure(importer, text.slice(0, text.indexOf('</trkpt>') + 8), 'activity.gpx');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^activity\.gpx, line 26: this is not well-formed XML \(.*unclosed tag: trkseg\)/);
    const cutInATag = await importFailure(importer, text.slice(0, 1200), 'activity.gpx');
    expect(cutInATag.message).toMatch(/^activity\.gpx, line \d+: this is not well-formed XML/);
  });

  it('rejects a broken or absurd time', async () => {
    expect((await importFailure(importer, point('lat="45" lon="4"', '2024-02-30T10:00:00Z'))).message).toBe(
      'bad-file, line 4: the time "2024-02-30T10:00:00Z" is not a date and time.',
    );
    expect((await importFailure(importer, point('lat="45" lon="4"', 'yesterday'))).message).toContain(
      '"yesterday" is not a date and time',
    );
    expect((await importFailure(importer, point('lat="45" lon="4"', '1970-01-01T00:00:00Z'))).message).toContain(
      'not plausible',
    );
  });

  it('rejects positions out of range or not numbers', async () => {
    expect((await importFailure(importer, point('lat="95" lon="4"', '2024-01-01T10:00:00Z'))).message).toBe(
      'bad-file, line 4: the latitude in "lat="95" lon="4"" is out of range (it must be between -90 and 90).',
    );
    expect((await importFailure(importer, point('lat="45" lon="-181"', '2024-01-01T10:00:00Z'))).message).toContain(
      'longitude',
    );
    expect((await importFailure(importer, point('lat="N45" lon="4"', '2024-01-01T10:00:00Z'))).message).toContain(
      'the <trkpt> position (lat="N45" lon="4") is not a pair of numbers',
    );
    expect((await importFailure(importer, point('lon="4"', '2024-01-01T10:00:00Z'))).message).toContain(
      'not a pair of numbers',
    );
  });

  it('rejects XML that is not GPX, malformed XML and entity declarations', async () => {
    expect((await importFailure(importer, '<?xml version="1.0"?><kml><Document/></kml>')).message).toContain(
      'not a GPX file',
    );
    expect((await importFailure(importer, gpx('<trk><trkseg></trk>'))).message).toContain('not well-formed XML');
    expect(
      (await importFailure(importer, '<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x "y">]><gpx>&x;</gpx>')).message,
    ).toContain('entities');
  });
});
