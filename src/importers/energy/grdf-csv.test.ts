import { describe, expect, it } from 'vitest';
import { bankCsvImporter } from '../bank/bank-csv-importer.js';
import { detectionOf, expectCatalogValid } from '../../testing/importers.js';
import {
  expectIgnoresForeignFiles,
  fixture,
  fixtureText,
  imported,
  importedFixture,
  importFailure,
} from './energy-testing.js';
import { grdfCsvImporter } from './grdf-csv.js';

const PCE = '21456789012345';
const sheet = fixtureText('grdf-daily.csv', 'latin1');
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('GRDF CSV detection', () => {
  it('recognises the exported spreadsheet by its columns', async () => {
    expect(await detectionOf(grdfCsvImporter, fixture('grdf-daily.csv'), 'x.txt')).toBe(0.9);
  });

  it('leaves other importers’ files alone, and the bank CSV importer leaves it', async () => {
    await expectIgnoresForeignFiles(grdfCsvImporter);
    expect(await detectionOf(bankCsvImporter, fixture('grdf-daily.csv'))).toBeLessThan(0.9);
  });
});

describe('GRDF CSV readings', () => {
  it('reads each gas day with its volume, end index and coefficient, decimal commas and Latin-1', async () => {
    const { records, of, warnings } = await importedFixture(grdfCsvImporter, 'grdf-daily.csv');
    expect(of('energy.gas.daily')).toEqual([
      {
        usagePointId: PCE,
        date: '2024-03-29',
        energyKwh: 61.83,
        volumeM3: 5.51,
        indexM3: 18437.78,
        conversionFactor: 11.22,
      },
      {
        usagePointId: PCE,
        date: '2024-03-30',
        energyKwh: 66.2,
        volumeM3: 5.9,
        indexM3: 18443.68,
        conversionFactor: 11.22,
      },
      {
        usagePointId: PCE,
        date: '2024-03-31',
        energyKwh: 58.79,
        volumeM3: 5.24,
        indexM3: 18448.92,
        conversionFactor: 11.22,
        quality: 'estimated',
      },
      {
        usagePointId: PCE,
        date: '2024-04-03',
        energyKwh: 43.9,
        volumeM3: 3.92,
        indexM3: 18457.02,
        conversionFactor: 11.2,
      },
    ]);
    expect(records.map((r) => r.line)).toEqual([6, 7, 8, 11]);
    expect(warnings).toEqual([
      { line: 9, message: 'GRDF has no data for 2024-04-01 ("Absence de données"): skipped.' },
      { line: 10, message: 'the value "4x,9" is not a number: line skipped.' },
    ]);
    await expectCatalogValid(records);
  });

  it('takes the meter from a PCE column, reads commas as separators and computes a missing energy', async () => {
    const text = [
      'N° PCE,Journée gazière,Volume brut (m3),Energie (kWh),Coefficient de conversion',
      `${PCE},2024-01-15,"5,51",,"11,22"`,
      `${PCE},2024-01-16,"5,9","66,2","11,22"`,
    ].join('\n');
    const { of } = await imported(grdfCsvImporter, text);
    expect(of('energy.gas.daily')).toEqual([
      { usagePointId: PCE, date: '2024-01-15', energyKwh: 61.822, volumeM3: 5.51, conversionFactor: 11.22 },
      { usagePointId: PCE, date: '2024-01-16', energyKwh: 66.2, volumeM3: 5.9, conversionFactor: 11.22 },
    ]);
  });

  it('converts an energy column in MWh', async () => {
    const text = `PCE;${PCE}\nDate de relevé;Volume consommé (m3);Energie consommée (MWh)\n15/01/2024;5,51;0,06183\n`;
    const { of } = await imported(grdfCsvImporter, text);
    expect(of('energy.gas.daily')).toEqual([
      { usagePointId: PCE, date: '2024-01-15', energyKwh: 61.83, volumeM3: 5.51 },
    ]);
  });
});

describe('GRDF CSV bad input', () => {
  it('refuses a file that does not say which meter it is, naming the line', async () => {
    const e = await importFailure(grdfCsvImporter, latin1(sheet.replace(`;PCE : ${PCE};`, ';Compteur;')), 'gaz.csv');
    expect(e.code).toBe('import_invalid');
    expect(e.message).toBe('gaz.csv, line 6: the file does not say which meter it is (no 14-digit PCE).');
  });

  it('refuses absurd energies, coefficients and dates', async () => {
    const energy = await importFailure(grdfCsvImporter, latin1(sheet.replace(';66,2;', ';6620000000;')), 'gaz.csv');
    expect(energy.message).toBe(
      'gaz.csv, line 7: the value 6620000000 is not plausible (more than 1000000 kWh in a day).',
    );
    const factor = await importFailure(
      grdfCsvImporter,
      latin1(sheet.replace(';61,83;11,22;', ';61,83;112,2;')),
      'gaz.csv',
    );
    expect(factor.message).toBe(
      'gaz.csv, line 6: the value 112.2 is not plausible (more than 20 kWh per m³ as a conversion coefficient).',
    );
    const date = await importFailure(grdfCsvImporter, latin1(sheet.replace(';30/03/2024;', ';30/03/9999;')), 'gaz.csv');
    expect(date.message).toBe('gaz.csv, line 7: the date 9999-03-30 is not plausible.');
    const negative = await importFailure(grdfCsvImporter, latin1(sheet.replace(';5,9;', ';-5,9;')), 'gaz.csv');
    expect(negative.message).toBe('gaz.csv, line 7: the value -5.9 is negative, which a gas reading cannot be.');
  });

  it('warns for an unreadable date and goes on', async () => {
    const { of, warnings } = await imported(grdfCsvImporter, latin1(sheet.replace(';30/03/2024;', ';30 mars;')));
    expect(of('energy.gas.daily')).toHaveLength(3);
    expect(warnings[0]).toEqual({ line: 7, message: 'the date "30 mars" is not a date: line skipped.' });
  });

  it('refuses a file without the header line (cut short, or another format)', async () => {
    const cut = await importFailure(
      grdfCsvImporter,
      latin1(sheet.slice(0, sheet.indexOf(';Date de relev'))),
      'gaz.csv',
    );
    expect(cut.message).toBe('gaz.csv: no GRDF header line found (a "Date de relevé" and an "Energie" column).');
  });
});
