import { describe, expect, it } from 'vitest';
import { bankCsvImporter } from '../bank/bank-csv-importer.js';
import { detectionOf, expectCatalogValid } from '../../testing/importers.js';
import { enedisCsvImporter } from './enedis-csv.js';
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
const CSV_FIXTURES = fixturesNamed(/^enedis-.*\.csv$/);
const latin1 = (text: string) => Buffer.from(text, 'latin1');

/** The points around the autumn change, 27 October 2024: the 02:00-03:00 hour happens twice. */
const AUTUMN_AROUND_CHANGE = [
  { t: '2024-10-26T23:00:00Z', powerW: 324 },
  { t: '2024-10-26T23:30:00Z', powerW: 361 },
  { t: '2024-10-27T00:00:00Z', powerW: 398 },
  { t: '2024-10-27T00:30:00Z', powerW: 435 },
  { t: '2024-10-27T01:00:00Z', powerW: 472 },
  { t: '2024-10-27T01:30:00Z', powerW: 509 },
  { t: '2024-10-27T02:00:00Z', powerW: 546 },
].map((p) => ({ usagePointId: PRM, ...p }));

function expectHalfHourSteps(points: Record<string, unknown>[], first: string, count: number) {
  expect(points).toHaveLength(count);
  points.forEach((p, i) =>
    expect(p.t, `point ${i}`).toBe(new Date(Date.parse(first) + i * 1_800_000).toISOString().replace('.000Z', 'Z')),
  );
}

describe('Enedis CSV detection', () => {
  it('recognises every layout by its content', async () => {
    for (const name of CSV_FIXTURES)
      expect(await detectionOf(enedisCsvImporter, fixture(name), 'x.txt'), name).toBeGreaterThanOrEqual(0.9);
  });

  it('leaves other importers’ files, bank statements included, alone', async () => {
    await expectIgnoresForeignFiles(enedisCsvImporter);
  });

  it('does not look like a bank statement to the bank CSV importer', async () => {
    for (const name of CSV_FIXTURES) expect(await detectionOf(bankCsvImporter, fixture(name)), name).toBeLessThan(0.5);
  });
});

describe('Enedis CSV load curves', () => {
  it('puts each point at the START of its interval, through the 25-hour autumn day (offsets given)', async () => {
    const { of, warnings } = await importedFixture(enedisCsvImporter, 'enedis-load-curve-autumn.csv');
    const points = of('energy.electricity.load-curve');
    expectHalfHourSteps(points, '2024-10-26T22:00:00Z', 50);
    expect(points.slice(2, 9)).toEqual(AUTUMN_AROUND_CHANGE);
    expect(points[0]).toEqual({ usagePointId: PRM, t: '2024-10-26T22:00:00Z', powerW: 250 });
    expect(warnings).toEqual([]);
  });

  it('tells the repeated local hour apart by file order when times have no offset', async () => {
    const withOffsets = await importedFixture(enedisCsvImporter, 'enedis-load-curve-autumn.csv');
    const local = await importedFixture(enedisCsvImporter, 'enedis-load-curve-autumn-local.csv');
    expect(local.of('energy.electricity.load-curve')).toEqual(withOffsets.of('energy.electricity.load-curve'));
    expect(local.of('energy.electricity.load-curve').slice(2, 9)).toEqual(AUTUMN_AROUND_CHANGE);
  });

  it('gives the 23-hour spring day its 46 half-hours, reading a Latin-1 export of local times', async () => {
    const { records, of, warnings } = await importedFixture(enedisCsvImporter, 'enedis-load-curve-spring-local.csv');
    const points = of('energy.electricity.load-curve');
    expectHalfHourSteps(points, '2024-03-30T23:00:00Z', 46);
    // 01:30 is followed by 03:00 in the file: the interval 01:30-02:00 CET ends at 03:00 CEST.
    expect(points.slice(2, 5)).toEqual([
      { usagePointId: PRM, t: '2024-03-31T00:00:00Z', powerW: 324 },
      { usagePointId: PRM, t: '2024-03-31T00:30:00Z', powerW: 361 },
      { usagePointId: PRM, t: '2024-03-31T01:00:00Z', powerW: 398 },
    ]);
    expect(records[3]?.line).toBe(8);
    expect(warnings).toEqual([]);
  });

  it('skips a local time the spring change does not have, naming its line', async () => {
    const text = fixtureText('enedis-load-curve-spring-local.csv', 'latin1').replace(
      '2024-03-31 03:00:00;361',
      '2024-03-31 02:30:00;999\r\n2024-03-31 03:00:00;361',
    );
    const { of, warnings } = await imported(enedisCsvImporter, latin1(text));
    expect(of('energy.electricity.load-curve')).toHaveLength(46);
    expect(warnings).toEqual([
      {
        line: 8,
        message:
          'the local time "2024-03-31 02:30:00" does not exist in Europe/Paris (the clocks skip it in spring): line skipped.',
      },
    ]);
  });

  it('keeps the points on either side of a missing line exact', async () => {
    const text = fixtureText('enedis-load-curve-spring-local.csv', 'latin1').replace('2024-03-31 10:00:00;', 'gone;');
    const { of, warnings } = await imported(enedisCsvImporter, latin1(text.replace(/\r\ngone;\d+/, '')));
    const points = of('energy.electricity.load-curve');
    expect(points).toHaveLength(45);
    expect(points.map((p) => p.t)).not.toContain('2024-03-31T07:30:00Z');
    expect(points.find((p) => p.t === '2024-03-31T08:00:00Z')).toEqual({
      usagePointId: PRM,
      t: '2024-03-31T08:00:00Z',
      powerW: 916,
    });
    expect(warnings).toEqual([]);
  });

  it('reads a tab-separated re-export with a title line above the header', async () => {
    const tabbed = `Mes données Linky\r\n${fixtureText('enedis-load-curve-autumn.csv').replace(/;/g, '\t')}`;
    expect(await detectionOf(enedisCsvImporter, tabbed)).toBe(0.95);
    const { of } = await imported(enedisCsvImporter, tabbed);
    expect(of('energy.electricity.load-curve').slice(2, 9)).toEqual(AUTUMN_AROUND_CHANGE);
  });

  it('reports a long run of empty values as five warnings and a count', async () => {
    const text = fixtureText('enedis-load-curve-autumn.csv').replace(/(T0[4-7]:[03]0:00\+01:00;)\d+/g, '$1');
    const { of, warnings } = await imported(enedisCsvImporter, text);
    expect(of('energy.electricity.load-curve')).toHaveLength(42);
    expect(warnings.map((w) => w.line)).toEqual([14, 15, 16, 17, 18, 19]);
    expect(warnings[5]?.message).toBe('3 more lines from line 19 on were skipped for the same reason (no value).');
  });

  it('reads the same records from CR-only line ends', async () => {
    const crlf = await importedFixture(enedisCsvImporter, 'enedis-load-curve-autumn.csv');
    const cr = await imported(enedisCsvImporter, fixtureText('enedis-load-curve-autumn.csv').replace(/\r\n/g, '\r'));
    expect(cr.of('energy.electricity.load-curve')).toEqual(crlf.of('energy.electricity.load-curve'));
  });

  it('averages 10-minute steps into half-hours, flags the estimated one and skips the incomplete one', async () => {
    const { of, warnings } = await importedFixture(enedisCsvImporter, 'enedis-flat-10min.csv');
    expect(of('energy.electricity.load-curve')).toEqual([
      { usagePointId: PRM, t: '2024-01-15T17:00:00Z', powerW: 1500 },
      { usagePointId: PRM, t: '2024-01-15T17:30:00Z', powerW: 2400, quality: 'estimated' },
      { usagePointId: PRM, t: '2024-01-15T18:00:00Z', powerW: 950 },
    ]);
    expect(warnings).toEqual([
      {
        line: 11,
        message: 'the half-hour starting 2024-01-15T18:30:00Z is only partly measured (20 of 30 minutes): skipped.',
      },
    ]);
  });

  it('reads the older flat layout of local dates and times across the autumn change', async () => {
    const { of } = await importedFixture(enedisCsvImporter, 'enedis-flat-local.csv');
    expect(of('energy.electricity.load-curve').map((p) => `${String(p.t)} ${String(p.powerW)}`)).toEqual([
      '2024-10-26T23:00:00Z 250',
      '2024-10-26T23:30:00Z 287',
      '2024-10-27T00:00:00Z 324',
      '2024-10-27T00:30:00Z 361',
      '2024-10-27T01:00:00Z 398',
      '2024-10-27T01:30:00Z 435',
      '2024-10-27T02:00:00Z 472',
      '2024-10-27T02:30:00Z 509',
    ]);
  });
});

describe('Enedis CSV daily energy and maximum power', () => {
  it('converts daily Wh to kWh exactly and warns for an empty and a non-numeric value with their lines', async () => {
    const { of, warnings } = await importedFixture(enedisCsvImporter, 'enedis-daily.csv');
    expect(of('energy.electricity.daily')).toEqual([
      { usagePointId: PRM, date: '2024-03-29', energyKwh: 11.776 },
      { usagePointId: PRM, date: '2024-03-30', energyKwh: 14.401 },
      { usagePointId: PRM, date: '2024-03-31', energyKwh: 12.82 },
      { usagePointId: PRM, date: '2024-04-03', energyKwh: 9.345 },
    ]);
    expect(warnings).toEqual([
      { line: 8, message: 'no value for 2024-04-01T00:00:00+02:00: nothing imported for it.' },
      { line: 9, message: 'the value "n/a" is not a number: line skipped.' },
    ]);
  });

  it('dates maximum powers by their Paris day and keeps the instant they were reached', async () => {
    const { of } = await importedFixture(enedisCsvImporter, 'enedis-max-power.csv');
    expect(of('energy.electricity.max-power')).toEqual([
      { usagePointId: PRM, date: '2024-10-26', maxPowerVa: 6120, at: '2024-10-26T17:12:40Z' },
      { usagePointId: PRM, date: '2024-10-27', maxPowerVa: 3870, at: '2024-10-27T01:41:05Z' },
      { usagePointId: PRM, date: '2024-10-28', maxPowerVa: 5210 },
    ]);
  });

  it('reads the stacked blocks of the historic export: index skipped, maximum powers kept', async () => {
    const { records, of, warnings } = await importedFixture(enedisCsvImporter, 'enedis-history.csv');
    expect(records.every((r) => r.doctype === 'energy.electricity.max-power')).toBe(true);
    expect(of('energy.electricity.max-power')).toEqual([
      { usagePointId: PRM, date: '2024-09-01', maxPowerVa: 3695, at: '2024-09-01T13:17:24Z' },
      { usagePointId: PRM, date: '2024-09-02', maxPowerVa: 2345, at: '2024-09-01T23:34:50Z' },
      { usagePointId: PRM, date: '2024-09-03', maxPowerVa: 4012, at: '2024-09-03T18:05:11Z' },
    ]);
    expect(warnings).toEqual([
      {
        line: 2,
        message: `this block holds meter index readings (registers, not consumption) for meter ${PRM}: Foyer does not import it.`,
      },
    ]);
  });

  it('yields only records the catalog accepts, for every fixture', async () => {
    for (const name of CSV_FIXTURES) {
      const { records } = await importedFixture(enedisCsvImporter, name);
      expect(records.length, name).toBeGreaterThan(0);
      await expectCatalogValid(records);
    }
  });
});

describe('Enedis CSV bad input', () => {
  const daily = fixtureText('enedis-daily.csv');

  it('refuses a power no home meter can draw (10 GW), naming file and line', async () => {
    const e = await importFailure(
      enedisCsvImporter,
      fixtureText('enedis-load-curve-autumn.csv').replace(';324\r\n', ';10000000000\r\n'),
      'courbe.csv',
    );
    expect(e.code).toBe('import_invalid');
    expect(e.message).toBe(
      'courbe.csv, line 7: the value 10000000000 W is not plausible for a meter (more than 1 MW).',
    );
  });

  it('refuses absurd dates and negative consumption', async () => {
    const future = await importFailure(
      enedisCsvImporter,
      daily.replace('2024-03-30T00:00:00+01:00', '9999-03-30T00:00:00+01:00'),
      'd.csv',
    );
    expect(future.message).toBe('d.csv, line 6: the date "9999-03-30T00:00:00+01:00" is not plausible.');
    const past = await importFailure(
      enedisCsvImporter,
      daily.replace('2024-03-30T00:00:00+01:00', '1200-03-30T00:00:00+01:00'),
      'd.csv',
    );
    expect(past.message).toMatch(/^d\.csv, line 6: the date "1200-03-30/);
    const negative = await importFailure(enedisCsvImporter, daily.replace(';14401', ';-14401'), 'd.csv');
    expect(negative.message).toBe('d.csv, line 6: the value -14401 Wh is negative, which a consumption cannot be.');
  });

  it('warns for an unreadable timestamp and goes on', async () => {
    const { of, warnings } = await imported(
      enedisCsvImporter,
      daily.replace('2024-03-30T00:00:00+01:00', '30 mars 2024'),
    );
    expect(of('energy.electricity.daily')).toHaveLength(3);
    expect(warnings[0]).toEqual({ line: 6, message: 'the date "30 mars 2024" is not a date: line skipped.' });
  });

  it('refuses a meter id that is not a PRM and a unit it does not know', async () => {
    const id = await importFailure(enedisCsvImporter, daily.replace(PRM, '091234567890'), 'd.csv');
    expect(id.message).toBe('d.csv, line 2: the meter id "091234567890" is not a 14-digit PRM.');
    const unit = await importFailure(enedisCsvImporter, daily.replace(';Wh\r\n', ';BTU\r\n'), 'd.csv');
    expect(unit.message).toBe('d.csv, line 2: the unit "BTU" is not one Foyer knows for daily energy.');
  });

  it('gives back the leading zero a spreadsheet took from the PRM, and says so', async () => {
    const { of, warnings } = await imported(enedisCsvImporter, daily.replace(PRM, PRM.slice(1)));
    expect(of('energy.electricity.daily').map((p) => p.usagePointId)).toEqual([PRM, PRM, PRM, PRM]);
    expect(warnings[0]).toEqual({
      line: 2,
      message: `the meter id ${PRM.slice(1)} has 13 digits (a spreadsheet dropped its leading zero?): read as ${PRM}.`,
    });
  });

  it('refuses a file cut before its measures and a file of another format', async () => {
    const truncated = await importFailure(enedisCsvImporter, daily.slice(0, daily.indexOf('Horodate') - 4), 'd.csv');
    expect(truncated.message).toBe('d.csv: the file ends before any measure (truncated?).');
    const bank = await importFailure(
      enedisCsvImporter,
      'Date;Libellé;Montant\n12/03/2024;CB EDF;-61,83\n',
      'releve.csv',
    );
    expect(bank.message).toBe('releve.csv: no Enedis measures found (no "Identifiant PRM" header).');
  });

  it('reads the same file in UTF-8 with a BOM and in Latin-1', async () => {
    const utf8 = await imported(enedisCsvImporter, `\uFEFF${fixtureText('enedis-history.csv', 'latin1')}`);
    const cp1252 = await importedFixture(enedisCsvImporter, 'enedis-history.csv');
    expect(utf8.records).toEqual(cp1252.records);
  });
});
