import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid } from '../../testing/importers.js';
import {
  expectIgnoresForeignFiles,
  fixture,
  fixtureText,
  imported,
  importedFixture,
  importFailure,
} from './energy-testing.js';
import { grdfJsonImporter } from './grdf-json.js';

const PCE = '21456789012345';
const adictLines = fixtureText('grdf-adict.ndjson').trim().split('\n');

describe('GRDF JSON detection', () => {
  it('recognises the customer-area and the ADICT shapes', async () => {
    expect(await detectionOf(grdfJsonImporter, fixture('grdf-espace-client.json'), 'x.txt')).toBe(0.95);
    expect(await detectionOf(grdfJsonImporter, fixture('grdf-adict.ndjson'), 'x.txt')).toBe(0.95);
  });

  it('leaves other importers’ files alone', async () => {
    await expectIgnoresForeignFiles(grdfJsonImporter);
  });
});

describe('GRDF JSON readings', () => {
  it('reads the customer area’s releves under their PCE, skipping a day without data', async () => {
    const { records, of, warnings } = await importedFixture(grdfJsonImporter, 'grdf-espace-client.json');
    expect(of('energy.gas.daily')).toEqual([
      { usagePointId: PCE, date: '2019-11-30', energyKwh: 75, volumeM3: 7, indexM3: 10380, conversionFactor: 11.12 },
      { usagePointId: PCE, date: '2019-12-01', energyKwh: 146, volumeM3: 13, indexM3: 10393, conversionFactor: 11.12 },
      {
        usagePointId: PCE,
        date: '2019-12-03',
        energyKwh: 151,
        volumeM3: 14,
        indexM3: 10422,
        conversionFactor: 11.17,
        quality: 'estimated',
      },
    ]);
    expect(warnings).toEqual([{ line: 42, message: 'GRDF has no data for 2019-12-02: skipped.' }]);
    await expectCatalogValid(records);
  });

  it('reads ADICT days from newline-delimited JSON, a gas day from its 06:00-06:00 period, and skips monthly totals', async () => {
    const { records, of, warnings } = await importedFixture(grdfJsonImporter, 'grdf-adict.ndjson');
    expect(of('energy.gas.daily')).toEqual([
      { usagePointId: PCE, date: '2024-10-26', energyKwh: 8, volumeM3: 1, indexM3: 1325, conversionFactor: 11.16 },
      { usagePointId: PCE, date: '2024-10-27', energyKwh: 19, volumeM3: 2, indexM3: 1327, conversionFactor: 11.16 },
      {
        usagePointId: PCE,
        date: '2024-10-28',
        energyKwh: 23,
        volumeM3: 2,
        indexM3: 1329,
        conversionFactor: 11.18,
        quality: 'estimated',
      },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3]);
    expect(warnings).toEqual([
      {
        line: 4,
        message:
          'the reading from 2024-10-01T06:00:00+02:00 to 2024-11-01T06:00:00+02:00 is not a single gas day: skipped.',
      },
    ]);
  });

  it('reads the same ADICT entries as a JSON array, numbers sent as strings included', async () => {
    const entries = adictLines.map((l) => JSON.parse(l) as { consommation: Record<string, unknown> });
    entries[0]!.consommation.energie = '8';
    const { of } = await imported(grdfJsonImporter, JSON.stringify(entries, null, 1));
    expect(of('energy.gas.daily').map((p) => [p.date, p.energyKwh])).toEqual([
      ['2024-10-26', 8],
      ['2024-10-27', 19],
      ['2024-10-28', 23],
    ]);
  });
});

describe('GRDF JSON bad input', () => {
  it('refuses truncated JSON, naming file and line', async () => {
    const text = fixtureText('grdf-espace-client.json');
    const e = await importFailure(
      grdfJsonImporter,
      text.slice(0, text.indexOf('"2019-12-03T06:00:00+00:00"')),
      'gaz.json',
    );
    expect(e.code).toBe('import_invalid');
    expect(e.message).toMatch(/^gaz\.json, line \d+: the JSON ends before it is complete \(truncated\?\)\.$/);
    const ndjson = await importFailure(
      grdfJsonImporter,
      `${adictLines[0]}\n${adictLines[1]!.slice(0, 200)}`,
      'adict.ndjson',
    );
    expect(ndjson.message).toBe('adict.ndjson, line 2: the JSON ends before it is complete (truncated?).');
  });

  it('refuses readings that name no meter, and absurd values', async () => {
    const noPce = await importFailure(
      grdfJsonImporter,
      adictLines[0]!.replace(`"id_pce": "${PCE}"`, '"id_pce": null'),
      'a.ndjson',
    );
    expect(noPce.message).toBe(
      'a.ndjson, line 1: the readings do not say which meter they come from (no 14-digit PCE).',
    );
    const huge = await importFailure(
      grdfJsonImporter,
      adictLines[1]!.replace('"energie": 19', '"energie": 1e15'),
      'a.ndjson',
    );
    expect(huge.message).toBe(
      'a.ndjson, line 1: the value 1000000000000000 is not plausible (more than 1000000 kWh in a day).',
    );
  });

  it('warns for a value that is not a number and for a gas day that is not a date', async () => {
    const text = [
      adictLines[0]!.replace('"energie": 8', '"energie": "huit"'),
      adictLines[1]!.replace('"journee_gaziere": "2024-10-27"', '"journee_gaziere": "demain"'),
      adictLines[2],
    ].join('\n');
    const { of, warnings } = await imported(grdfJsonImporter, text);
    expect(of('energy.gas.daily').map((p) => p.date)).toEqual(['2024-10-28']);
    expect(warnings).toEqual([
      { line: 1, message: 'the energy "huit" is not a number: reading skipped.' },
      { line: 2, message: 'the gas day "demain" is not a date: reading skipped.' },
    ]);
  });
});
