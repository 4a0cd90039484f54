import { toParis, winterness } from '../../../catalog/synthetic/time.js';
import { billRecord, type Debit, debitsOf, fileFor, line } from './bill.js';
import { dayRng, round2, runningTotal, type GenContext, type HolderRecord } from './context.js';
import type { Customer } from './customers.js';
import { addDays, dayNumber, daysOf, lastDayOfMonth, previousMonth } from './days.js';
import { awayOn } from './life.js';
import { gasDistributor, vendors } from './vendors.js';

type Gas = NonNullable<Customer['gas']>;

export const gasPrices = { pricePerKwh: 0.1228, monthlySubscription: 21.31 } as const;
const ISSUE_DAY = 6;
const DEBIT_LAG = 10;

interface GasDay {
  kwh: number;
  volumeM3: number;
  conversionFactor: number;
}

/** Gas for cooking and hot water follows the household's size; heating follows the season and the surface. */
function gasDay(ctx: GenContext, g: Gas, day: string): GasDay {
  return ctx.memo(`gas:${day}`, () => {
    const c = ctx.customer;
    const rng = dayRng(ctx, 'gas', 'daily', day);
    const w = winterness(toParis(Date.parse(`${day}T12:00:00Z`)));
    const away = awayOn(ctx, day) !== undefined;
    const hotWater = away ? 0.1 : 2.2 * c.people.length * (1 + 0.25 * w);
    const heating =
      g.use === 'heating'
        ? Math.max(0, w + 0.2) * c.dwelling.surfaceM2 * (away ? 0.2 : c.dwelling.type === 'apartment' ? 0.6 : 0.85)
        : 0;
    const kwh = Math.round((hotWater + heating) * Math.exp(rng.normal(0, 0.12)) * 1000) / 1000;
    // The conversion factor (kWh per m³) varies slightly from month to month with the gas's heating value.
    const conversionFactor = 11.1 + (Number(day.slice(5, 7)) % 4) * 0.05;
    return { kwh, volumeM3: Math.round((kwh / conversionFactor) * 1000) / 1000, conversionFactor };
  });
}

const START_INDEX_M3 = 1520.4;

export function gasDaily(ctx: GenContext, day: string): HolderRecord[] {
  const g = ctx.customer.gas;
  if (!g || day < g.startDate) return [];
  const d = gasDay(ctx, g, day);
  const index = START_INDEX_M3 + runningTotal(ctx, 'gas-index', g.startDate, day, (x) => gasDay(ctx, g, x).volumeM3);
  return [
    {
      key: `${g.usagePointId}:${day}`,
      doctype: 'energy.gas.daily',
      day,
      data: {
        usagePointId: g.usagePointId,
        date: day,
        energyKwh: d.kwh,
        volumeM3: d.volumeM3,
        indexM3: Math.round(index * 1000) / 1000,
        conversionFactor: d.conversionFactor,
        quality: 'measured',
      },
    },
  ];
}

export function gasContract(ctx: GenContext): HolderRecord[] {
  const c = ctx.customer;
  const g = c.gas;
  if (!g) return [];
  return [
    {
      key: g.contractNumber,
      doctype: 'energy.contract',
      day: g.startDate,
      reference: true,
      files: [fileFor('contract', g.startDate, g.contractNumber)],
      data: {
        vendor: vendors.energySupplier.name,
        energy: 'gas',
        contractNumber: g.contractNumber,
        customerNumber: c.customerNumbers.gas,
        usagePointId: g.usagePointId,
        distributor: gasDistributor,
        offer: 'Lumen Gaz Essentiel',
        priceType: 'indexed',
        gasTariffBand: 'T2',
        meterType: 'gazpar',
        subscriptionAmount: gasPrices.monthlySubscription,
        prices: [{ period: 'base', pricePerKwh: gasPrices.pricePerKwh }],
        currency: 'EUR',
        billingMode: 'monthly',
        address: { ...c.address },
        startDate: g.startDate,
        status: 'active',
      },
    },
  ];
}

function monthBill(ctx: GenContext, g: Gas, month: string, issueDate: string): HolderRecord | undefined {
  const monthEnd = lastDayOfMonth(month);
  if (monthEnd < g.startDate) return undefined;
  const from = `${month}-01` < g.startDate ? g.startDate : `${month}-01`;
  const kwh = Math.round(daysOf({ from, to: monthEnd }).reduce((s, d) => s + gasDay(ctx, g, d).kwh, 0));
  const share = round2((dayNumber(monthEnd) - dayNumber(from) + 1) / Number(monthEnd.slice(8, 10)));
  const ht = (ttc: number): number => Math.round((ttc / 1.2) * 10000) / 10000;
  const number = `LG${month.replace('-', '')}${g.contractNumber.slice(1)}`;
  return billRecord({
    holder: 'gas',
    vendor: vendors.energySupplier,
    vendorCategory: 'energy',
    label: `Facture de gaz ${month.slice(5)}/${month.slice(0, 4)}`,
    number,
    customerNumber: ctx.customer.customerNumbers.gas ?? '',
    contractNumber: g.contractNumber,
    issueDate,
    dueDate: addDays(issueDate, DEBIT_LAG),
    periodStart: from,
    periodEnd: monthEnd,
    lines: [
      line('Abonnement gaz', share, 'month', ht(gasPrices.monthlySubscription), 20),
      line('Consommation gaz', kwh, 'kWh', ht(gasPrices.pricePerKwh), 20),
    ],
  });
}

export function gasBills(ctx: GenContext, day: string): HolderRecord[] {
  const g = ctx.customer.gas;
  if (!g || Number(day.slice(8, 10)) !== ISSUE_DAY) return [];
  const bill = ctx.memo(`gas-bill:${day}`, () => monthBill(ctx, g, previousMonth(day), day));
  return bill ? [bill] : [];
}

export function gasDebits(ctx: GenContext, day: string): Debit[] {
  const g = ctx.customer.gas;
  if (!g) return [];
  return debitsOf(
    gasBills(ctx, addDays(day, -DEBIT_LAG)),
    day,
    'gas',
    vendors.energySupplier,
    `RUM${g.contractNumber}`,
    'FACTURE GAZ',
  );
}
