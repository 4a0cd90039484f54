/**
 * Units as Apple Health and TCX write them, brought to the catalog's: metres, kilocalories,
 * seconds. Apple writes the unit the person chose in the Health app (km or mi, kcal or Cal, the
 * food calorie, which is a kilocalorie).
 */

const METRES: Record<string, number> = { m: 1, km: 1000, cm: 0.01, mi: 1609.344, yd: 0.9144, ft: 0.3048 };
const KCAL: Record<string, number> = { kcal: 1, Cal: 1, cal: 0.001, kJ: 1 / 4.184, J: 1 / 4184 };
const SECONDS: Record<string, number> = { s: 1, sec: 1, min: 60, hr: 3600, h: 3600, ms: 0.001, d: 86400 };

/** Null when the unit is unknown: better no value than a wrong one. */
function convert(table: Record<string, number>, value: number, unit: string | undefined, fallback: string) {
  const factor = table[(unit ?? fallback).trim()];
  return factor === undefined ? null : value * factor;
}

export const toMetres = (value: number, unit: string | undefined, fallback = 'm') =>
  convert(METRES, value, unit, fallback);
export const toKcal = (value: number, unit: string | undefined, fallback = 'kcal') =>
  convert(KCAL, value, unit, fallback);
export const toSeconds = (value: number, unit: string | undefined, fallback = 's') =>
  convert(SECONDS, value, unit, fallback);

/**
 * A decimal number as health files write them: `72.5`, `-3`, `1e3`, and `72,5` from some localised
 * exports. Null for anything else (empty, `NaN`, `Infinity`, `12,3,4`).
 */
export function parseDecimal(raw: string | undefined): number | null {
  if (raw === undefined) return null;
  let text = raw.trim();
  if (/^[+-]?\d+,\d+$/.test(text)) text = text.replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const value = Number(text);
  return Number.isFinite(value) ? value : null;
}

/** Rounded to `decimals` places, to drop binary noise from conversions (4200.000000001 m). */
export function rounded(value: number, decimals = 3): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}
