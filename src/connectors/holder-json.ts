/**
 * Reading a holder's JSON answer field by field: anything not of the expected shape is
 * `holder_format_changed`, naming what and where, before anything is written. Plain code, bundled
 * into connectors.
 */
import { ConnectorError } from './sdk.js';

export type Json = Record<string, unknown>;

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const formatChanged = (what: string): ConnectorError => new ConnectorError('holder_format_changed', what);

export const asObject = (value: unknown, what: string): Json => {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw formatChanged(`${what} is not an object.`);
  return value as Json;
};

export const asArray = (value: unknown, what: string): unknown[] => {
  if (!Array.isArray(value)) throw formatChanged(`${what} is not a list.`);
  return value;
};

export function text(o: Json, field: string, what: string): string {
  const v = o[field];
  if (typeof v !== 'string' || v === '') throw formatChanged(`${what}: ${field} is missing or not text.`);
  return v;
}

export const optionalText = (o: Json, field: string, what: string): string | undefined =>
  o[field] === undefined ? undefined : text(o, field, what);

/** A `YYYY-MM-DD` day. */
export function day(o: Json, field: string, what: string): string {
  const v = text(o, field, what);
  if (!DAY.test(v)) throw formatChanged(`${what}: ${field} "${v.slice(0, 30)}" is not a day YYYY-MM-DD.`);
  return v;
}
