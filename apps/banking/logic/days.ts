/**
 * Calendar days as `YYYY-MM-DD` strings. Operations are dated by instants; the app counts them in
 * the local day of Europe/Paris (the built-in apps serve French households), computed from the EU
 * summer-time rule so that the result does not depend on the host's time zone data (quickjs has none).
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function lastSundayOneUtc(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0));
  return Date.UTC(year, month - 1, last.getUTCDate() - last.getUTCDay(), 1);
}

function parisOffset(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  return ms >= lastSundayOneUtc(year, 3) && ms < lastSundayOneUtc(year, 10) ? 2 * HOUR_MS : HOUR_MS;
}

/** The Paris day of an instant; a plain day passes through unchanged. */
export function localDay(instant: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(instant)) return instant;
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${instant}`);
  return new Date(ms + parisOffset(ms)).toISOString().slice(0, 10);
}

export const dayNumber = (day: string): number => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
export const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (day: string, n: number): string => dayString(dayNumber(day) + n);
export const daysBetween = (a: string, b: string): number => dayNumber(b) - dayNumber(a);
export const monthOf = (day: string): string => day.slice(0, 7);

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** The same day of month `n` months later, clamped to the month's last day. */
export function addMonths(day: string, n: number, dayOfMonth = Number(day.slice(8, 10))): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
  return `${month}-${String(Math.min(dayOfMonth, daysInMonth(month))).padStart(2, '0')}`;
}

export const addMonthsToMonth = (month: string, n: number): string => addMonths(`${month}-01`, n).slice(0, 7);

/** The day an operation counts for: its value date when the bank gives one, else its local day. */
export const operationDay = (tx: { date: string; valueDate?: string }): string => tx.valueDate ?? localDay(tx.date);

export const round2 = (n: number): number => Math.round(n * 100) / 100;
/** Amounts compared to the cent, whatever floating point did to them. */
export const cents = (n: number): number => Math.round(n * 100);
