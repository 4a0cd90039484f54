/**
 * The fixed parts of MT940 fields: the statement line `:61:` and balances (`:60F:`, `:62F:`...).
 *
 *   :61: 240312 0312 D R 45,90 NTRF NONREF //BANKREF123  (then, on the next line, 34 characters
 *        value  entry mark funds amount type reference bank reference   of supplementary details)
 *
 * The entry date has no year: it is the value date's, unless the two straddle a year end.
 */
import { shortYearDay, type Fail } from './bank-date-time.js';
import { checkCents, checkCurrency } from './bank-statement-records.js';
import { centsOf } from './bank-values.js';

const STATEMENT_LINE = /^(\d{6})(\d{4})?(RC|RD|EC|ED|C|D)([A-Z])?(\d[\d,.]*)([NSF][A-Z0-9]{3})(.*)$/;
const BALANCE = /^([CD])(\d{6})([A-Z]{3})(\d[\d,.]*)$/;

export interface StatementLine {
  valueDay: string;
  /** Booking day: the entry date when given, else the value date. */
  bookingDay: string;
  /** Signed, in cents. */
  cents: number;
  reversal: boolean;
  /** The type code without its first letter (`TRF` of `NTRF`). */
  typeCode: string;
  customerReference?: string;
  bankReference?: string;
  supplementary?: string;
}

export function parseStatementLine(text: string, now: number, fail: Fail): StatementLine {
  const m = STATEMENT_LINE.exec(text.trim());
  if (!m)
    return fail(
      `the statement line ":61:${text.trim().slice(0, 40)}" does not read as date, D/C mark, amount and type code`,
    );
  const [, value, entry, mark, , amountText, type, rest] = m;
  const valueDay = yymmdd(value!, now, fail);
  let bookingDay = valueDay;
  if (entry) {
    const month = Number(entry.slice(0, 2));
    const valueYear = Number(valueDay.slice(0, 4));
    const valueMonth = Number(valueDay.slice(5, 7));
    // A value date in January may be booked on 31 December, and the other way round.
    const year = month - valueMonth > 6 ? valueYear - 1 : valueMonth - month > 6 ? valueYear + 1 : valueYear;
    bookingDay = shortYearDay(year % 100, month, Number(entry.slice(2, 4)), now, `${value}${entry}`, fail);
  }
  const cents = swiftAmount(amountText!, fail);
  // RC: a credit reversed (money out); RD: a debit reversed (money in). EC/ED: expected, as C/D.
  const sign = mark === 'D' || mark === 'RC' || mark === 'ED' ? -1 : 1;
  const [reference, bank = ''] = splitOnce(rest!, '//');
  const bankReference = bank.slice(0, 16).trim();
  const supplementary = bank.slice(16).trim();
  return {
    valueDay,
    bookingDay,
    cents: sign * cents,
    reversal: mark === 'RC' || mark === 'RD',
    typeCode: type!.slice(1),
    ...(reference.trim() ? { customerReference: reference.trim() } : {}),
    ...(bankReference ? { bankReference } : {}),
    ...(supplementary ? { supplementary } : {}),
  };
}

export interface Balance {
  day: string;
  currency: string;
  /** Signed, in cents. */
  cents: number;
}

/** `:60F:`, `:62F:`, `:64:`...: C or D, YYMMDD, currency, amount. */
export function parseBalance(tag: string, text: string, now: number, fail: Fail): Balance {
  const m = BALANCE.exec(text.trim());
  if (!m)
    return fail(
      `the balance ":${tag}:${text.trim().slice(0, 40)}" does not read as D/C mark, date, currency and amount`,
    );
  const [, mark, date, currency, amountText] = m;
  return {
    day: yymmdd(date!, now, fail),
    currency: checkCurrency(currency!, fail),
    cents: (mark === 'D' ? -1 : 1) * swiftAmount(amountText!, fail),
  };
}

/** A SWIFT amount: digits, a decimal comma (a point is tolerated), at most one of them. */
function swiftAmount(text: string, fail: Fail): number {
  const m = /^(\d{1,15})(?:[,.](\d{0,5}))?$/.exec(text);
  if (!m) return fail(`the amount "${text.slice(0, 40)}" is not a number`);
  return checkCents(centsOf(m[1]!, m[2] ?? ''), text, fail);
}

function yymmdd(text: string, now: number, fail: Fail): string {
  return shortYearDay(Number(text.slice(0, 2)), Number(text.slice(2, 4)), Number(text.slice(4, 6)), now, text, fail);
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at === -1 ? [text] : [text.slice(0, at), text.slice(at + separator.length)];
}
