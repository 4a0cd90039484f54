/**
 * The records energy importers yield, built one way for every format: the catalog doctypes'
 * names, their point shapes, and the load curve's 30-minute grid.
 */
import type { ImportRecord } from '../importer.js';
import { roundTo } from './energy-numbers.js';
import { isoInstant } from './producer-time.js';
import type { WarningTally } from './warning-tally.js';

export const LOAD_CURVE = 'energy.electricity.load-curve';
export const ELECTRICITY_DAILY = 'energy.electricity.daily';
export const MAX_POWER = 'energy.electricity.max-power';
export const GAS_DAILY = 'energy.gas.daily';

/** `measured` is the schemas' default: it is left out of the points. */
export type Quality = 'measured' | 'estimated' | 'corrected';

const QUALITY_RANK: Record<Quality, number> = { measured: 0, corrected: 1, estimated: 2 };

/** The less certain of two qualities: an average of measured and estimated values is estimated. */
export function worstQuality(a: Quality, b: Quality): Quality {
  return QUALITY_RANK[a] >= QUALITY_RANK[b] ? a : b;
}

function withQuality(data: Record<string, unknown>, quality: Quality | undefined): Record<string, unknown> {
  return quality === undefined || quality === 'measured' ? data : { ...data, quality };
}

export function point(
  doctype: string,
  data: Record<string, unknown>,
  quality: Quality | undefined,
  line: number | undefined,
): ImportRecord {
  return { kind: 'point', doctype, data: withQuality(data, quality), ...(line === undefined ? {} : { line }) };
}

export function dailyPoint(
  usagePointId: string,
  date: string,
  energyKwh: number,
  quality?: Quality,
  line?: number,
): ImportRecord {
  return point(ELECTRICITY_DAILY, { usagePointId, date, energyKwh: roundTo(energyKwh, 3) }, quality, line);
}

export function maxPowerPoint(
  usagePointId: string,
  date: string,
  maxPowerVa: number,
  at: number | undefined,
  quality?: Quality,
  line?: number,
): ImportRecord {
  const data = {
    usagePointId,
    date,
    maxPowerVa: roundTo(maxPowerVa, 3),
    ...(at === undefined ? {} : { at: isoInstant(at) }),
  };
  return point(MAX_POWER, data, quality, line);
}

/** One measured interval of average power: what a load curve line says once its time is known. */
export interface PowerInterval {
  /** Start of the interval, epoch ms. */
  start: number;
  durationMs: number;
  powerW: number;
  quality: Quality;
  line?: number;
}

const HALF_HOUR = 30 * 60_000;

export interface HalfHourCurve {
  push(interval: PowerInterval): ImportRecord[];
  /** Call at the end of the stream (or of a block): reports a last unfinished half-hour. */
  end(): ImportRecord[];
}

/**
 * Brings intervals onto the catalog's 30-minute grid, exactly: a 30-minute interval is one point;
 * shorter ones (5, 10, 15 minutes...) are averaged, weighted by duration, once they cover their
 * half-hour entirely. A half-hour with a missing piece, an interval off the grid, or a longer
 * one (60 minutes: its two halves are not known) is skipped with a warning, never guessed.
 */
export function createHalfHourCurve(usagePointId: string, tally: WarningTally): HalfHourCurve {
  let bucket: { start: number; covered: number; energy: number; quality: Quality; line?: number } | undefined;

  const make = (start: number, powerW: number, quality: Quality, line: number | undefined) =>
    point(LOAD_CURVE, { usagePointId, t: isoInstant(start), powerW: roundTo(powerW, 3) }, quality, line);

  const close = (): ImportRecord[] => {
    const b = bucket;
    bucket = undefined;
    if (!b) return [];
    if (b.covered === HALF_HOUR) return [make(b.start, b.energy / HALF_HOUR, b.quality, b.line)];
    tally.warn(
      'incomplete half-hour',
      `the half-hour starting ${isoInstant(b.start)} is only partly measured (${b.covered / 60_000} of 30 minutes): skipped.`,
      b.line,
    );
    return [];
  };

  /** Skips an interval: whatever half-hour was open is settled first, so warnings keep file order. */
  const skip = (kind: string, message: string, line: number | undefined): ImportRecord[] => {
    const out = close();
    tally.warn(kind, message, line);
    return out;
  };

  return {
    push(i) {
      if (i.durationMs === HALF_HOUR) {
        if (i.start % HALF_HOUR !== 0) {
          return skip(
            'off the half-hour grid',
            `the interval starting ${isoInstant(i.start)} is not on the half-hour grid: skipped.`,
            i.line,
          );
        }
        return [...close(), make(i.start, i.powerW, i.quality, i.line)];
      }
      if (i.durationMs <= 0 || i.durationMs > HALF_HOUR || HALF_HOUR % i.durationMs !== 0) {
        return skip(
          'step not on the 30-minute grid',
          `a ${i.durationMs / 60_000}-minute interval cannot be turned into 30-minute averages: skipped.`,
          i.line,
        );
      }
      const start = Math.floor(i.start / HALF_HOUR) * HALF_HOUR;
      const out = bucket && bucket.start !== start ? close() : [];
      bucket ??= { start, covered: 0, energy: 0, quality: 'measured', line: i.line };
      bucket.covered += i.durationMs;
      bucket.energy += i.powerW * i.durationMs;
      bucket.quality = worstQuality(bucket.quality, i.quality);
      if (bucket.covered > HALF_HOUR) {
        tally.warn(
          'overlapping intervals',
          `intervals overlap in the half-hour starting ${isoInstant(start)}: skipped.`,
          i.line,
        );
        bucket = undefined;
      } else if (bucket.covered === HALF_HOUR) {
        out.push(...close());
      }
      return out;
    },
    end: close,
  };
}
