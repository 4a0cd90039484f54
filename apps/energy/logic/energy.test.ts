import { beforeAll, describe, expect, it } from 'vitest';
import { createHousehold, type Household } from '../../../src/holders/household/household.js';
import { localTimeIn } from '../../shared/local-time.js';
import { byDay, byMonth, bySeason, seasonalMeans, seasonOf } from './consumption.js';
import { hourProfile } from './peak-hours.js';
import { reconcileBills } from './reconcile.js';
import type { BankTransaction, Bill, ElectricityDay, EnergyContract, GasDay, LoadPoint } from './types.js';
import { monthsOverYear, yearOverYear } from './year-over-year.js';

const range = { from: '2023-01-01', to: '2025-12-31' };
const paris = localTimeIn('Europe/Paris');

interface Space {
  contracts: EnergyContract[];
  bills: Bill[];
  electricity: ElectricityDay[];
  gas: GasDay[];
  transactions: BankTransaction[];
}

let household: Household;
const spaces = new Map<string, Space>();

/** What a space filled from the household holds, as the app reads it through the API. */
function spaceOf(customerId: string): Space {
  const cached = spaces.get(customerId);
  if (cached) return cached;
  const holders = household.customer(customerId).holders;
  const data = <T>(holder: 'electricity' | 'gas' | 'bank', doctype: string): T[] =>
    holders.includes(holder) ? household.records(customerId, holder, doctype, range).map((r) => r.data as T) : [];
  const space: Space = {
    contracts: [
      ...data<EnergyContract>('electricity', 'energy.contract'),
      ...data<EnergyContract>('gas', 'energy.contract'),
    ],
    bills: [...data<Bill>('electricity', 'bill'), ...data<Bill>('gas', 'bill')],
    electricity: data<ElectricityDay>('electricity', 'energy.electricity.daily'),
    gas: data<GasDay>('gas', 'energy.gas.daily'),
    transactions: data<BankTransaction>('bank', 'bank.transaction'),
  };
  spaces.set(customerId, space);
  return space;
}

beforeAll(() => {
  household = createHousehold({ seed: 'energy-app' });
});

describe('consumption by day, month and season', () => {
  it('gives each day the meter reading of that day', () => {
    const { electricity } = spaceOf('family');
    const days = byDay(electricity);
    expect(days).toHaveLength(electricity.length);
    const sample = electricity[400] as ElectricityDay;
    expect(days.find((d) => d.key === sample.date)?.kwh).toBeCloseTo(sample.energyKwh, 6);
  });

  it('adds up each month to what the month’s bill charges, within the bill’s rounding to the kWh', () => {
    for (const customerId of ['family', 'student', 'retirees', 'single-parent']) {
      const space = spaceOf(customerId);
      for (const [energy, readings] of [
        ['electricity', space.electricity],
        ['gas', space.gas],
      ] as const) {
        const months = new Map(byMonth(readings).map((m) => [m.key, m]));
        const bills = space.bills.filter((b) => b.label?.includes(energy === 'gas' ? 'gaz' : 'électricité'));
        if (readings.length === 0) continue;
        expect(bills.length, `${customerId} ${energy}`).toBeGreaterThan(30);
        for (const bill of bills) {
          const month = months.get((bill.periodStart as string).slice(0, 7));
          if (!month || month.days < 28) continue;
          const billed = (bill.lines ?? []).filter((l) => l.unit === 'kWh').reduce((s, l) => s + (l.quantity ?? 0), 0);
          expect(Math.abs(month.kwh - billed), `${customerId} ${bill.number}`).toBeLessThanOrEqual(1);
        }
      }
    }
  });

  it('names winter by both its years and keeps seasons in time order', () => {
    expect(seasonOf('2024-12-15').key).toBe('2024-25-winter');
    expect(seasonOf('2025-02-28').key).toBe('2024-25-winter');
    expect(seasonOf('2025-03-01').key).toBe('2025-spring');
    expect(seasonOf('2025-11-30').season).toBe('autumn');
    const seasons = bySeason(spaceOf('family').electricity).map((s) => s.key);
    expect(seasons.slice(0, 5)).toEqual([
      '2022-23-winter',
      '2023-spring',
      '2023-summer',
      '2023-autumn',
      '2023-24-winter',
    ]);
  });

  it('shows winter weighing on electricity where heating is electric, on gas where heating is gas', () => {
    for (const c of household.customers) {
      const space = spaceOf(c.id);
      const elec = seasonalMeans(space.electricity);
      const ratio = elec.winter / elec.summer;
      if (c.dwelling.heating === 'electric') expect(ratio, c.id).toBeGreaterThan(2);
      else expect(ratio, c.id).toBeLessThan(1.6);
      if (c.gas?.use === 'heating') {
        const gas = seasonalMeans(space.gas);
        expect(gas.winter / gas.summer, c.id).toBeGreaterThan(3);
      }
    }
  });
});

describe('bills reconciled with the meter and the bank', () => {
  it('finds every energy bill of the household matching its metered kWh at the contract’s prices, and paid', () => {
    let count = 0;
    for (const c of household.customers) {
      const space = spaceOf(c.id);
      const results = reconcileBills(space);
      // Bills of November and December are debited after the range ends; the first month has no readings.
      const inRange = (r: { periodStart?: string; periodEnd?: string }): boolean =>
        (r.periodStart as string) >= range.from && (r.periodEnd as string) < '2025-11-01';
      const settled = results.filter(inRange);
      expect(settled.length, c.id).toBe(space.bills.filter(inRange).length);
      expect(results).toHaveLength(space.bills.length);
      for (const r of settled) {
        expect(r.gaps, `${c.id} ${r.number}`).toEqual([]);
        expect(Math.abs(r.kwhGap)).toBeLessThanOrEqual(1);
        expect(r.payment?.amount).toBe(-r.totalAmount);
        count++;
      }
    }
    expect(count).toBeGreaterThan(150);
  });

  it('reports the first month as missing readings: the meter data starts on 1 January', () => {
    const first = reconcileBills(spaceOf('family')).find((r) => r.periodStart === '2022-12-01');
    expect(first?.gaps).toContain('missing_readings');
    expect(first?.missingDays).toHaveLength(31);
  });

  it('reports a bill charging more kWh than the meter counted, and its extra cost', () => {
    const space = spaceOf('retirees');
    const bill = space.bills.find((b) => b.periodStart === '2024-02-01' && b.label?.includes('gaz')) as Bill;
    const lines = (bill.lines ?? []).map((l) =>
      l.unit === 'kWh'
        ? {
            ...l,
            quantity: (l.quantity as number) + 40,
            amountExcludingTax: l.amountExcludingTax + 40 * (l.unitPrice as number),
          }
        : l,
    );
    const inflated: Bill = { ...bill, lines };
    const [r] = reconcileBills({ ...space, bills: [inflated] });
    expect(r?.gaps).toEqual(expect.arrayContaining(['kwh', 'amount']));
    expect(r?.kwhGap).toBeCloseTo(40, 0);
    expect(r?.amountGap).toBeCloseTo(40 * 0.1228, 0);
  });

  it('prices a meter without a peak / off-peak split with the bill’s split, and says so', () => {
    const space = spaceOf('family');
    const electricity = space.electricity.map(({ peakKwh: _p, offPeakKwh: _o, ...d }) => d);
    const bills = space.bills.filter(
      (b) => b.label?.includes('électricité') && (b.periodStart as string) >= '2024-01-01',
    );
    const results = reconcileBills({ ...space, bills, electricity });
    expect(results.length).toBeGreaterThan(20);
    for (const r of results.filter((x) => x.periodEnd < '2025-11-01')) {
      expect(r.splitFromBill).toBe(true);
      expect(r.gaps, r.number).toEqual([]);
    }
    // With the split, the meter's own split is priced.
    expect(reconcileBills({ ...space, bills }).every((r) => !r.splitFromBill)).toBe(true);
  });

  it('reports days without a reading and a bill no debit paid', () => {
    const space = spaceOf('single-parent');
    const bill = space.bills.find((b) => b.periodStart === '2024-03-01') as Bill;
    const electricity = space.electricity.filter((d) => d.date !== '2024-03-10' && d.date !== '2024-03-11');
    const transactions = space.transactions.filter((t) => t.reference !== bill.number);
    const [r] = reconcileBills({ ...space, bills: [bill], electricity, transactions });
    expect(r?.missingDays).toEqual(['2024-03-10', '2024-03-11']);
    expect(r?.gaps).toEqual(expect.arrayContaining(['missing_readings', 'unpaid']));
    expect(r?.payment).toBeUndefined();
  });

  it('ignores bills of other sectors and bills of no known contract', () => {
    const space = spaceOf('family');
    const bill = space.bills[10] as Bill;
    const results = reconcileBills({
      ...space,
      bills: [
        { ...bill, vendorCategory: 'telecom' },
        { ...bill, contractNumber: 'UNKNOWN', vendor: 'Another supplier' },
      ],
    });
    expect(results).toEqual([]);
  });
});

describe('the hours that weigh most', () => {
  const curve = (customerId: string, from: string, to: string): LoadPoint[] =>
    household
      .records(customerId, 'electricity', 'energy.electricity.load-curve', { from, to })
      .map((r) => r.data as unknown as LoadPoint);

  it('integrates the load curve to the daily readings', () => {
    const profile = hourProfile(curve('family', '2024-01-01', '2024-03-31'), paris);
    const daily = spaceOf('family').electricity.filter((d) => d.date >= '2024-01-01' && d.date <= '2024-03-31');
    const kwh = daily.reduce((s, d) => s + d.energyKwh, 0);
    expect(Math.abs(profile.totalKwh - kwh)).toBeLessThan(0.001 * daily.length + 0.01);
    expect(profile.hours.reduce((s, h) => s + h.share, 0)).toBeCloseTo(1, 3);
  });

  it('puts the off-peak water heater first where no gas heats the water, the evening first elsewhere', () => {
    // The single parent's water heater runs 23:00-01:30; the family cooks and heats water with gas.
    const single = hourProfile(curve('single-parent', '2025-04-01', '2025-09-30'), paris);
    expect([23, 0]).toContain(single.ranked[0]);
    const family = hourProfile(curve('family', '2025-04-01', '2025-09-30'), paris);
    expect(family.ranked[0]).toBeGreaterThanOrEqual(18);
    expect(family.ranked[0]).toBeLessThanOrEqual(21);
  });

  it('counts local hours across the clock change: the spring day has no 02:00', () => {
    const profile = hourProfile(curve('family', '2025-03-30', '2025-03-30'), paris);
    expect(profile.hours[2]?.kwh).toBe(0);
    expect(profile.hours.filter((h) => h.kwh > 0)).toHaveLength(23);
  });
});

describe('the same period last year', () => {
  it('compares a quarter with the same quarter of the year before, as the bills count it', () => {
    const space = spaceOf('family');
    const yoy = yearOverYear(space.electricity, '2025-01-01', '2025-03-31');
    const billed = (from: string, to: string): number =>
      space.bills
        .filter(
          (b) => b.label?.includes('électricité') && (b.periodStart as string) >= from && (b.periodEnd as string) <= to,
        )
        .flatMap((b) => b.lines ?? [])
        .filter((l) => l.unit === 'kWh')
        .reduce((s, l) => s + (l.quantity ?? 0), 0);
    expect(Math.abs(yoy.current.kwh - billed('2025-01-01', '2025-03-31'))).toBeLessThanOrEqual(3);
    expect(Math.abs(yoy.previous.kwh - billed('2024-01-01', '2024-03-31'))).toBeLessThanOrEqual(3);
    expect(yoy.previous.from).toBe('2024-01-01');
    expect(yoy.change).toBeCloseTo((yoy.current.kwh - yoy.previous.kwh) / yoy.previous.kwh, 3);
  });

  it('gives no change when last year is incomplete', () => {
    const yoy = yearOverYear(spaceOf('family').electricity, '2023-06-01', '2023-06-30');
    expect(yoy.previous.days).toBe(0);
    expect(yoy.change).toBeUndefined();
  });

  it('compares February with the whole February before, leap day included', () => {
    const [feb] = monthsOverYear(spaceOf('family').electricity, ['2025-02']);
    expect(feb?.current.days).toBe(28);
    expect(feb?.previous.days).toBe(29);
    expect(() => monthsOverYear([], ['2025-13'])).toThrow(RangeError);
    expect(() => yearOverYear([], '2025-02-01', '2025-01-01')).toThrow(RangeError);
  });
});
