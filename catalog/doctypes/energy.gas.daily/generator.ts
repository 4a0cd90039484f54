import { wholeParisDays } from '../../synthetic/daily-grid.js';
import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { toParis, winterness } from '../../synthetic/time.js';

/**
 * One reading per whole day in [from, to) (at most `count`). Heating homes burn gas in
 * proportion to the heating degree-days of a seasonal temperature; others only cook and heat water.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const heating = h.home.heating === 'gas';
  const perDegreeKwh = (h.home.surfaceM2 * 0.9) / 24;
  let index = rng.float(2000, 25000, 2);
  return wholeParisDays(fromMs, toMs, count).map((date) => {
    const temperature = 12.5 - 8 * winterness(toParis(Date.parse(`${date}T12:00:00Z`))) + rng.normal(0, 2.5);
    const base = rng.float(2, 6);
    const energy = base + (heating ? Math.max(0, 17 - temperature) * perDegreeKwh : 0);
    const conversionFactor = round(11.2 + rng.float(-0.06, 0.06), 2);
    const volumeM3 = round(energy / conversionFactor, 2);
    index = round(index + volumeM3, 2);
    return {
      usagePointId: h.gas.usagePointId,
      date,
      energyKwh: round(volumeM3 * conversionFactor, 2),
      volumeM3,
      indexM3: index,
      conversionFactor,
      ...(rng.chance(0.01) ? { quality: 'estimated' } : {}),
    };
  });
}
