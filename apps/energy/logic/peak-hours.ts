/**
 * Which hours of the day weigh most: the load curve's energy summed per local hour of the day over
 * the whole range, as kWh and as a share of the total.
 */
import type { LocalTimeOf } from '../../shared/local-time.js';
import type { LoadPoint } from './types.js';

export interface HourWeight {
  hour: number;
  kwh: number;
  /** Share of the range's energy, 0-1. */
  share: number;
  /** Mean power over this hour of the day, in watts. */
  meanW: number;
}

export interface HourProfile {
  hours: HourWeight[];
  /** The hours by descending weight. */
  ranked: number[];
  totalKwh: number;
}

/** Each point is the mean power over the half hour starting at `t`. */
export function hourProfile(points: readonly LoadPoint[], localTime: LocalTimeOf, stepHours = 0.5): HourProfile {
  const wh = new Array<number>(24).fill(0);
  const count = new Array<number>(24).fill(0);
  for (const p of points) {
    if (!Number.isFinite(p.powerW)) continue;
    const { hour } = localTime(p.t);
    wh[hour] = (wh[hour] as number) + p.powerW * stepHours;
    count[hour] = (count[hour] as number) + 1;
  }
  const total = wh.reduce((s, x) => s + x, 0);
  const hours = wh.map((x, hour) => ({
    hour,
    kwh: Math.round(x) / 1000,
    share: total > 0 ? Math.round((x / total) * 10000) / 10000 : 0,
    meanW: (count[hour] as number) > 0 ? Math.round(x / stepHours / (count[hour] as number)) : 0,
  }));
  const ranked = [...hours].sort((a, b) => b.kwh - a.kwh || a.hour - b.hour).map((h) => h.hour);
  return { hours, ranked, totalKwh: Math.round(total) / 1000 };
}
