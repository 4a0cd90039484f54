import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../importer.js';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { ofxImporter } from './ofx-importer.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const text = (name: string) => fixture(name).toString('latin1');
const FR = 'ofx-102-sgml-fr.ofx';
const US = 'ofx-211-xml-us.ofx';
const MIXED = 'ofx-220-xml-header-sgml-body.ofx';
const QFX = 'ofx-qfx-quicken-card.qfx';

/** A minimal 1.x statement around `transactions`, for bad-input cases. */
function statement(
  transactions: string,
  head = '<CURDEF>EUR\n<BANKACCTFROM>\n<BANKID>30004\n<ACCTID>123\n</BANKACCTFROM>',
): string {
  return `OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n<OFX>\n<BANKMSGSRSV1>\n<STMTTRNRS>\n<STMTRS>\n${head}\n<BANKTRANLIST>\n${transactions}\n</BANKTRANLIST>\n</STMTRS>\n</STMTTRNRS>\n</BANKMSGSRSV1>\n</OFX>\n`;
}
const keyOf = (record: ImportRecord) => (record.kind === 'document' ? record.key : undefined);
const trn = (fields: string) => `<STMTTRN>\n${fields}\n</STMTTRN>`;

async function rejection(bytes: string | Uint8Array, name = 'releve.ofx') {
  try {
    await runImporter(ofxImporter, bytes, { name });
  } catch (e) {
    return e as { code: string; message: string; details: { file: string; line?: number } };
  }
  throw new Error('expected the import to fail');
}

describe('OFX detection', () => {
  it('recognises 1.x headers, 2.x headers and a bare <OFX> root', async () => {
    for (const name of [FR, US, MIXED, QFX]) expect(await detectionOf(ofxImporter, fixture(name))).toBe(1);
    expect(await detectionOf(ofxImporter, '\uFEFF<?xml version="1.0"?>\n<!-- export -->\n<OFX>\n</OFX>')).toBe(0.9);
    expect(await detectionOf(ofxImporter, '<ofx><signonmsgsrsv1>')).toBe(0.9);
  });

  it('does not claim other formats', async () => {
    const others = [
      fixture('qif-bank-us-quicken.qif'),
      fixture('camt053-v02-two-statements.xml'),
      'Date;Libellé;Montant\n12/03/2024;CB CARREFOUR;-12,50\n',
      '{"transactions":[{"amount":-12.5}]}',
      '<?xml version="1.0"?><Document><OFX>not at the root</OFX></Document>',
      'Mon relevé OFX du mois de mars\n',
      '',
    ];
    for (const other of others) expect(await detectionOf(ofxImporter, other)).toBe(0);
  });
});

describe('OFX import', () => {
  it('reads a French 1.x SGML statement in Windows-1252 with decimal commas and day-only dates', async () => {
    const result = await runImporter(ofxImporter, fixture(FR), { name: FR });
    expect(result.warnings).toEqual([]);
    await expectCatalogValid(result.records);
    const accountId = '17515:04123456789';
    expect(result.records[0]).toEqual({
      kind: 'document',
      doctype: 'bank.transaction',
      key: `id:${accountId}|2024031200001`,
      line: 44,
      data: {
        // DTUSER (11 March) is the operation date; DTPOSTED (12 March) stays in extra.
        date: '2024-03-10T23:00:00Z',
        label: 'CB CARREFOUR MARKET 11/03 PARIS 11',
        amount: -12.5,
        currency: 'EUR',
        accountId,
        type: 'other',
        extra: { ofxType: 'DEBIT', posted: '2024-03-11T23:00:00Z' },
      },
    });
    const byKey = Object.fromEntries(result.records.map((r) => [keyOf(r), r.data]));
    expect(byKey[`id:${accountId}|2024030500002`]).toMatchObject({
      label: 'VIR SEPA SALAIRE MARS',
      amount: 2350,
      type: 'credit',
    });
    expect(byKey[`id:${accountId}|2024030700003`]).toMatchObject({
      label: 'CHEQUE 8812345',
      reference: '8812345',
      type: 'check',
    });
    expect(byKey[`id:${accountId}|2024031000004`]).toMatchObject({
      label: 'PRLV SEPA EDF & GDF - Électricité échéance mars',
      amount: -78.31,
      type: 'direct_debit',
      valueDate: '2024-03-11',
    });
    expect(byKey[`id:${accountId}|2024031400005`]).toMatchObject({ amount: -2.9, type: 'fee' });
    expect(result.of('bank.account')).toEqual([
      {
        accountId,
        vendor: "Caisse d'Épargne",
        label: 'Checking account 04123456789',
        type: 'checking',
        currency: 'EUR',
        balance: 1523.48,
        // A balance as of a day holds at its end.
        balanceDate: '2024-03-15T22:59:59Z',
        extra: { bankId: '17515', branchId: '90000', ofxAccountType: 'CHECKING', availableBalance: 1498.48 },
      },
    ]);
  });

  it('reads a 2.x XML file: offsets, entities, payee, foreign currency, a card statement, a repeated FITID', async () => {
    const result = await runImporter(ofxImporter, fixture(US), { name: US });
    await expectCatalogValid(result.records);
    expect(result.warnings).toEqual([
      { line: 58, message: 'transaction "A1001" appears twice with the same content: kept once.' },
    ]);
    const transactions = result.of('bank.transaction');
    expect(transactions).toHaveLength(6);
    expect(transactions[0]).toMatchObject({
      date: '2024-03-12T17:00:00Z',
      label: 'JOHNSON & JOHNSON CAFé - Debit card purchase <1234>',
      amount: -42.17,
      currency: 'USD',
      accountId: '121000248:5551234567',
      type: 'card',
    });
    expect(transactions[1]).toMatchObject({ date: '2024-03-13T13:30:00Z', type: 'withdrawal', amount: -100 });
    expect(transactions[2]).toMatchObject({
      label: 'Jane "JJ" Doe - Rent share',
      counterparty: { name: 'Jane "JJ" Doe' },
      type: 'transfer',
    });
    // TRNAMT in CURSYM (EUR), converted to the account's dollars with CURRATE.
    expect(transactions[3]).toMatchObject({ amount: -58.59, originalAmount: -54, originalCurrency: 'EUR' });
    expect(transactions[4]).toMatchObject({ accountId: '****1111', type: 'card', amount: -19.99 });
    expect(transactions[5]).toMatchObject({ accountId: '****1111', type: 'credit', amount: 250 });
    expect(result.of('bank.account')).toEqual([
      expect.objectContaining({
        accountId: '121000248:5551234567',
        balance: 2210.33,
        balanceDate: '2024-03-20T17:00:00Z',
      }),
      expect.objectContaining({ accountId: '****1111', type: 'card', label: 'Card ****1111', balance: -812.4 }),
    ]);
    // The full card number is nowhere in what is stored.
    expect(JSON.stringify(result.records)).not.toContain('4111111111111111');
  });

  it('reads a file that declares XML but carries SGML: IBAN account, odd offsets, missing and reused FITIDs', async () => {
    const result = await runImporter(ofxImporter, fixture(MIXED), { name: MIXED });
    await expectCatalogValid(result.records);
    const iban = 'DE89370400440532013000';
    expect(result.warnings).toEqual([
      {
        line: 41,
        message: 'transactions without a FITID are keyed by their day, amount and label (said once for the file).',
      },
      {
        line: 55,
        message: 'the FITID "Z-2" is used again for a different transaction: this one is keyed by its content.',
      },
    ]);
    expect(result.records.map((r) => [keyOf(r), r.data.date, r.data.amount])).toEqual([
      [`id:${iban}|Z-1`, '2024-03-31T22:00:00Z', 3.75],
      [`fp1:${iban}|2024-03-15|-150|KONTOFUHRUNG|0`, '2024-03-15T07:00:00Z', -1.5],
      [`id:${iban}|Z-2`, '2024-03-20T19:00:00Z', -200],
      [`fp1:${iban}|2024-03-21|-20000|UBERWEISUNG MIETE|0`, '2024-03-20T23:00:00Z', -200],
      [`account:${iban}`, undefined, undefined],
    ]);
    expect(result.of('bank.account')[0]).toMatchObject({
      accountId: iban,
      iban,
      vendor: 'Musterbank Köln',
      type: 'savings',
      balanceDate: '2024-03-31T21:59:59Z',
    });
  });

  it('reads a QFX card statement written on one line, Quicken tags included', async () => {
    const result = await runImporter(ofxImporter, fixture(QFX), { name: QFX });
    expect(result.warnings).toEqual([]);
    await expectCatalogValid(result.records);
    expect(result.of('bank.transaction').map((d) => [d.date, d.amount, d.label, d.type])).toEqual([
      ['2024-03-05T07:00:00Z', -64.12, 'GROCERY OUTLET #123 PHOENIX AZ', 'card'],
      ['2024-03-07T07:00:00Z', 15, 'RETURN: SHOE STORE', 'credit'],
      ['2024-03-08T07:00:00Z', -3, 'FOREIGN TRANSACTION FEE', 'fee'],
    ]);
    expect(result.of('bank.account')[0]).toMatchObject({
      accountId: 'XXXXXXXXXXXX4242',
      vendor: 'B1',
      balance: -1042.55,
      extra: { availableBalance: 3957.45 },
    });
  });

  it('reads the same file in UTF-16 and UTF-8 with a byte order mark', async () => {
    const utf8 = await runImporter(ofxImporter, fixture(US), { name: US });
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text(US).replace('UTF-8', 'UTF-16'), 'utf16le'),
    ]);
    expect((await runImporter(ofxImporter, utf16)).records).toEqual(utf8.records);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture(US)]);
    expect((await runImporter(ofxImporter, bom)).records).toEqual(utf8.records);
  });

  it('reads several OFX documents written one after the other in one file', async () => {
    const result = await runImporter(ofxImporter, Buffer.concat([fixture(FR), fixture(QFX)]));
    expect(result.of('bank.account').map((a) => a.accountId)).toEqual(['17515:04123456789', 'XXXXXXXXXXXX4242']);
    expect(result.of('bank.transaction')).toHaveLength(8);
  });

  it('keeps one account for several statements of it, with the latest balance', async () => {
    const one = (day: string, balance: string, fitId: string) =>
      `<STMTTRNRS>\n<STMTRS>\n<CURDEF>EUR\n<BANKACCTFROM>\n<BANKID>1\n<ACCTID>2\n</BANKACCTFROM>\n<BANKTRANLIST>\n${trn(
        `<TRNTYPE>DEBIT\n<DTPOSTED>${day}\n<TRNAMT>-1\n<FITID>${fitId}\n<NAME>X`,
      )}\n</BANKTRANLIST>\n<LEDGERBAL>\n<BALAMT>${balance}\n<DTASOF>${day}\n</LEDGERBAL>\n</STMTRS>\n</STMTTRNRS>\n`;
    const file = `OFXHEADER:100\n\n<OFX>\n<BANKMSGSRSV1>\n${one('20240430', '200', 'b')}${one('20240331', '100', 'a')}</BANKMSGSRSV1>\n</OFX>\n`;
    const result = await runImporter(ofxImporter, file);
    expect(result.of('bank.transaction')).toHaveLength(2);
    expect(result.of('bank.account')).toEqual([expect.objectContaining({ accountId: '1:2', balance: 200 })]);
  });

  it('files a statement that names no account under the chosen account, and says so', async () => {
    const file = statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>-1\n<FITID>1\n<NAME>X'), '<CURDEF>EUR');
    const result = await runImporter(ofxImporter, file, { options: { accountId: 'FR7630006000011234567890189' } });
    expect(result.of('bank.transaction')[0]).toMatchObject({ accountId: 'FR7630006000011234567890189' });
    expect(result.warnings).toEqual([
      { line: 8, message: 'the statement names no account: its lines go to account "FR7630006000011234567890189".' },
    ]);
  });

  it('skips what it does not import, with warnings: investments, pending lists, deletions, stray tags', async () => {
    const file = statement(
      [
        trn(
          '<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>-1\n<FITID>9\n<NAME>GONE\n<CORRECTFITID>8\n<CORRECTACTION>DELETE',
        ),
        trn('<TRNTYPE>HOLD\n<DTPOSTED>20240313\n<TRNAMT>-5\n<FITID>10\n<NAME>HELD</NAME></MEMO>'),
        '</BANKTRANLIST>\n<BANKTRANLISTP>\n<STMTTRNP>\n<TRNTYPE>DEBIT\n<DTTRAN>20240314\n<TRNAMT>-3\n</STMTTRNP>\n</BANKTRANLISTP>\n<BANKTRANLIST>',
      ].join('\n'),
    ).replace(
      '</OFX>',
      '<INVSTMTMSGSRSV1>\n<INVSTMTTRNRS>\n<INVSTMTRS>\n<CURDEF>EUR\n</INVSTMTRS>\n</INVSTMTTRNRS>\n</INVSTMTMSGSRSV1>\n</OFX>',
    );
    const result = await runImporter(ofxImporter, file);
    await expectCatalogValid(result.records);
    expect(result.of('bank.transaction')).toEqual([
      expect.objectContaining({ label: 'HELD', bookingStatus: 'pending' }),
    ]);
    expect(result.warnings.map((w) => w.message)).toEqual([
      'a correction deletes transaction "8": imports never delete, skipped.',
      'a closing </MEMO> that closes nothing: ignored.',
      '1 pending transactions skipped: they come back with their own id once booked.',
      'an investment statement: not imported (only bank and card statements are).',
    ]);
  });

  it('never resolves declared entities: a DOCTYPE is skipped and unknown references stay as written', async () => {
    const file = statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>-1\n<FITID>1\n<NAME>&xxe;&lol2;')).replace(
      '<OFX>',
      '<!DOCTYPE OFX [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY lol2 "&lol;&lol;">]>\n<OFX>',
    );
    const result = await runImporter(ofxImporter, file);
    expect(result.of('bank.transaction')[0]).toMatchObject({ label: '&xxe;&lol2;' });
  });

  it('warns once when a day-only date carries a time zone, and keeps the bank day', async () => {
    const file = statement(
      [
        trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312[-5:EST]\n<TRNAMT>-1\n<FITID>1\n<NAME>A'),
        trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240313[-5:EST]\n<TRNAMT>-2\n<FITID>2\n<NAME>B'),
      ].join('\n'),
    );
    const result = await runImporter(ofxImporter, file);
    expect(result.of('bank.transaction').map((d) => d.date)).toEqual(['2024-03-11T23:00:00Z', '2024-03-12T23:00:00Z']);
    expect(result.warnings).toEqual([
      {
        line: 17,
        message:
          'the date "20240312[-5:EST]" has a time zone but no time: read as the bank\'s day (said once for the file).',
      },
    ]);
  });
});

describe('OFX bad input', () => {
  it('refuses a truncated file (closing aggregates missing), naming the file and the last line', async () => {
    const whole = text(FR);
    const cut = whole.slice(0, whole.indexOf('</STMTTRN>', whole.indexOf('2024031000004')));
    const error = await rejection(Buffer.from(cut, 'latin1'));
    expect(error).toMatchObject({ code: 'import_invalid', details: { file: 'releve.ofx', line: 76 } });
    expect(error.message).toBe(
      'releve.ofx, line 76: the file ends inside the <STMTTRN> opened at line 69, before its closing tag: it looks cut short.',
    );
    const noEnd = await rejection(Buffer.from(whole.replace('</OFX>', ''), 'latin1'));
    expect(noEnd.message).toMatch(/ends inside the <OFX> opened at line 11/);
  });

  it('refuses a TRNAMT that is not a number, naming its line', async () => {
    const error = await rejection(statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>12,3,4\n<FITID>1')));
    expect(error).toMatchObject({
      code: 'import_invalid',
      message: 'releve.ofx, line 18: the amount "12,3,4" is not a number',
      details: { file: 'releve.ofx', line: 18 },
    });
    const absurd = await rejection(statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>-1e15\n<FITID>1')));
    expect(absurd.message).toBe('releve.ofx, line 18: the amount "-1e15" is not a number');
    const huge = await rejection(statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>9999999999999\n<FITID>1')));
    expect(huge.message).toBe('releve.ofx, line 18: the amount "9999999999999" is absurd (a trillion or more)');
    const missing = await rejection(statement(trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<FITID>1')));
    expect(missing.message).toBe('releve.ofx, line 15: a transaction has no amount (TRNAMT).');
  });

  it('refuses impossible and absurd dates, naming their line', async () => {
    const cases: [string, string][] = [
      ['00000312', 'the date "00000312" is impossible: the year 0 is before 1900'],
      ['20241312', 'the date "20241312" is impossible: month 13 does not exist'],
      ['99990101', 'the date "99990101" is impossible: the year 9999 is too far in the future'],
      ['12/03/2024', '"12/03/2024" is not an OFX date (YYYYMMDDHHMMSS[offset:zone])'],
    ];
    for (const [date, message] of cases) {
      const error = await rejection(statement(trn(`<TRNTYPE>DEBIT\n<DTPOSTED>${date}\n<TRNAMT>-1\n<FITID>1`)));
      expect(error.message).toBe(`releve.ofx, line 17: ${message}`);
    }
  });

  it('refuses a statement without currency, nested statements, and files with no statement or no OFX', async () => {
    const noCurrency = await rejection(
      statement(
        trn('<TRNTYPE>DEBIT\n<DTPOSTED>20240312\n<TRNAMT>-1\n<FITID>1'),
        '<BANKACCTFROM>\n<ACCTID>1\n</BANKACCTFROM>',
      ),
    );
    expect(noCurrency.message).toBe('releve.ofx, line 8: the statement opened at line 8 gives no currency (CURDEF).');
    const nested = await rejection(statement('<STMTRS>\n</STMTRS>'));
    expect(nested.message).toBe('releve.ofx, line 15: a statement opens inside the one opened at line 8.');
    const signOnOnly =
      'OFXHEADER:100\n\n<OFX>\n<SIGNONMSGSRSV1>\n<SONRS>\n<STATUS>\n<CODE>15500\n<SEVERITY>ERROR\n<MESSAGE>Signon invalid\n</STATUS>\n</SONRS>\n</SIGNONMSGSRSV1>\n</OFX>\n';
    const empty = await rejection(signOnOnly);
    expect(empty.message).toBe(
      'releve.ofx: the file holds no statement; the bank reports an error: 15500 Signon invalid.',
    );
    const headerOnly = await rejection('OFXHEADER:100\nDATA:OFXSGML\n');
    expect(headerOnly.message).toBe('releve.ofx: there is no <OFX> element: this is not an OFX file, or it is empty.');
  });
});
