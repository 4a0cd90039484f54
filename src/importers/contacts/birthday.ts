/**
 * BDAY values into `contact.birthday` (YYYY-MM-DD): `1986-05-21`, `19860521`, date-times (the
 * day is kept), and birthdays without a year, which the catalog writes with the year 1604 as
 * Apple and Android do: vCard 4.0 `--0521` (which Google also writes in 3.0 files), `--05-21`,
 * Apple's `X-APPLE-OMIT-YEAR=1604` parameter and the year 0000 some exporters write.
 */

export const NO_YEAR = 1604;
/** The oldest year read as a real birth year (1604 is the no-year marker, accepted apart). */
export const MIN_BIRTH_YEAR = 1800;

export type Birthday =
  | { ok: true; date: string }
  /** Not a date at all (free text): ignored with a warning. */
  | { ok: false; kind: 'text' }
  /** Shaped like a date but impossible (month 13) or absurd (year 1200): the file is refused. */
  | { ok: false; kind: 'invalid'; reason: string };

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

export function parseBirthday(raw: string, omitYear: boolean, currentYear: number): Birthday {
  const value = raw.trim();
  const noYear = /^--(\d{2})-?(\d{2})$/.exec(value);
  const full = /^(\d{4})-?(\d{2})-?(\d{2})(?:T[0-9:.,]*(?:Z|[+-]\d{2}:?\d{2})?)?$/i.exec(value);
  let year: number;
  let month: number;
  let day: number;
  if (noYear) {
    [year, month, day] = [NO_YEAR, Number(noYear[1]), Number(noYear[2])];
  } else if (full) {
    [year, month, day] = [Number(full[1]), Number(full[2]), Number(full[3])];
    if (year === 0 || omitYear) year = NO_YEAR;
  } else {
    return /\d{4}.*\d/.test(value) && !/[a-z]{3}/i.test(value)
      ? { ok: false, kind: 'invalid', reason: `"${value.slice(0, 40)}" is not a date` }
      : { ok: false, kind: 'text' };
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, kind: 'invalid', reason: `"${value}" is not a real date` };
  }
  if (year !== NO_YEAR && (year < MIN_BIRTH_YEAR || year > currentYear + 1)) {
    return { ok: false, kind: 'invalid', reason: `the year ${year} of "${value}" is not plausible for a birthday` };
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  return { ok: true, date: `${year}-${pad(month)}-${pad(day)}` };
}
