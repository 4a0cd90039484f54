import { describe, expect, it } from 'vitest';
import type { ImportOptions } from '../importer.js';
import { sourceFromBytes } from '../source/import-source.js';
import { qifConventions } from './qif-conventions.js';

async function conventions(text: string, options: ImportOptions = {}) {
  const source = await sourceFromBytes('f.qif', text);
  return qifConventions(source, { warn: () => undefined, options, timeZone: 'Europe/Paris', now: Date.now() });
}

const bank = (...records: [date: string, amount: string][]) =>
  `!Type:Bank\n${records.map(([d, t]) => `D${d}\nT${t}\nPx\n^\n`).join('')}`;

describe('QIF conventions', () => {
  it('takes the date order from any date that proves it', async () => {
    expect(await conventions(bank(['01/02/2004', '-1.00'], ['25/02/2004', '-2.00']))).toEqual({
      dateOrder: 'DMY',
      decimalMark: '.',
      dateOrderFrom: 'file',
    });
    expect(await conventions(bank(['01/02/2004', '-1,00'], ['02/25/2004', '-2,00']))).toMatchObject({
      dateOrder: 'MDY',
      decimalMark: ',',
    });
  });

  it('guesses day first for a comma-decimal file and month first otherwise, with a warning', async () => {
    const comma = await conventions(bank(['01/02/2004', '-1 234,50']));
    expect(comma).toMatchObject({ dateOrder: 'DMY', decimalMark: ',', dateOrderFrom: 'guess' });
    expect(comma.warning?.message).toBe(
      'no date shows whether the day or the month comes first: read as day/month/year since amounts use a decimal comma; choose the order in the preview if that is wrong.',
    );
    expect(await conventions(bank(['01/02/2004', '-1,234.50']))).toMatchObject({ dateOrder: 'MDY', decimalMark: '.' });
  });

  it('follows the order the person chose, without a warning', async () => {
    const chosen = await conventions(bank(['01/02/2004', '-1.00']), { dateOrder: 'DMY' });
    expect(chosen).toEqual({ dateOrder: 'DMY', decimalMark: '.', dateOrderFrom: 'options' });
  });

  it('refuses a file whose dates disagree, naming both lines', async () => {
    await expect(conventions(bank(['13/01/2004', '-1.00'], ['01/13/2004', '-2.00']))).rejects.toMatchObject({
      code: 'import_invalid',
      message:
        'f.qif, line 6: the date "01/13/2004" can only be month-first, but "13/01/2004" at line 2 can only be day-first: the dates disagree.',
    });
  });

  it('reads evidence only where dates and amounts are: account descriptions and category lists say nothing', async () => {
    const text =
      '!Account\nNChecking\nD13 rue de Paris\nTBank\n^\n!Type:Cat\nNFood\nD25/12 gifts\n^\n' +
      bank(['01/02/2004', '-1,234']);
    expect(await conventions(text)).toMatchObject({ dateOrderFrom: 'guess', decimalMark: '.' });
  });
});
