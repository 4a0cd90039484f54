/**
 * Faster `date` and `date-time` format checks for the catalog's ajv, for the shapes Foyer writes
 * (`2026-03-19`, `2026-03-19T23:00:00Z`, `...T23:00:00.123+01:00`): read character by character
 * instead of a regular expression, a split and two more. Their answers are ajv-formats' own: the
 * same checks on the same numbers, and anything of another shape (or a possible leap second) is
 * handed to ajv-formats' function. A large import checks one or two of these per record.
 */
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** The digit at `i` (0-9), or -1. */
function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
}

function twoDigits(s: string, i: number): number {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/** `YYYY-MM-DD` at the start of `s` is a real day; false for any other shape too. */
function dayAt(s: string): boolean {
  const y1 = twoDigits(s, 0);
  const y2 = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  if (y1 < 0 || y2 < 0 || month < 0 || day < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const year = y1 * 100 + y2;
  return month >= 1 && month <= 12 && day >= 1 && day <= (month === 2 && isLeapYear(year) ? 29 : DAYS[month]!);
}

/** ajv-formats' `date`, exactly: its pattern is `^\d\d\d\d-\d\d-\d\d$`. */
export function fastDate(s: string): boolean {
  return s.length === 10 && dayAt(s);
}

/**
 * `date-time` with a `T`, seconds, optional fraction and a `Z` or `±HH:MM` offset checked here;
 * every other shape, and any time needing the leap-second rule, goes to `full`.
 */
export function fastDateTime(full: (s: string) => boolean): (s: string) => boolean {
  return (s) => {
    const n = s.length;
    if (n < 20 || s.charCodeAt(10) !== 84 /* T */ || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
      return full(s);
    }
    const hour = twoDigits(s, 11);
    const minute = twoDigits(s, 14);
    const second = twoDigits(s, 17);
    if (hour < 0 || minute < 0 || second < 0) return full(s);
    let i = 19;
    if (s.charCodeAt(i) === 46 /* . */) {
      i++;
      const start = i;
      while (i < n && digit(s, i) >= 0) i++;
      if (i === start) return full(s);
    }
    const zone = s.charCodeAt(i);
    if (zone === 90 /* Z */) {
      if (i + 1 !== n) return full(s);
    } else if (zone === 43 || zone === 45 /* + - */) {
      if (i + 6 !== n || s.charCodeAt(i + 3) !== 58) return full(s);
      const zoneHour = twoDigits(s, i + 1);
      const zoneMinute = twoDigits(s, i + 4);
      if (zoneHour < 0 || zoneMinute < 0) return full(s);
      if (zoneHour > 23 || zoneMinute > 59) return false;
    } else {
      return full(s);
    }
    if (hour > 23 || minute > 59 || second > 59) return full(s);
    return dayAt(s);
  };
}
