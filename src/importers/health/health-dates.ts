/**
 * Dates as health files write them: Apple Health's `2024-03-10 08:15:00 +0100` (and its older and
 * localised variants), FHIR's partial dateTimes (`2024`, `2024-03`, `2024-03-10`,
 * `2024-03-10T08:15:00+01:00`) and TCX's xsd:dateTime. Everything becomes epoch milliseconds; a
 * time without an offset is local to the space's time zone.
 */
import { localMidnight, utcOffset } from '../../core/time/time-zone.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Digits other than ASCII that localised exports may carry (Arabic-Indic, Persian, Devanagari, full width). */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0xff10];

/** ASCII digits instead of other scripts' digits; U+202F and U+00A0 (iOS's 12-hour time spacing) become spaces. */
export function normaliseDigits(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text;
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const zero = DIGIT_ZEROS.find((z) => code >= z && code <= z + 9);
    if (zero !== undefined) out += String(code - zero);
    else if (code === 0x202f || code === 0x00a0) out += ' ';
    else out += ch;
  }
  return out;
}

/**
 * The instant of a local wall-clock time in zone `tz`. In a daylight-saving gap (02:30 on the
 * spring-forward night) the time is read with the offset before the change, i.e. one hour later
 * on the clock after it; in a repeated hour, the first of the two instants is taken.
 */
export function localToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
  tz: string,
): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Offsets either side of the day: the first candidate whose own offset agrees is the answer.
  const before = utcOffset(asUtc - DAY, tz);
  const after = utcOffset(asUtc + DAY, tz);
  const candidates = before >= after ? [before, after] : [after, before];
  for (const offset of candidates) {
    const t = asUtc - offset;
    if (utcOffset(t, tz) === offset) return t;
  }
  return asUtc - before;
}

/**
 * Apple Health's dates. Accepted: `2024-03-10 08:15:00 +0100` (every export since iOS 9),
 * `2024-03-10 8:15:00 PM +0100` (12-hour locales, with a space, U+00A0 or U+202F before the
 * marker), `20150616071820-0700` (iOS 8), digits of other scripts. `buddhistEra` (exports made
 * with the Thai calendar) subtracts 543 from the year. Returns null for anything else.
 */
export function parseAppleDate(raw: string, buddhistEra = false): number | null {
  // The canonical shape first: it is millions of times cheaper to match than to normalise.
  const fast = CANONICAL_APPLE_DATE.exec(raw);
  if (fast) {
    const [, y, mo, d, h, mi, s, sign, oh, om] = fast as unknown as string[];
    const year = Number(y) - (buddhistEra ? 543 : 0);
    const month = Number(mo);
    const day = Number(d);
    const hour = Number(h);
    const minute = Number(mi);
    const second = Number(s);
    if (!validClock(year, month, day, hour, minute, second)) return null;
    const offset = (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om));
    if (Math.abs(offset) > 18 * 60) return null;
    return Date.UTC(year, month - 1, day, hour, minute, second) - offset * MINUTE;
  }
  const text = normaliseDigits(raw).trim();
  let m =
    /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?\s*[Mm]\.?)?\s*(?:([+-])(\d{2}):?(\d{2})|Z|GMT|UTC)?$/.exec(
      text,
    );
  let compact = false;
  if (!m) {
    m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})()([+-])(\d{2})(\d{2})$/.exec(text);
    compact = true;
  }
  if (!m) return null;
  let year = Number(m[1]);
  if (buddhistEra) year -= 543;
  const month = Number(m[2]);
  const day = Number(m[3]);
  let hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] ? Number(m[6]) : 0;
  const meridiem = compact ? '' : (m[7] ?? '').toLowerCase();
  if (meridiem) {
    if (hour < 1 || hour > 12) return null;
    hour = (hour % 12) + (meridiem === 'p' ? 12 : 0);
  }
  if (!validClock(year, month, day, hour, minute, second)) return null;
  // No offset at all (never seen from Apple, but cheap to read) means UTC, as `Z`.
  const sign = m[8] === '-' ? -1 : 1;
  const offset = m[8] ? sign * (Number(m[9]) * 60 + Number(m[10])) : 0;
  if (Math.abs(offset) > 18 * 60) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second) - offset * MINUTE;
}

const CANONICAL_APPLE_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

export type DatePrecision = 'year' | 'month' | 'day' | 'instant';

/**
 * An xsd:dateTime or FHIR dateTime/instant/date: `2024`, `2024-03`, `2024-03-10` (the start of
 * that period, local to `tz`), `2024-03-10T08:15:00[.sss](Z|+01:00)`, or a dateTime without an
 * offset (local to `tz`; FHIR requires one, but producers omit it). Null when not a date.
 */
export function parseIsoDateTime(raw: string, tz: string): { ms: number; precision: DatePrecision } | null {
  const text = raw.trim();
  const partial = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(text);
  if (partial) {
    const year = Number(partial[1]);
    const month = partial[2] ? Number(partial[2]) : 1;
    const day = partial[3] ? Number(partial[3]) : 1;
    if (!validClock(year, month, day, 0, 0, 0)) return null;
    const iso = `${partial[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return { ms: localMidnight(iso, tz), precision: partial[3] ? 'day' : partial[2] ? 'month' : 'year' };
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const second = m[6] ? Number(m[6]) : 0;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  // 24:00:00 is allowed by xsd:dateTime as the end of a day.
  const endOfDay = hour === 24 && minute === 0 && second === 0 && ms === 0;
  if (!validClock(year, month, day, endOfDay ? 0 : hour, minute, second)) return null;
  const zone = m[8];
  if (zone === undefined) {
    return { ms: localToUtc(year, month, day, hour, minute, second, ms, tz), precision: 'instant' };
  }
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    offset = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5)));
    if (Math.abs(offset) > 14 * 60) return null;
  }
  return { ms: Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * MINUTE, precision: 'instant' };
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validClock(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!);
}

/** `2024-03-10T07:15:00Z`, or with milliseconds when there are some. */
export function isoInstant(ms: number): string {
  const text = new Date(ms).toISOString();
  return ms % 1000 === 0 ? `${text.slice(0, -5)}Z` : text;
}

/** The earliest plausible date of a health record: before it, a date is corrupt. */
const EARLIEST = Date.UTC(1900, 0, 1);

/**
 * Whether an instant is plausible for a person's health record: from 1900 up to a year after the
 * import (goals and planned encounters may lie ahead, but not by decades).
 */
export function plausibleInstant(ms: number, now: number): boolean {
  return ms >= EARLIEST && ms <= now + 366 * DAY;
}
