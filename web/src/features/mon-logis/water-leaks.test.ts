import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../../../src/holders/household/household.js';
import { addDays, daysBetween } from './calendar.js';
import { leakAlerts, type WaterDay } from './water-leaks.js';

/** Sixty ordinary days around 300 L (weekly rhythm), then whatever the test appends. */
function ordinary(from: string, n: number): WaterDay[] {
  return daysBetween(from, addDays(from, n - 1)).map((date, i) => ({ date, volumeLitres: 280 + (i % 7) * 10 }));
}

describe('water leak alerts', () => {
  it('alerts on three days in a row well above the usual level, and counts the extra litres', () => {
    const days = ordinary('2026-01-01', 60);
    for (const v of [700, 720, 690]) days.push({ date: addDays(days[days.length - 1]!.date, 1), volumeLitres: v });
    days.push({ date: addDays(days[days.length - 1]!.date, 1), volumeLitres: 300 });
    const alerts = leakAlerts(days);
    // The usual level: the 75th percentile of the 56 days before (values 280..340 by weekday).
    const level = [...days.slice(4, 60).map((d) => d.volumeLitres)].sort((a, b) => a - b)[Math.floor(55 * 0.75)]!;
    expect(alerts).toEqual([
      { from: days[60]!.date, to: days[62]!.date, days: 3, source: 'pattern', extraLitres: expect.any(Number) },
    ]);
    // Each later day's level includes the previous abnormal day, so check the first day exactly.
    expect(alerts[0]!.extraLitres).toBeGreaterThan(700 - level + 600 - 2 * level);
  });

  it('does not alert on two busy days, nor on a rise under 150 litres or under 30 %', () => {
    const two = ordinary('2026-01-01', 60);
    for (const v of [900, 900, 300]) two.push({ date: addDays(two[two.length - 1]!.date, 1), volumeLitres: v });
    expect(leakAlerts(two)).toEqual([]);
    const small = ordinary('2026-01-01', 60);
    for (const v of [460, 460, 460, 460])
      small.push({ date: addDays(small[small.length - 1]!.date, 1), volumeLitres: v });
    expect(leakAlerts(small)).toEqual([]);
  });

  it('keeps the meter’s own flags and merges them with the pattern', () => {
    const days = ordinary('2026-01-01', 70);
    days[10] = { ...days[10]!, leak: true };
    days[11] = { ...days[11]!, leak: true };
    for (const i of [64, 65, 66]) days[i] = { ...days[i]!, volumeLitres: 800 };
    days[67] = { ...days[67]!, leak: true };
    expect(leakAlerts(days).map((a) => [a.from, a.to, a.source])).toEqual([
      [days[10]!.date, days[11]!.date, 'meter'],
      [days[64]!.date, days[67]!.date, 'both'],
    ]);
  });

  it('never runs an alert across a gap in the data', () => {
    const days = ordinary('2026-01-01', 60);
    const last = days[days.length - 1]!.date;
    days.push({ date: addDays(last, 1), volumeLitres: 900 }, { date: addDays(last, 2), volumeLitres: 900 });
    days.push({ date: addDays(last, 5), volumeLitres: 900 });
    expect(leakAlerts(days)).toEqual([]);
  });

  it('finds the synthetic household’s leaks: every flagged leak, and most of them from the volumes alone', () => {
    let episodes = 0;
    let seen = 0;
    let falseAlarms = 0;
    for (const seed of ['leaks-1', 'leaks-2', 'leaks-3']) {
      const household = createHousehold({ seed });
      for (const customer of ['family', 'retirees', 'single-parent']) {
        const days = household
          .records(customer, 'water', 'water.daily', { from: '2023-11-24', to: '2026-11-23' })
          .map((r) => r.data as unknown as WaterDay);
        const flagged = days.filter((d) => d.leak).map((d) => d.date);
        const alerts = leakAlerts(days);
        const inAlert = (d: string) => alerts.some((a) => a.from <= d && d <= a.to);
        expect(flagged.every(inAlert)).toBe(true);
        // Without the meter's flags: the pattern alone.
        const unflagged = leakAlerts(days.map(({ leak: _l, ...d }) => d));
        const runs: string[][] = [];
        for (const d of days) {
          if (!d.leak) continue;
          const run = runs[runs.length - 1];
          if (run && addDays(run[run.length - 1]!, 1) === d.date) run.push(d.date);
          else runs.push([d.date]);
        }
        episodes += runs.length;
        seen += runs.filter((run) => run.some((d) => unflagged.some((a) => a.from <= d && d <= a.to))).length;
        falseAlarms += unflagged.filter((a) => !flagged.some((d) => a.from <= d && d <= a.to)).length;
      }
    }
    expect(episodes).toBeGreaterThan(10);
    expect(seen / episodes).toBeGreaterThanOrEqual(0.6);
    expect(falseAlarms).toBeLessThanOrEqual(2);
  });
});
