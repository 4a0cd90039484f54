/**
 * A doctype's table columns, read from its JSON Schema: the required plain fields first, then the
 * other plain ones (at most seven), each with its title in both languages and how to write it
 * (date, amount, number, text).
 */
import type { Bilingual } from '../../api/types.js';
import type { Formatters } from '../../i18n/format.js';
import type { Locale } from '../../i18n/translate.js';
import type { SortKey } from './table-view.js';

export interface Column {
  field: string;
  title: Bilingual;
  kind: 'date' | 'datetime' | 'amount' | 'number' | 'boolean' | 'text';
}

export interface PropertySchema {
  type?: string | string[];
  format?: string;
  title?: string;
  'x-label-fr'?: string;
  /** An object's fields, or (under `items`) those of a list's entries. */
  properties?: Record<string, PropertySchema>;
  items?: PropertySchema;
}

/** How to write a value of this property: amounts only in a record that names its currency. */
export function kindOf(field: string, p: PropertySchema | undefined, hasCurrency: boolean): Column['kind'] {
  const types = Array.isArray(p?.type) ? p.type : [p?.type];
  const numeric = types.includes('number') || types.includes('integer');
  return p?.format === 'date'
    ? 'date'
    : p?.format === 'date-time'
      ? 'datetime'
      : numeric && hasCurrency && /amount|price|total/i.test(field)
        ? 'amount'
        : numeric
          ? 'number'
          : types.includes('boolean')
            ? 'boolean'
            : 'text';
}

const MAX_COLUMNS = 7;

export function columnsOf(schema: { properties?: Record<string, PropertySchema>; required?: string[] }): Column[] {
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const hasCurrency = 'currency' in properties;
  const plain = Object.entries(properties).filter(([, p]) => {
    const types = Array.isArray(p.type) ? p.type : [p.type];
    return types.some((t) => t === 'string' || t === 'number' || t === 'integer' || t === 'boolean');
  });
  const ordered = [...plain.filter(([f]) => required.has(f)), ...plain.filter(([f]) => !required.has(f))];
  return ordered
    .filter(([field]) => field !== 'currency' || !hasCurrency)
    .slice(0, MAX_COLUMNS)
    .map(([field, p]) => ({
      field,
      title: { en: fieldLabel(field, p, 'en'), fr: fieldLabel(field, p, 'fr') },
      kind: kindOf(field, p, hasCurrency),
    }));
}

/** A field's name in the locale: the schema's title (or French label), else the field itself. */
export function fieldLabel(field: string, p: PropertySchema | undefined, locale: Locale): string {
  return (locale === 'fr' ? p?.['x-label-fr'] : p?.title) ?? p?.title ?? field;
}

export function cellText(column: Column, row: Record<string, unknown>, f: Formatters): string {
  return valueText(column.kind, row[column.field], typeof row.currency === 'string' ? row.currency : 'EUR', f);
}

/** One value written as `kind` says (amounts in `currency`). */
export function valueText(kind: Column['kind'], value: unknown, currency: string, f: Formatters): string {
  if (value === undefined || value === null) return '';
  switch (kind) {
    case 'date':
      return typeof value === 'string' ? f.date(value) : String(value);
    case 'datetime':
      return typeof value === 'string' ? f.dateTime(value) : String(value);
    case 'amount':
      return typeof value === 'number' ? f.currency(value, currency) : String(value);
    case 'number':
      return typeof value === 'number' ? f.number(value) : String(value);
    case 'boolean':
      return value === true ? '✓' : '✗';
    default:
      return typeof value === 'string' ? value : JSON.stringify(value);
  }
}

/** What a column sorts by: the raw value (dates as ISO text sort in time order), lower-cased text. */
export function sortKeyOf(column: Column, row: Record<string, unknown>): SortKey {
  const value = row[column.field];
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return column.kind === 'text' ? String(value).toLowerCase() : String(value);
}
