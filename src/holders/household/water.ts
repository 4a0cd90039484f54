import { toParis, winterness } from '../../../catalog/synthetic/time.js';
import { Rng } from '../../../catalog/synthetic/rng.js';
import { billRecord, type Debit, debitsOf, line } from './bill.js';
import { dayRng, runningTotal, type GenContext, type HolderRecord } from './context.js';
import type { Customer } from './customers.js';
import { addDays, dayNumber, dayString, daysOf } from './days.js';
import { awayOn } from './life.js';
import { vendors } from './vendors.js';

type Water = NonNullable<Customer['water']>;

const START_INDEX_M3 = 412.7;
/** Quarterly bills, issued on the 12th of January, April, July and October, debited 15 days later. */
const ISSUE_DAY = 12;
const DEBIT_LAG = 15;
export const waterPrices = { drinking: 2.12, sewerage: 1.94, levies: 0.46, quarterlySubscription: 14.8 } as const;

interface Leak {
  start: string;
  days: number;
  litresPerDay: number;
}

/** At most one leak a year, drawn per (customer, year) so a day can tell alone whether it leaks. */
function leakOfYear(ctx: GenContext, year: number): Leak | undefined {
  const rng = new Rng(`${ctx.seed}|${ctx.customer.id}|water|leak|${year}`);
  if (!rng.chance(0.6)) return undefined;
  return {
    start: dayString(dayNumber(`${year}-01-01`) + rng.int(0, 364)),
    days: rng.int(3, 12),
    litresPerDay: rng.int(200, 600),
  };
}

export function leakOn(ctx: GenContext, day: string): Leak | undefined {
  const year = Number(day.slice(0, 4));
  for (const y of [year, year - 1]) {
    const leak = leakOfYear(ctx, y);
    if (leak && day >= leak.start && dayNumber(day) < dayNumber(leak.start) + leak.days) return leak;
  }
  return undefined;
}

function litresOn(ctx: GenContext, w: Water, day: string): number {
  if (day < w.startDate) return 0;
  return ctx.memo(`water:${day}`, () => {
    const c = ctx.customer;
    const rng = dayRng(ctx, 'water', 'daily', day);
    const local = toParis(Date.parse(`${day}T12:00:00Z`));
    const weekend = local.weekday === 0 || local.weekday === 6;
    // Gardens drink in summer: houses more than flats.
    const summer = Math.max(0, -winterness(local)) * (c.dwelling.type === 'house' ? 0.6 : 0.15);
    const away = awayOn(ctx, day) !== undefined;
    const base = away
      ? rng.int(0, 6)
      : c.people.length * 128 * (1 + summer) * (weekend ? 1.15 : 1) * Math.exp(rng.normal(0, 0.18));
    return Math.round(base + (leakOn(ctx, day)?.litresPerDay ?? 0));
  });
}

export function waterDaily(ctx: GenContext, day: string): HolderRecord[] {
  const w = ctx.customer.water;
  if (!w || day < w.startDate) return [];
  const litres = litresOn(ctx, w, day);
  const index = START_INDEX_M3 + runningTotal(ctx, 'water-index', w.startDate, day, (d) => litresOn(ctx, w, d)) / 1000;
  return [
    {
      key: `${w.meterId}:${day}`,
      doctype: 'water.daily',
      day,
      data: {
        meterId: w.meterId,
        date: day,
        volumeLitres: litres,
        indexM3: Math.round(index * 1000) / 1000,
        leak: leakOn(ctx, day) !== undefined,
        quality: 'measured',
      },
    },
  ];
}

function quarterBill(ctx: GenContext, w: Water, issueDate: string): HolderRecord | undefined {
  const periodEnd = addDays(issueDate, -ISSUE_DAY);
  const month = Number(issueDate.slice(5, 7));
  const startMonth = month === 1 ? 10 : month - 3;
  const startYear = Number(issueDate.slice(0, 4)) - (month === 1 ? 1 : 0);
  const quarterStart = `${startYear}-${String(startMonth).padStart(2, '0')}-01`;
  if (periodEnd < w.startDate) return undefined;
  const periodStart = quarterStart < w.startDate ? w.startDate : quarterStart;
  const m3 = Math.round(
    daysOf({ from: periodStart, to: periodEnd }).reduce((s, d) => s + litresOn(ctx, w, d), 0) / 1000,
  );
  const number = `EE${startYear}T${Math.ceil(startMonth / 3)}${w.contractNumber.slice(1)}`;
  return billRecord({
    holder: 'water',
    vendor: vendors.water,
    vendorCategory: 'water',
    label: `Facture d'eau T${Math.ceil(startMonth / 3)} ${startYear}`,
    number,
    customerNumber: ctx.customer.customerNumbers.water ?? '',
    contractNumber: w.contractNumber,
    issueDate,
    dueDate: addDays(issueDate, DEBIT_LAG),
    periodStart,
    periodEnd,
    lines: [
      line('Abonnement eau potable', 1, 'quarter', waterPrices.quarterlySubscription, 5.5),
      line('Consommation eau potable', m3, 'm3', waterPrices.drinking, 5.5),
      line('Assainissement collectif', m3, 'm3', waterPrices.sewerage, 10),
      line("Redevances de l'Agence de l'eau", m3, 'm3', waterPrices.levies, 5.5),
    ],
  });
}

export function waterBills(ctx: GenContext, day: string): HolderRecord[] {
  const w = ctx.customer.water;
  if (!w || Number(day.slice(8, 10)) !== ISSUE_DAY || (Number(day.slice(5, 7)) - 1) % 3 !== 0) return [];
  const bill = ctx.memo(`water-bill:${day}`, () => quarterBill(ctx, w, day));
  return bill ? [bill] : [];
}

export function waterDebits(ctx: GenContext, day: string): Debit[] {
  const w = ctx.customer.water;
  if (!w) return [];
  return debitsOf(
    waterBills(ctx, addDays(day, -DEBIT_LAG)),
    day,
    'water',
    vendors.water,
    `RUM${w.contractNumber}`,
    'FACTURE EAU',
  );
}
