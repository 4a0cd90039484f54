import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { appleHealthImporter as importer } from './apple-health-importer.js';
import { fixture, importFailure, otherFormats } from './health-testing.js';

const exportXml = fixture('apple-health-export.xml');
const text = exportXml.toString('utf8');
const head = text.slice(0, text.indexOf('<HealthData'));

/** A small export: the real DTD, then these elements inside HealthData. */
const exportOf = (body: string, exportDate = '2024-04-02 21:04:10 +0200') =>
  `${head}<HealthData locale="fr_FR">\n <ExportDate value="${exportDate}"/>\n${body}\n</HealthData>\n`;

const heartRate = (attrs: string) =>
  `<Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Apple Watch" unit="count/min" ${attrs}/>`;

describe('Apple Health detection', () => {
  it('recognises an export by its HealthData root, or by its DTD when the DTD fills the sample', async () => {
    expect(await detectionOf(importer, exportXml)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, head)).toBeGreaterThanOrEqual(0.9);
    expect(await detectionOf(importer, fixture('apple-health-ios16.xml'))).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other formats, FHIR or TCX included', async () => {
    for (const other of [...otherFormats, fixture('fhir-searchset-bundle.json'), fixture('tcx-garmin-run.tcx')]) {
      expect(await detectionOf(importer, other), String(other).slice(0, 60)).toBeLessThan(0.5);
    }
  });
});

describe('Apple Health parsing', () => {
  it('turns Records into health.sample points, one stream per type and source', async () => {
    const result = await runImporter(importer, exportXml, { name: 'export.xml' });
    await expectCatalogValid(result.records);
    const samples = result.of('health.sample').filter((s) => !String(s.type).startsWith('ActivitySummary'));
    expect(samples.slice(0, 4)).toEqual([
      {
        stream: 'HKQuantityTypeIdentifierHeartRate|Apple Watch de Léa',
        type: 'HKQuantityTypeIdentifierHeartRate',
        source: 'Apple Watch de Léa',
        t: '2024-03-10T07:15:04Z',
        value: 62,
        unit: 'count/min',
        device: 'Apple Watch Watch6,1',
      },
      {
        stream: 'HKQuantityTypeIdentifierStepCount|iPhone de Léa',
        type: 'HKQuantityTypeIdentifierStepCount',
        source: 'iPhone de Léa',
        t: '2024-03-10T07:20:00Z',
        end: '2024-03-10T07:29:12Z',
        value: 812,
        unit: 'count',
        device: 'iPhone iPhone14,5',
      },
      {
        // Same instant, another source: another stream, so neither overwrites the other.
        stream: 'HKQuantityTypeIdentifierStepCount|Apple Watch de Léa',
        type: 'HKQuantityTypeIdentifierStepCount',
        source: 'Apple Watch de Léa',
        t: '2024-03-10T07:20:00Z',
        end: '2024-03-10T07:29:30Z',
        value: 798,
        unit: 'count',
        device: 'Apple Watch Watch6,1',
      },
      {
        stream: 'HKQuantityTypeIdentifierBodyMass|Withings',
        type: 'HKQuantityTypeIdentifierBodyMass',
        source: 'Withings',
        t: '2024-03-11T06:01:45Z',
        value: 61.4,
        unit: 'kg',
      },
    ]);
    // Every point is unique on (stream, t), as the series store requires.
    const keys = samples.map((s) => `${String(s.stream)}@${String(s.t)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads category samples (sleep stages across the spring-forward night) as durations with their category', async () => {
    const result = await runImporter(importer, exportXml);
    const sleep = result.of('health.sample').filter((s) => s.type === 'HKCategoryTypeIdentifierSleepAnalysis');
    expect(sleep).toEqual([
      {
        stream: 'HKCategoryTypeIdentifierSleepAnalysis/HKCategoryValueSleepAnalysisInBed|Apple Watch de Léa',
        type: 'HKCategoryTypeIdentifierSleepAnalysis',
        source: 'Apple Watch de Léa',
        // 23:41 +0100 to 07:00 +0200: 6 h 19 min, not 7 h 19 min.
        t: '2024-03-30T22:41:00Z',
        end: '2024-03-31T05:00:00Z',
        category: 'HKCategoryValueSleepAnalysisInBed',
        value: 22740,
        unit: 's',
        device: 'Apple Watch Watch6,1',
      },
      {
        stream: 'HKCategoryTypeIdentifierSleepAnalysis/HKCategoryValueSleepAnalysisAsleepCore|Apple Watch de Léa',
        type: 'HKCategoryTypeIdentifierSleepAnalysis',
        source: 'Apple Watch de Léa',
        t: '2024-03-30T22:41:00Z',
        end: '2024-03-31T00:12:30Z',
        category: 'HKCategoryValueSleepAnalysisAsleepCore',
        value: 5490,
        unit: 's',
        device: 'Apple Watch Watch6,1',
      },
    ]);
    const mindful = result.of('health.sample').find((s) => s.type === 'HKCategoryTypeIdentifierMindfulSession');
    expect(mindful).toMatchObject({ t: '2024-03-31T10:00:00Z', value: 60, unit: 's' });
    expect(mindful).not.toHaveProperty('category');
  });

  it('turns Workouts into activity.workout documents, from attributes (old exports) or WorkoutStatistics (iOS 16+)', async () => {
    const result = await runImporter(importer, exportXml);
    const workouts = result.records.filter((r) => r.doctype === 'activity.workout');
    expect(workouts.map((w) => (w.kind === 'document' ? w.key : ''))).toEqual([
      'apple:2022-09-04T07:15:00Z|running|Apple Watch de Léa',
      'apple:2024-03-31T17:00:00Z|traditional_strength_training|Apple Watch de Léa',
      'apple:2024-04-01T08:00:00Z|cycling|Apple Watch de Léa',
    ]);
    expect(workouts.map((w) => w.data)).toEqual([
      {
        activityType: 'running',
        start: '2022-09-04T07:15:00Z',
        end: '2022-09-04T08:02:41Z',
        durationSeconds: 2790,
        distanceMetres: 8412.5,
        // "Cal" is the food calorie, a kilocalorie.
        energyKcal: 612,
        elevationGainMetres: 85.2,
        source: 'Apple Watch de Léa',
        device: 'Apple Watch Watch6,1',
        extra: { metadata: { HKIndoorWorkout: '0', HKElevationAscended: '8520 cm' } },
      },
      {
        activityType: 'traditional_strength_training',
        start: '2024-03-31T17:00:00Z',
        end: '2024-03-31T17:45:00Z',
        durationSeconds: 2700,
        energyKcal: 251.3,
        heartRate: { averageBpm: 118.3, minBpm: 74, maxBpm: 162 },
        source: 'Apple Watch de Léa',
        device: 'Apple Watch Watch6,1',
        extra: { metadata: { HKTimeZone: 'Europe/Paris' } },
      },
      {
        activityType: 'cycling',
        start: '2024-04-01T08:00:00Z',
        end: '2024-04-01T09:04:00Z',
        durationSeconds: 3726,
        distanceMetres: 24944.832,
        energyKcal: 501.912,
        source: 'Apple Watch de Léa',
        device: 'Apple Watch Watch6,1',
        extra: { routeFiles: ['/workout-routes/route_2024-04-01_11.04am.gpx'] },
      },
    ]);
  });

  it('turns a blood pressure Correlation into one health.observation with both components', async () => {
    const result = await runImporter(importer, exportXml);
    const [bp, ...rest] = result.records.filter((r) => r.doctype === 'health.observation');
    expect(rest).toEqual([]);
    expect(bp).toMatchObject({
      kind: 'document',
      key: 'apple:HKCorrelationTypeIdentifierBloodPressure|Withings|2024-03-12T18:30:00Z',
      line: 141,
    });
    expect(bp?.data).toEqual({
      name: 'Blood pressure',
      code: { system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' },
      category: 'vital-signs',
      status: 'final',
      effective: '2024-03-12T18:30:00Z',
      components: [
        {
          name: 'Diastolic blood pressure',
          code: { system: 'http://loinc.org', code: '8462-4', display: 'Diastolic blood pressure' },
          value: 82,
          unit: 'mmHg',
          unitCode: 'mm[Hg]',
        },
        {
          name: 'Systolic blood pressure',
          code: { system: 'http://loinc.org', code: '8480-6', display: 'Systolic blood pressure' },
          value: 128,
          unit: 'mmHg',
          unitCode: 'mm[Hg]',
        },
      ],
      source: 'Withings',
    });
  });

  it('turns ActivitySummary rings into daily points spanning the local day (23 hours on 31 March)', async () => {
    const result = await runImporter(importer, exportXml);
    const energy = result.of('health.sample').filter((s) => s.type === 'ActivitySummaryActiveEnergyBurned');
    expect(energy).toEqual([
      {
        stream: 'ActivitySummaryActiveEnergyBurned|Apple Health activity summary',
        type: 'ActivitySummaryActiveEnergyBurned',
        source: 'Apple Health activity summary',
        t: '2024-03-29T23:00:00Z',
        end: '2024-03-30T23:00:00Z',
        value: 412.5,
        unit: 'kcal',
      },
      {
        stream: 'ActivitySummaryActiveEnergyBurned|Apple Health activity summary',
        type: 'ActivitySummaryActiveEnergyBurned',
        source: 'Apple Health activity summary',
        t: '2024-03-30T23:00:00Z',
        end: '2024-03-31T22:00:00Z',
        value: 98.1,
        unit: 'kcal',
      },
    ]);
    expect(result.of('health.sample').filter((s) => String(s.type).startsWith('ActivitySummary'))).toHaveLength(14);
  });

  it('warns with line numbers for a record with a broken date or a non-numeric value, and names what it leaves out', async () => {
    const result = await runImporter(importer, exportXml);
    expect(result.warnings).toEqual([
      {
        line: 127,
        message: 'the export’s profile (date of birth, sex, blood type) is not imported: Foyer keeps no copy of it.',
      },
      {
        line: 139,
        message:
          'the Record\'s startDate "2024-03-10 8:21:00 +0100x" is not a date Foyer can read: the record is skipped.',
      },
      { line: 140, message: 'the Record\'s value "soixante" is not a number: the record is skipped.' },
      { message: '1 ClinicalRecord element not imported (no catalog doctype yet).' },
    ]);
  });

  it('gives the same records when the same export is imported again', async () => {
    const a = await runImporter(importer, exportXml);
    const b = await runImporter(importer, exportXml);
    expect(b.records).toEqual(a.records);
  });

  it('reads iOS 16 exports: a malformed DTD and vertical tabs that XML forbids', async () => {
    const result = await runImporter(importer, fixture('apple-health-ios16.xml'));
    await expectCatalogValid(result.records);
    expect(result.of('health.sample')).toEqual([
      {
        stream: 'HKQuantityTypeIdentifierRestingHeartRate|Tom s Apple\u00a0Watch',
        type: 'HKQuantityTypeIdentifierRestingHeartRate',
        source: 'Tom s Apple\u00a0Watch',
        t: '2022-10-30T00:00:00Z',
        end: '2022-10-30T23:58:00Z',
        value: 54,
        unit: 'count/min',
      },
      // The same local time on either side of the autumn change: two instants.
      expect.objectContaining({ source: 'Tom’s iPhone', t: '2022-10-30T00:50:00Z', value: 120 }),
      expect.objectContaining({ source: 'Tom’s iPhone', t: '2022-10-30T01:50:00Z', value: 95 }),
    ]);
    expect(result.warnings).toEqual([
      { message: '1 VisionPrescription element not imported (no catalog doctype yet).' },
    ]);
  });

  it('reads 12-hour times (with a narrow no-break space), iOS 8 compact dates, decimal commas and old unit names', async () => {
    const result = await runImporter(importer, fixture('apple-health-12-hour.xml'));
    await expectCatalogValid(result.records);
    expect(result.of('health.sample').map((s) => [s.t, s.end, s.value, s.unit, s.source])).toEqual([
      ['2016-03-10T08:15:04Z', undefined, 58, 'count/min', 'Sam’s Apple Watch'],
      ['2016-03-11T04:15:00Z', '2016-03-11T04:29:00Z', 0.42, 'mi', 'Sam’s iPhone'],
      // iOS 8 wrote `source`, not `sourceName`, and compact dates.
      ['2015-06-16T14:18:20Z', undefined, 0.213, '%', 'Withings'],
    ]);
    expect(result.of('activity.workout')).toEqual([
      {
        activityType: 'walking',
        start: '2016-03-11T15:00:00Z',
        end: '2016-03-11T15:30:00Z',
        durationSeconds: 1800,
        distanceMetres: 2414.016,
        energyKcal: 119.503,
        source: 'Sam’s iPhone',
      },
    ]);
  });

  it('reads exports made with the Thai Buddhist calendar (years 543 ahead)', async () => {
    const result = await runImporter(importer, fixture('apple-health-thai-calendar.xml'));
    await expectCatalogValid(result.records);
    const [steps, ring] = result.of('health.sample');
    expect(steps).toMatchObject({
      t: '2024-03-10T01:50:00Z',
      end: '2024-03-10T01:59:00Z',
      value: 640,
      source: 'iPhone ของสมชาย',
    });
    expect(ring).toMatchObject({ type: 'ActivitySummaryActiveEnergyBurned', t: '2024-03-09T23:00:00Z', value: 300 });
  });

  it('reads a file with a UTF-8 byte order mark', async () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), exportXml]);
    const result = await runImporter(importer, withBom);
    expect(result.of('health.sample')[0]).toMatchObject({ source: 'Apple Watch de Léa', value: 62 });
  });
});

describe('Apple Health bad input', () => {
  it('refuses a truncated export, naming the file', async () => {
    const error = await importFailure(
      importer,
      exportXml.subarray(0, Math.floor(exportXml.length * 0.7)),
      'export.xml',
    );
    expect(error.message).toMatch(/^export\.xml, line \d+: /);
    expect(error.details.file).toBe('export.xml');
  });

  it('refuses XML that is not well-formed, naming the line', async () => {
    const error = await importFailure(
      importer,
      exportOf(
        `${heartRate('startDate="2024-03-10 08:15:04 +0100" endDate="2024-03-10 08:15:04 +0100" value="62"')}\n<Record type="x"</HealthData>`,
      ),
      'export.xml',
    );
    expect(error.details.line).toBe(128);
    expect(error.message).toContain('not well-formed XML');
  });

  it('refuses an export that declares entities, before expanding anything', async () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE HealthData [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><HealthData>&b;</HealthData>`;
    const error = await importFailure(importer, bomb);
    expect(error.message).toContain('entities');
  });

  it('refuses a file whose root is not HealthData', async () => {
    const error = await importFailure(importer, '<?xml version="1.0"?><Workouts><Workout/></Workouts>', 'w.xml');
    expect(error.message).toBe('w.xml: this is not an Apple Health export: its root element is not <HealthData>.');
  });

  it('refuses a record dated in year 1200 or 9999, naming the line', async () => {
    for (const year of ['1200', '9999']) {
      const body = heartRate(
        `startDate="${year}-03-10 08:15:04 +0100" endDate="${year}-03-10 08:15:04 +0100" value="62"`,
      );
      const error = await importFailure(importer, exportOf(body), 'export.xml');
      expect(error.message).toBe(
        `export.xml, line 127: the Record's startDate "${year}-03-10 08:15:04 +0100" is not a plausible date`,
      );
    }
  });

  it('refuses an absurd value (1e15) but skips a merely unusual one with a warning', async () => {
    const dates = 'startDate="2024-03-10 08:15:04 +0100" endDate="2024-03-10 08:15:04 +0100"';
    const error = await importFailure(importer, exportOf(heartRate(`${dates} value="1e15"`)), 'export.xml');
    expect(error.message).toBe('export.xml, line 127: the Record\'s value "1e15" is absurd');
    const result = await runImporter(importer, exportOf(heartRate(`${dates} value="NaN"`)));
    expect(result.records).toEqual([]);
    expect(result.warnings).toEqual([
      { line: 127, message: 'the Record\'s value "NaN" is not a number: the record is skipped.' },
    ]);
  });

  it('refuses an export in a calendar it cannot read (Japanese imperial years), saying how to export again', async () => {
    const error = await importFailure(importer, exportOf('', '0006-03-10 08:00:00 +0900'), 'export.xml');
    expect(error.message).toContain('is not in the Gregorian calendar');
    expect(error.details.line).toBe(126);
  });
});
