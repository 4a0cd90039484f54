/**
 * OFX dates: `YYYYMMDD[HHMM[SS[.XXX]]][[gmt offset[:tz name]]]`, e.g. `20240312120000.000[-5:EST]`,
 * `20240312[+1:CET]`, `20240312093000[-3.5:NST]`, `20240312`.
 *
 * The rule (docs/importers/bank-ofx-qif.md):
 * - a time with an offset is that instant; the zone name is ignored (the offset is what counts);
 * - a time without an offset is GMT, as the specification says;
 * - a day alone is the bank's calendar day, stored as 00:00 of that day in the space's time zone
 *   (like every day-only bank date). An offset on a day alone is ignored (the day is what the bank
 *   printed) and reported once. A midnight with no offset (`20240312000000`) is a day alone too:
 *   banks pad days with zeros, and reading them as GMT midnight would move them to the day before
 *   west of Greenwich.
 * Offsets are hours, with a decimal fraction (`-3.5`); `.30` and `.45` are read as minutes, the only
 * sensible reading, and four digits (`-0500`) as hours and minutes.
 */
import type { BankDate } from './bank-date-time.js';
import { bankDateProblem, dayStartInstant, dayText, isoInstant } from './bank-values.js';

export interface OfxDate extends BankDate {
  /** True when an offset came with a day and no time, and was ignored. */
  zoneWithoutTime: boolean;
}

const DATE = /^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?(?:[.,](\d{1,6}))?)?\s*(?:\[\s*([^\]]*?)\s*\])?$/;
const OFFSET = /^([+-]?)(\d{1,2})(?:[.,](\d{1,2}))?(?:\s*:\s*[A-Za-z][A-Za-z0-9_/+-]*)?$/;
const OFFSET_HHMM = /^([+-]?)(\d{2})(\d{2})(?:\s*:\s*[A-Za-z][A-Za-z0-9_/+-]*)?$/;

/** Dates read per reader before its memo starts over. */
const MEMO_SIZE = 4096;

/**
 * `parseOfxDate` for one file, remembering what it read: a statement repeats each day's date for
 * every transaction of the day, and converting it costs more than looking it up.
 */
export function createOfxDateReader(timeZone: string, now: number): (text: string) => OfxDate | string {
  const memo = new Map<string, OfxDate | string>();
  return (text) => {
    let date = memo.get(text);
    if (date === undefined) {
      if (memo.size >= MEMO_SIZE) memo.clear();
      date = parseOfxDate(text, timeZone, now);
      memo.set(text, date);
    }
    return date;
  };
}

/** The date, or a sentence saying what is wrong with it. */
export function parseOfxDate(text: string, timeZone: string, now: number): OfxDate | string {
  const m = DATE.exec(text);
  if (!m) return `"${text}" is not an OFX date (YYYYMMDDHHMMSS[offset:zone])`;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const dayOfMonth = Number(m[3]);
  const problem = bankDateProblem(year, month, dayOfMonth, now);
  if (problem) return `the date "${text}" is impossible: ${problem}`;
  const day = dayText(year, month, dayOfMonth);
  const zone = m[8];
  const hasTime = m[4] !== undefined;
  const hour = Number(m[4] ?? 0);
  const minute = Number(m[5] ?? 0);
  const second = Number(m[6] ?? 0);
  const millis = Number(((m[7] ?? '') + '000').slice(0, 3));
  if (hour > 23 || minute > 59 || second > 59) return `the time in "${text}" does not exist`;

  const midnight = hour === 0 && minute === 0 && second === 0 && millis === 0;
  if (!hasTime || (midnight && zone === undefined)) {
    return {
      day,
      instant: dayStartInstant(day, timeZone),
      dayOnly: true,
      zoneWithoutTime: !hasTime && zone !== undefined,
    };
  }
  let offsetMinutes = 0;
  if (zone !== undefined) {
    const offset = offsetOf(zone);
    if (offset === undefined) return `the time zone "[${zone}]" in "${text}" is not an offset from GMT`;
    offsetMinutes = offset;
  }
  const utc = Date.UTC(year, month - 1, dayOfMonth, hour, minute, second, millis) - offsetMinutes * 60_000;
  return { day, instant: isoInstant(utc), dayOnly: false, zoneWithoutTime: false };
}

/** Minutes east of GMT, or undefined when the bracket holds no usable offset. */
function offsetOf(zone: string): number | undefined {
  let sign: string;
  let hours: number;
  let minutes: number;
  const hhmm = OFFSET_HHMM.exec(zone);
  const m = hhmm ? undefined : OFFSET.exec(zone);
  if (hhmm) {
    sign = hhmm[1]!;
    hours = Number(hhmm[2]);
    minutes = Number(hhmm[3]);
  } else if (m) {
    sign = m[1]!;
    hours = Number(m[2]);
    const fraction = m[3];
    minutes =
      fraction === undefined
        ? 0
        : fraction === '30' || fraction === '45'
          ? Number(fraction)
          : Math.round(Number(`0.${fraction}`) * 60);
  } else {
    return undefined;
  }
  if (minutes > 59) return undefined;
  const total = hours * 60 + minutes;
  // Real offsets run from -12:00 to +14:00.
  if (total > 14 * 60) return undefined;
  return sign === '-' ? -total : total;
}
