/**
 * Dates as bank CSV exports write them: `DD/MM/YYYY`, `DD/MM/YY`, `YYYY-MM-DD`, `DD-MM-YYYY`,
 * `DD.MM.YYYY`, `MM/DD/YYYY` (US banks), `YYYYMMDD`, `16-Jun-20`, optionally followed by a time
 * (`2024-01-15 10:30:00`, `12:36:14 AM`) and an offset (`Z`, `+01:00`). Which of day and month
 * comes first is the caller's choice (`DateOrder`), inferred from the values elsewhere.
 */
import { localMidnight } from '../../core/time/time-zone.js';
import { wallClockToEpoch } from './bank-date-time.js';

export type DateOrder = 'DMY' | 'MDY' | 'YMD';

export interface CsvDate {
  /** The calendar day as written, YYYY-MM-DD. */
  day: string;
  /** Seconds since midnight, when the value has a time. */
  seconds?: number;
  /** Offset from UTC in minutes, when the value states one. */
  offsetMinutes?: number;
}

/** `null`: not a date at all; `'invalid'`: shaped like a date but not a real one (31/02/2024, 13/13/2024). */
export type DateParse = CsvDate | 'invalid' | null;

const NUMERIC =
  /^(\d{1,4})([/.-])(\d{1,2})\2(\d{2,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s*([AaPp])[Mm])?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const COMPACT = /^((?:19|20)\d{2})(\d{2})(\d{2})$/;
const NAMED =
  /^(\d{1,2})[ ./-]([A-Za-zéûÉÛä]{3,9})\.?[ ./-](\d{2,4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])[Mm])?)?$/;

const MONTHS: Record<string, number> = {
  jan: 1,
  janv: 1,
  janvier: 1,
  january: 1,
  januar: 1,
  feb: 2,
  fev: 2,
  fév: 2,
  fevr: 2,
  févr: 2,
  fevrier: 2,
  février: 2,
  february: 2,
  februar: 2,
  mar: 3,
  mars: 3,
  march: 3,
  mär: 3,
  märz: 3,
  apr: 4,
  avr: 4,
  avril: 4,
  april: 4,
  may: 5,
  mai: 5,
  jun: 6,
  juin: 6,
  june: 6,
  juni: 6,
  jul: 7,
  juil: 7,
  juillet: 7,
  july: 7,
  juli: 7,
  aug: 8,
  aou: 8,
  aoû: 8,
  aout: 8,
  août: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  septembre: 9,
  oct: 10,
  october: 10,
  octobre: 10,
  okt: 10,
  oktober: 10,
  nov: 11,
  november: 11,
  novembre: 11,
  dec: 12,
  déc: 12,
  december: 12,
  décembre: 12,
  dez: 12,
  dezember: 12,
};

/**
 * Reads one date cell. `pivotYear` turns two-digit years into four: `yy` is 20yy when that is at
 * most `pivotYear`, else 19yy (pass the current year plus one).
 */
export function parseCsvDate(text: string, order: DateOrder, pivotYear: number): DateParse {
  const s = text.trim();
  if (s.length < 6 || s.length > 40) return null;
  let m = NUMERIC.exec(s);
  if (m) {
    const [, a, , b, c, hh, mi, ss, ampm, zone] = m;
    let y: number, mo: number, d: number;
    if (a!.length === 4) {
      if (c!.length === 4) return null;
      [y, mo, d] = [Number(a), Number(b), Number(c)];
    } else {
      if (a!.length > 2 || c!.length === 3) return null;
      const year = fullYear(c!, pivotYear);
      if (order === 'MDY') [y, mo, d] = [year, Number(a), Number(b)];
      else if (order === 'YMD' && c!.length === 2) [y, mo, d] = [fullYear(a!, pivotYear), Number(b), Number(c)];
      else [y, mo, d] = [year, Number(b), Number(a)];
    }
    return build(y, mo, d, hh, mi, ss, ampm, zone);
  }
  m = COMPACT.exec(s);
  if (m) return build(Number(m[1]), Number(m[2]), Number(m[3]));
  m = NAMED.exec(s);
  if (m) {
    const month = MONTHS[m[2]!.toLowerCase()];
    if (month === undefined) return null;
    return build(fullYear(m[3]!, pivotYear), month, Number(m[1]), m[4], m[5], m[6], m[7]);
  }
  return null;
}

/**
 * What a date value says about the day order: `YMD` for a year first, `DMY` when the first number
 * can only be a day (above 12), `MDY` when the second can only be a day, null when it cannot tell.
 */
export function dateOrderOf(text: string): DateOrder | null {
  const m = NUMERIC.exec(text.trim());
  if (!m) return COMPACT.test(text.trim()) ? 'YMD' : null;
  if (m[1]!.length === 4) return 'YMD';
  const first = Number(m[1]);
  const second = Number(m[3]);
  if (first > 12 && second <= 12) return 'DMY';
  if (second > 12 && first <= 12) return 'MDY';
  return null;
}

/**
 * The UTC instant (ms) of a parsed date: local midnight, or the local time, in `timeZone` unless it
 * has an offset (`wallClockToEpoch`: a time in the spring gap moves past it, an autumn repeat is
 * its first pass).
 */
export function instantOf(date: CsvDate, timeZone: string): number {
  if (date.offsetMinutes !== undefined) {
    return dayStartUtc(date.day) + (date.seconds ?? 0) * 1000 - date.offsetMinutes * 60_000;
  }
  if (date.seconds === undefined) return localMidnight(date.day, timeZone);
  return wallClockToEpoch(dayStartUtc(date.day) + date.seconds * 1000, timeZone);
}

function dayStartUtc(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fullYear(digits: string, pivotYear: number): number {
  if (digits.length === 4) return Number(digits);
  const yy = Number(digits);
  return 2000 + yy <= pivotYear ? 2000 + yy : 1900 + yy;
}

function build(
  y: number,
  mo: number,
  d: number,
  hh?: string,
  mi?: string,
  ss?: string,
  ampm?: string,
  zone?: string,
): DateParse {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return 'invalid';
  const day = `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}`;
  if (hh === undefined) return { day };
  let hours = Number(hh);
  const minutes = Number(mi);
  const secs = ss === undefined ? 0 : Number(ss);
  if (ampm !== undefined) {
    if (hours < 1 || hours > 12) return 'invalid';
    hours = (hours % 12) + (ampm.toLowerCase() === 'p' ? 12 : 0);
  }
  if (hours > 23 || minutes > 59 || secs > 59) return 'invalid';
  const result: CsvDate = { day, seconds: hours * 3600 + minutes * 60 + secs };
  if (zone !== undefined) {
    if (zone === 'Z') result.offsetMinutes = 0;
    else {
      const digits = zone.replace(':', '');
      const minutesOff = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
      if (minutesOff > 14 * 60) return 'invalid';
      result.offsetMinutes = zone.startsWith('-') ? -minutesOff : minutesOff;
    }
  }
  return result;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
