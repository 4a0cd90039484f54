import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { mt940Importer } from './mt940-importer.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const GERMAN = 'mt940-german-blocks.sta';
const DUTCH = 'mt940-dutch-structured.txt';
const TILDE = 'mt940-tilde-free-text.txt';
const GERMAN_ACCOUNT = '50040000:0123456789';

async function run(name: string, bytes: Uint8Array | string = fixture(name)) {
  const result = await runImporter(mt940Importer, bytes, { name });
  await expectCatalogValid(result.records);
  return result;
}

const keys = (records: { kind: string; key?: string }[]) => records.map((r) => r.key);

describe('mt940Importer detection', () => {
  it('recognises statements with SWIFT blocks, bank header lines or neither', async () => {
    for (const name of [GERMAN, DUTCH, TILDE])
      expect(await detectionOf(mt940Importer, fixture(name))).toBeGreaterThan(0.9);
  });

  it('does not claim other formats', async () => {
    const others = [
      'Date;Label;Amount\n2024-03-12;:20: is a tag;-4\n',
      '{"tags": [":20:", ":25:"]}',
      'A letter mentioning :20: and :25: in the middle of lines.',
      fixture('camt053-v02-two-statements.xml'),
      fixture('cfonb-two-accounts.txt'),
    ];
    for (const other of others) expect(await detectionOf(mt940Importer, other)).toBe(0);
  });
});

describe('mt940Importer on a German file (SWIFT blocks, ? subfields, Windows-1252, CRLF)', () => {
  it('reads each statement line with its :86: details', async () => {
    const { records } = await run(GERMAN);
    const lines = records.filter((r) => r.doctype === 'bank.transaction');
    expect(keys(lines)).toEqual([
      `id:${GERMAN_ACCOUNT}|2023-12-29/9310000123`,
      `id:${GERMAN_ACCOUNT}|2023-12-29/9310000124`,
      `id:${GERMAN_ACCOUNT}|2023-12-30/9310000125`,
      `id:${GERMAN_ACCOUNT}|2024-01-02/9310000201`,
      `id:${GERMAN_ACCOUNT}|2024-01-02/9310000202`,
    ]);
    expect(lines[0]!.data).toEqual({
      date: '2023-12-28T23:00:00Z',
      label: 'Stadtwerke München GmbH - Stromabschlag Dezember 2023 Vertragskonto 4711',
      amount: -45.9,
      currency: 'EUR',
      accountId: GERMAN_ACCOUNT,
      type: 'direct_debit',
      valueDate: '2023-12-29',
      reference: 'RGN-2023-12-0815',
      counterparty: {
        name: 'Stadtwerke München GmbH',
        iban: 'DE12500105170648489890',
        creditorId: 'DE98ZZZ09999999999',
        mandateReference: 'M-000815',
      },
      extra: { transactionTypeCode: 'DDT', businessTransactionCode: '105' },
    });
    expect(lines[1]!.data).toMatchObject({ amount: 2350, label: 'ACME Maschinenbau GmbH - Lohn/Gehalt Dezember 2023' });
  });

  it('dates the entry in the previous year when it straddles a year end', async () => {
    const { of } = await run(GERMAN);
    expect(of('bank.transaction')[2]).toMatchObject({
      date: '2023-12-29T23:00:00Z',
      valueDate: '2024-01-02',
      amount: -80,
      counterparty: { name: 'Hausverwaltung Krüger', iban: 'DE77100100100123456789' },
    });
  });

  it('signs reversals the way the money went and flags them', async () => {
    const { of } = await run(GERMAN);
    expect(of('bank.transaction')[4]).toMatchObject({ amount: 45.9, extra: { reversal: true } });
    expect(of('bank.transaction')[3]).toMatchObject({ amount: -120, type: 'withdrawal' });
  });

  it('keeps the account (bank code/account) with the last closing balance and the bank of the headers', async () => {
    const { of } = await run(GERMAN);
    expect(of('bank.account')).toEqual([
      {
        accountId: GERMAN_ACCOUNT,
        vendor: 'COBADEFF',
        label: '50040000/0123456789',
        type: 'checking',
        currency: 'EUR',
        bic: 'COBADEFF',
        balance: 3650,
        balanceDate: '2024-01-02T22:59:59Z',
      },
    ]);
  });

  it('reads the same statements with LF line ends', async () => {
    const lf = fixture(GERMAN).toString('latin1').replace(/\r\n/g, '\n');
    expect((await run(GERMAN, Buffer.from(lf, 'latin1'))).records).toEqual((await run(GERMAN)).records);
  });
});

describe('mt940Importer on Dutch and other banks', () => {
  it('reads /TRTP/ and /CNTP/ codes, an IBAN with its currency, and the BIC of the header lines', async () => {
    const { records, of } = await run(DUTCH);
    expect(keys(records)).toEqual([
      'fp1:NL91ABNA0417164300|2024-03-12|25000|J DE VRIES TERUGBETA|0',
      'id:NL91ABNA0417164300|2024-03-12/00000000001009',
      'account:NL91ABNA0417164300',
    ]);
    expect(of('bank.transaction')[1]).toMatchObject({
      label: 'Vattenfall Klantenservice N.V. - Termijnbedrag maart',
      amount: -31.45,
      type: 'direct_debit',
      reference: 'EV123REP123412T1234',
      counterparty: { creditorId: 'NL32ZZZ999999991234', mandateReference: 'MND-EV01', iban: 'NL20INGB0001234567' },
    });
    expect(of('bank.account')[0]).toMatchObject({ iban: 'NL91ABNA0417164300', bic: 'ABNANL2A', balance: 1218.55 });
  });

  it('reads a ~ separator, a leading slash in :25:, free text and another currency', async () => {
    const { of } = await run(TILDE);
    const [shop, salary, fee] = of('bank.transaction');
    expect(shop).toMatchObject({
      label: 'SKLEP INTERNETOWY SPOLKA Z O.O. - Zakupy internetowe Allegro.pl zamowienie 123',
      amount: -100,
      currency: 'PLN',
      accountId: 'PL61109010140000071219812874',
    });
    expect(salary).toMatchObject({
      label: 'WYNAGRODZENIE ZA KWIECIEN 2024 FIRMA PRZYKLADOWA SPOLKA Z OGRANICZONA ODPOWIEDZIALNOSCIA',
      type: 'transfer',
    });
    expect(fee).toMatchObject({ label: 'OPLATA ZA PROWADZENIE RACHUNKU', type: 'fee', amount: -20 });
    expect(of('bank.account')[0]).toMatchObject({ currency: 'PLN', balance: 179.5, vendor: 'Unknown bank' });
  });

  it('warns about a statement that ends without a closing balance', async () => {
    const text = ':20:A\n:25:NL91ABNA0417164300\n:60F:C240311EUR10,00\n:61:240312C1,00NTRFNONREF\n:86:Gift\n-\n';
    const { warnings, of } = await run('short.txt', text);
    expect(warnings).toEqual([{ line: 1, message: 'this statement has no closing balance (:62F:)' }]);
    expect(of('bank.transaction')).toMatchObject([{ label: 'Gift', amount: 1 }]);
  });
});

describe('mt940Importer on bad input', () => {
  const german = fixture(GERMAN).toString('latin1');
  const reject = (text: string, name = 'bad.sta') =>
    expect(runImporter(mt940Importer, Buffer.from(text, 'latin1'), { name })).rejects;

  it('refuses an amount that is not a number, naming the line', async () => {
    await reject(german.replace('DR45,90NDDT', 'DR12,3,4NDDT')).toMatchObject({
      code: 'import_invalid',
      message: 'bad.sta, line 6: the amount "12,3,4" is not a number',
      details: { file: 'bad.sta', line: 6 },
    });
  });

  it('refuses a statement line that does not read as one, and absurd dates', async () => {
    await reject(german.replace(':61:2312291229DR45,90', ':61:23122DR45,90')).toMatchObject({
      message: expect.stringContaining('does not read as date, D/C mark, amount and type code'),
      details: { line: 6 },
    });
    await reject(german.replace(':61:2312291229DR', ':61:2313291229DR')).toMatchObject({
      message: expect.stringContaining('month 13 does not exist'),
    });
    await reject(german.replace(':60F:C231229EUR1500,00', ':60F:C601229EUR1500,00')).toMatchObject({
      message: expect.stringContaining('too far in the future'),
      details: { line: 5 },
    });
  });

  it('refuses a truncated file (a statement without its closing balance at the end)', async () => {
    await reject(german.slice(0, german.indexOf(':62F:C240102'))).toMatchObject({
      message: expect.stringContaining("ends before the statement's closing balance"),
      details: { line: 20 },
    });
  });

  it('refuses statement lines before the account or the opening balance, and files without statements', async () => {
    await reject(':20:A\n:61:240312C1,00NTRFNONREF\n').toMatchObject({
      message: expect.stringContaining('before the account (:25:)'),
      details: { line: 2 },
    });
    await reject(':20:A\n:25:X/1\n:61:240312C1,00NTRFNONREF\n').toMatchObject({
      message: expect.stringContaining('opening balance (:60F:)'),
    });
    await reject('hello\nworld\n').toMatchObject({ message: expect.stringContaining('no MT940 statement') });
  });
});
