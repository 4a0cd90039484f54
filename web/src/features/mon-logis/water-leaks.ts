/**
 * Leak alerts from daily water volumes. The meter gives a day's total, not its night-time flow, so
 * the rule watches the day's volume against the home's own usual level:
 *
 * - **usual level** of a day: the 75th percentile of the 56 days before it (eight weeks, so a
 *   week of holiday or a few garden days do not move it much);
 * - a day is **abnormal** when its volume is above the usual level by more than 150 litres and by
 *   more than 30 %;
 * - an **alert** is a run of at least 3 consecutive abnormal days (a leak runs day and night; one
 *   busy day is a party or a washing day), or any run of days the meter itself flags (`leak`: the
 *   distributor's meters see the continuous night flow we cannot).
 *
 * Alerts that touch or overlap are one. Each says its days, whether the meter flagged it, the
 * pattern found it or both, and the litres above the usual level over the run. Calibrated on the
 * synthetic household: its leaks add 200 to 600 litres a day for 3 to 12 days.
 */
import { addDays } from './calendar.js';

export interface WaterDay {
  date: string;
  volumeLitres: number;
  leak?: boolean;
}

export interface LeakAlert {
  from: string;
  to: string;
  days: number;
  source: 'meter' | 'pattern' | 'both';
  /** Litres above the usual level over the alert's days (0 where no level could be set). */
  extraLitres: number;
}

export const LEAK_RULE = { windowDays: 56, percentile: 0.75, aboveLitres: 150, aboveRatio: 1.3, minDays: 3 } as const;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * p)] ?? 0;
}

/** Days must be one meter's, in date order (gaps are allowed: a run never spans a gap). */
export function leakAlerts(days: WaterDay[]): LeakAlert[] {
  const { windowDays, percentile: p, aboveLitres, aboveRatio, minDays } = LEAK_RULE;
  const usual: (number | null)[] = days.map((_, i) =>
    i >= windowDays
      ? percentile(
          days.slice(i - windowDays, i).map((d) => d.volumeLitres),
          p,
        )
      : null,
  );
  const abnormal = days.map((d, i) => {
    const level = usual[i] ?? null;
    return level !== null && d.volumeLitres > level + aboveLitres && d.volumeLitres > level * aboveRatio;
  });

  // Runs of consecutive days matching a test.
  const runs = (test: (i: number) => boolean): [number, number][] => {
    const out: [number, number][] = [];
    let start = -1;
    for (let i = 0; i <= days.length; i++) {
      const on = i < days.length && test(i) && (start < 0 || days[i]!.date === addDays(days[i - 1]!.date, 1));
      if (on && start < 0) start = i;
      if (!on && start >= 0) {
        out.push([start, i - 1]);
        start = i < days.length && test(i) ? i : -1;
      }
    }
    return out;
  };
  const meter = runs((i) => days[i]!.leak === true);
  const pattern = runs((i) => abnormal[i]!).filter(([a, b]) => b - a + 1 >= minDays);

  const tagged = [
    ...meter.map(([a, b]) => ({ a, b, meter: true, pattern: false })),
    ...pattern.map(([a, b]) => ({ a, b, meter: false, pattern: true })),
  ].sort((x, y) => x.a - y.a);
  const merged: { a: number; b: number; meter: boolean; pattern: boolean }[] = [];
  for (const t of tagged) {
    const last = merged[merged.length - 1];
    if (last && t.a <= last.b + 1 && days[t.a]!.date <= addDays(days[last.b]!.date, 1)) {
      last.b = Math.max(last.b, t.b);
      last.meter ||= t.meter;
      last.pattern ||= t.pattern;
    } else merged.push({ ...t });
  }
  return merged.map(({ a, b, meter: m, pattern: pt }) => {
    let extra = 0;
    for (let i = a; i <= b; i++) {
      const level = usual[i];
      if (level !== null && level !== undefined) extra += Math.max(0, days[i]!.volumeLitres - level);
    }
    return {
      from: days[a]!.date,
      to: days[b]!.date,
      days: b - a + 1,
      source: m && pt ? 'both' : m ? 'meter' : 'pattern',
      extraLitres: Math.round(extra),
    };
  });
}
