/**
 * Numbers as energy exports write them, and exact unit changes. Energy values are decimal
 * quantities (Wh, kWh, m³): they are scaled by moving the decimal point in their text form
 * (`Number("1234.5e-3")`), never by multiplying binary floats, so 1234.5 Wh is 1.2345 kWh, not
 * 1.2345000000000002.
 */

/**
 * The number in `text`: `1234`, `-0,5`, `1 234,56`, `1.234,56`, `12.5`, `+3`; spaces (also
 * non-breaking ones) group thousands. `null` when it is not a number, `undefined` when empty.
 */
export function parseDecimal(text: string): number | null | undefined {
  let t = text.trim().replace(/[\s\u00a0\u202f]/g, '');
  if (t === '') return undefined;
  if (t.includes(',')) {
    // A comma is the decimal mark; points before it group thousands (1.234,56).
    if (t.indexOf(',') !== t.lastIndexOf(',')) return null;
    t = t.replace(/\.(?=\d{3}(?:\.|,))/g, '').replace(',', '.');
  }
  if (!/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(t)) return null;
  return Number(t);
}

/** `value × 10^exponent`, exact in decimal (a shift of the decimal point). */
export function shiftDecimal(value: number, exponent: number): number {
  if (exponent === 0) return value;
  const text = String(value);
  // Numbers JavaScript already prints with an exponent are far outside any meter's range.
  return text.includes('e') ? value * 10 ** exponent : Number(`${text}e${exponent}`);
}

/** `value` rounded to `decimals` places, half away from zero, in decimal. */
export function roundTo(value: number, decimals: number): number {
  if (Number.isInteger(value)) return value;
  const text = String(Math.abs(value));
  if (text.includes('e')) return value;
  const rounded = Number(`${Math.round(Number(`${text}e${decimals}`))}e-${decimals}`);
  return value < 0 ? -rounded : rounded;
}

/** Powers of ten of the units energy files use, by the unit as written (case kept: mW is not MW). */
const ENERGY_UNITS: Record<string, number> = { Wh: -3, kWh: 0, KWh: 0, kwh: 0, MWh: 3, wh: -3 };
const POWER_UNITS: Record<string, number> = { W: 0, w: 0, kW: 3, KW: 3, kw: 3, MW: 6 };
const APPARENT_POWER_UNITS: Record<string, number> = { VA: 0, va: 0, kVA: 3, KVA: 3, kva: 3, ...POWER_UNITS };

/** kWh from an energy in `unit` (Wh, kWh, MWh); undefined for another unit. */
export function toKwh(value: number, unit: string): number | undefined {
  const exponent = ENERGY_UNITS[unit.trim()];
  return exponent === undefined ? undefined : shiftDecimal(value, exponent);
}

/** W from a power in `unit` (W, kW, MW); undefined for another unit. */
export function toWatts(value: number, unit: string): number | undefined {
  const exponent = POWER_UNITS[unit.trim()];
  return exponent === undefined ? undefined : shiftDecimal(value, exponent);
}

/**
 * VA from an apparent power in `unit`. Watts are accepted too: Enedis labels some maximum-power
 * exports "W" although the meter measures apparent power (VA).
 */
export function toVoltAmperes(value: number, unit: string): number | undefined {
  const exponent = APPARENT_POWER_UNITS[unit.trim()];
  return exponent === undefined ? undefined : shiftDecimal(value, exponent);
}

/**
 * Bounds past which a value cannot come from a home's or small business's meter: a file holding
 * one is corrupt (a shifted column, a unit error), not a line to skip. 1 MW is the load curve
 * schema's ceiling (a 36 kVA home draws at most 36 kW).
 */
export const LIMITS = {
  powerW: 1_000_000,
  dailyKwh: 24_000,
  gasDailyKwh: 1_000_000,
  gasDailyM3: 100_000,
  indexM3: 1_000_000_000,
  conversionFactor: 20,
} as const;
