/**
 * The distributor's meter readings as catalog series points. Its shape (Enedis Data Connect v5):
 * `{ meter_reading: { usage_point_id, start, end, quality, reading_type: { unit, ... },
 * interval_reading: [{ value: "1234", date, interval_length? }] } }`: values are strings (Wh, W or
 * VA), dates Paris wall-clock times, and a load-curve point is stamped at the END of its interval.
 * Here: numbers in the catalog's units (kWh, W, VA), UTC instants, a load-curve point at its start.
 */
import { isoInstant, parisDate, parisOffsetMs } from '../../../catalog/synthetic/time.js';
import { asArray, asObject, day, formatChanged, optionalText, text } from '../holder-json.js';

const LOCAL = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const VALUE = /^\d{1,12}$/;
const HOUR = 3_600_000;

/**
 * A Paris wall-clock time `YYYY-MM-DD HH:MM:SS` as a UTC instant. In the autumn's repeated hour
 * the same wall time is two instants: the first after `after` (the previous point) is the one.
 */
export function parisWallClockToUtc(wall: string, what: string, after = -Infinity): number {
  const m = LOCAL.exec(wall);
  if (!m) throw formatChanged(`${what}: "${wall.slice(0, 30)}" is not a local time YYYY-MM-DD HH:MM:SS.`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const w = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  const instant = [w - 2 * HOUR, w - HOUR].find((u) => u > after && parisOffsetMs(u) === w - u);
  if (instant === undefined)
    throw formatChanged(`${what}: ${wall} is not a time of Europe/Paris after the one before.`);
  return instant;
}

export interface Reading {
  value: number;
  date: string;
  intervalMinutes?: number;
}

export interface MeterReading {
  quality?: 'measured' | 'corrected';
  readings: Reading[];
}

const qualities: Record<string, MeterReading['quality']> = { BRUT: 'measured', CORRIGE: 'corrected' };

/** The answer to one call, checked against what was asked (usage point, period, unit). */
export function meterReadingOf(
  body: unknown,
  what: string,
  asked: { usagePointId: string; start: string; end: string; unit: string },
): MeterReading {
  const r = asObject(asObject(body, what).meter_reading, `${what}: meter_reading`);
  const at = `${what}: meter_reading`;
  if (text(r, 'usage_point_id', at) !== asked.usagePointId)
    throw formatChanged(`${at}: another usage point than the one asked.`);
  if (day(r, 'start', at) !== asked.start || day(r, 'end', at) !== asked.end)
    throw formatChanged(`${at}: another period than the one asked.`);
  const unit = text(asObject(r.reading_type, `${at}.reading_type`), 'unit', `${at}.reading_type`);
  if (unit !== asked.unit) throw formatChanged(`${at}: values in ${unit.slice(0, 10)}, not ${asked.unit}.`);
  const quality = qualities[optionalText(r, 'quality', at) ?? ''];
  const readings = asArray(r.interval_reading, `${at}.interval_reading`).map((raw) => {
    const o = asObject(raw, `${at}: a reading`);
    const value = text(o, 'value', `${at}: a reading`);
    if (!VALUE.test(value)) throw formatChanged(`${at}: value "${value.slice(0, 20)}" is not a whole number.`);
    const length = optionalText(o, 'interval_length', `${at}: a reading`);
    const minutes = length === undefined ? undefined : /^PT(\d{1,3})M$/.exec(length)?.[1];
    if (length !== undefined && minutes === undefined)
      throw formatChanged(`${at}: interval_length "${length.slice(0, 20)}" is not PTnM.`);
    return {
      value: Number(value),
      date: text(o, 'date', `${at}: a reading`),
      ...(minutes !== undefined ? { intervalMinutes: Number(minutes) } : {}),
    };
  });
  return { ...(quality ? { quality } : {}), readings };
}

type Point = Record<string, unknown>;

export interface Points {
  points: Point[];
  /** The last Paris day they cover, or null. */
  lastDay: string | null;
}

const maxDay = (a: string | null, b: string) => (a === null || b > a ? b : a);

/** Daily energy in Wh, as `energy.electricity.daily` in kWh. */
export function dailyPoints(m: MeterReading, usagePointId: string, what: string): Points {
  let lastDay: string | null = null;
  const points = m.readings.map((r) => {
    if (!DAY.test(r.date)) throw formatChanged(`${what}: date "${r.date.slice(0, 30)}" is not a day YYYY-MM-DD.`);
    lastDay = maxDay(lastDay, r.date);
    return { usagePointId, date: r.date, energyKwh: r.value / 1000, ...(m.quality ? { quality: m.quality } : {}) };
  });
  return { points, lastDay };
}

/** The day's maximum power in VA, stamped with the local time it was reached. */
export function maxPowerPoints(m: MeterReading, usagePointId: string, what: string): Points {
  let lastDay: string | null = null;
  const points = m.readings.map((r) => {
    const at = parisWallClockToUtc(r.date, what);
    const date = r.date.slice(0, 10);
    lastDay = maxDay(lastDay, date);
    return {
      usagePointId,
      date,
      maxPowerVa: r.value,
      at: isoInstant(at),
      ...(m.quality ? { quality: m.quality } : {}),
    };
  });
  return { points, lastDay };
}

/** Mean power in W per interval, stamped at the interval's END: points at its start, UTC. */
export function loadCurvePoints(m: MeterReading, usagePointId: string, what: string): Points {
  let lastDay: string | null = null;
  let previous = -Infinity;
  const points = m.readings.map((r) => {
    const end = parisWallClockToUtc(r.date, what, previous);
    previous = end;
    const start = end - (r.intervalMinutes ?? 30) * 60_000;
    // The day the interval starts in: a point ending at 00:00 belongs to the day before.
    lastDay = maxDay(lastDay, parisDate(start));
    return { usagePointId, t: isoInstant(start), powerW: r.value, ...(m.quality ? { quality: m.quality } : {}) };
  });
  return { points, lastDay };
}
