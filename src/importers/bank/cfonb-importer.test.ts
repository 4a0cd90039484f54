import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { cfonbImporter } from './cfonb-importer.js';
import { cfonbCents } from './cfonb-records.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const TWO = 'cfonb-two-accounts.txt';
const ONE_LINE = 'cfonb-single-line.txt';
const BNP = '30004:00828:00012345678';

async function run(name: string, bytes: Uint8Array | string = fixture(name)) {
  const result = await runImporter(cfonbImporter, bytes, { name });
  await expectCatalogValid(result.records);
  return result;
}

const fail = (message: string): never => {
  throw new Error(message);
};

describe('cfonbCents', () => {
  it('reads the sign and last digit from the last character', () => {
    expect(cfonbCents('0000000015203E', 2, fail)).toBe(152035);
    expect(cfonbCents('0000000000451}', 2, fail)).toBe(-4510);
    expect(cfonbCents('0000000000923N', 2, fail)).toBe(-9235);
    expect(cfonbCents('0000000031200{', 0, fail)).toBe(31200000);
    expect(cfonbCents('0000000012345R', 3, fail)).toBe(-12346);
  });

  it('refuses another last character or non-digits', () => {
    expect(() => cfonbCents('0000000015203S', 2, fail)).toThrow(/ends with "S", which is not a CFONB sign character/);
    expect(() => cfonbCents('00000000 5203E', 2, fail)).toThrow(/is not a number/);
  });
});

describe('cfonbImporter detection', () => {
  it('recognises records one per line or all on one line', async () => {
    expect(await detectionOf(cfonbImporter, fixture(TWO))).toBeGreaterThan(0.9);
    expect(await detectionOf(cfonbImporter, fixture(ONE_LINE))).toBeGreaterThan(0.9);
  });

  it('does not claim other formats', async () => {
    const others = [
      'Date;Libellé;Montant\n01/03/2024;PRLV SEPA EDF;-80,00\n',
      '[{"date": "2024-03-01"}]',
      '01 is a number and so is 04',
      `01${'9'.repeat(118)}`,
      fixture('mt940-german-blocks.sta'),
      fixture('camt053-v02-two-statements.xml'),
    ];
    for (const other of others) expect(await detectionOf(cfonbImporter, other)).toBe(0);
  });
});

describe('cfonbImporter on statements of two accounts', () => {
  it('reads each movement with its complements', async () => {
    const { records } = await run(TWO);
    const first = records[0]!;
    expect(first).toMatchObject({ key: `fp1:${BNP}|2024-03-01|-8000|PRLV SEPA EDF|0`, line: 2 });
    expect(first.data).toEqual({
      date: '2024-02-29T23:00:00Z',
      label: 'PRLV SEPA EDF FACTURE ENERGIE MARS 2024',
      amount: -80,
      currency: 'EUR',
      accountId: BNP,
      type: 'direct_debit',
      valueDate: '2024-03-01',
      reference: 'EDF-2024-03-778812',
      counterparty: { name: 'EDF CLIENTS PARTICULIERS', creditorId: 'FR39ZZZ123456' },
      extra: { operationCode: 'B1', internalCode: '0591', exemption: '0', unavailability: '0', entryNumber: '0012345' },
    });
    expect(records[1]!.data).toMatchObject({
      label: 'VIR SEPA ACME SAS',
      amount: 2350,
      type: 'transfer',
      reference: 'VIRREF2024030100042',
      counterparty: { name: 'ACME SAS' },
    });
  });

  it('keeps two identical card payments apart and reads the original currency', async () => {
    const { records } = await run(TWO);
    expect(records.slice(2, 4).map((r) => [r.kind === 'document' && r.key, r.data.originalAmount])).toEqual([
      [`fp1:${BNP}|2024-03-02|-9235|CB AMAZON 29 02 LU|0`, -100],
      [`fp1:${BNP}|2024-03-02|-9235|CB AMAZON 29 02 LU|1`, undefined],
    ]);
    expect(records[2]!.data).toMatchObject({ originalCurrency: 'USD', type: 'card' });
  });

  it('maps interbank operation codes to types', async () => {
    const { of } = await run(TWO);
    expect(of('bank.transaction').map((t) => t.type)).toEqual([
      'direct_debit',
      'transfer',
      'card',
      'card',
      'withdrawal',
      'fee',
      'check',
      'loan_payment',
    ]);
  });

  it('makes one account per statement with its new balance, the bank named from its code', async () => {
    const { of } = await run(TWO);
    expect(of('bank.account')).toEqual([
      {
        accountId: BNP,
        vendor: 'BNP Paribas',
        label: '30004 00828 00012345678',
        type: 'checking',
        currency: 'EUR',
        balance: 3537.65,
        balanceDate: '2024-03-02T22:59:59Z',
      },
      {
        accountId: '10278:08900:0004567890L',
        vendor: 'Crédit Mutuel',
        label: '10278 08900 0004567890L',
        type: 'checking',
        currency: 'EUR',
        balance: -615.1,
        balanceDate: '2024-03-05T22:59:59Z',
      },
    ]);
  });

  it('reads the same records run together on one line, or with LF or CR line ends', async () => {
    const text = fixture(TWO).toString('latin1');
    const expected = (await run(TWO)).records.map((r) => r.data);
    const padded = text
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => l.padEnd(120, ' '));
    expect((await run(TWO, padded.join(''))).records.map((r) => r.data)).toEqual(expected);
    expect((await run(TWO, text.replace(/\r\n/g, '\n'))).records.map((r) => r.data)).toEqual(expected);
    expect((await run(TWO, text.replace(/\r\n/g, '\r'))).records.map((r) => r.data)).toEqual(expected);
  });
});

describe('cfonbImporter encodings', () => {
  it('reads accented labels in Windows-1252 and in UTF-8, positions counted in characters', async () => {
    const text = fixture(TWO).toString('latin1').replace('ECHEANCE PRET 0042 MARS', 'ÉCHÉANCE PRÊT 0042 MARS');
    for (const bytes of [Buffer.from(text, 'latin1'), Buffer.from(text, 'utf8')]) {
      const { of } = await run(TWO, bytes);
      expect(of('bank.transaction')[7]).toMatchObject({ label: 'ÉCHÉANCE PRÊT 0042 MARS', amount: -450 });
    }
  });
});

describe('cfonbImporter on a one-line file in a currency without decimals', () => {
  it('reads XPF amounts and stops at the DOS end-of-file mark', async () => {
    const { of } = await run(ONE_LINE);
    expect(of('bank.transaction').map((t) => [t.label, t.amount, t.currency])).toEqual([
      ['VIR SALAIRE DECEMBRE', 312000, 'XPF'],
      ['PRLV SEPA ENERCAL', -15600, 'XPF'],
    ]);
    expect(of('bank.account')[0]).toMatchObject({ balance: 421400, vendor: 'Bank code 17499', currency: 'XPF' });
  });
});

describe('cfonbImporter on bad input', () => {
  const lines = fixture(TWO).toString('latin1').split('\r\n');
  const withLine = (n: number, text: string) => lines.map((l, i) => (i === n - 1 ? text : l)).join('\r\n');
  const reject = (text: string, name = 'releve.txt') =>
    expect(runImporter(cfonbImporter, Buffer.from(text, 'latin1'), { name })).rejects;

  it('refuses a record of the wrong length, naming the line', async () => {
    await reject(withLine(7, lines[6]!.slice(0, 95))).toMatchObject({
      code: 'import_invalid',
      message: expect.stringMatching(/^releve\.txt, line 7: a record has 95 characters; CFONB 120 records have 120/),
      details: { file: 'releve.txt', line: 7 },
    });
    await reject(withLine(7, `${lines[6]}XXXXX`)).toMatchObject({ details: { line: 7 } });
  });

  it('refuses an amount with an invalid sign character', async () => {
    const bad = lines[6]!.slice(0, 103) + 'S' + lines[6]!.slice(104);
    await reject(withLine(7, bad)).toMatchObject({
      message: expect.stringContaining('ends with "S", which is not a CFONB sign character'),
      details: { line: 7, record: 7 },
    });
  });

  it('refuses impossible and absurd dates', async () => {
    const at = (date: string) => lines[6]!.slice(0, 34) + date + lines[6]!.slice(40);
    await reject(withLine(7, at('320324'))).toMatchObject({
      message: expect.stringContaining('day 32 does not exist'),
    });
    await reject(withLine(7, at('010360'))).toMatchObject({
      message: expect.stringContaining('too far in the future'),
    });
  });

  it('refuses a truncated file and records out of their statement', async () => {
    await reject(lines.slice(0, 10).join('\r\n')).toMatchObject({
      message: expect.stringContaining("ends before the statement's new balance (record 07)"),
      details: { line: 1 },
    });
    await reject(lines.slice(2).join('\r\n')).toMatchObject({
      message: expect.stringContaining('complement (record 05) comes outside a statement'),
      details: { line: 1 },
    });
    await reject(withLine(1, `03${lines[0]!.slice(2)}`)).toMatchObject({
      message: expect.stringContaining('"03" is not a CFONB 120 record code'),
    });
  });

  it('names the record when several share a line', async () => {
    const records = lines.filter((l) => l !== '').map((l) => l.padEnd(120, ' '));
    records[1] = records[1]!.slice(0, 16) + 'E1R' + records[1]!.slice(19);
    await reject(records.join('')).toMatchObject({
      message: expect.stringContaining('record 2: "E1R" is not an ISO 4217 currency code'),
      details: { line: 1, record: 2 },
    });
  });
});
