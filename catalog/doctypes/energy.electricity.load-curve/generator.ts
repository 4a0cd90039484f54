import { householdPowerW } from '../../synthetic/electricity-profile.js';
import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { MINUTE_MS, isoInstant, toParis } from '../../synthetic/time.js';

const STEP_MS = 30 * MINUTE_MS;

/** Every 30-minute point of [from, to) for the household's meter (at most `count`), in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const out: unknown[] = [];
  for (let t = Math.ceil(fromMs / STEP_MS) * STEP_MS; t < toMs && out.length < count; t += STEP_MS) {
    // The power of an interval is drawn at its middle.
    const powerW = householdPowerW(rng, h, toParis(t + STEP_MS / 2));
    out.push({
      usagePointId: h.electricity.usagePointId,
      t: isoInstant(t),
      powerW,
      ...(rng.chance(0.002) ? { quality: 'estimated' } : {}),
    });
  }
  return out;
}
