import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const loinc = 'http://loinc.org';
const coding = (code: string, display: string) => ({ system: loinc, code, display });

/** Vital signs from consultations and a few laboratory results, in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  householdOf(rng);
  const source = 'Dr Lefèvre, médecin généraliste';
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t, i) => {
    const effective = isoInstant(t);
    const ref = `Observation/obs-${rng.hex(12)}`;
    const kind = rng.weighted([
      ['weight', 3],
      ['pressure', 3],
      ['hba1c', 1],
      ['smoking', 0.5],
    ] as const);
    const common = { category: kind === 'hba1c' ? 'laboratory' : 'vital-signs', status: 'final', effective, ref };
    if (kind === 'weight')
      return {
        name: 'Body weight',
        code: coding('29463-7', 'Body weight'),
        ...common,
        value: round(rng.normal(72, 1.5), 1),
        unit: 'kg',
        unitCode: 'kg',
        source,
      };
    if (kind === 'pressure') {
      const component = (code: string, display: string, value: number) => ({
        name: display,
        code: coding(code, display),
        value,
        unit: 'mmHg',
        unitCode: 'mm[Hg]',
      });
      return {
        name: 'Blood pressure panel',
        code: coding('85354-9', 'Blood pressure panel with all children optional'),
        ...common,
        components: [
          component('8480-6', 'Systolic blood pressure', Math.round(rng.normal(125, 8))),
          component('8462-4', 'Diastolic blood pressure', Math.round(rng.normal(80, 6))),
        ],
        source,
      };
    }
    if (kind === 'hba1c')
      return {
        name: 'Hémoglobine glyquée (HbA1c)',
        code: coding('4548-4', 'Hemoglobin A1c/Hemoglobin.total in Blood'),
        ...common,
        value: round(rng.normal(5.4, 0.3), 1),
        unit: '%',
        unitCode: '%',
        referenceRange: { low: 4, high: 6 },
        source: 'Laboratoire Bio Centre',
        ...(i % 2 === 0 ? { note: 'Prélèvement à jeun.' } : {}),
      };
    return {
      name: 'Tobacco smoking status',
      code: coding('72166-2', 'Tobacco smoking status'),
      ...common,
      category: 'social-history',
      valueCode: { system: 'http://snomed.info/sct', code: '266919005', display: 'Never smoker' },
      valueText: 'Never smoker',
      source,
    };
  });
}
