/**
 * The household's meter records in the shape of the French distributor's metering API (Enedis
 * Data Connect v5): values as strings in Wh, W or VA, load-curve points stamped with the local
 * time at the END of their half-hour, `YYYY-MM-DD HH:MM:SS`.
 */
import { toParis } from '../../../catalog/synthetic/time.js';
import type { HolderRecord } from '../household/household.js';

const pad = (n: number): string => String(n).padStart(2, '0');

/** Paris wall-clock time of an instant, as the distributor prints it. */
export function parisWallClock(ms: number): string {
  const l = toParis(ms);
  return `${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}:${pad(new Date(ms).getUTCSeconds())}`;
}

export interface ReadingType {
  measurement_kind: 'energy' | 'power';
  measuring_period?: 'P1D';
  unit: 'Wh' | 'W' | 'VA';
  aggregate: 'sum' | 'average' | 'maximum';
}

export function meterReading(
  usagePointId: string,
  start: string,
  end: string,
  readingType: ReadingType,
  readings: unknown[],
) {
  return {
    meter_reading: {
      usage_point_id: usagePointId,
      start,
      end,
      quality: 'BRUT',
      reading_type: readingType,
      interval_reading: readings,
    },
  };
}

export const dailyReading = (r: HolderRecord) => ({
  value: String(Math.round((r.data.energyKwh as number) * 1000)),
  date: r.day,
});

const HALF_HOUR = 30 * 60_000;

export const loadCurveReading = (r: HolderRecord) => ({
  value: String(r.data.powerW as number),
  date: parisWallClock(Date.parse(r.data.t as string) + HALF_HOUR),
  interval_length: 'PT30M',
  measure_type: 'B',
});

export const maxPowerReading = (r: HolderRecord) => ({
  value: String(r.data.maxPowerVa as number),
  date: parisWallClock(Date.parse(r.data.at as string)),
});

export const enedisError = (error: string, description: string) => ({ error, error_description: description });
