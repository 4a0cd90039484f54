import { householdPowerW } from '../../synthetic/electricity-profile.js';
import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { wholeParisDays } from '../../synthetic/daily-grid.js';
import { MINUTE_MS, addDays, parisMidnight, toParis, winterness } from '../../synthetic/time.js';

const STEP_MS = 30 * MINUTE_MS;

/**
 * One reading per whole Paris day in [from, to) (at most `count`), integrated from the same
 * household profile as the load curve, split into peak and off-peak hours when the option has them.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const option = h.electricity.tariffOption;
  const out: unknown[] = [];
  for (const day of wholeParisDays(fromMs, toMs, count)) {
    const start = parisMidnight(Date.parse(`${day}T12:00:00Z`));
    const end = parisMidnight(Date.parse(`${addDays(day, 1)}T12:00:00Z`));
    let peakWh = 0;
    let offPeakWh = 0;
    let maxW = 0;
    for (let t = start; t < end; t += STEP_MS) {
      const local = toParis(t + STEP_MS / 2);
      const watts = householdPowerW(rng, h, local);
      const hour = local.hour + local.minute / 60;
      if (hour >= 22.5 || hour < 6.5) offPeakWh += watts / 2;
      else peakWh += watts / 2;
      maxW = Math.max(maxW, watts);
    }
    const energyKwh = round((peakWh + offPeakWh) / 1000, 2);
    const split =
      option === 'base'
        ? {}
        : { peakKwh: round(peakWh / 1000, 2), offPeakKwh: round(energyKwh - round(peakWh / 1000, 2), 2) };
    const winter = winterness(toParis(start + 12 * 3_600_000));
    const tempoColor = winter > 0.6 && rng.chance(0.25) ? 'red' : winter > 0.2 && rng.chance(0.3) ? 'white' : 'blue';
    out.push({
      usagePointId: h.electricity.usagePointId,
      date: day,
      energyKwh,
      ...split,
      ...(option === 'tempo' ? { tempoColor } : {}),
      // Apparent power peaks above the half-hour average: appliances start and stop within it.
      maxPowerVa: Math.min(Math.round(maxW * rng.float(1.3, 1.8)), h.electricity.subscribedPowerKva * 1000),
    });
  }
  return out;
}
