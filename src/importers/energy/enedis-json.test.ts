import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid } from '../../testing/importers.js';
import { enedisCsvImporter } from './enedis-csv.js';
import { enedisJsonImporter } from './enedis-json.js';
import {
  expectIgnoresForeignFiles,
  fixture,
  fixtureText,
  fixturesNamed,
  imported,
  importedFixture,
  importFailure,
} from './energy-testing.js';

const PRM = '09123456789012';
const JSON_FIXTURES = fixturesNamed(/^enedis-.*\.json$/);

function response(readingType: object, readings: object[], usagePointId: string | null = PRM): string {
  return JSON.stringify(
    {
      meter_reading: {
        ...(usagePointId ? { usage_point_id: usagePointId } : {}),
        start: '2024-10-27',
        end: '2024-10-28',
        quality: 'BRUT',
        reading_type: readingType,
        interval_reading: readings,
      },
    },
    null,
    2,
  );
}
const CURVE = { measurement_kind: 'power', unit: 'W', aggregate: 'average' };

describe('Enedis API JSON detection', () => {
  it('recognises metering responses by their content', async () => {
    for (const name of JSON_FIXTURES)
      expect(await detectionOf(enedisJsonImporter, fixture(name), 'x.txt'), name).toBe(0.95);
  });

  it('leaves other importers’ files alone', async () => {
    await expectIgnoresForeignFiles(enedisJsonImporter);
  });
});

describe('Enedis API JSON readings', () => {
  it('shifts load curve dates (interval ENDs, local time) to interval starts through the 25-hour autumn day', async () => {
    const json = await importedFixture(enedisJsonImporter, 'enedis-load-curve-autumn.json');
    const csv = await importedFixture(enedisCsvImporter, 'enedis-load-curve-autumn.csv');
    const points = json.of('energy.electricity.load-curve');
    expect(points).toHaveLength(50);
    expect(points).toEqual(csv.of('energy.electricity.load-curve'));
    expect(points.slice(3, 8)).toEqual([
      { usagePointId: PRM, t: '2024-10-26T23:30:00Z', powerW: 361 },
      { usagePointId: PRM, t: '2024-10-27T00:00:00Z', powerW: 398 },
      { usagePointId: PRM, t: '2024-10-27T00:30:00Z', powerW: 435 },
      { usagePointId: PRM, t: '2024-10-27T01:00:00Z', powerW: 472 },
      { usagePointId: PRM, t: '2024-10-27T01:30:00Z', powerW: 509 },
    ]);
    // "2024-10-27 02:00:00" appears twice: lines 31 and 43 of the file.
    expect(json.records.filter((r) => [31, 43].includes(r.line ?? 0)).map((r) => r.data.t)).toEqual([
      '2024-10-26T23:30:00Z',
      '2024-10-27T00:30:00Z',
    ]);
  });

  it('takes the step from measuring_period when readings have no interval_length (46 half-hours in spring)', async () => {
    const { of } = await importedFixture(enedisJsonImporter, 'enedis-load-curve-spring.json');
    const points = of('energy.electricity.load-curve');
    expect(points).toHaveLength(46);
    expect(points.slice(2, 5)).toEqual([
      { usagePointId: PRM, t: '2024-03-31T00:00:00Z', powerW: 324 },
      { usagePointId: PRM, t: '2024-03-31T00:30:00Z', powerW: 361 },
      { usagePointId: PRM, t: '2024-03-31T01:00:00Z', powerW: 398 },
    ]);
    expect(points[45]).toEqual({ usagePointId: PRM, t: '2024-03-31T21:30:00Z', powerW: 1015 });
  });

  it('reads a response without wrapper whose keys are sorted (readings before the meter id)', async () => {
    const { of, warnings } = await importedFixture(enedisJsonImporter, 'enedis-daily-sorted.json');
    expect(of('energy.electricity.daily')).toEqual([
      { usagePointId: PRM, date: '2024-03-29', energyKwh: 11.776 },
      { usagePointId: PRM, date: '2024-03-30', energyKwh: 14.401 },
      { usagePointId: PRM, date: '2024-03-31', energyKwh: 12.82 },
      { usagePointId: PRM, date: '2024-04-02', energyKwh: 9.345 },
    ]);
    expect(warnings).toEqual([{ line: 16, message: 'no value for 2024-04-01: nothing imported for it.' }]);
  });

  it('dates maximum powers by the local day written, the first pass of a repeated hour by default', async () => {
    const { of } = await importedFixture(enedisJsonImporter, 'enedis-max-power.json');
    expect(of('energy.electricity.max-power')).toEqual([
      { usagePointId: PRM, date: '2024-10-26', maxPowerVa: 6120, at: '2024-10-26T17:12:40Z' },
      { usagePointId: PRM, date: '2024-10-27', maxPowerVa: 3870, at: '2024-10-27T00:41:05Z' },
      { usagePointId: PRM, date: '2024-10-28', maxPowerVa: 5210 },
    ]);
  });

  it('reads an array of responses, newer instants with Z, string "null" values and 15-minute steps', async () => {
    const text = JSON.stringify([
      JSON.parse(
        response({ ...CURVE, unit: 'kW' }, [
          { value: '0.4', date: '2025-01-10T08:15:00.000Z', interval_length: 'PT15M' },
          { value: '0.452', date: '2025-01-10T08:30:00.000Z', interval_length: 'PT15M', measure_type: 'E' },
          { value: 'null', date: '2025-01-10T08:45:00.000Z', interval_length: 'PT15M' },
        ]),
      ),
      JSON.parse(
        response(
          { measurement_kind: 'power', unit: ['VA'], aggregate: 'maximum' },
          [{ value: '9656', date: '2025-01-10T04:12:00.000Z' }],
          '09123456789013',
        ),
      ),
    ]);
    const { of } = await imported(enedisJsonImporter, text);
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: PRM, t: '2025-01-10T08:00:00Z', powerW: 426, quality: 'estimated' },
    ]);
    expect(of('energy.electricity.max-power')).toEqual([
      { usagePointId: '09123456789013', date: '2025-01-10', maxPowerVa: 9656, at: '2025-01-10T04:12:00Z' },
    ]);
  });

  it('yields only records the catalog accepts, for every fixture', async () => {
    for (const name of JSON_FIXTURES) {
      const { records } = await importedFixture(enedisJsonImporter, name);
      expect(records.length, name).toBeGreaterThan(0);
      await expectCatalogValid(records);
    }
  });
});

describe('Enedis API JSON bad input', () => {
  it('refuses truncated JSON, naming file and line', async () => {
    const text = fixtureText('enedis-load-curve-autumn.json');
    const e = await importFailure(enedisJsonImporter, text.slice(0, text.indexOf('"2024-10-27 05:00:00"')), 'clc.json');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toBe('clc.json, line 81: the JSON ends before it is complete (truncated?).');
  });

  it('warns for a value that is not a number, with its line', async () => {
    const { of, warnings } = await imported(
      enedisJsonImporter,
      response(CURVE, [
        { value: '540', date: '2024-01-15 18:30:00', interval_length: 'PT30M' },
        { value: 'abc', date: '2024-01-15 19:00:00', interval_length: 'PT30M' },
      ]),
    );
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: PRM, t: '2024-01-15T17:00:00Z', powerW: 540 },
    ]);
    expect(warnings).toEqual([{ line: 18, message: 'the value "abc" is not a number: reading skipped.' }]);
  });

  it('refuses an absurd power, an absurd date, readings of no meter and readings of unknown type', async () => {
    const power = await importFailure(
      enedisJsonImporter,
      response(CURVE, [{ value: '10000000000', date: '2024-01-15 18:30:00', interval_length: 'PT30M' }]),
      'a.json',
    );
    expect(power.message).toBe(
      'a.json, line 13: the value 10000000000 W is not plausible for a meter (more than 1 MW).',
    );
    const date = await importFailure(
      enedisJsonImporter,
      response(CURVE, [{ value: '1', date: '9999-01-15 18:30:00' }]),
      'a.json',
    );
    expect(date.message).toBe('a.json, line 13: the date "9999-01-15 18:30:00" is not plausible.');
    const meter = await importFailure(
      enedisJsonImporter,
      response(CURVE, [{ value: '1', date: '2024-01-15 18:30:00' }], null),
      'a.json',
    );
    expect(meter.message).toBe(
      'a.json, line 12: the readings do not say which meter they come from (no "usage_point_id").',
    );
    const kind = await importFailure(
      enedisJsonImporter,
      response({ measurement_kind: 'voltage', unit: 'V' }, [{ value: '230', date: '2024-01-15' }]),
      'a.json',
    );
    expect(kind.message).toMatch(
      /^a\.json, line 12: the readings' type .* is not a load curve, daily energy or maximum power\.$/,
    );
  });

  it('warns for a local time that does not exist (spring change) and imports the rest', async () => {
    const { of, warnings } = await imported(
      enedisJsonImporter,
      response(CURVE, [
        { value: '500', date: '2024-03-31 02:30:00', interval_length: 'PT30M' },
        { value: '361', date: '2024-03-31 03:00:00', interval_length: 'PT30M' },
      ]),
    );
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: PRM, t: '2024-03-31T00:30:00Z', powerW: 361 },
    ]);
    expect(warnings[0]).toEqual({
      line: 13,
      message:
        'the local time "2024-03-31 02:30:00" does not exist in Europe/Paris (the clocks skip it in spring): line skipped.',
    });
  });
});
