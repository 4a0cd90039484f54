import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportOptions, ImportRecord } from '../importer.js';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { sourceFromBytes } from '../source/import-source.js';
import { qifImporter } from './qif-importer.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const US = 'qif-bank-us-quicken.qif';
const FR = 'qif-ccard-fr.qif';
const ACCOUNTS = 'qif-accounts-autoswitch.qif';
const AMBIGUOUS = 'qif-ambiguous-dates.qif';
const keyOf = (record: ImportRecord) => (record.kind === 'document' ? record.key : undefined);

async function rejection(text: string | Uint8Array, options: ImportOptions = {}) {
  try {
    await runImporter(qifImporter, text, { name: 'comptes.qif', options });
  } catch (e) {
    return e as { code: string; message: string; details: { file: string; line?: number } };
  }
  throw new Error('expected the import to fail');
}

describe('QIF detection', () => {
  it('recognises a file by its first header', async () => {
    expect(await detectionOf(qifImporter, fixture(US))).toBe(0.95);
    expect(await detectionOf(qifImporter, fixture(ACCOUNTS))).toBe(0.9);
    expect(await detectionOf(qifImporter, '\uFEFF\r\n!type:CCard \r\nD1/5/04\r\n')).toBe(0.95);
    expect(await detectionOf(qifImporter, '!Account\nNChecking\n')).toBe(0.9);
    expect(await detectionOf(qifImporter, '!Type:Unheard\n')).toBe(0.6);
  });

  it('does not claim other formats', async () => {
    const others = [
      fixture('ofx-102-sgml-fr.ofx'),
      fixture('camt053-v02-two-statements.xml'),
      'Date;Libellé;Montant\n12/03/2024;CB;-12,50\n',
      '{"a":1}',
      'D1/5/04\nT-1.00\n^\n',
      '! not a header\n',
      'Hello !Type:Bank\n',
    ];
    for (const other of others) expect(await detectionOf(qifImporter, other)).toBe(0);
  });
});

describe('QIF import', () => {
  it('reads a Quicken bank export: apostrophe years, grouped amounts, splits, cleared flags, transfers', async () => {
    const result = await runImporter(qifImporter, fixture(US), { name: US });
    expect(result.warnings).toEqual([]);
    await expectCatalogValid(result.records);
    const [rent, pay, groceries, atm, transfer, coffee1, coffee2, account] = result.records;
    expect(rent).toEqual({
      kind: 'document',
      doctype: 'bank.transaction',
      key: 'fp1:default|2003-12-28|-123456|LANDLORD PROPERTIES|0',
      line: 2,
      data: {
        date: '2003-12-27T23:00:00Z',
        label: 'Landlord Properties LLC - January rent',
        amount: -1234.56,
        currency: 'EUR',
        accountId: 'default',
        type: 'check',
        reference: '1001',
        category: 'Housing:Rent',
        checked: true,
      },
    });
    expect(pay!.data).toMatchObject({
      date: '2004-01-04T23:00:00Z',
      amount: 2500,
      type: 'deposit',
      category: 'Salary',
    });
    expect(groceries!.data).toMatchObject({
      label: 'Safeway #1234 - Groceries and household',
      amount: -84.37,
      extra: {
        splits: [
          { category: 'Food:Groceries', memo: 'Food', amount: -62.12 },
          { category: 'Household', memo: 'Soap & paper', amount: -22.25 },
        ],
      },
    });
    expect(atm!.data).toMatchObject({ type: 'withdrawal', amount: -200, category: 'Cash' });
    expect(transfer!.data).toMatchObject({ type: 'transfer', extra: { transferAccount: 'Savings' } });
    expect(transfer!.data).not.toHaveProperty('category');
    // Two identical coffees on one day stay two operations.
    expect([keyOf(coffee1!), keyOf(coffee2!)]).toEqual([
      'fp1:default|2004-01-12|-450|COFFEE SHOP|0',
      'fp1:default|2004-01-12|-450|COFFEE SHOP|1',
    ]);
    expect(coffee1!.data).toMatchObject({ category: 'Dining', extra: { qifClass: 'Personal' } });
    expect(account).toEqual({
      kind: 'document',
      doctype: 'bank.account',
      key: 'account:default',
      data: { accountId: 'default', vendor: 'Unknown bank', label: 'default', type: 'checking', currency: 'EUR' },
    });
  });

  it('reads a French card export in Windows-1252: day-first dates, decimal commas, spaces in amounts', async () => {
    const result = await runImporter(qifImporter, fixture(FR), { name: FR });
    expect(result.warnings).toEqual([]);
    await expectCatalogValid(result.records);
    expect(result.of('bank.transaction').map((d) => [d.date, d.amount, d.label, d.type])).toEqual([
      ['2004-01-04T23:00:00Z', -1234.56, 'FNAC PARIS - Téléviseur', 'card'],
      ['2004-01-12T23:00:00Z', -45.9, 'SNCF - Billet Paris-Lyon', 'card'],
      ['2004-01-19T23:00:00Z', 1234.56, 'Remboursement carte', undefined],
      ['2004-01-30T23:00:00Z', -1234, 'Électricité Générale', 'card'],
    ]);
    expect(result.of('bank.account')).toEqual([expect.objectContaining({ accountId: 'default', type: 'card' })]);
  });

  it('files operations under their !Account, lists accounts with AutoSwitch, skips lists and investments', async () => {
    const result = await runImporter(qifImporter, fixture(ACCOUNTS), { name: ACCOUNTS });
    await expectCatalogValid(result.records);
    expect(result.warnings).toEqual([
      { line: 19, message: 'the section "!Type:Cat" is skipped: it lists no bank operations.' },
      { line: 54, message: 'the section "!Type:Invst" is skipped: investment operations are not imported.' },
    ]);
    expect(result.of('bank.transaction').map((d) => [d.accountId, d.label, d.amount])).toEqual([
      ['Compte courant', 'Boulangerie', -45],
      ['Compte courant', 'Virement salaire', 1500],
      ['Carte Visa', 'Abonnement musique', -19.99],
      ['Porte-monnaie', 'Journal', -3.2],
    ]);
    expect(result.of('bank.account').map((d) => [d.accountId, d.type])).toEqual([
      ['Compte courant', 'checking'],
      ['Livret A', 'checking'],
      ['Carte Visa', 'card'],
      ['PEA', 'securities'],
      ['Porte-monnaie', 'other'],
    ]);
    // The balance line's date (03/15/2004) is what makes the file month-first.
    expect(result.of('bank.account')[0]).toMatchObject({
      balance: 1523.48,
      balanceDate: '2004-03-15T22:59:59Z',
      extra: { description: 'Compte joint' },
    });
  });

  it('reads many date shapes in one file, guesses the order with a warning, or takes the chosen one', async () => {
    const guessed = await runImporter(qifImporter, fixture(AMBIGUOUS));
    expect(guessed.of('bank.transaction').map((d) => [d.date, d.amount])).toEqual([
      ['2004-01-04T23:00:00Z', -10],
      ['2004-01-04T23:00:00Z', -7.5],
      ['2004-01-05T23:00:00Z', -1234],
      ['2004-02-02T23:00:00Z', 12],
    ]);
    expect(guessed.warnings).toEqual([
      {
        message:
          'no date shows whether the day or the month comes first: read as month/day/year; choose the order in the preview if that is wrong.',
      },
    ]);
    const chosen = await runImporter(qifImporter, fixture(AMBIGUOUS), { options: { dateOrder: 'DMY' } });
    expect(chosen.warnings).toEqual([]);
    expect(chosen.of('bank.transaction').map((d) => d.date)).toEqual([
      '2004-04-30T22:00:00Z',
      '2004-04-30T22:00:00Z',
      '2004-05-31T22:00:00Z',
      '2004-03-01T23:00:00Z',
    ]);
  });

  it('files unnamed operations under the chosen account without writing that account', async () => {
    const result = await runImporter(qifImporter, fixture(US), {
      options: { accountId: 'FR7630006000011234567890189' },
    });
    expect(result.of('bank.transaction')[0]).toMatchObject({ accountId: 'FR7630006000011234567890189' });
    expect(result.of('bank.account')).toEqual([]);
    expect(keyOf(result.records[0]!)).toBe('fp1:FR7630006000011234567890189|2003-12-28|-123456|LANDLORD PROPERTIES|0');
  });

  it('reads UTF-16, old Mac line ends and indented lines the same', async () => {
    const plain = await runImporter(qifImporter, fixture(US));
    const text = fixture(US).toString('utf8');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await runImporter(qifImporter, utf16)).records).toEqual(plain.records);
    const mac = await runImporter(qifImporter, text.replace(/\r\n/g, '\r'));
    expect(mac.records).toEqual(plain.records);
    const indented = await runImporter(qifImporter, text.replace(/(^|\n)/g, '$1  '));
    expect(indented.records).toEqual(plain.records);
  });

  it('warns about what it reads doubtfully, with line numbers', async () => {
    const text = [
      '!Type:Bank',
      'D01/02/2004',
      'T-10.00',
      'U-11.00',
      'PShop',
      'S Food',
      '$-4.00',
      'S Home',
      '$-5.00',
      '!Type:Bank',
      'D01/03/2004',
      'T-1.00',
      'PX',
      '^',
      '!Frobnicate',
    ].join('\n');
    const result = await runImporter(qifImporter, text, { options: { dateOrder: 'MDY' } });
    await expectCatalogValid(result.records);
    expect(result.warnings).toEqual([
      { line: 10, message: 'the record started at line 2 is not ended by "^" before this header: ended here.' },
      { line: 4, message: 'the U amount "-11.00" differs from the T amount "-10.00": T is kept.' },
      { line: 2, message: 'the splits add up to -9, not to the total -10: the total is kept.' },
      { line: 15, message: '"!Frobnicate" is not a QIF header Foyer knows: ignored.' },
    ]);
    expect(result.of('bank.transaction').map((d) => d.amount)).toEqual([-10, -1]);
  });

  it('describes the conventions it inferred, for the preview', async () => {
    const source = await sourceFromBytes(FR, fixture(FR));
    const ctx = { warn: () => undefined, options: {}, timeZone: 'Europe/Paris', now: Date.now() };
    expect(await qifImporter.describe!(source, ctx)).toEqual({
      dateOrder: 'DMY',
      dateOrderFrom: 'file',
      decimalMark: ',',
      currency: 'EUR',
    });
  });
});

describe('QIF bad input', () => {
  const bank = (...lines: string[]) => ['!Type:Bank', ...lines].join('\n') + '\n';

  it('refuses a truncated file: the last record has no "^"', async () => {
    const error = await rejection(bank('D01/02/2004', 'T-10.00', 'PShop', '^', 'D01/03/2004', 'T-1'));
    expect(error).toMatchObject({
      code: 'import_invalid',
      message: 'comptes.qif, line 7: the file ends inside the record started at line 6 (no "^"): it looks cut short.',
      details: { file: 'comptes.qif', line: 7 },
    });
  });

  it('refuses amounts that are not numbers or are absurd, naming the line', async () => {
    expect((await rejection(bank('D01/02/2004', 'T12,3,4', '^'))).message).toBe(
      'comptes.qif, line 3: the amount "12,3,4" is not a number',
    );
    expect((await rejection(bank('D01/02/2004', 'T-9999999999999.00', '^'))).message).toBe(
      'comptes.qif, line 3: the amount "-9999999999999.00" is absurd (a trillion or more)',
    );
    expect((await rejection(bank('D01/02/2004', 'PNo amount', '^'))).message).toBe(
      'comptes.qif, line 2: an operation has no amount (T line).',
    );
  });

  it('refuses impossible, absurd and missing dates, naming the line', async () => {
    expect((await rejection(bank('D01/02/2004', 'T-1', '^', 'D02/30/2004', 'T-1', '^'))).message).toBe(
      'comptes.qif, line 5: the date "02/30/2004" is impossible (read as month/day/year): day 30 does not exist in that month',
    );
    expect((await rejection(bank('D2004-13-01', 'T-1', '^'))).message).toBe(
      'comptes.qif, line 2: the date "2004-13-01" is impossible (read as year/month/day): month 13 does not exist',
    );
    expect((await rejection(bank('D01/02/0000', 'T-1', '^'))).message).toBe(
      'comptes.qif, line 2: the date "01/02/0000" is impossible (read as month/day/year): the year 0 is before 1900',
    );
    expect((await rejection(bank('D01/02/2004', 'T-1', '^'), { dateOrder: 'YMD' })).message).toBe(
      'comptes.qif, line 2: "01/02/2004" is not a date in year-month-day order',
    );
    expect((await rejection(bank('DJan 5', 'T-1', '^'))).message).toBe('comptes.qif, line 2: "Jan 5" is not a date');
    expect((await rejection(bank('T-1', 'PNo date', '^'))).message).toBe(
      'comptes.qif, line 2: an operation has no date (D line).',
    );
  });

  it('refuses records before any header and files with nothing to import', async () => {
    expect((await rejection('!Option:AutoSwitch\nD01/02/2004\nT-1\n^\n')).message).toBe(
      'comptes.qif, line 2: a record comes before any "!Type:" or "!Account" header: this is not a QIF file.',
    );
    expect((await rejection('!Type:Cat\nNFood\n^\n')).message).toBe(
      'comptes.qif: the file holds no bank operation and no account.',
    );
  });
});
