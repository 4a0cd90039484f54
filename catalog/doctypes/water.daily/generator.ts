import { wholeParisDays } from '../../synthetic/daily-grid.js';
import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { toParis } from '../../synthetic/time.js';

/**
 * One reading per whole day in [from, to) (at most `count`): about 140 litres per person, more
 * at weekends and in summer, with one leak episode that the utility flags.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const people = h.adults.length + h.children.length;
  const days = wholeParisDays(fromMs, toMs, count);
  const leakStart = rng.int(0, Math.max(0, days.length - 1));
  const leakDays = rng.int(3, 9);
  let index = rng.float(150, 2500, 3);
  return days.map((date, i) => {
    const l = toParis(Date.parse(`${date}T12:00:00Z`));
    const weekend = l.weekday === 0 || l.weekday === 6;
    const summer = l.month >= 6 && l.month <= 8 ? 1.15 : 1;
    const leak = i >= leakStart && i < leakStart + leakDays;
    const litres = Math.max(
      0,
      Math.round(
        people * 140 * summer * (weekend ? 1.15 : 1) * Math.exp(rng.normal(0, 0.2)) + (leak ? rng.int(250, 400) : 0),
      ),
    );
    index = round(index + litres / 1000, 3);
    return { meterId: h.water.meterId, date, volumeLitres: litres, indexM3: index, leak };
  });
}
