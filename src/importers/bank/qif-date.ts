/**
 * QIF dates, in the many shapes Quicken and other programs write them: `1/5/04`, `1/5'04`,
 * `01/05/2004`, ` 1/ 5/ 4`, `1.5.2004`, `1-5-04`, `2004-01-05`.
 * - An apostrophe before the year means 2000 and after (Quicken writes `1/5'04` for 2004).
 * - Other years of one or two digits are in this century when that is at most next year, else in
 *   the last (`04` is 2004, `99` is 1999).
 * - A four-digit first field is a year (`2004-01-05`, `2004/1/5`), whatever the file's order.
 * - Otherwise the order of day and month is the file's (see qif-conventions.ts).
 */
import { bankDateProblem, dayText } from './bank-values.js';

export type QifDateOrder = 'DMY' | 'MDY' | 'YMD';

export interface QifDateParts {
  /** The first two fields, as written. */
  first: string;
  second: string;
  /** The last field. */
  third: string;
  /** True when the first field is a four-digit year. */
  yearFirst: boolean;
  /** True when an apostrophe comes before the last field. */
  apostrophe: boolean;
}

const YEAR_FIRST = /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})$/;
const GENERAL = /^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*([-/.'])\s*(\d{1,4})$/;

export function splitQifDate(text: string): QifDateParts | undefined {
  const t = text.trim();
  const y = YEAR_FIRST.exec(t);
  if (y) return { first: y[1]!, second: y[2]!, third: y[3]!, yearFirst: true, apostrophe: false };
  const g = GENERAL.exec(t);
  if (!g || g[4]!.length === 3) return undefined;
  return { first: g[1]!, second: g[2]!, third: g[4]!, yearFirst: false, apostrophe: g[3] === "'" };
}

/** What a date says about the order: a first field over 12 is a day, so is a second one. */
export function orderEvidence(parts: QifDateParts): 'DMY' | 'MDY' | undefined {
  if (parts.yearFirst) return undefined;
  const a = Number(parts.first);
  const b = Number(parts.second);
  if (a > 12 && b <= 12) return 'DMY';
  if (b > 12 && a <= 12) return 'MDY';
  return undefined;
}

export const ORDER_NAMES: Record<QifDateOrder, string> = {
  DMY: 'day/month/year',
  MDY: 'month/day/year',
  YMD: 'year/month/day',
};

function fullYear(text: string, apostrophe: boolean, now: number): number {
  const n = Number(text);
  if (text.length === 4) return n;
  if (apostrophe) return 2000 + n;
  return 2000 + n <= new Date(now).getUTCFullYear() + 1 ? 2000 + n : 1900 + n;
}

/** The day, `YYYY-MM-DD`, or a sentence saying what is wrong. */
export function parseQifDate(text: string, order: QifDateOrder, now: number): string | { day: string } {
  const parts = splitQifDate(text);
  if (!parts) return `"${text}" is not a date`;
  let year: number;
  let month: number;
  let day: number;
  if (parts.yearFirst || order === 'YMD') {
    if (parts.third.length > 2) return `"${text}" is not a date in year-month-day order`;
    year = fullYear(parts.first, false, now);
    month = Number(parts.second);
    day = Number(parts.third);
  } else {
    year = fullYear(parts.third, parts.apostrophe, now);
    month = Number(order === 'DMY' ? parts.second : parts.first);
    day = Number(order === 'DMY' ? parts.first : parts.second);
  }
  const problem = bankDateProblem(year, month, day, now);
  if (problem)
    return `the date "${text}" is impossible (read as ${ORDER_NAMES[parts.yearFirst ? 'YMD' : order]}): ${problem}`;
  return { day: dayText(year, month, day) };
}
