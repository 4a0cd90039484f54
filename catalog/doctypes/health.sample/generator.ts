import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant, toParis } from '../../synthetic/time.js';

/** `count` samples from the first adult's watch and phone within [from, to), in strictly increasing time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const owner = h.adults[0].givenName;
  const watch = `Apple Watch de ${owner}`;
  const phone = `iPhone de ${owner}`;
  const seconds = new Set<number>();
  for (let tries = 0; seconds.size < count && tries < count * 4; tries++)
    seconds.add(Math.floor((fromMs + Math.floor(rng.next() * (toMs - fromMs))) / 1000));
  const times = [...seconds].sort((a, b) => a - b).map((s) => s * 1000);
  return times.map((t) => {
    const hour = toParis(t).hour;
    const asleep = hour < 7 || hour >= 23;
    const kind = rng.weighted([
      ['heart', 6],
      ['steps', asleep ? 0 : 3],
      ['weight', 0.1],
    ] as const);
    if (kind === 'steps') {
      const type = 'HKQuantityTypeIdentifierStepCount';
      return {
        stream: `${type}|${phone}`,
        type,
        source: phone,
        t: isoInstant(t),
        end: isoInstant(t + rng.int(60, 600) * 1000),
        value: rng.int(20, 900),
        unit: 'count',
      };
    }
    if (kind === 'weight') {
      const type = 'HKQuantityTypeIdentifierBodyMass';
      return {
        stream: `${type}|Withings`,
        type,
        source: 'Withings',
        t: isoInstant(t),
        value: round(rng.normal(72, 1), 1),
        unit: 'kg',
      };
    }
    const type = 'HKQuantityTypeIdentifierHeartRate';
    return {
      stream: `${type}|${watch}`,
      type,
      source: watch,
      t: isoInstant(t),
      value: Math.round(asleep ? rng.normal(56, 4) : rng.normal(78, 12)),
      unit: 'count/min',
      device: 'Apple Watch Watch6,1',
    };
  });
}
