/**
 * Numbers, amounts, dates and sizes written the way the reader's locale writes them
 * (1 234,56 € in French, €1,234.56 in English). Pure functions of the locale.
 */
import type { Locale } from './translate.js';

const tags: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };
export const localeTag = (locale: Locale): string => tags[locale];

export function formatNumber(locale: Locale, value: number, digits?: number): string {
  return new Intl.NumberFormat(tags[locale], digits === undefined ? {} : { maximumFractionDigits: digits }).format(
    value,
  );
}

export function formatCurrency(locale: Locale, value: number, currency = 'EUR'): string {
  return new Intl.NumberFormat(tags[locale], { style: 'currency', currency }).format(value);
}

export function formatPercent(locale: Locale, ratio: number): string {
  return new Intl.NumberFormat(tags[locale], { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** A calendar day (`2024-03-01`) or an instant; days are shown as written, with no time zone shift. */
export function formatDate(
  locale: Locale,
  value: string | Date,
  style: 'short' | 'medium' | 'long' = 'medium',
): string {
  const day = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = typeof value === 'string' ? new Date(day ? `${value}T12:00:00Z` : value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: style, ...(day ? { timeZone: 'UTC' } : {}) }).format(date);
}

export function formatDateTime(locale: Locale, value: string | Date): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Intl.DateTimeFormat(tags[locale], { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** A month key (`2024-03`) as "March 2024" / "mars 2024". */
export function formatMonth(locale: Locale, month: string): string {
  const date = new Date(`${month}-15T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return month;
  return new Intl.DateTimeFormat(tags[locale], { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export function formatBytes(locale: Locale, bytes: number): string {
  const units = locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${formatNumber(locale, value, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "3 days ago" / "il y a 3 jours", from now. */
export function formatRelative(locale: Locale, value: string | Date, now: Date = new Date()): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  const seconds = (date.getTime() - now.getTime()) / 1000;
  const rtf = new Intl.RelativeTimeFormat(tags[locale], { numeric: 'auto' });
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [
    ['year', 365 * 86400],
    ['month', 30 * 86400],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  for (const [unit, size] of steps) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.round(seconds / size), unit);
  }
  return rtf.format(Math.round(seconds), 'second');
}

/**
 * Decimal places of the shortest text that reads back as `value` (as JSON writes it): a person's
 * own data is shown as it is, a unit price of 0.1694 € as 0.1694, not rounded to 2 or 3 places.
 */
export function decimalsOf(value: number): number {
  if (Number.isInteger(value) || !Number.isFinite(value)) return 0;
  const text = String(value);
  const e = text.indexOf('e');
  const mantissa = e < 0 ? text : text.slice(0, e);
  const dot = mantissa.indexOf('.');
  const places = (dot < 0 ? 0 : mantissa.length - dot - 1) - (e < 0 ? 0 : Number(text.slice(e + 1)));
  return Math.min(20, Math.max(0, places));
}

/**
 * The same formatting with the Intl objects made once: for writing many values (a table of
 * 100,000 rows), where building a formatter per value would cost seconds. Numbers and amounts keep
 * every decimal they have (`decimalsOf`); amounts show at least their currency's usual places.
 */
export interface Formatters {
  locale: Locale;
  number: (value: number) => string;
  currency: (value: number, currency?: string) => string;
  date: (value: string) => string;
  dateTime: (value: string) => string;
}

export function createFormatters(locale: Locale): Formatters {
  const tag = tags[locale];
  const numbers = new Map<number, Intl.NumberFormat>();
  const currencies = new Map<string, Intl.NumberFormat>();
  const day = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeZone: 'UTC' });
  const instant = new Intl.DateTimeFormat(tag, { dateStyle: 'short', timeStyle: 'short' });
  function number(value: number): string {
    const places = decimalsOf(value);
    let f = numbers.get(places);
    if (!f) numbers.set(places, (f = new Intl.NumberFormat(tag, { maximumFractionDigits: places })));
    return f.format(value);
  }
  return {
    locale,
    number,
    currency(value, currency = 'EUR') {
      const places = decimalsOf(value);
      const key = `${currency}\n${places}`;
      let f = currencies.get(key);
      if (!f) {
        try {
          const usual = new Intl.NumberFormat(tag, { style: 'currency', currency }).resolvedOptions();
          f = new Intl.NumberFormat(tag, {
            style: 'currency',
            currency,
            minimumFractionDigits: usual.minimumFractionDigits,
            maximumFractionDigits: Math.max(usual.maximumFractionDigits ?? 2, places),
          });
        } catch {
          return `${number(value)} ${currency}`;
        }
        currencies.set(key, f);
      }
      return f.format(value);
    },
    date(value) {
      const isDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
      const date = new Date(isDay ? `${value}T12:00:00Z` : value);
      if (Number.isNaN(date.getTime())) return value;
      return isDay ? day.format(date) : instant.format(date);
    },
    dateTime(value) {
      const date = new Date(value);
      return Number.isNaN(date.getTime()) ? value : instant.format(date);
    },
  };
}
