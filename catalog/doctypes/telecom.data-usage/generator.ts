import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { DAY_MS, addDays, parisDate, toParis } from '../../synthetic/time.js';

/**
 * Daily usage of the first adult's mobile line: one record per day from the first day of the
 * range (at most `count`), more at weekends, with a week of roaming in Spain in summer.
 */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const days = Math.min(count, Math.ceil((toMs - fromMs) / DAY_MS));
  const first = parisDate(fromMs);
  const out: unknown[] = [];
  for (let i = 0; i < days; i++) {
    const date = addDays(first, i);
    const l = toParis(Date.parse(`${date}T12:00:00Z`));
    const weekend = l.weekday === 0 || l.weekday === 6;
    const abroad = l.month === 8 && l.day >= 10 && l.day < 17;
    const megabytes = Math.max(5, rng.normal(weekend ? 900 : 550, 300));
    const total = Math.round(megabytes * 1_000_000);
    const upload = Math.round(total * rng.float(0.05, 0.12));
    out.push({
      lineNumber: h.adults[0].mobile,
      date,
      totalBytes: total,
      downloadBytes: total - upload,
      uploadBytes: upload,
      sessions: rng.int(8, 60),
      network: rng.weighted([
        ['5g', 3],
        ['4g', 6],
        ['3g', 1],
      ] as const),
      roaming: abroad,
      ...(abroad ? { roamingCountry: 'ES' } : {}),
      amount: 0,
      currency: 'EUR',
    });
  }
  return out;
}
