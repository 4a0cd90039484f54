import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, daysBetween, operationDay } from './days.js';
import { detectRecurring, seriesKey, type Recurring } from './recurring.js';
import { householdDocs, type HouseholdDocs } from './testing/household-docs.js';
import type { BankTransaction } from './types.js';

const range = { from: '2024-01-01', to: '2025-06-30' };
const after = { from: '2025-07-01', to: '2025-10-31' };
const customers = ['family', 'student', 'retirees', 'single-parent'];
let docs: HouseholdDocs[];
let later: HouseholdDocs[];
let found: Map<string, Recurring[]>;
beforeAll(() => {
  docs = customers.map((id) => householdDocs(id, range));
  later = customers.map((id) => householdDocs(id, after));
  found = new Map(docs.map((d) => [d.customerId, detectRecurring(d.transactions)]));
});

/** What the household pays or receives on a schedule: direct debits, loan and fee, incomes, rent. */
const scheduled = (t: BankTransaction): boolean =>
  ['direct_debit', 'loan_payment', 'fee'].includes(t.type ?? '') ||
  (t.type === 'credit' && t.category !== 'refund') ||
  /LOYER/.test(t.label);

const baseKey = (key: string): string => key.replace(/\|\d+$/, '');

describe('recurring payments', () => {
  it('find every series the household pays or receives on a schedule, and no card spending', () => {
    for (const d of docs) {
      const series = found.get(d.customerId) as Recurring[];
      const keys = new Set(series.map((r) => baseKey(r.key)));
      const expected = new Set(d.transactions.filter(scheduled).map(seriesKey));
      expect(expected.size, d.customerId).toBeGreaterThan(8);
      for (const k of expected) expect(keys.has(k), `${d.customerId} ${k}`).toBe(true);
      const card = new Set(d.transactions.filter((t) => t.type === 'card').map((t) => t._id));
      for (const r of series)
        expect(
          r.transactionIds.some((id) => card.has(id)),
          r.name,
        ).toBe(false);
    }
  });

  it('tell two pensions of one payer on one day apart by their amounts', () => {
    const cnav = (found.get('retirees') as Recurring[]).filter((r) => r.name.includes('CNAV'));
    expect(cnav.map((r) => r.amount).sort()).toEqual([1004.77, 1412.21]);
    for (const r of cnav)
      expect(r).toMatchObject({ period: 'monthly', direction: 'credit', fixedAmount: true, occurrences: 18 });
  });

  it('give the water bill a quarterly period and metered bills a variable amount', () => {
    const family = found.get('family') as Recurring[];
    expect(family.find((r) => r.name.includes('EAU'))?.period).toBe('quarterly');
    expect(family.find((r) => r.name.includes('LUMEN ENERGIE ELEC'))?.fixedAmount).toBe(false);
    expect(family.find((r) => r.name.includes('PRET IMMOBILIER'))).toMatchObject({
      amount: -1190.4,
      fixedAmount: true,
    });
  });

  it('expect the next occurrence within three days of when the household actually makes it', () => {
    let checked = 0;
    for (const [i, d] of docs.entries()) {
      const next = (later[i] as HouseholdDocs).transactions;
      const onSchedule = new Set(d.transactions.filter(scheduled).map((t) => t._id));
      // Sweeps to savings depend on what is left at the month's end: regular enough to show, not to promise.
      for (const r of (found.get(d.customerId) as Recurring[]).filter((x) =>
        onSchedule.has(x.transactionIds[0] as string),
      )) {
        const actual = next
          .filter((t) => seriesKey(t) === baseKey(r.key) && Math.abs(t.amount - r.amount) <= Math.abs(r.amount) * 0.5)
          .map(operationDay)
          .filter((day) => day > r.lastDay)
          .sort()[0];
        if (!actual) continue; // none within the four months after
        expect(Math.abs(daysBetween(r.nextExpected, actual)), `${d.customerId} ${r.name}`).toBeLessThanOrEqual(3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('skip the months a series skipped a year before: the school canteen resumes in September', () => {
    const canteen = (found.get('family') as Recurring[]).find((r) => r.name.includes('RESTAURATION SCOLAIRE'));
    expect(canteen?.lastDay.slice(0, 7)).toBe('2025-06');
    expect(canteen?.nextExpected.slice(0, 7)).toBe('2025-09');
  });

  it('need three occurrences on a steady beat', () => {
    const line = (id: string, day: string, amount = -10): BankTransaction => ({
      _id: id,
      date: `${addDays(day, -1)}T23:00:00Z`,
      label: 'PRLV SEPA CLUB DE SPORT',
      amount,
      currency: 'EUR',
      accountId: 'a',
    });
    expect(detectRecurring([line('1', '2025-01-03'), line('2', '2025-02-03')])).toEqual([]);
    expect(detectRecurring([line('1', '2025-01-03'), line('2', '2025-01-20'), line('3', '2025-03-25')])).toEqual([]);
    const weekly = detectRecurring([line('1', '2025-01-03'), line('2', '2025-01-10'), line('3', '2025-01-17')]);
    expect(weekly).toMatchObject([{ period: 'weekly', nextExpected: '2025-01-24', occurrences: 3 }]);
    const monthly = detectRecurring([line('1', '2025-01-31'), line('2', '2025-02-28'), line('3', '2025-03-31')]);
    expect(monthly[0]?.nextExpected).toBe('2025-04-30');
  });
});
