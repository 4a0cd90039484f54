import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant, parisDate } from '../../synthetic/time.js';

const care = [
  { name: 'Consultation de médecine générale', code: 'NGAP|G', type: 'professional', amount: 30, share: 0.7 },
  { name: 'Détartrage', code: 'CCAM|HBJD001', type: 'oral', amount: 28.92, share: 0.7 },
  { name: 'Médicaments', code: 'CIP|3400930000000', type: 'pharmacy', amount: 24.5, share: 0.65 },
] as const;

/** Explanations of benefit from the statutory insurer for the household's care, in issue order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  householdOf(rng);
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const c = rng.pick(care);
    const serviced = t - rng.int(2, 10) * 86_400_000;
    const paid = round(c.amount * c.share, 2);
    return {
      kind: 'explanation_of_benefit',
      status: 'active',
      use: 'claim',
      type: c.type,
      created: isoInstant(t),
      provider: 'Cabinet médical des Lilas',
      insurer: 'Assurance Maladie',
      outcome: 'complete',
      items: [{ name: c.name, code: c.code, servicedDate: parisDate(serviced), quantity: 1, netAmount: c.amount }],
      totalAmount: c.amount,
      paidAmount: paid,
      patientAmount: round(c.amount - paid, 2),
      currency: 'EUR',
      ref: `ExplanationOfBenefit/eob-${rng.hex(12)}`,
    };
  });
}
