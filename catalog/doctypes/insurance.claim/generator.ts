import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { addDays, parisDate } from '../../synthetic/time.js';

const losses = [
  { type: 'water_damage', min: 300, max: 4000, text: 'Fuite sous l’évier de la cuisine, parquet endommagé.' },
  { type: 'glass_breakage', min: 150, max: 900, text: 'Pare-brise fissuré par un gravillon sur l’autoroute.' },
  { type: 'theft', min: 200, max: 2500, text: 'Vol d’un vélo dans le local de l’immeuble.' },
  { type: 'collision', min: 600, max: 6000, text: 'Accrochage sur un parking, aile avant droite enfoncée.' },
  { type: 'storm', min: 400, max: 3000, text: 'Tuiles arrachées lors de la tempête.' },
] as const;

const care = [
  { careType: 'consultation', practitioner: 'Dr Lefèvre, médecin généraliste', paid: 30, ss: 19.6 },
  { careType: 'pharmacy', practitioner: 'Pharmacie du Centre', paid: 24.5, ss: 12.1 },
  { careType: 'dental', practitioner: 'Cabinet dentaire des Lilas', paid: 620, ss: 84 },
  { careType: 'optical', practitioner: 'Optique Krys', paid: 340, ss: 0.09 },
  { careType: 'paramedical', practitioner: 'Cabinet de kinésithérapie', paid: 160, ss: 96 },
] as const;

/** Mostly health reimbursements (frequent), some property and vehicle claims, in event order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const lastDay = parisDate(toMs - 1);
  const people = [...h.adults, ...h.children].map((p) => `${p.givenName} ${p.familyName}`);
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const eventDate = parisDate(t);
    if (rng.chance(0.75)) {
      const c = rng.pick(care);
      const mutuelle = round(Math.min(c.paid - c.ss, (c.paid - c.ss) * rng.float(0.6, 1)), 2);
      const settlementDate = addDays(eventDate, rng.int(2, 10));
      const settled = settlementDate <= lastDay;
      return {
        vendor: h.insurance.healthVendor,
        contractNumber: h.insurance.healthContractNumber,
        claimNumber: `DEC${rng.digits(9)}`,
        type: 'health_care',
        eventDate,
        status: settled ? 'settled' : 'in_review',
        claimedAmount: c.paid,
        ...(settled ? { settledAmount: mutuelle, settlementDate } : {}),
        currency: 'EUR',
        healthCare: {
          beneficiary: rng.pick(people),
          careType: c.careType,
          practitioner: c.practitioner,
          socialSecurityAmount: c.ss,
        },
      };
    }
    const loss = rng.pick(losses);
    const vehicle = loss.type === 'collision' || loss.type === 'glass_breakage';
    const claimed = rng.float(loss.min, loss.max, 2);
    const deductible = vehicle ? rng.pick([0, 75, 300]) : 150;
    const declarationDate = addDays(eventDate, rng.int(0, 4));
    const settlementDate = addDays(declarationDate, rng.int(15, 70));
    const settled = settlementDate <= lastDay;
    return {
      vendor: h.insurance.vendor,
      contractNumber: vehicle ? h.insurance.vehicleContractNumber : h.insurance.homeContractNumber,
      claimNumber: `${eventDate.slice(0, 4)}-${rng.digits(7)}`,
      type: loss.type,
      eventDate,
      declarationDate,
      status: settled ? 'settled' : rng.pick(['declared', 'in_review']),
      description: loss.text,
      claimedAmount: claimed,
      ...(settled
        ? { settledAmount: round(Math.max(0, claimed - deductible), 2), deductibleAmount: deductible, settlementDate }
        : {}),
      currency: 'EUR',
      ...(loss.type === 'collision' ? { liabilityShare: rng.pick([0, 50, 100]) } : {}),
      fileIds: Array.from({ length: rng.int(1, 3) }, () => `file-${rng.hex(16)}`),
    };
  });
}
