import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

interface Kind {
  name: string;
  class: string;
  code: string;
  minutes: [number, number];
}

const kinds: Kind[] = [
  { name: 'Consultation de médecine générale', class: 'ambulatory', code: '185349003', minutes: [15, 30] },
  { name: 'Téléconsultation', class: 'virtual', code: '185316007', minutes: [10, 20] },
  { name: 'Passage aux urgences', class: 'emergency', code: '50849002', minutes: [120, 360] },
];

/** Consultations of the household's members, a few teleconsultations and emergency visits, in start order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  householdOf(rng);
  const starts = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return starts.map((t) => {
    const kind = rng.weighted(kinds.map((k, i) => [k, [8, 2, 1][i] ?? 1] as const));
    return {
      name: kind.name,
      type: { system: 'http://snomed.info/sct', code: kind.code, display: kind.name },
      class: kind.class,
      status: 'finished',
      start: isoInstant(t),
      end: isoInstant(t + rng.int(kind.minutes[0], kind.minutes[1]) * 60_000),
      practitioners: [rng.pick(['Dr Claire Lefèvre', 'Dr Paul Nguyen', 'Dr Amina Benali'])],
      organisation: kind.class === 'emergency' ? 'Hôpital Édouard-Herriot' : 'Cabinet médical des Lilas',
      ref: `Encounter/enc-${rng.hex(12)}`,
    };
  });
}
