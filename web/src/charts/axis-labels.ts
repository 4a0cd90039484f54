/** Short labels for chart axes: "janv.", "Jan"; "3 mars", "3 Mar". Keys are local days and months. */
import { localeTag } from '../i18n/format.js';
import type { Locale } from '../i18n/i18n.js';

export const monthLabel = (locale: Locale, month: string): string =>
  new Intl.DateTimeFormat(localeTag(locale), { month: 'short', timeZone: 'UTC' }).format(
    new Date(`${month}-15T12:00:00Z`),
  );

export const dayLabel = (locale: Locale, day: string): string =>
  new Intl.DateTimeFormat(localeTag(locale), { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(`${day}T12:00:00Z`),
  );
