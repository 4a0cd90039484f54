import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { fixture, importFailure, otherFormats } from './health-testing.js';
import { tcxImporter as importer } from './tcx-importer.js';

const run = fixture('tcx-garmin-run.tcx');
const indoor = fixture('tcx-indoor-two-activities.tcx');

const tcxOf = (activity: string) =>
  `<?xml version="1.0"?>\n<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">\n<Activities>\n${activity}\n</Activities>\n</TrainingCenterDatabase>\n`;

describe('TCX detection', () => {
  it('recognises TCX files with or without namespace prefixes', async () => {
    expect(await detectionOf(importer, run)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, indoor)).toBeGreaterThanOrEqual(0.9);
    expect(
      await detectionOf(importer, '<?xml version="1.0"?><tcx:TrainingCenterDatabase xmlns:tcx="x"/>'),
    ).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other formats, Apple Health and FHIR included', async () => {
    for (const other of [...otherFormats, fixture('apple-health-export.xml'), fixture('fhir-searchset-bundle.json')]) {
      expect(await detectionOf(importer, other), String(other).slice(0, 60)).toBeLessThan(0.5);
    }
  });
});

describe('TCX parsing', () => {
  it('makes one workout per activity, keyed by its Id, with laps, totals and the device named at the end', async () => {
    const result = await runImporter(importer, run, { name: 'activity_123.tcx' });
    await expectCatalogValid(result.records);
    const workouts = result.records.filter((r) => r.doctype === 'activity.workout');
    expect(workouts).toEqual([
      {
        kind: 'document',
        doctype: 'activity.workout',
        key: '2024-03-10T07:15:00.000Z',
        line: 11,
        data: {
          activityType: 'running',
          start: '2024-03-10T07:15:00Z',
          end: '2024-03-10T08:01:40Z',
          durationSeconds: 2790,
          distanceMetres: 8412.5,
          energyKcal: 612,
          // Laps' averages weighted by their time; the highest of the laps' maxima and the samples.
          heartRate: { averageBpm: 148, minBpm: 98, maxBpm: 171 },
          laps: [
            {
              start: '2024-03-10T07:15:00Z',
              durationSeconds: 1390,
              distanceMetres: 4200,
              energyKcal: 301,
              averageHeartRateBpm: 144,
              maxHeartRateBpm: 160,
            },
            {
              start: '2024-03-10T07:38:20Z',
              durationSeconds: 1400,
              distanceMetres: 4212.5,
              energyKcal: 311,
              averageHeartRateBpm: 152,
              maxHeartRateBpm: 171,
            },
          ],
          source: 'Forerunner 245',
          device: 'Forerunner 245 (3991234567)',
          extra: { notes: 'Footing des quais, vent de face au retour' },
        },
      },
    ]);
  });

  it('turns trackpoints with a position into location points and their heart rate into samples', async () => {
    const result = await runImporter(importer, run);
    expect(result.of('location.point')).toEqual([
      {
        deviceId: 'forerunner-245:3991234567',
        t: '2024-03-10T07:15:00Z',
        lat: 45.75981,
        lon: 4.85912,
        altitudeMetres: 171.4,
        speedMetresPerSecond: 0,
        source: 'gps',
        activity: 'running',
      },
      {
        deviceId: 'forerunner-245:3991234567',
        t: '2024-03-10T07:15:05Z',
        lat: 45.75995,
        lon: 4.85931,
        altitudeMetres: 171.8,
        speedMetresPerSecond: 2.846,
        source: 'gps',
        activity: 'running',
      },
      {
        deviceId: 'forerunner-245:3991234567',
        t: '2024-03-10T08:01:40Z',
        lat: 45.76731,
        lon: 4.83402,
        altitudeMetres: 168,
        source: 'gps',
        activity: 'running',
      },
    ]);
    const samples = result.of('health.sample');
    expect(samples.map((s) => [s.t, s.value])).toEqual([
      ['2024-03-10T07:15:00Z', 98],
      ['2024-03-10T07:15:05Z', 112],
      // No position (a tunnel), still a heart rate.
      ['2024-03-10T07:15:10Z', 118],
      ['2024-03-10T08:01:40Z', 171],
    ]);
    expect(samples[0]).toEqual({
      stream: 'HKQuantityTypeIdentifierHeartRate|Forerunner 245',
      type: 'HKQuantityTypeIdentifierHeartRate',
      source: 'Forerunner 245',
      t: '2024-03-10T07:15:00Z',
      value: 98,
      unit: 'count/min',
    });
    expect(result.warnings).toEqual([
      { line: 69, message: 'the trackpoint\'s time "10/03/2024 07:15:15" is not a time: it is skipped.' },
    ]);
  });

  it('reads several activities, local times without offset (across the spring-forward gap), CRLF, and no device', async () => {
    const result = await runImporter(importer, indoor);
    await expectCatalogValid(result.records);
    expect(result.of('activity.workout')).toEqual([
      {
        activityType: 'cycling',
        start: '2024-03-31T00:30:00Z',
        end: '2024-03-31T01:30:01Z',
        durationSeconds: 3600,
        distanceMetres: 25000,
        energyKcal: 640,
        heartRate: { averageBpm: 131, minBpm: 131, maxBpm: 131 },
        laps: [{ start: '2024-03-31T00:30:00Z', durationSeconds: 3600, distanceMetres: 25000, energyKcal: 640 }],
        source: 'TCX file',
      },
      {
        activityType: 'other',
        start: '2024-04-02T18:00:00Z',
        end: '2024-04-02T18:20:00.500Z',
        durationSeconds: 1200.5,
        distanceMetres: 0,
        energyKcal: 95,
        laps: [{ start: '2024-04-02T18:00:00Z', durationSeconds: 1200.5, distanceMetres: 0, energyKcal: 95 }],
        source: 'TCX file',
      },
    ]);
    expect(result.of('location.point')).toEqual([]);
    // 02:30 does not exist in Paris that night: read as 03:30 CEST, 01:30 UTC.
    expect(result.of('health.sample').map((s) => [s.t, s.value])).toEqual([['2024-03-31T01:30:00Z', 131]]);
    expect(result.warnings).toEqual([{ line: 9, message: 'the heart rate 400 is not plausible: it is left out.' }]);
  });

  it('says so when the file holds no activity (a course)', async () => {
    const course =
      '<?xml version="1.0"?><TrainingCenterDatabase><Courses><Course><Name>Boucle</Name><Track><Trackpoint><Time>2024-01-01T00:00:00Z</Time></Trackpoint></Track></Course></Courses></TrainingCenterDatabase>';
    const result = await runImporter(importer, course);
    expect(result.records).toEqual([]);
    expect(result.warnings).toEqual([
      { message: 'the file holds no activity (a TCX course or workout plan?): nothing to import.' },
    ]);
  });

  it('leaves out a position that is not on Earth, keeping the heart rate', async () => {
    const tcx = tcxOf(
      '<Activity Sport="Running"><Id>2024-03-10T07:15:00Z</Id><Lap StartTime="2024-03-10T07:15:00Z"><TotalTimeSeconds>10</TotalTimeSeconds><Track><Trackpoint><Time>2024-03-10T07:15:00Z</Time><Position><LatitudeDegrees>145.1</LatitudeDegrees><LongitudeDegrees>4.8</LongitudeDegrees></Position><HeartRateBpm><Value>90</Value></HeartRateBpm></Trackpoint></Track></Lap></Activity>',
    );
    const result = await runImporter(importer, tcx);
    expect(result.of('location.point')).toEqual([]);
    expect(result.of('health.sample')).toHaveLength(1);
    expect(result.warnings).toEqual([{ line: 4, message: 'the position 145.1, 4.8 is not on Earth: it is left out.' }]);
  });
});

describe('TCX bad input', () => {
  it('refuses a truncated file, naming it', async () => {
    const error = await importFailure(importer, run.subarray(0, 2000), 'activity.tcx');
    expect(error.message).toMatch(/^activity\.tcx, line \d+: /);
  });

  it('refuses XML that is not well-formed, naming the line', async () => {
    const error = await importFailure(
      importer,
      tcxOf('<Activity Sport="Running">\n<Id>2024-03-10T07:15:00Z</Idd>\n</Activity>'),
      'a.tcx',
    );
    expect(error.details.line).toBe(5);
  });

  it('refuses a file whose root is not TrainingCenterDatabase', async () => {
    const error = await importFailure(importer, '<?xml version="1.0"?><gpx><trk/></gpx>', 'a.tcx');
    expect(error.message).toBe('a.tcx: this is not a TCX file: its root element is not <TrainingCenterDatabase>.');
  });

  it('refuses absurd dates, naming the line', async () => {
    for (const year of ['1200', '9999']) {
      const error = await importFailure(
        importer,
        tcxOf(`<Activity Sport="Running">\n<Id>${year}-03-10T07:15:00Z</Id>\n</Activity>`),
        'a.tcx',
      );
      expect(error.message).toBe(`a.tcx, line 5: the time "${year}-03-10T07:15:00Z" is not a plausible date`);
    }
  });

  it('refuses entity declarations', async () => {
    const error = await importFailure(
      importer,
      '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><TrainingCenterDatabase>&x;</TrainingCenterDatabase>',
    );
    expect(error.message).toContain('entities');
  });
});
