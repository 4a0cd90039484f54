/**
 * Values every bank statement importer checks the same way: the bounds past which a date or an
 * amount is absurd (the file is corrupt, not the person rich or ancient), IBANs, day-only dates as
 * instants, and a label made of a name and a memo.
 */
import { localMidnight } from '../../core/time/time-zone.js';
import { parseAmount, type DecimalMark } from './bank-csv-amount.js';

/** An amount at or past a trillion in a household's statement means a corrupt file. */
export const MAX_BANK_AMOUNT = 1e12;
/** Earliest year a bank line may carry: older means a corrupt or misread date. */
export const MIN_BANK_YEAR = 1900;
/** How far past the import a date may be (a statement's end date, a value date): about two years. */
const MAX_FUTURE_MS = 2 * 366 * 86_400_000;

/**
 * Why a calendar date is absurd or impossible, or undefined when it is fine: month 13, 31 April,
 * year 0000, year 1200, or more than two years after `now`.
 */
export function bankDateProblem(year: number, month: number, day: number, now: number): string | undefined {
  if (month < 1 || month > 12) return `month ${month} does not exist`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${day} does not exist in that month`;
  if (year < MIN_BANK_YEAR) return `the year ${year} is before ${MIN_BANK_YEAR}`;
  if (Date.UTC(year, month - 1, day) > now + MAX_FUTURE_MS) return `the year ${year} is too far in the future`;
  return undefined;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYY-MM-DD`. */
export function dayText(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** An instant as the catalog writes it: ISO 8601 in UTC, milliseconds only when there are some. */
export function isoInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A day-only bank date: 00:00 of that day in `timeZone` (the bank's day, as bank.transaction.date says). */
export function dayStartInstant(day: string, timeZone: string): string {
  return isoInstant(localMidnight(day, timeZone));
}

/** Cents of a decimal written as its integer digits and its fraction digits, rounded half away from zero. */
export function centsOf(integer: string, fraction: string): number {
  const whole = integer === '' ? 0 : Number(integer);
  const cents = Number((fraction + '00').slice(0, 2));
  const third = fraction.length > 2 ? fraction.charCodeAt(2) - 48 : 0;
  return whole * 100 + cents + (third >= 5 ? 1 : 0);
}

/** An IBAN in electronic form (capitals, no spaces) whose check digits are right, or undefined. */
export function normalizeIban(text: string): string | undefined {
  const iban = text.replace(/[\s-]+/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(iban)) return undefined;
  // ISO 13616: move the first four characters to the end, letters become 10..35, the number mod 97 is 1.
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    const value = c >= 65 ? c - 55 : c - 48;
    rest = value >= 10 ? (rest * 100 + value) % 97 : (rest * 10 + value) % 97;
  }
  return rest === 1 ? iban : undefined;
}

const LABEL_MAX = 500;

/**
 * A transaction's label from its name (payee) and memo: the name, plus the memo when it adds
 * something. Banks cut names short (OFX 1.x allows 32 characters) and repeat them in full in the
 * memo, so a memo that contains the name replaces it, and a memo the name contains is dropped.
 */
export function bankLabel(name: string | undefined, memo: string | undefined): string | undefined {
  const n = collapse(name);
  const m = collapse(memo);
  let label: string;
  if (n === '' || m === '') {
    label = n || m;
  } else {
    const un = n.toUpperCase();
    const um = m.toUpperCase();
    label = um.includes(un) ? m : un.includes(um) ? n : `${n} - ${m}`;
  }
  if (label === '') return undefined;
  return label.length > LABEL_MAX ? label.slice(0, LABEL_MAX) : label;
}

function collapse(text: string | undefined): string {
  if (text === undefined) return '';
  // Most labels need nothing: testing is cheaper than replacing.
  return /\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ').trim() : text.trim();
}

/**
 * A signed amount rounded to cents, or a sentence saying why the text is not one (not a number, or
 * absurd). Shapes as bank-csv-amount.ts reads them: `-12.50`, `12,50`, `+3500,00`, `1,234.56`,
 * `-1.234,56`, `1 234,56`; `decimalMark` only decides the ambiguous `1,234`.
 */
export function parseBankAmount(text: string, decimalMark: DecimalMark): number | string {
  const amount = parseAmount(text, decimalMark);
  if (amount === null) return `the amount "${text.trim().slice(0, 40)}" is not a number`;
  if (Math.abs(amount) >= MAX_BANK_AMOUNT) {
    return `the amount "${text.trim().slice(0, 40)}" is absurd (a trillion or more)`;
  }
  return amount;
}
