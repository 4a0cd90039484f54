import { householdPowerW } from '../../synthetic/electricity-profile.js';
import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { wholeParisDays } from '../../synthetic/daily-grid.js';
import { MINUTE_MS, addDays, isoInstant, parisMidnight, toParis } from '../../synthetic/time.js';

const STEP_MS = 30 * MINUTE_MS;

/**
 * One point per whole Paris day in [from, to) (at most `count`): the day's highest 30-minute
 * power of the household profile, raised to an apparent-power peak within that half-hour and
 * capped by the subscribed power, with the instant it was reached.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const out: unknown[] = [];
  for (const day of wholeParisDays(fromMs, toMs, count)) {
    const start = parisMidnight(Date.parse(`${day}T12:00:00Z`));
    const end = parisMidnight(Date.parse(`${addDays(day, 1)}T12:00:00Z`));
    let maxW = 0;
    let maxAt = start;
    for (let t = start; t < end; t += STEP_MS) {
      const watts = householdPowerW(rng, h, toParis(t + STEP_MS / 2));
      if (watts > maxW) {
        maxW = watts;
        maxAt = t;
      }
    }
    out.push({
      usagePointId: h.electricity.usagePointId,
      date: day,
      maxPowerVa: Math.min(Math.round(maxW * rng.float(1.3, 1.8)), h.electricity.subscribedPowerKva * 1000),
      at: isoInstant(maxAt + rng.int(0, 29) * MINUTE_MS + rng.int(0, 59) * 1000),
    });
  }
  return out;
}
