/**
 * An OFX 1.x (SGML) bank statement for the import benchmark, streamed to disk: a French bank's
 * export with a checking account statement holding nine transactions in ten and a card statement
 * holding the rest, unclosed leaf tags, CRLF line ends, decimal commas, day-only dates, a user date
 * now and then, NAME cut at 32 characters with the full wording in MEMO, cheques, escaped `&`.
 * About 230 bytes a transaction: 100,000 make a file of about 23 MB. Deterministic for a count.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Rng } from '../../catalog/synthetic/rng.js';

const HEADER = [
  'OFXHEADER:100',
  'DATA:OFXSGML',
  'VERSION:102',
  'SECURITY:NONE',
  'ENCODING:USASCII',
  'CHARSET:1252',
  'COMPRESSION:NONE',
  'OLDFILEUID:NONE',
  'NEWFILEUID:NONE',
  '',
].join('\r\n');

const START_DAY = Date.UTC(2012, 0, 2);
const DAY = 86_400_000;

const OPERATIONS: readonly (readonly [type: string, name: string, min: number, max: number, weight: number])[] = [
  ['DEBIT', 'CB CARREFOUR MARKET', -180, -8, 30],
  ['DEBIT', 'CB BOULANGERIE DU MARCHE', -25, -2, 20],
  ['DEBIT', 'CB SNCF INTERNET', -140, -15, 6],
  ['DIRECTDEBIT', 'PRLV SEPA EDF & GDF', -160, -40, 5],
  ['DIRECTDEBIT', 'PRLV SEPA FREE MOBILE', -30, -10, 5],
  ['ATM', 'RETRAIT DAB', -200, -20, 8],
  ['CHECK', 'CHEQUE', -400, -20, 3],
  ['XFER', 'VIR SEPA LOYER APPARTEMENT', -1100, -700, 3],
  ['CREDIT', 'VIR SEPA SALAIRE ENTREPRISE', 1900, 3200, 4],
  ['CREDIT', 'REMBOURSEMENT SECURITE SOCIALE', 5, 90, 4],
  ['SRVCHG', 'FRAIS TENUE DE COMPTE', -8, -2, 2],
];

/** Writes a statement file of `count` transactions to `path`; resolves once the file is flushed. */
export async function writeOfx(path: string, count: number): Promise<void> {
  const rng = new Rng(`ofx:${count}`);
  const out = createWriteStream(path, { encoding: 'latin1', highWaterMark: 1 << 20 });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const cardCount = Math.floor(count / 10);
  const bankCount = count - cardCount;
  // About six a day, over ten years at most: dates stay in the past whatever the count.
  const days = Math.min(3650, Math.max(1, Math.ceil(count / 6)));
  const end = ofxDay(START_DAY + days * DAY);

  await write(
    `${HEADER}\r\n<OFX>\r\n<SIGNONMSGSRSV1>\r\n<SONRS>\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n`,
  );
  await write(`<DTSERVER>${end}120000\r\n<LANGUAGE>FRA\r\n<FI>\r\n<ORG>Banque Exemple\r\n<FID>30004\r\n</FI>\r\n`);
  await write('</SONRS>\r\n</SIGNONMSGSRSV1>\r\n');
  await write('<BANKMSGSRSV1>\r\n<STMTTRNRS>\r\n<TRNUID>1\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n');
  await write('<STMTRS>\r\n<CURDEF>EUR\r\n<BANKACCTFROM>\r\n<BANKID>30004\r\n<BRANCHID>00123\r\n');
  await write(`<ACCTID>00012345678\r\n<ACCTTYPE>CHECKING\r\n</BANKACCTFROM>\r\n`);
  await transactions(rng, write, 'B', bankCount, days, end);
  await write('<LEDGERBAL>\r\n<BALAMT>1523,48\r\n<DTASOF>' + end + '\r\n</LEDGERBAL>\r\n</STMTRS>\r\n');
  await write('</STMTTRNRS>\r\n</BANKMSGSRSV1>\r\n');
  await write(
    '<CREDITCARDMSGSRSV1>\r\n<CCSTMTTRNRS>\r\n<TRNUID>2\r\n<STATUS>\r\n<CODE>0\r\n<SEVERITY>INFO\r\n</STATUS>\r\n',
  );
  await write('<CCSTMTRS>\r\n<CURDEF>EUR\r\n<CCACCTFROM>\r\n<ACCTID>XXXXXXXXXXXX4242\r\n</CCACCTFROM>\r\n');
  await transactions(rng, write, 'C', cardCount, days, end);
  await write('<LEDGERBAL>\r\n<BALAMT>-412,90\r\n<DTASOF>' + end + '\r\n</LEDGERBAL>\r\n</CCSTMTRS>\r\n');
  await write('</CCSTMTTRNRS>\r\n</CREDITCARDMSGSRSV1>\r\n</OFX>\r\n');
  out.end();
  await once(out, 'finish');
}

async function transactions(
  rng: Rng,
  write: (text: string) => Promise<void>,
  prefix: string,
  count: number,
  days: number,
  end: string,
): Promise<void> {
  await write(`<BANKTRANLIST>\r\n<DTSTART>${ofxDay(START_DAY)}\r\n<DTEND>${end}\r\n`);
  const weights = OPERATIONS.map((op, i) => [i, op[4]] as const);
  let batch = '';
  for (let i = 0; i < count; i++) {
    const day = START_DAY + Math.floor((i / Math.max(1, count)) * days) * DAY;
    const [type, name, min, max] = OPERATIONS[rng.weighted(weights)]!;
    const amount = rng.float(min, max, 2);
    const check = type === 'CHECK' ? String(8_800_000 + i) : '';
    const memo = `${name} ${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')} PARIS ${rng.int(1, 20)}`;
    batch +=
      `<STMTTRN>\r\n<TRNTYPE>${type}\r\n<DTPOSTED>${ofxDay(day)}\r\n` +
      (rng.chance(0.3) ? `<DTUSER>${ofxDay(day - DAY)}\r\n` : '') +
      `<TRNAMT>${amount.toFixed(2).replace('.', ',')}\r\n<FITID>${prefix}${String(i).padStart(10, '0')}\r\n` +
      (check ? `<CHECKNUM>${check}\r\n<NAME>CHEQUE ${check}\r\n` : `<NAME>${escape(name.slice(0, 32))}\r\n`) +
      `<MEMO>${escape(memo)}\r\n</STMTTRN>\r\n`;
    if (batch.length > 256 * 1024) {
      await write(batch);
      batch = '';
    }
  }
  await write(`${batch}</BANKTRANLIST>\r\n`);
}

function ofxDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;');
}
