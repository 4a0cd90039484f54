import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { camt053Importer } from './camt053-importer.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const V02 = 'camt053-v02-two-statements.xml';
const V08 = 'camt053-v08-prefixed.xml';
const LATIN1 = 'camt053-latin1-no-namespace.xml';
const OWN = 'FR0630004000312345678901234';

async function run(name: string, bytes: Uint8Array | string = fixture(name)) {
  const result = await runImporter(camt053Importer, bytes, { name });
  await expectCatalogValid(result.records);
  return result;
}

describe('camt053Importer detection', () => {
  it('recognises every version, with or without a namespace or a prefix', async () => {
    expect(await detectionOf(camt053Importer, fixture(V02))).toBeGreaterThan(0.9);
    expect(await detectionOf(camt053Importer, fixture(V08))).toBeGreaterThan(0.9);
    expect(await detectionOf(camt053Importer, fixture(LATIN1))).toBeGreaterThanOrEqual(0.9);
  });

  it('does not claim other formats', async () => {
    const others = [
      'Date;Libellé;Montant\n12/03/2024;CB CARREFOUR;-45,90\n',
      '{"BkToCstmrStmt": []}',
      'just some text about BkToCstmrStmt',
      '<?xml version="1.0"?><gpx version="1.1"><trk/></gpx>',
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02"><BkToCstmrDbtCdtNtfctn/></Document>',
      fixture('mt940-german-blocks.sta'),
      fixture('cfonb-two-accounts.txt'),
    ];
    for (const other of others) expect(await detectionOf(camt053Importer, other)).toBe(0);
  });
});

describe('camt053Importer on camt.053.001.02 with two statements', () => {
  it('files each statement under its account: IBAN, or BIC and other id', async () => {
    const { of } = await run(V02);
    expect(of('bank.account')).toEqual([
      {
        accountId: OWN,
        vendor: 'BNP Paribas',
        label: `M ET MME MARTIN ${OWN}`,
        type: 'checking',
        currency: 'EUR',
        iban: OWN,
        bic: 'BNPAFRPP',
        holders: ['M ET MME MARTIN'],
        balance: 3993.95,
        // A closing balance dated by day holds at the end of that day.
        balanceDate: '2024-03-12T22:59:59Z',
      },
      {
        accountId: 'BNPAFRPP:00012345678',
        vendor: 'BNPAFRPP',
        label: 'LIVRET A',
        type: 'savings',
        currency: 'EUR',
        bic: 'BNPAFRPP',
        balance: 10245.12,
        balanceDate: '2024-03-12T22:59:59Z',
      },
    ]);
  });

  it('splits a batch whose transactions state amounts that add up, one line each with its creditor', async () => {
    const { records } = await run(V02);
    const batch = records.filter((r) => r.kind === 'document' && r.key.includes('2024031200002'));
    expect(batch.map((r) => [r.kind === 'document' && r.key, r.data.amount, r.data.label])).toEqual([
      [`id:${OWN}|2024031200002/1`, -80, 'EDF - Facture énergie mars'],
      [`id:${OWN}|2024031200002/2`, -40.5, 'FREE MOBILE - Forfait mobile 03/2024'],
    ]);
    expect(batch[0]!.data).toMatchObject({
      date: '2024-03-11T23:00:00Z',
      valueDate: '2024-03-12',
      type: 'direct_debit',
      reference: 'EDF-2024-03-778812',
      counterparty: {
        name: 'EDF',
        iban: 'FR1420041010050500013M02606',
        creditorId: 'FR39ZZZ123456',
        mandateReference: 'EDF-MDT-0042',
      },
    });
    // NOTPROVIDED is no reference: the entry's servicer reference stands in.
    expect(batch[1]!.data).toMatchObject({ reference: '2024031200002', counterparty: { name: 'FREE MOBILE' } });
  });

  it('keeps a batch without per-transaction amounts as the one booked line', async () => {
    const { of } = await run(V02);
    const deposit = of('bank.transaction').find((t) => t.amount === 300);
    expect(deposit).toMatchObject({ label: 'REMISE CHEQUES N 0004512', type: 'deposit', valueDate: '2024-03-14' });
  });

  it('reads signs, types, counterparties by direction, pending entries and natural keys', async () => {
    const { records } = await run(V02);
    const lines = records.filter((r) => r.doctype === 'bank.transaction');
    expect(lines.map((r) => (r.kind === 'document' ? r.key : ''))).toEqual([
      `id:${OWN}|2024031200001`,
      `id:${OWN}|2024031200002/1`,
      `id:${OWN}|2024031200002/2`,
      // An entry reference is unique within its statement only: keyed with its booking day.
      `id:${OWN}|2024-03-12/3`,
      `fp1:${OWN}|2024-03-12|30000|REMISE CHEQUES N 000|0`,
      `id:${OWN}|P-2024031300017`,
      'id:BNPAFRPP:00012345678|LA-2024-INT',
    ]);
    expect(lines[0]!.data).toEqual({
      date: '2024-03-11T23:00:00Z',
      label: 'CB CARREFOUR MARKET 11/03 PARIS 11',
      amount: -45.9,
      currency: 'EUR',
      accountId: OWN,
      type: 'card',
      valueDate: '2024-03-11',
      reference: '2024031200001',
      extra: { bankTransactionCode: 'PMNT/CCRD/POSD' },
    });
    expect(lines[3]!.data).toMatchObject({
      amount: 2350,
      label: 'ACME SAS - SALAIRE MARS 2024',
      counterparty: { name: 'ACME SAS', iban: 'FR0410278078910004561234567' },
    });
    // Pending, with no booking date: the value date stands in.
    expect(lines[5]!.data).toMatchObject({ bookingStatus: 'pending', date: '2024-03-12T23:00:00Z', type: 'card' });
    // A French bank's proprietary CFONB code.
    expect(lines[6]!.data).toMatchObject({ type: 'interest', amount: 45.12, accountId: 'BNPAFRPP:00012345678' });
  });

  it('gives the same keys on a second import of the same file', async () => {
    const keys = async () => (await run(V02)).records.map((r) => (r.kind === 'document' ? r.key : ''));
    expect(await keys()).toEqual(await keys());
  });

  it('reads the same file in UTF-16 the same way', async () => {
    const text = fixture(V02).toString('utf8').replace('encoding="UTF-8"', 'encoding="UTF-16"');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect((await run(V02, utf16)).records).toEqual((await run(V02)).records);
  });
});

describe('camt053Importer on camt.053.001.08 with prefixes', () => {
  it('reads Sts/Cd, Pty names, card data, foreign amounts and local times across DST', async () => {
    const { of, warnings } = await run(V08);
    const [card, refund, foreign, reversal, pending] = of('bank.transaction');
    expect(card).toMatchObject({
      // The card's acceptance time is the operation date; the booking day comes after.
      date: '2024-10-26T19:14:05Z',
      label: 'Bäckerei Schäfer - KARTENZAHLUNG',
      amount: -23.4,
      cardLast4: '4242',
      counterparty: { name: 'Bäckerei Schäfer' },
    });
    expect(refund).toMatchObject({
      // 02:30 local happened twice that night: the first one (summer time) is taken.
      date: '2024-10-27T00:30:00Z',
      label: 'Stadtwerke München GmbH - Erstattung Abschlag Vertrag 4711',
      amount: 150,
      type: 'transfer',
      reference: 'SWM-ERST-77120',
      counterparty: { name: 'Stadtwerke München GmbH', iban: 'DE12500105170648489890' },
      extra: { bankTransactionCode: 'NTRF+166+9310+997' },
    });
    expect(foreign).toMatchObject({ amount: -92.35, originalAmount: -100, originalCurrency: 'USD', type: 'card' });
    expect(reversal).toMatchObject({ amount: 23.4, label: 'STORNO KARTENZAHLUNG', extra: { reversal: true } });
    // 02:30 local did not exist that night: read as 03:30 summer time.
    expect(pending).toMatchObject({ date: '2024-03-31T01:30:00Z', bookingStatus: 'pending', type: 'direct_debit' });
    expect(warnings).toEqual([
      { line: 72, message: 'an information-only entry (status INFO) is not an operation: skipped' },
    ]);
  });

  it('keeps the latest closing balance of an account seen in several statements, whatever their order', async () => {
    const { of } = await run(V08);
    expect(of('bank.account')).toEqual([
      {
        accountId: 'DE89370400440532013000',
        vendor: 'Commerzbank',
        label: 'Girokonto',
        type: 'checking',
        currency: 'EUR',
        iban: 'DE89370400440532013000',
        bic: 'COBADEFFXXX',
        holders: ['Jürgen Müller'],
        balance: 1834.15,
        balanceDate: '2024-10-27T22:59:59Z',
      },
    ]);
  });

  it('describes the version it read', async () => {
    const { sourceFromBytes } = await import('../source/import-source.js');
    const source = await sourceFromBytes(V08, fixture(V08));
    expect(
      await camt053Importer.describe!(source, { warn: () => undefined, options: {}, timeZone: 'UTC', now: 0 }),
    ).toEqual({
      version: 'camt.053.001.08',
    });
  });
});

describe('camt053Importer on a Latin-1 file without namespace', () => {
  it('decodes the declared charset and fingerprints identical lines apart', async () => {
    const { records } = await run(LATIN1);
    const lines = records.filter((r) => r.doctype === 'bank.transaction');
    expect(lines.map((r) => r.data.label)).toEqual([
      'PRLV SEPA ÉLECTRICITÉ DE FRANCE',
      'PRLV SEPA ÉLECTRICITÉ DE FRANCE',
    ]);
    expect(lines.map((r) => (r.kind === 'document' ? r.key : ''))).toEqual([
      'fp1:CMCIFRPP:0412345678|2023-12-29|-6175|PRLV SEPA ELECTRICIT|0',
      'fp1:CMCIFRPP:0412345678|2023-12-29|-6175|PRLV SEPA ELECTRICIT|1',
    ]);
  });
});

describe('camt053Importer on bad input', () => {
  const v02 = fixture(V02).toString('utf8');
  const reject = (text: string, name = 'bad.xml') => expect(runImporter(camt053Importer, text, { name })).rejects;

  it('refuses a truncated file, naming it', async () => {
    await reject(v02.slice(0, Math.floor(v02.length / 2))).toMatchObject({
      code: 'import_invalid',
      details: { file: 'bad.xml', line: expect.any(Number) },
    });
  });

  it('refuses an amount that is not a number or is absurd, naming the line', async () => {
    await reject(v02.replace('>45.90<', '>4,5.90<')).toMatchObject({
      code: 'import_invalid',
      message: 'bad.xml, line 32: the amount "4,5.90" is not a number',
      details: { line: 32 },
    });
    await reject(v02.replace('>45.90<', '>999999999999999.00<')).toMatchObject({
      message: expect.stringContaining('is absurd'),
      details: { line: 32 },
    });
    await reject(v02.replace('<Amt Ccy="EUR">45.90', '<Amt Ccy="EURO">45.90')).toMatchObject({
      message: expect.stringContaining('"EURO" is not an ISO 4217 currency code'),
    });
  });

  it('refuses absurd and impossible dates', async () => {
    const at = v02.indexOf('<BookgDt><Dt>2024-03-12');
    const withDate = (d: string) => v02.slice(0, at) + `<BookgDt><Dt>${d}` + v02.slice(at + 23);
    await reject(withDate('1200-03-12')).toMatchObject({
      message: expect.stringContaining('the year 1200 is before 1900'),
      details: { line: 35 },
    });
    await reject(withDate('9999-12-31')).toMatchObject({ message: expect.stringContaining('too far in the future') });
    await reject(withDate('2024-02-30')).toMatchObject({ message: expect.stringContaining('day 30 does not exist') });
  });

  it('refuses a missing or unknown credit/debit indicator', async () => {
    await reject(
      v02.replace('<CdtDbtInd>DBIT</CdtDbtInd>\n        <Sts>BOOK', '<CdtDbtInd>DEBIT</CdtDbtInd>\n        <Sts>BOOK'),
    ).toMatchObject({
      message: expect.stringContaining('"DEBIT" is neither CRDT nor DBIT'),
    });
  });

  it('refuses entries before any account, and XML that holds no statement', async () => {
    const noAccount = v02.replace(/<Acct>[\s\S]*?<\/Acct>/, '');
    await reject(noAccount).toMatchObject({ message: expect.stringContaining('has no account (Acct)') });
    await reject(
      '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>',
    ).toMatchObject({
      message: expect.stringContaining('holds no bank-to-customer statement'),
    });
  });

  it('refuses another CAMT message and entity declarations', async () => {
    const camt052 = v02.replace('camt.053.001.02', 'camt.052.001.02');
    await reject(camt052).toMatchObject({ message: expect.stringContaining('not a CAMT.053 statement') });
    const bomb = v02.replace('<Document', '<!DOCTYPE Document [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<Document');
    await reject(bomb).toMatchObject({ code: 'import_invalid', message: expect.stringContaining('entities') });
  });
});
