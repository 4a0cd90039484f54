import { Rng } from '../../../catalog/synthetic/rng.js';
import { billRecord, type Debit, fileFor, line } from './bill.js';
import { round2, type GenContext, type HolderRecord } from './context.js';
import type { Customer, Vehicle } from './customers.js';
import { addDays, dayNumber, dayString } from './days.js';
import { vendors } from './vendors.js';

/** A contract as the insurer bills it: what its schedules and claims need. */
interface Policy {
  contractNumber: string;
  kind: 'home' | 'vehicle';
  label: string;
  monthlyPremium: number;
  startDate: string;
  vehicle?: Vehicle;
}

function policiesOf(c: Customer): Policy[] {
  const home: Policy = {
    contractNumber: c.insurer.home.contractNumber,
    kind: 'home',
    label: 'Habitation',
    monthlyPremium: c.insurer.home.monthlyPremium,
    startDate: c.insurer.home.startDate,
  };
  return [
    home,
    ...c.insurer.vehicles.map((v) => ({
      contractNumber: v.contractNumber,
      kind: 'vehicle' as const,
      label: `Auto ${v.make} ${v.model}`,
      monthlyPremium: v.monthlyPremium,
      startDate: c.insurer.home.startDate,
      vehicle: v,
    })),
  ];
}

const fr = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

export function insuranceContracts(ctx: GenContext): HolderRecord[] {
  const c = ctx.customer;
  const perInstalment = (p: Policy): number => round2(p.monthlyPremium * (c.insurer.frequency === 'monthly' ? 1 : 3));
  const adults = c.people.filter((p) => p.adult).map((p) => `${p.givenName} ${p.familyName}`);
  return policiesOf(c).map((p) => {
    const common = {
      vendor: vendors.insurer.name,
      contractNumber: p.contractNumber,
      status: 'active',
      startDate: p.startDate,
      tacitRenewal: true,
      premiumAmount: perInstalment(p),
      premiumFrequency: c.insurer.frequency,
      annualPremium: round2(p.monthlyPremium * 12),
      currency: 'EUR',
      paymentMethod: 'direct_debit',
      policyholder: c.displayName,
    };
    const data =
      p.kind === 'home'
        ? {
            ...common,
            product: 'home',
            productName: c.profile === 'student' ? 'Aurore Habitation Étudiant' : 'Aurore Habitation Confort',
            insuredPersons: c.people.map((x) => `${x.givenName} ${x.familyName}`),
            insuredObject: {
              kind: 'dwelling',
              label: `${c.dwelling.type === 'house' ? 'Maison' : 'Appartement'} ${c.dwelling.rooms} pièce${c.dwelling.rooms > 1 ? 's' : ''}`,
              address: { ...c.address },
              dwellingType: c.dwelling.type,
              occupancy: c.dwelling.occupancy,
              rooms: c.dwelling.rooms,
              surfaceM2: c.dwelling.surfaceM2,
            },
            deductible: 150,
            coverages: [
              { label: 'Responsabilité civile' },
              { label: 'Dégâts des eaux', deductible: 150 },
              { label: 'Incendie', limit: 500000, deductible: 150 },
              { label: 'Vol et vandalisme', limit: c.profile === 'student' ? 5000 : 30000, deductible: 150 },
              { label: 'Bris de glace', deductible: 80 },
            ],
          }
        : {
            ...common,
            product: 'vehicle',
            productName: 'Aurore Auto Tous Risques',
            insuredPersons: adults,
            insuredObject: {
              kind: 'vehicle',
              label: `${p.vehicle?.make} ${p.vehicle?.model}`,
              registration: p.vehicle?.registration,
              make: p.vehicle?.make,
              model: p.vehicle?.model,
              firstRegistrationDate: p.vehicle?.firstRegistrationDate,
            },
            bonusMalus: 0.64,
            deductible: 300,
            coverages: [
              { label: 'Responsabilité civile' },
              { label: 'Dommages tous accidents', deductible: 300 },
              { label: 'Bris de glace', deductible: 50 },
              { label: 'Assistance 0 km' },
            ],
          };
    return {
      key: p.contractNumber,
      doctype: 'insurance.contract',
      day: p.startDate,
      reference: true,
      files: [fileFor('contract', p.startDate, p.contractNumber)],
      data,
    };
  });
}

/** Instalments are taken on the 5th: every month, or in January, April, July and October. */
function instalmentDays(c: Customer, year: number, from: string): string[] {
  const months = c.insurer.frequency === 'monthly' ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] : [1, 4, 7, 10];
  return months.map((m) => `${year}-${String(m).padStart(2, '0')}-05`).filter((d) => d > from);
}

/** The year's schedule, issued on 15 December for the next year, or on the start day for the first year. */
function schedule(ctx: GenContext, p: Policy, year: number): HolderRecord | undefined {
  const c = ctx.customer;
  const first = Number(p.startDate.slice(0, 4));
  if (year < first) return undefined;
  const issueDate = year === first ? p.startDate : `${year - 1}-12-15`;
  const days = instalmentDays(c, year, year === first ? p.startDate : `${year - 1}-12-31`);
  if (days.length === 0) return undefined;
  const amount = round2(p.monthlyPremium * (c.insurer.frequency === 'monthly' ? 1 : 3));
  const number = `ECH${year}${p.contractNumber}`;
  return billRecord({
    holder: 'insurer',
    vendor: vendors.insurer,
    vendorCategory: 'insurance',
    type: 'payment_schedule',
    label: `Échéancier ${year} — ${p.label}`,
    number,
    customerNumber: c.customerNumbers.insurer ?? '',
    contractNumber: p.contractNumber,
    issueDate,
    dueDate: days[0] as string,
    periodStart: year === first ? p.startDate : `${year}-01-01`,
    periodEnd: `${year}-12-31`,
    // Insurance premiums bear a tax of their own, included in the premium, not VAT.
    lines: days.map((d) => line(`Échéance du ${fr(d)}`, 1, 'instalment', amount, 0)),
    extra: { instalments: days.map((date) => ({ date, amount })) },
  });
}

export function insuranceSchedules(ctx: GenContext, day: string): HolderRecord[] {
  const year = Number(day.slice(0, 4));
  const out: HolderRecord[] = [];
  for (const p of policiesOf(ctx.customer))
    for (const y of [year, year + 1]) {
      const s = schedule(ctx, p, y);
      if (s && s.day === day) out.push(s);
    }
  return out;
}

export function insuranceDebits(ctx: GenContext, day: string): Debit[] {
  if (day.slice(8, 10) !== '05') return [];
  const out: Debit[] = [];
  for (const p of policiesOf(ctx.customer)) {
    const s = schedule(ctx, p, Number(day.slice(0, 4)));
    const instalment = (
      s?.data.extra as { instalments: { date: string; amount: number }[] } | undefined
    )?.instalments.find((i) => i.date === day);
    if (!s || !instalment) continue;
    out.push({
      holder: 'insurer',
      day,
      amount: instalment.amount,
      vendor: vendors.insurer,
      billNumber: s.key,
      mandateReference: `RUM${p.contractNumber}`,
      detail: `ECHEANCE ${p.contractNumber} ${day.slice(5, 7)}/${day.slice(0, 4)}`,
    });
  }
  return out;
}

export interface Claim {
  record: HolderRecord;
  settlementDate: string;
  settledAmount: number;
  claimNumber: string;
}

type ClaimKind = readonly [type: string, description: string, min: number, max: number];

const claimKinds: Record<Policy['kind'], readonly ClaimKind[]> = {
  home: [
    ['water_damage', 'Fuite sous l’évier de la cuisine, placard et parquet abîmés', 900, 2600],
    ['storm', 'Tuiles arrachées par la tempête', 600, 1800],
    ['theft', 'Vol d’un vélo dans le local fermé', 350, 900],
    ['glass_breakage', 'Vitre du séjour brisée', 250, 700],
  ],
  vehicle: [
    ['glass_breakage', 'Impact sur le pare-brise', 400, 900],
    ['collision', 'Accrochage sur un parking, aile arrière', 700, 2400],
  ],
};

/** Claims of a year: about one every three years per contract, settled weeks later and paid to the bank account. */
function claimsOfYear(ctx: GenContext, year: number): Claim[] {
  return ctx.memo(`claims:${year}`, () => {
    const c = ctx.customer;
    const out: Claim[] = [];
    for (const p of policiesOf(c)) {
      const rng = new Rng(`${ctx.seed}|${c.id}|insurer|claims|${p.contractNumber}|${year}`);
      if (!rng.chance(0.33)) continue;
      const eventDate = dayString(dayNumber(`${year}-01-01`) + rng.int(0, 364));
      if (eventDate < p.startDate) continue;
      const [type, description, lo, hi] = rng.pick(claimKinds[p.kind]);
      const claimedAmount = round2(rng.float(lo, hi));
      const deductible = p.kind === 'home' ? 150 : type === 'glass_breakage' ? 50 : 300;
      const settledAmount = round2(Math.max(0, claimedAmount - deductible));
      const declarationDate = addDays(eventDate, rng.int(0, 3));
      const settlementDate = addDays(declarationDate, rng.int(18, 55));
      const claimNumber = `SIN${year}${rng.digits(6)}`;
      out.push({
        claimNumber,
        settlementDate,
        settledAmount,
        record: {
          key: claimNumber,
          doctype: 'insurance.claim',
          // The insurer publishes a claim once settled.
          day: settlementDate,
          data: {
            vendor: vendors.insurer.name,
            contractNumber: p.contractNumber,
            claimNumber,
            type,
            eventDate,
            declarationDate,
            status: 'settled',
            description,
            claimedAmount,
            settledAmount,
            deductibleAmount: Math.min(deductible, claimedAmount),
            currency: 'EUR',
            settlementDate,
            ...(p.kind === 'vehicle' ? { liabilityShare: type === 'collision' ? rng.pick([0, 50]) : 0 } : {}),
          },
        },
      });
    }
    return out;
  });
}

export function claimsSettledOn(ctx: GenContext, day: string): Claim[] {
  const year = Number(day.slice(0, 4));
  return [...claimsOfYear(ctx, year - 1), ...claimsOfYear(ctx, year)].filter((c) => c.settlementDate === day);
}

export function insuranceClaims(ctx: GenContext, day: string): HolderRecord[] {
  return claimsSettledOn(ctx, day).map((c) => c.record);
}
