import { isoInstant, toParis, winterness } from '../../../catalog/synthetic/time.js';
import { type BillLine, billRecord, type Debit, debitsOf, fileFor, line } from './bill.js';
import { dayRng, round2, type GenContext, type HolderRecord } from './context.js';
import type { Customer } from './customers.js';
import { addDays, atParis, dayNumber, daysOf, halfHoursOf, lastDayOfMonth, previousMonth } from './days.js';
import { awayOn } from './life.js';
import { electricityDistributor, vendors } from './vendors.js';

type Electricity = NonNullable<Customer['electricity']>;

/** Regulated-style prices, taxes included, held constant over the three years for readable bills. */
export const electricityPrices = { base: 0.2516, peak: 0.27, off_peak: 0.2068 } as const;
const monthlySubscription: Record<Electricity['subscribedPowerKva'], number> = {
  3: 11.73,
  6: 15.47,
  9: 19.39,
  12: 23.32,
};
export const offPeakHours = '22:30-06:30';
const VAT = 20;

const bump = (hour: number, centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2));
const isOffPeak = (hour: number): boolean => hour >= 22.5 || hour < 6.5;

/** Whether someone is at home at a local hour, by profile: the retired are home all day. */
function atHome(c: Customer, hour: number, weekend: boolean): boolean {
  if (c.profile === 'retirees' || weekend) return true;
  return hour < 8 || hour >= (c.profile === 'student' ? 18.5 : 17.5);
}

/**
 * Mean power over a half-hour in watts: standby, morning and evening peaks, electric heating that
 * follows the season and presence, an off-peak water heater, all capped below the subscribed power.
 */
interface DayShape {
  weekend: boolean;
  /** winterness() of the day: constant over a day. */
  winter: number;
  away: boolean;
}

function powerW(c: Customer, e: Electricity, hour: number, day: DayShape, level: number, noise: number): number {
  const { weekend, winter } = day;
  if (day.away) {
    // Fridge, standby, and frost protection where the heating is electric.
    const frost = c.dwelling.heating === 'electric' ? Math.max(0, winter) * c.dwelling.surfaceM2 * 4 : 0;
    return Math.round((80 + frost) * noise);
  }
  const people = c.people.length;
  const home = atHome(c, hour, weekend);
  let w = 90 + 30 * people;
  w += (weekend ? 500 : 700) * bump(hour, weekend ? 9.5 : 7.1, 0.9) * Math.min(people, 3) * 0.6;
  if (home) w += (c.gas?.use === 'cooking_hot_water' ? 250 : 900) * bump(hour, 12.6, 0.9) * (weekend ? 1 : 0.4);
  w +=
    (c.gas?.use === 'cooking_hot_water' ? 500 : 900) *
    bump(hour, c.profile === 'student' ? 21 : 19.6, 1.5) *
    (0.6 + 0.3 * people);
  w += 180 * Math.max(0, winter) * bump(hour, 18.5, 2.2);
  if (c.dwelling.heating === 'electric') {
    const need = Math.max(0, winter + 0.3) * c.dwelling.surfaceM2 * 16;
    w += need * (home ? 1 : 0.7) * (hour < 6 ? 0.85 : 1);
  }
  // An electric water heater runs in off-peak hours where no gas heats the water.
  if (!c.gas && e.tariffOption === 'peak_off_peak' && (hour >= 23 || hour < 1.5)) w += 1600;
  if (!c.gas && e.tariffOption === 'base' && hour >= 2 && hour < 4) w += 1400;
  // A student's studio has few appliances.
  const scale = c.profile === 'student' ? 0.65 : 1;
  return Math.min(Math.round(w * level * noise * scale), e.subscribedPowerKva * 900);
}

interface DayCurve {
  points: { t: number; w: number }[];
  wh: number;
  peakWh: number;
  offPeakWh: number;
  maxPowerVa: number;
  maxAt: number;
}

function dayCurve(ctx: GenContext, e: Electricity, day: string): DayCurve {
  const rng = dayRng(ctx, 'electricity', 'load-curve', day);
  const level = Math.exp(rng.normal(0, 0.1));
  const noon = toParis(atParis(day, 12));
  const shape: DayShape = {
    weekend: noon.weekday === 0 || noon.weekday === 6,
    winter: winterness(noon),
    away: awayOn(ctx, day) !== undefined,
  };
  const times = halfHoursOf(day);
  // Local hours counted from midnight, shifted by the hour lost or gained on clock-change days.
  const shift = times.length === 46 ? 1 : times.length === 50 ? -1 : 0;
  const midnight = times[0] as number;
  const points = times.map((t) => {
    const elapsed = (t - midnight) / 3_600_000 + 0.25;
    // Spring: clocks jump at 02:00 (two real hours in); autumn: they go back at 03:00 summer time (three).
    const hour = shift !== 0 && elapsed >= (shift === 1 ? 2 : 3) ? elapsed + shift : elapsed;
    return {
      t,
      w: powerW(ctx.customer, e, hour, shape, level, Math.exp(rng.normal(0, 0.15))),
      offPeak: isOffPeak(hour - 0.25),
    };
  });
  let wh = 0;
  let offPeakWh = 0;
  let max = points[0] as { t: number; w: number };
  for (const p of points) {
    wh += p.w / 2;
    if (p.offPeak) offPeakWh += p.w / 2;
    if (p.w > max.w) max = p;
  }
  // The day's peak over ten minutes is above its busiest half-hour's mean.
  const maxPowerVa = Math.min(e.subscribedPowerKva * 1000, Math.round(max.w * rng.float(1.3, 2.1)));
  return {
    points,
    wh: Math.round(wh),
    peakWh: Math.round(wh - offPeakWh),
    offPeakWh: Math.round(offPeakWh),
    maxPowerVa,
    maxAt: max.t + rng.int(0, 29) * 60_000 + rng.int(0, 59) * 1000,
  };
}

/** Whole-day totals, memoised: bills and the daily series read them many times. */
function dayTotals(ctx: GenContext, e: Electricity, day: string): Omit<DayCurve, 'points'> {
  return ctx.memo(`electricity:${day}`, () => {
    const { points: _points, ...totals } = dayCurve(ctx, e, day);
    return totals;
  });
}

const active = (e: Electricity, day: string): boolean => day >= e.startDate;

export function electricityDaily(ctx: GenContext, day: string): HolderRecord[] {
  const e = ctx.customer.electricity;
  if (!e || !active(e, day)) return [];
  const d = dayTotals(ctx, e, day);
  const split = e.tariffOption === 'peak_off_peak' ? { peakKwh: d.peakWh / 1000, offPeakKwh: d.offPeakWh / 1000 } : {};
  return [
    {
      key: `${e.usagePointId}:${day}`,
      doctype: 'energy.electricity.daily',
      day,
      data: {
        usagePointId: e.usagePointId,
        date: day,
        energyKwh: d.wh / 1000,
        ...split,
        maxPowerVa: d.maxPowerVa,
        quality: 'measured',
      },
    },
  ];
}

export function electricityMaxPower(ctx: GenContext, day: string): HolderRecord[] {
  const e = ctx.customer.electricity;
  if (!e || !active(e, day)) return [];
  const d = dayTotals(ctx, e, day);
  return [
    {
      key: `${e.usagePointId}:${day}`,
      doctype: 'energy.electricity.max-power',
      day,
      data: {
        usagePointId: e.usagePointId,
        date: day,
        maxPowerVa: d.maxPowerVa,
        at: isoInstant(d.maxAt),
        quality: 'measured',
      },
    },
  ];
}

/** Half-hour points stamped with the START of their interval, as the catalog wants. */
export function electricityLoadCurve(ctx: GenContext, day: string): HolderRecord[] {
  const e = ctx.customer.electricity;
  if (!e || !active(e, day)) return [];
  return dayCurve(ctx, e, day).points.map((p) => {
    const t = isoInstant(p.t);
    return {
      key: `${e.usagePointId}:${t}`,
      doctype: 'energy.electricity.load-curve',
      day,
      data: { usagePointId: e.usagePointId, t, powerW: p.w, quality: 'measured' },
    };
  });
}

export function electricityContract(ctx: GenContext): HolderRecord[] {
  const c = ctx.customer;
  const e = c.electricity;
  if (!e) return [];
  const prices =
    e.tariffOption === 'base'
      ? [{ period: 'base', pricePerKwh: electricityPrices.base }]
      : [
          { period: 'peak', pricePerKwh: electricityPrices.peak },
          { period: 'off_peak', pricePerKwh: electricityPrices.off_peak },
        ];
  return [
    {
      key: e.contractNumber,
      doctype: 'energy.contract',
      day: e.startDate,
      reference: true,
      files: [fileFor('contract', e.startDate, e.contractNumber)],
      data: {
        vendor: vendors.energySupplier.name,
        energy: 'electricity',
        contractNumber: e.contractNumber,
        customerNumber: c.customerNumbers.electricity,
        usagePointId: e.usagePointId,
        distributor: electricityDistributor,
        offer: e.tariffOption === 'base' ? 'Lumen Essentielle Base' : 'Lumen Essentielle Heures Creuses',
        priceType: 'regulated',
        tariffOption: e.tariffOption,
        ...(e.tariffOption === 'peak_off_peak' ? { offPeakHours: [offPeakHours] } : {}),
        subscribedPowerKva: e.subscribedPowerKva,
        meterType: 'linky',
        subscriptionAmount: monthlySubscription[e.subscribedPowerKva],
        prices,
        currency: 'EUR',
        billingMode: 'monthly',
        address: { ...c.address },
        startDate: e.startDate,
        status: 'active',
      },
    },
  ];
}

/** Electricity bills are issued on the 4th for the month before and debited ten days later. */
const ISSUE_DAY = 4;
const DEBIT_LAG = 10;

function monthBill(ctx: GenContext, e: Electricity, month: string, issueDate: string): HolderRecord | undefined {
  const monthEnd = lastDayOfMonth(month);
  if (monthEnd < e.startDate) return undefined;
  const from = `${month}-01` < e.startDate ? e.startDate : `${month}-01`;
  let peak = 0;
  let offPeak = 0;
  for (const day of daysOf({ from, to: monthEnd })) {
    const d = dayTotals(ctx, e, day);
    peak += d.peakWh;
    offPeak += d.offPeakWh;
  }
  const days = dayNumber(monthEnd) - dayNumber(from) + 1;
  const monthDays = Number(monthEnd.slice(8, 10));
  const ht = (ttc: number): number => Math.round((ttc / 1.2) * 10000) / 10000;
  const kwh = (wh: number): number => Math.round(wh / 1000);
  const lines: BillLine[] = [
    line('Abonnement', round2(days / monthDays), 'month', ht(monthlySubscription[e.subscribedPowerKva]), VAT),
  ];
  if (e.tariffOption === 'base')
    lines.push(line('Consommation', kwh(peak + offPeak), 'kWh', ht(electricityPrices.base), VAT));
  else
    lines.push(
      line('Consommation heures pleines', kwh(peak), 'kWh', ht(electricityPrices.peak), VAT),
      line('Consommation heures creuses', kwh(offPeak), 'kWh', ht(electricityPrices.off_peak), VAT),
    );
  const number = `LE${month.replace('-', '')}${e.contractNumber.slice(1)}`;
  return billRecord({
    holder: 'electricity',
    vendor: vendors.energySupplier,
    vendorCategory: 'energy',
    label: `Facture d'électricité ${month.slice(5)}/${month.slice(0, 4)}`,
    number,
    customerNumber: ctx.customer.customerNumbers.electricity ?? '',
    contractNumber: e.contractNumber,
    issueDate,
    dueDate: addDays(issueDate, DEBIT_LAG),
    periodStart: from,
    periodEnd: monthEnd,
    lines,
  });
}

export function electricityBills(ctx: GenContext, day: string): HolderRecord[] {
  const e = ctx.customer.electricity;
  if (!e || Number(day.slice(8, 10)) !== ISSUE_DAY) return [];
  const bill = ctx.memo(`electricity-bill:${day}`, () => monthBill(ctx, e, previousMonth(day), day));
  return bill ? [bill] : [];
}

export function electricityDebits(ctx: GenContext, day: string): Debit[] {
  const e = ctx.customer.electricity;
  if (!e) return [];
  return debitsOf(
    electricityBills(ctx, addDays(day, -DEBIT_LAG)),
    day,
    'electricity',
    vendors.energySupplier,
    `RUM${e.contractNumber}`,
    'FACTURE ELEC',
  );
}
