import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { HOUR_MS, MINUTE_MS, isoInstant, parisToUtc, toParis } from '../../synthetic/time.js';

/** A few regular correspondents, so that counts per counterpart look like a real address book. */
function correspondents(rng: Rng): { number: string; type: string; weight: number }[] {
  const list = Array.from({ length: 12 }, (_, i) => ({
    number: `+33${rng.pick(['6', '7'])}${rng.digits(4)}XXXX`,
    type: 'mobile',
    weight: 12 - i,
  }));
  list.push({ number: `+33${rng.int(1, 5)}${rng.digits(4)}XXXX`, type: 'landline', weight: 3 });
  list.push({ number: '888', type: 'short_code', weight: 1 });
  list.push({ number: `+3389${rng.digits(3)}XXXX`, type: 'special', weight: 1 });
  list.push({ number: `+32${rng.digits(5)}XXXX`, type: 'international', weight: 1 });
  return list;
}

/** `count` calls and messages of the first adult's mobile line, at waking hours, in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const people = correspondents(rng.fork('correspondents'));
  const times = Array.from({ length: count }, () => {
    // Pick a day, then an hour weighted towards the day and the evening (Paris time).
    const t = fromMs + Math.floor(rng.next() * (toMs - fromMs));
    const l = toParis(t);
    const hour = rng.weighted([
      [8, 2],
      [9, 3],
      [10, 3],
      [12, 4],
      [13, 3],
      [15, 3],
      [17, 4],
      [18, 5],
      [19, 5],
      [20, 4],
      [21, 3],
      [22, 1],
    ] as const);
    const at = parisToUtc(l.year, l.month, l.day, hour) + rng.int(0, HOUR_MS / 1000 - 1) * 1000;
    return Math.min(Math.max(at, fromMs), toMs - 1);
  }).sort((a, b) => a - b);
  return times.map((t) => {
    const kind = rng.weighted([
      ['voice', 45],
      ['sms', 52],
      ['mms', 3],
    ] as const);
    const who = rng.weighted(people.map((p) => [p, p.weight] as const));
    const voice = kind === 'voice';
    const answered = !voice || rng.chance(0.85);
    const special = who.type === 'special';
    const seconds = voice && answered ? Math.round(Math.exp(rng.normal(4.5, 1.1))) : 0;
    return {
      lineNumber: h.adults[0].mobile,
      direction: who.type === 'short_code' || special ? 'outgoing' : rng.pick(['incoming', 'outgoing']),
      kind,
      counterpart: who.number,
      counterpartType: who.type,
      start: isoInstant(t),
      ...(voice ? { durationSeconds: Math.min(seconds, (3 * HOUR_MS) / 1000) } : {}),
      roaming: false,
      // 08 numbers are billed by the minute outside most plans.
      amount: special && voice ? Math.round(0.8 * Math.ceil((seconds * 1000) / MINUTE_MS) * 100) / 100 : 0,
      currency: 'EUR',
    };
  });
}
