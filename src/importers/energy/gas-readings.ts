/**
 * A gas day's reading as GRDF's files give it, checked and turned into an `energy.gas.daily`
 * point: shared by the CSV and JSON importers.
 */
import { addDays } from '../../core/time/time-zone.js';
import { importError } from '../import-error.js';
import type { ImportRecord } from '../importer.js';
import { LIMITS, roundTo } from './energy-numbers.js';
import { GAS_DAILY, point, type Quality } from './energy-points.js';
import { labelKey } from './labels.js';
import { isPlausibleInstant, parseTimestamp, producerDay, localDateOf } from './producer-time.js';
import type { WarningTally } from './warning-tally.js';

export interface GasReading {
  usagePointId: string;
  /** The gas day, YYYY-MM-DD. */
  date: string;
  energyKwh?: number;
  volumeM3?: number;
  indexM3?: number;
  conversionFactor?: number;
  quality: Quality;
  line: number;
}

/** GRDF's qualifications: Mesuré, Estimé, Corrigé; "Absence de données" and the like mean no data. */
export function gasQuality(text: string | undefined): Quality | 'none' {
  const t = labelKey(text ?? '');
  if (t.startsWith('estim')) return 'estimated';
  if (t.startsWith('corrig') || t.startsWith('rectifi')) return 'corrected';
  if (t.startsWith('absence') || t.startsWith('sans') || t === 'aucune') return 'none';
  return 'measured';
}

/**
 * The day a file's date names: a day (`2024-01-15`, `15/01/2024`) as written, an instant by its
 * Paris day. Undefined when unreadable.
 */
export function gasDayOf(text: string): string | undefined {
  const t = parseTimestamp(text);
  if (!t) return undefined;
  return t.kind === 'local' ? localDateOf(t.local) : producerDay(t.ms);
}

/**
 * The gas day of a reading that gives only its start and end (06:00 to 06:00 the next day):
 * undefined unless they span exactly one day.
 */
export function singleGasDay(startText: string, endText: string): string | undefined {
  const start = gasDayOf(startText);
  const end = gasDayOf(endText);
  return start !== undefined && end !== undefined && addDays(start, 1) === end ? start : undefined;
}

export function gasPoint(file: string, r: GasReading, tally: WarningTally, now: number): ImportRecord | undefined {
  if (!isPlausibleInstant(Date.parse(`${r.date}T12:00:00Z`), now)) {
    throw importError(file, `the date ${r.date} is not plausible.`, r.line);
  }
  check(file, r.energyKwh, LIMITS.gasDailyKwh, 'kWh in a day', r.line);
  check(file, r.volumeM3, LIMITS.gasDailyM3, 'm³ in a day', r.line);
  check(file, r.indexM3, LIMITS.indexM3, 'm³ on a meter index', r.line);
  const factor = r.conversionFactor === 0 ? undefined : r.conversionFactor;
  check(file, factor, LIMITS.conversionFactor, 'kWh per m³ as a conversion coefficient', r.line);
  const energyKwh =
    r.energyKwh ?? (r.volumeM3 !== undefined && factor !== undefined ? roundTo(r.volumeM3 * factor, 3) : undefined);
  if (energyKwh === undefined) {
    tally.warn('no energy', `no energy is given for the gas day ${r.date}: skipped.`, r.line);
    return undefined;
  }
  const data: Record<string, unknown> = {
    usagePointId: r.usagePointId,
    date: r.date,
    energyKwh: roundTo(energyKwh, 3),
  };
  if (r.volumeM3 !== undefined) data.volumeM3 = roundTo(r.volumeM3, 3);
  if (r.indexM3 !== undefined) data.indexM3 = roundTo(r.indexM3, 3);
  if (factor !== undefined) data.conversionFactor = roundTo(factor, 4);
  return point(GAS_DAILY, data, r.quality, r.line);
}

function check(file: string, value: number | undefined, max: number, what: string, line: number): void {
  if (value === undefined) return;
  if (value < 0) throw importError(file, `the value ${value} is negative, which a gas reading cannot be.`, line);
  if (value > max) throw importError(file, `the value ${value} is not plausible (more than ${max} ${what}).`, line);
}
