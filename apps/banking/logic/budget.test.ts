import { beforeAll, describe, expect, it } from 'vitest';
import { isInternalTransfer, monthBudget } from './budget.js';
import { categorise } from './category-model.js';
import { monthOf, operationDay } from './days.js';
import { householdDocs, withoutReferences, type HouseholdDocs } from './testing/household-docs.js';
import type { BankTransaction } from './types.js';

const range = { from: '2024-10-01', to: '2025-04-30' };
let family: HouseholdDocs;
let txs: BankTransaction[];
let categoryOf: (t: BankTransaction) => string;
beforeAll(() => {
  family = householdDocs('family', range);
  txs = withoutReferences(family.transactions);
  const categories = categorise(txs, []);
  categoryOf = (t) => categories.get(t._id)?.category ?? 'other';
});

const sum = (xs: number[]): number => Math.round(xs.reduce((s, x) => s + x * 100, 0)) / 100;

describe('the monthly budget', () => {
  it("spends in energy, telecom, water and insurance exactly what those holders' bills ask for in the month", () => {
    for (const month of ['2025-01', '2025-02', '2025-03', '2025-04']) {
      const budget = monthBudget(month, txs, categoryOf, { accounts: family.accounts });
      const spent = (c: string): number => budget.lines.find((l) => l.category === c)?.spent ?? 0;
      const due = (category: string): number =>
        sum(
          family.bills
            .filter(
              (b) => b.vendorCategory === category && b.type === 'invoice' && monthOf(b.dueDate as string) === month,
            )
            .map((b) => b.totalAmount),
        );
      expect(spent('energy'), month).toBe(due('energy'));
      expect(spent('telecom'), month).toBe(due('telecom'));
      expect(spent('utilities'), month).toBe(due('water'));
      expect(spent('insurance'), month).toBe(
        sum(family.contracts.filter((c) => c.doctype === 'insurance.contract').map((c) => c.premiumAmount ?? 0)),
      );
      // Groceries: the receipts of the retailer plus the bakery.
      const receipts = sum(
        family.receipts.filter((r) => monthOf(operationDay({ date: r.date })) === month).map((r) => r.totalAmount),
      );
      const bakery = sum(
        txs.filter((t) => /BOULANGERIE/.test(t.label) && monthOf(operationDay(t)) === month).map((t) => -t.amount),
      );
      expect(spent('groceries'), month).toBe(sum([receipts, bakery]));
      expect(budget.lines.find((l) => l.category === 'salary')?.received).toBeGreaterThan(4000);
    }
  });

  it('leaves out transfers between the family accounts, and the totals add up the rest', () => {
    const month = '2025-03';
    const budget = monthBudget(month, txs, categoryOf, { accounts: family.accounts });
    const own = new Set(family.accounts.filter((a) => a.type !== 'loan').map((a) => a.iban as string));
    const inMonth = txs.filter((t) => monthOf(operationDay(t)) === month);
    const internal = inMonth.filter((t) => isInternalTransfer(t, own));
    expect(internal.length).toBe(2); // the sweep, seen from both accounts
    expect(budget.internalTransfers).toBe(2);
    const rest = inMonth.filter((t) => !internal.includes(t));
    expect(budget.totalSpent).toBe(sum(rest.filter((t) => t.amount < 0).map((t) => -t.amount)));
    expect(budget.totalReceived).toBe(sum(rest.filter((t) => t.amount > 0).map((t) => t.amount)));
    expect(budget.lines.find((l) => l.category === 'savings')).toBeUndefined();
  });

  it("uses the person's limits, and by default the three months before, rounded up to ten", () => {
    const month = '2025-03';
    const budget = monthBudget(month, txs, categoryOf, {
      accounts: family.accounts,
      limits: { restaurant: 50, taxes: 100 },
    });
    const restaurant = budget.lines.find((l) => l.category === 'restaurant');
    expect(restaurant).toMatchObject({ limit: 50, limitSource: 'person' });
    expect(restaurant?.remaining).toBeCloseTo(50 - (restaurant?.spent ?? 0), 2);
    expect(budget.lines.find((l) => l.category === 'taxes')).toMatchObject({ spent: 0, limit: 100, remaining: 100 });
    const energy = budget.lines.find((l) => l.category === 'energy');
    const before = ['2024-12', '2025-01', '2025-02'].map(
      (m) =>
        monthBudget(m, txs, categoryOf, { accounts: family.accounts }).lines.find((l) => l.category === 'energy')
          ?.spent ?? 0,
    );
    expect(energy?.averageSpent).toBeCloseTo(sum(before) / 3, 2);
    expect(energy?.limit).toBe(Math.ceil(sum(before) / 3 / 10) * 10);
    expect(energy?.limitSource).toBe('average');
  });

  it('refuses a month that is not YYYY-MM', () => {
    expect(() => monthBudget('2025-3', txs, categoryOf)).toThrow(RangeError);
    expect(() => monthBudget('March', txs, categoryOf)).toThrow(RangeError);
  });
});
