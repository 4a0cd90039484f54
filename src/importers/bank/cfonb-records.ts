/**
 * CFONB 120 records ("relevé de compte sur support informatique"): fixed 120-character records,
 * one per line or all run together on one line, read from the text stream without ever holding
 * more than a record (a one-line file of any size stays bounded).
 *
 * Positions (1-based) shared by every record: 1-2 record code (01 old balance, 04 movement, 05
 * complement of the movement, 07 new balance), 3-7 bank code, 12-16 counter (guichet) code, 17-19
 * currency, 20 number of decimals, 22-32 account number, 35-40 date DDMMYY, 91-104 amount (01, 04,
 * 07), whose last character carries the sign and the last digit: `{` `A`-`I` positive 0-9, `}`
 * `J`-`R` negative 0-9.
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';
import { shortYearDay, type Fail } from './bank-date-time.js';
import { checkCents, checkCurrency } from './bank-statement-records.js';

export const RECORD_LENGTH = 120;

export interface CfonbRecord {
  text: string;
  line: number;
  /** Its rank in the file, from 1: several records can share a line. */
  number: number;
}

/** Shortest records accepted with their trailing spaces stripped (by a mail program or an editor). */
const SHORTEST: Record<string, number> = { '01': 104, '04': 104, '05': 48, '07': 104 };

/**
 * The records of the file, each exactly 120 characters. Lines whose trailing spaces were stripped
 * get them back; a line of any other length is refused, naming it.
 */
export async function* cfonbRecords(source: ImportSource): AsyncIterable<CfonbRecord> {
  let line = 1;
  let number = 0;
  let buffer = '';
  let afterCr = false;
  const finish = function* (): Generator<CfonbRecord> {
    // DOS end-of-file marks (Ctrl-Z) and blank lines carry nothing.
    // eslint-disable-next-line no-control-regex
    const text = buffer.replace(/\u001a+$/, '');
    buffer = '';
    if (text.trim() === '') return;
    if (text.length === RECORD_LENGTH || text.length >= (SHORTEST[text.slice(0, 2)] ?? RECORD_LENGTH)) {
      yield { text: text.padEnd(RECORD_LENGTH, ' '), line, number: ++number };
      return;
    }
    throw importError(
      source.name,
      `a record has ${text.length} characters; CFONB 120 records have 120 ("${text.slice(0, 30).trim()}...")`,
      line,
      { record: number + 1 },
    );
  };
  for await (const chunk of source.text()) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (c === '\n' || c === '\r') {
        if (c === '\n' && afterCr) {
          afterCr = false;
          continue;
        }
        afterCr = c === '\r';
        yield* finish();
        line++;
        continue;
      }
      afterCr = false;
      // A character past 120 on the same line: the first 120 were a complete record.
      if (buffer.length === RECORD_LENGTH) {
        yield { text: buffer, line, number: ++number };
        buffer = '';
      }
      buffer += c;
    }
  }
  yield* finish();
}

/** A field by its 1-based positions, as the CFONB layout gives them. */
export function field(record: string, from: number, to: number): string {
  return record.slice(from - 1, to);
}

const POSITIVE = '{ABCDEFGHI';
const NEGATIVE = '}JKLMNOPQR';

/** An amount zone: digits, the last character carrying sign and last digit; in cents. */
export function cfonbCents(zone: string, decimals: number, fail: Fail): number {
  const digits = zone.slice(0, -1);
  const last = zone.slice(-1);
  if (!/^\d+$/.test(digits)) return fail(`the amount "${zone.trim()}" is not a number`);
  const positive = POSITIVE.indexOf(last);
  const negative = NEGATIVE.indexOf(last);
  if (positive === -1 && negative === -1) {
    return fail(`the amount "${zone}" ends with "${last}", which is not a CFONB sign character ({, A-I, }, J-R)`);
  }
  const units = Number(digits + String(positive === -1 ? negative : positive));
  const cents = decimals <= 2 ? units * 10 ** (2 - decimals) : Math.round(units / 10 ** (decimals - 2));
  return checkCents((negative === -1 ? 1 : -1) * cents, zone, fail);
}

/** Number of decimals (position 20). */
export function cfonbDecimals(record: string, fail: Fail): number {
  const d = field(record, 20, 20);
  if (!/^[0-3]$/.test(d)) return fail(`the number of decimals "${d}" (position 20) is not 0 to 3`);
  return Number(d);
}

export function cfonbCurrency(record: string, fail: Fail): string {
  return checkCurrency(field(record, 17, 19), fail);
}

/** A DDMMYY date zone; undefined when blank. */
export function cfonbDay(zone: string, now: number, fail: Fail): string | undefined {
  if (zone.trim() === '') return undefined;
  if (!/^\d{6}$/.test(zone)) return fail(`the date "${zone}" is not DDMMYY`);
  return shortYearDay(Number(zone.slice(4, 6)), Number(zone.slice(2, 4)), Number(zone.slice(0, 2)), now, zone, fail);
}
