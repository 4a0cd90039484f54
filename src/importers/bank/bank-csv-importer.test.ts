import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { detectionOf, expectCatalogValid, runImporter, type RunResult } from '../../testing/importers.js';
import type { ImportOptions } from '../importer.js';
import { sourceFromBytes } from '../source/import-source.js';
import { csvRows, sniffDelimiter } from '../csv/csv-reader.js';
import { bankCsvImporter, csvHeaderSignature } from './bank-csv-importer.js';
import { sampleRows } from './bank-csv-sample.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)));
const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

async function run(bytes: Uint8Array | string, options: ImportOptions = {}): Promise<RunResult> {
  const result = await runImporter(bankCsvImporter, bytes, { name: 'releve.csv', options });
  await expectCatalogValid(result.records);
  return result;
}

async function describeOf(bytes: Uint8Array | string, options: ImportOptions = {}): Promise<Record<string, any>> {
  const source = await sourceFromBytes('releve.csv', bytes);
  const ctx = { warn: () => undefined, options, timeZone: 'Europe/Paris', now: Date.parse('2026-11-24T12:00:00Z') };
  return (await bankCsvImporter.describe!(source, ctx)) as Record<string, any>;
}

/** The import fails with `import_invalid`, naming the file and (when given) the line. */
async function expectInvalid(bytes: Uint8Array | string, message: RegExp, line?: number, options: ImportOptions = {}) {
  const error = await run(bytes, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FoyerError);
  const e = error as FoyerError;
  expect(e.code).toBe('import_invalid');
  expect(e.message).toMatch(message);
  expect(e.message.startsWith(line === undefined ? 'releve.csv' : `releve.csv, line ${line}:`)).toBe(true);
  if (line !== undefined) expect((e.details as { line: number }).line).toBe(line);
}

const transactions = (r: RunResult) => r.of('bank.transaction');
const accounts = (r: RunResult) => r.of('bank.account');
const keys = (r: RunResult) =>
  r.records.filter((x) => x.doctype === 'bank.transaction').map((x) => (x as { key: string }).key);

describe('detection', () => {
  it('claims every bank CSV fixture', async () => {
    for (const name of readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.startsWith('csv-'))) {
      expect(await detectionOf(bankCsvImporter, fixture(name)), name).toBeGreaterThanOrEqual(0.5);
    }
  });

  it('is sure of a known layout and less sure of an inferred one', async () => {
    expect(await detectionOf(bankCsvImporter, fixture('csv-credit-agricole.csv'))).toBe(0.95);
    expect(await detectionOf(bankCsvImporter, fixture('csv-generic-tab.csv'))).toBe(0.9);
    expect(await detectionOf(bankCsvImporter, fixture('csv-headerless.csv'))).toBe(0.5);
  });

  it('scores an electricity consumption export low', async () => {
    const enedis = [
      'Identifiant PRM;Date de début;Date de fin;Grandeur physique;Grandeur métier;Etape métier;Unité',
      '09123456789012;01/01/2026;31/01/2026;Energie active;Consommation;Comptage Brut;Wh',
      '',
      'Horodate;Valeur',
      '2026-01-01T00:30:00+01:00;412',
      '2026-01-01T01:00:00+01:00;398',
      '2026-01-01T01:30:00+01:00;377',
    ].join('\n');
    expect(await detectionOf(bankCsvImporter, enedis)).toBeLessThan(0.3);
    const daily = [
      'Date;Consommation (kWh);Type de relevé',
      '01/01/2026;12,4;Réel',
      '02/01/2026;11,9;Réel',
      '03/01/2026;13,1;Réel',
    ];
    expect(await detectionOf(bankCsvImporter, daily.join('\n'))).toBeLessThan(0.3);
  });

  it('scores a video streaming viewing history low', async () => {
    const netflix = [
      'Title,Date',
      '"Lupin: Part 1: Chapter 1",12/01/2026',
      '"The Crown: Season 4: Fairytale",11/01/2026',
      '"Le Bureau des Légendes: Saison 1: Épisode 1",10/01/2026',
    ].join('\n');
    expect(await detectionOf(bankCsvImporter, netflix)).toBeLessThan(0.3);
    const activity = [
      'Profile Name,Start Time,Duration,Attributes,Title,Supplemental Video Type,Device Type,Bookmark,Latest Bookmark,Country',
      'Marie,2026-01-12 20:14:03,00:42:10,,Lupin: Part 1: Chapter 1,,Samsung TV,00:42:10,00:42:10,FR (France)',
      'Marie,2026-01-11 21:02:44,00:51:33,,The Crown: Season 4: Fairytale,,Chrome PC,00:51:33,00:51:33,FR (France)',
    ].join('\n');
    expect(await detectionOf(bankCsvImporter, activity)).toBeLessThan(0.3);
  });

  it('scores JSON, XML, OFX, QIF and prose at zero or nearly', async () => {
    const samples = [
      '{"transactions": [{"date": "2026-01-01", "amount": -12.5}]}',
      '<?xml version="1.0"?><Document><BkToCstmrStmt/></Document>',
      'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX><BANKMSGSRSV1>',
      '!Type:Bank\nD03/15/2026\nT-12.50\nPCARREFOUR\n^\n',
      'Dear customer,\nyour statement for March is available in your online banking.\nRegards',
      '',
    ];
    for (const sample of samples) expect(await detectionOf(bankCsvImporter, sample), sample).toBeLessThan(0.1);
  });
});

describe('the sample', () => {
  it('is split into the rows and line numbers the import streams, so the preview and the import agree', async () => {
    const quoted = 'Date;Libellé;Montant\r\n01/02/2026;"A\r\nB\rC\nD ""E""";-1,00\r02/02/2026;"";2\n\n03/02/2026;x"y;3';
    const names = readdirSync(new URL('./fixtures/', import.meta.url)).filter((n) => n.startsWith('csv-'));
    for (const name of [...names, 'quoted']) {
      const source = await sourceFromBytes(name, name === 'quoted' ? quoted : fixture(name));
      const delimiter = sniffDelimiter(source.sample.text);
      const streamed = [];
      for await (const row of csvRows(source, delimiter)) streamed.push(row);
      expect(sampleRows(source.sample.text, delimiter, source.sample.complete), name).toEqual(streamed);
    }
  });
});

describe('known layouts', () => {
  it('reads a Crédit Agricole export: Latin-1, preamble, labels over several lines, two accounts', async () => {
    const r = await run(fixture('csv-credit-agricole.csv'));
    const t = transactions(r);
    expect(t).toHaveLength(6);
    expect(t[0]).toEqual({
      date: '2026-03-17T23:00:00Z',
      label: 'CARTE X1234 17/03 CARREFOUR MARKET PARIS 11',
      amount: -54.2,
      currency: 'EUR',
      accountId: 'credit-agricole:12345678901',
      valueDate: '2026-03-18',
      type: 'card',
    });
    expect(t[1]).toMatchObject({ label: 'VIREMENT EN VOTRE FAVEUR SALAIRE MARS SOCIÉTÉ ÉTOILE', amount: 2500 });
    expect(t[5]).toMatchObject({ accountId: 'credit-agricole:98765432109', amount: 100 });
    expect(accounts(r)).toEqual([
      {
        accountId: 'credit-agricole:12345678901',
        vendor: 'Crédit Agricole',
        label: 'Compte de Dépôt',
        type: 'checking',
        currency: 'EUR',
        balance: 1234.56,
        balanceDate: '2026-03-19T22:59:59Z',
      },
      {
        accountId: 'credit-agricole:98765432109',
        vendor: 'Crédit Agricole',
        label: 'Livret A',
        type: 'savings',
        currency: 'EUR',
        balance: 5100,
        balanceDate: '2026-03-19T22:59:59Z',
      },
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('keeps two identical operations of one day as two, and gives them the same keys on re-import', async () => {
    const first = keys(await run(fixture('csv-credit-agricole.csv')));
    expect(first[3]).toBe('fp1:credit-agricole:12345678901|2026-03-12|-320|CARTE X1234 11 03 BO|0');
    expect(first[4]).toBe('fp1:credit-agricole:12345678901|2026-03-12|-320|CARTE X1234 11 03 BO|1');
    expect(keys(await run(fixture('csv-credit-agricole.csv')))).toEqual(first);
  });

  it('reads the same Crédit Agricole file saved as UTF-8 with a byte order mark', async () => {
    // Stream mode: Node 20's one-shot windows-1252 decode reads 0x80 as U+0080 instead of €.
    const utf8 = new TextDecoder('windows-1252').decode(fixture('csv-credit-agricole.csv'), { stream: true });
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(utf8)]);
    const a = await run(fixture('csv-credit-agricole.csv'));
    const b = await run(withBom);
    expect(b.records).toEqual(a.records);
  });

  it('reads La Banque Postale: account number, type, statement date and balance above the header', async () => {
    const r = await run(fixture('csv-la-banque-postale.csv'));
    expect(transactions(r).map((t) => [t.date, t.label, t.amount])).toEqual([
      ['2026-03-18T23:00:00Z', 'ACHAT CB BOULANGERIE DU PARC 18.03.26', -4.5],
      ['2026-03-17T23:00:00Z', 'VIREMENT DE M. DUPONT ÉLODIE', 3500],
      ['2026-03-16T23:00:00Z', 'PRELEVEMENT DE LOYER SCI LES ÉRABLES', -1234.56],
    ]);
    expect(accounts(r)).toEqual([
      {
        accountId: 'la-banque-postale:0534567A020',
        vendor: 'La Banque Postale',
        label: 'CCP',
        type: 'checking',
        currency: 'EUR',
        balance: 1234.56,
        balanceDate: '2026-03-20T22:59:59Z',
      },
    ]);
  });

  it('reads Société Générale: the account as a spreadsheet formula, the balance in the first row', async () => {
    const r = await run(fixture('csv-societe-generale.csv'));
    expect(transactions(r).map((t) => [t.label, t.amount, t.currency])).toEqual([
      ['CARTE X1417 27/05 BRASSERIE DU LOUVRE PARIS', -6.3, 'EUR'],
      ['VIR RECU 9604881985018 DE: SOCIÉTÉ ÉTOILE MOTIF: SALAIRE MAI', 2650, 'EUR'],
      ['PRELEVEMENT EUROPEEN 4704545537 DE: FREE MOBILE', -15.99, 'EUR'],
    ]);
    expect(accounts(r)[0]).toMatchObject({
      accountId: 'societe-generale:0201900016400270',
      balance: 27423.29,
      balanceDate: '2026-05-29T21:59:59Z',
    });
  });

  it('reads BoursoBank: byte order mark, ISO dates, an account per line, balances with a point', async () => {
    const r = await run(fixture('csv-boursobank.csv'));
    const t = transactions(r);
    expect(t[0]).toEqual({
      date: '2026-02-08T23:00:00Z',
      label: 'VIR SEPA LOYER RÉSIDENCE DES LILAS',
      amount: -612.4,
      currency: 'EUR',
      accountId: 'boursobank:00040111222',
      valueDate: '2026-02-09',
      category: 'Virements émis',
      counterparty: { name: 'loyer' },
      type: 'transfer',
    });
    expect(t[2]).toMatchObject({ amount: 1204.35 });
    expect(t[3]).toMatchObject({ accountId: 'boursobank:00040999888', amount: 250 });
    // Lines come newest first: the account's balance is the first line's.
    expect(accounts(r).map((a) => [a.accountId, a.balance])).toEqual([
      ['boursobank:00040111222', 1043.27],
      ['boursobank:00040999888', 1250],
    ]);
  });

  it('reads Banque Populaire / Caisse d’Épargne: CR-only lines, two-digit years, booking day in the key', async () => {
    const r = await run(fixture('csv-bpce.csv'));
    const t = transactions(r);
    expect(t).toHaveLength(3);
    expect(t[0]).toEqual({
      date: '2026-08-16T22:00:00Z',
      label: 'CB INTERMARCHE FACT 170826',
      amount: -46.8,
      currency: 'EUR',
      accountId: 'default',
      valueDate: '2026-08-19',
      category: 'Hyper/supermarché',
      reference: '8KJ3P2Q',
      type: 'card',
    });
    expect(t[1]).toMatchObject({ amount: 2180, label: 'VIREMENT SALAIRE AOÛT' });
    expect(keys(r)[0]).toBe('fp1:default|2026-08-19|-4680|CB INTERMARCHE FACT|0');
    expect(r.records.map((x) => x.line)).toEqual([2, 3, 4, undefined]);
  });

  it('reads Revolut: fees, pending and reverted operations, times across daylight-saving changes', async () => {
    const r = await run(fixture('csv-revolut.csv'));
    expect(transactions(r).map((t) => [t.date, t.label, t.amount, t.bookingStatus])).toEqual([
      ['2026-03-28T09:00:00Z', 'Top-up by *1234', 500, undefined],
      ['2026-03-29T01:30:00Z', 'Noctilien', -2.5, undefined],
      ['2026-03-30T10:00:00Z', 'Exchanged to USD', -100.5, undefined],
      ['2026-03-31T16:45:10Z', 'Café de Flore', -4.2, 'pending'],
      ['2026-10-25T00:30:00Z', 'G7 Taxi', -15, undefined],
    ]);
    expect(r.warnings).toEqual([
      { line: 6, message: 'skipped an operation with status "REVERTED": "Boutique Refusée"' },
    ]);
    expect(accounts(r)).toEqual([
      {
        accountId: 'default',
        vendor: 'Revolut',
        label: 'Revolut account',
        type: 'checking',
        currency: 'EUR',
        balance: 382,
      },
    ]);
  });

  it('keys Qonto lines by their transaction id and reads their times as UTC', async () => {
    const r = await run(fixture('csv-qonto.csv'), { accountId: 'qonto-main' });
    expect(keys(r)).toEqual([
      'id:qonto-main|qonto-tx-0001',
      'id:qonto-main|qonto-tx-0002',
      'id:qonto-main|qonto-tx-0003',
    ]);
    expect(transactions(r)[0]).toEqual({
      date: '2026-01-09T23:30:00Z',
      label: 'Orange',
      amount: -150,
      currency: 'EUR',
      accountId: 'qonto-main',
      category: 'telecom',
      reference: 'Facture janvier',
      counterparty: { name: 'Orange' },
    });
    expect(transactions(r)[2]).toMatchObject({ bookingStatus: 'pending', amount: -42 });
    expect(r.warnings).toEqual([
      { line: 5, message: 'skipped an operation with status "declined": "Boutique Inconnue"' },
    ]);
    // The account was named by the person: the file says nothing of it, so it is left alone.
    expect(accounts(r)).toEqual([]);
  });

  it('reads N26 and ING (Germany)', async () => {
    const n26 = await run(fixture('csv-n26.csv'));
    expect(transactions(n26).map((t) => [t.label, t.amount, t.reference])).toEqual([
      ['Stadtwerke München', -60, 'Abschlag Januar'],
      ['Café Mitte', -4.5, undefined],
      ['Arbeitgeber GmbH', 2345.67, 'Gehalt Januar'],
    ]);
    const ing = await run(fixture('csv-ing-de.csv'));
    expect(transactions(ing).map((t) => [t.date, t.amount, t.accountId])).toEqual([
      ['2026-03-18T23:00:00Z', -23.45, 'DE89370400440532013000'],
      ['2026-03-14T23:00:00Z', 2345.67, 'DE89370400440532013000'],
      ['2026-03-01T23:00:00Z', -1250, 'DE89370400440532013000'],
    ]);
    expect(accounts(ing)).toEqual([
      {
        accountId: 'DE89370400440532013000',
        vendor: 'ING',
        label: 'Girokonto',
        type: 'checking',
        currency: 'EUR',
        iban: 'DE89370400440532013000',
        balance: 1172.12,
      },
    ]);
  });

  it('reads Fortuneo debits written negative and credits without decimals', async () => {
    const r = await run(fixture('csv-fortuneo.csv'));
    expect(transactions(r).map((t) => t.amount)).toEqual([-18.4, 150, -24.99]);
  });

  it('reads ING (Netherlands) amounts signed by their Af/Bij column', async () => {
    const csv = [
      '"Datum","Naam / Omschrijving","Rekening","Tegenrekening","Code","Af Bij","Bedrag (EUR)","Mutatiesoort","Mededelingen"',
      '"20260305","ALBERT HEIJN 1234","NL91ABNA0417164300","","BA","Af","23,45","Betaalautomaat","Pasvolgnr:001"',
      '"20260304","J. DE VRIES","NL91ABNA0417164300","NL20INGB0001234567","GT","Bij","500,00","Online bankieren","Bedankt"',
    ].join('\r\n');
    const r = await run(csv);
    expect(transactions(r).map((t) => [t.date, t.amount, t.accountId])).toEqual([
      ['2026-03-04T23:00:00Z', -23.45, 'NL91ABNA0417164300'],
      ['2026-03-03T23:00:00Z', 500, 'NL91ABNA0417164300'],
    ]);
    expect(accounts(r)[0]).toMatchObject({ iban: 'NL91ABNA0417164300', vendor: 'ING' });
  });

  it('matches a layout by its header only, never by the file name', async () => {
    const bytes = fixture('csv-fortuneo.csv');
    const named = await runImporter(bankCsvImporter, bytes, { name: 'export-boursorama-2026.csv' });
    expect(named.of('bank.account')[0]).toMatchObject({ vendor: 'Fortuneo' });
  });
});

describe('inferred mapping', () => {
  it('reads tabs, a narrow no-break space in thousands, a trailing euro sign, and warns on the total line', async () => {
    const r = await run(fixture('csv-generic-tab.csv'));
    expect(transactions(r).map((t) => [t.date, t.label, t.amount, t.category, t.reference])).toEqual([
      ['2026-03-01T23:00:00Z', 'PAIEMENT CB PHARMACIE CENTRALE', -12.5, 'Santé', 'REF-0001'],
      ['2026-03-04T23:00:00Z', 'VIREMENT RECU CAF', 245, 'Allocations', 'REF-0002'],
      ['2026-03-09T23:00:00Z', 'PRLV SEPA ASSURANCE HABITATION', -1234.56, 'Assurance', 'REF-0003'],
      ['2026-03-14T23:00:00Z', 'RETRAIT DAB 15/03', -60, 'Retrait', 'REF-0004'],
    ]);
    expect(r.warnings).toEqual([
      { line: 6, message: 'skipped a total or balance line: "Total des opérations -1 062,06 €"' },
    ]);
  });

  it('finds a debit and a credit column, debits written with or without a sign, and the IBAN above', async () => {
    const r = await run(fixture('csv-generic-debit-credit.csv'));
    expect(transactions(r).map((t) => [t.label, t.amount, t.valueDate])).toEqual([
      ['COTISATION CARTE VISA PREMIER', -3.5, '2026-03-01'],
      ['CB SNCF INTERNET', -89, '2026-03-03'],
      ['VIR SEPA REMBOURSEMENT MUTUELLE', 46.2, '2026-03-05'],
    ]);
    expect(accounts(r)).toEqual([
      {
        accountId: 'FR7630004000031234567890143',
        vendor: 'Unknown bank (CSV import)',
        label: 'Unknown bank (CSV import) FR7630004000031234567890143',
        type: 'checking',
        currency: 'EUR',
        iban: 'FR7630004000031234567890143',
        balance: 2345.67,
        balanceDate: '2026-02-28T22:59:59Z',
      },
    ]);
  });

  it('reads a US export: month first, thousands commas, parentheses, dollars', async () => {
    const r = await run(fixture('csv-us-bank.csv'));
    expect(transactions(r).map((t) => [t.date, t.amount, t.currency])).toEqual([
      ['2026-03-30T22:00:00Z', 3500, 'USD'],
      ['2026-03-14T23:00:00Z', -12.5, 'USD'],
      ['2026-03-01T23:00:00Z', -200, 'USD'],
      ['2026-02-28T23:00:00Z', 923.25, 'USD'],
    ]);
    expect((await describeOf(fixture('csv-us-bank.csv'))).mapping).toMatchObject({
      dateOrder: 'MDY',
      decimalMark: '.',
    });
  });

  it('reads a file without a header row from its values', async () => {
    const r = await run(fixture('csv-headerless.csv'));
    expect(transactions(r).map((t) => [t.label, t.amount])).toEqual([
      ['CB MONOPRIX PARIS 11', -25.4],
      ['VIR SALAIRE ACME FRANCE', 1800],
      ['PRLV NETFLIX.COM', -9.99],
      ['CHEQUE N 0001234', -120],
    ]);
    const d = await describeOf(fixture('csv-headerless.csv'));
    expect(d.headerLine).toBe(0);
    expect(d.columns).toEqual(['Column 1', 'Column 2', 'Column 3', 'Column 4', 'Column 5']);
    expect(d.confidence).toBeLessThan(0.7);
  });

  it('pairs two numeric columns as debit and credit when exactly one is filled per line', async () => {
    const csv = [
      'Jour;Texte;Sortie X;Entrée Y',
      '02/01/2026;LOYER;750,00;',
      '05/01/2026;SALAIRE;;2 100,00',
      '09/01/2026;COURSES;82,15;',
    ];
    const d = await describeOf(csv.join('\n'));
    expect(d.mapping.columns).toMatchObject({ date: 0, label: 1, debit: 2, credit: 3 });
    expect(transactions(await run(csv.join('\n'))).map((t) => t.amount)).toEqual([-750, 2100, -82.15]);
  });

  it('tells the day order from the order of the lines when no day is above 12', async () => {
    const csv = [
      'Date,Description,Amount',
      '01/05/2026,A,-1.00',
      '01/06/2026,B,-2.00',
      '01/07/2026,C,-3.00',
      '01/08/2026,D,-4.00',
    ];
    // Read day first, the lines would jump a month apart; read month first, they follow day by day.
    expect((await describeOf(csv.join('\n'))).mapping.dateOrder).toBe('MDY');
    const french = ['Date;Libellé;Montant', '05/01/2026;A;-1,00', '06/01/2026;B;-2,00', '07/01/2026;C;-3,00'];
    expect((await describeOf(french.join('\n'))).mapping.dateOrder).toBe('DMY');
  });

  it('uses the day order the person chose when nothing in the file tells', async () => {
    const csv = 'Date;Libellé;Montant\n03/04/2026;ACHAT;-5,00\n';
    expect((await describeOf(csv)).mapping.dateOrder).toBe('DMY');
    expect((await describeOf(csv, { dateOrder: 'MDY' })).mapping.dateOrder).toBe('MDY');
    expect(transactions(await run(csv, { dateOrder: 'MDY' }))[0]!.date).toBe('2026-03-03T23:00:00Z');
  });

  it('describes the mapping, its confidence, the columns and the first rows for the preview', async () => {
    const d = await describeOf(fixture('csv-la-banque-postale.csv'));
    expect(d).toMatchObject({
      mapping: {
        delimiter: ';',
        headerLine: 8,
        columns: { date: 0, label: 1, amount: 2 },
        dateOrder: 'DMY',
        decimalMark: ',',
        timeZone: 'local',
        currency: 'EUR',
      },
      layout: 'La Banque Postale',
      layoutId: 'la-banque-postale',
      confidence: 1,
      missing: [],
      headerLine: 8,
      columns: ['Date', 'Libellé', 'Montant(EUROS)', 'Montant(FRANCS)'],
      account: { accountNumber: '0534567A020', balance: 1234.56, balanceDay: '2026-03-20' },
    });
    expect(d.sample[0]).toEqual(['19/03/2026', 'ACHAT CB BOULANGERIE DU PARC 18.03.26', '-4,50', '-29,52']);
    expect(d.headerSignature).toBe(
      csvHeaderSignature((await sourceFromBytes('x', fixture('csv-la-banque-postale.csv'))).sample),
    );
  });

  it('imports with the mapping the person corrected in the preview', async () => {
    const d = await describeOf(fixture('csv-bpce.csv'));
    const mapping = { ...d.mapping, columns: { ...d.mapping.columns, label: 1, category: 6 } };
    const r = await run(fixture('csv-bpce.csv'), { csvMapping: mapping });
    expect(transactions(r)[0]).toMatchObject({ label: 'INTERMARCHE', category: 'Alimentation' });
    expect((await describeOf(fixture('csv-bpce.csv'), { csvMapping: mapping })).mapping.columns.label).toBe(1);
  });

  it('refuses a corrected mapping that is not valid, saying what is wrong', async () => {
    const d = await describeOf(fixture('csv-bpce.csv'));
    const both = { ...d.mapping, columns: { ...d.mapping.columns, amount: 2 } };
    const error = await run(fixture('csv-bpce.csv'), { csvMapping: both }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FoyerError);
    expect((error as FoyerError).code).toBe('validation_failed');
    expect((error as FoyerError).message).toMatch(/either an amount column, or a debit column and a credit column/);
    const badDelimiter = await run(fixture('csv-bpce.csv'), { csvMapping: { ...d.mapping, delimiter: 'x' } }).catch(
      (e: unknown) => e,
    );
    expect((badDelimiter as FoyerError).message).toMatch(/delimiter/);
  });

  it('gives one header signature to files of one layout whatever their case, accents and trailing delimiter', async () => {
    const sig = async (text: string) => csvHeaderSignature((await sourceFromBytes('x', text)).sample);
    const a = await sig('Date;Libellé;Montant\n01/02/2026;A;-1,00\n');
    expect(await sig('DATE;LIBELLE;montant;\n05/03/2026;B;2,00;\n')).toBe(a);
    expect(await sig('Compte 123;\n\nDate;Libellé;Montant\n01/02/2026;A;-1,00\n')).toBe(a);
    expect(await sig('Date;Libellé;Montant;Solde\n01/02/2026;A;-1,00;3,00\n')).not.toBe(a);
    expect(await sig('Libellé;Date;Montant\nA;01/02/2026;-1,00\n')).not.toBe(a);
    expect(await sig('01/02/2026;-1,00;A\n02/02/2026;-2,00;B\n')).toBe('csv1:none:;:3');
    expect(await sig('{"a": 1}')).toBeNull();
  });
});

describe('bad input', () => {
  const header = 'Date;Libellé;Montant\n';

  it('stops at an amount that is not a number, naming the line', async () => {
    await expectInvalid(`${header}01/02/2026;A;-1,00\n02/02/2026;B;12,3,4\n`, /the amount "12,3,4" is not a number/, 3);
  });

  it('stops at a date that does not exist', async () => {
    await expectInvalid(
      `${header}31/01/2024;A;-1,00\n31/02/2024;B;-2,00\n`,
      /the date "31\/02\/2024" does not exist\./,
      3,
    );
  });

  it('says so when a date reads only the other way round', async () => {
    await expectInvalid(
      `${header}13/01/2026;A;-1,00\n01/25/2026;B;-2,00\n`,
      /the date "01\/25\/2026" does not exist \(dates were read as DMY; this one reads as MDY/,
      3,
    );
  });

  it('stops at absurd dates and amounts', async () => {
    await expectInvalid(
      `${header}01/02/1200;A;-1,00\n`,
      /the date "01\/02\/1200" is impossible: the year 1200 is before 1900/,
      2,
    );
    await expectInvalid(
      `${header}01/02/9999;A;-1,00\n`,
      /the date "01\/02\/9999" is impossible: the year 9999 is too far/,
      2,
    );
    await expectInvalid(`${header}01/02/2026;A;-1000000000000000,00\n`, /is absurd \(a trillion or more\)/, 2);
    await expectInvalid(
      'Date;Libellé;Débit;Crédit\n01/02/2026;A;;9999999999999\n',
      /the credit "9999999999999" is absurd/,
      2,
    );
    await expectInvalid(
      'Date;Date de valeur;Libellé;Montant\n01/02/2026;01/02/1800;A;-1,00\n',
      /the date "01\/02\/1800" is impossible/,
      2,
    );
  });

  it('refuses a file with a header and no operations', async () => {
    await expectInvalid(header, /the file has a header but no operations below it/, 1);
    await expectInvalid(
      latin1('Numéro Compte ;0534567A020\n\nDate;Libellé;Montant(EUROS)\n'),
      /header but no operations/,
      3,
    );
  });

  it('says which columns it could not find', async () => {
    await expectInvalid(
      'Date;Libellé;Commentaire\n01/02/2026;ACHAT;rien\n02/02/2026;VENTE;encore\n',
      /could not find an amount column \(or a debit and a credit column\) among the columns "Date", "Libellé", "Commentaire"; choose the columns in the preview/,
      1,
    );
    const d = await describeOf('Date;Libellé;Commentaire\n01/02/2026;ACHAT;rien\n');
    expect(d.missing).toEqual(['amount']);
    expect(d.confidence).toBe(0);
  });

  it('stops at a line cut short', async () => {
    await expectInvalid(
      `${header}01/02/2026;A;-1,00\n02/02/2026;B\n`,
      /the line has 2 fields where the header has 3: cut short\?/,
      3,
    );
  });

  it('stops at a line with an amount but no date, and skips a line with neither, with a warning', async () => {
    await expectInvalid(`${header}01/02/2026;A;-1,00\n;B;-2,00\n`, /this line has an amount but no date/, 3);
    await expectInvalid(`${header}01/02/2026;A;-1,00\nhier;B;-2,00\n`, /the date "hier" is not a date/, 3);
    const r = await run(`${header}01/02/2026;A;-1,00\nOpérations à venir;;\n03/02/2026;C;-3,00\n`);
    expect(transactions(r)).toHaveLength(2);
    expect(r.warnings).toEqual([{ line: 3, message: 'skipped a line that is not an operation: "Opérations à venir"' }]);
  });

  it('skips a dated balance line with a warning, and keeps operations whose label only starts like one', async () => {
    const r = await run(
      `${header}01/02/2026;TOTAL ENERGIES STATION 12;-60,00\n02/02/2026;SOLDE DE TOUT COMPTE ACME;1 200,00\n` +
        `28/02/2026;Solde créditeur au 28/02/2026;2 345,67\n`,
    );
    expect(transactions(r).map((t) => t.label)).toEqual(['TOTAL ENERGIES STATION 12', 'SOLDE DE TOUT COMPTE ACME']);
    expect(r.warnings).toEqual([
      { line: 4, message: 'skipped a total or balance line: "Solde créditeur au 28/02/2026"' },
    ]);
  });

  it('stops at a line with both a debit and a credit, or neither', async () => {
    const dc = 'Date;Libellé;Débit;Crédit\n';
    await expectInvalid(`${dc}01/02/2026;A;5,00;6,00\n`, /both a debit \(5\) and a credit \(6\)/, 2);
    await expectInvalid(`${dc}01/02/2026;A;5,00;\n02/02/2026;B;;\n`, /neither a debit nor a credit/, 3);
  });

  it('stops at a file cut inside a quoted label', async () => {
    await expectInvalid(`${header}01/02/2026;"ACHAT;-1,00\n02/02/2026;B;-2,00\n`, /ends inside a quoted field/, 2);
  });

  it('refuses what is not a table', async () => {
    await expectInvalid('{"date": "2026-01-01", "amount": 12}', /not a table of bank lines/);
  });
});
