import { beforeAll, describe, expect, it } from 'vitest';
import { householdDocs, type HouseholdDocs } from '../logic/testing/household-docs.js';
import { bankingView, type BankingData } from './view-model.js';

let family: HouseholdDocs;
let data: BankingData;
beforeAll(() => {
  family = householdDocs('family', { from: '2025-01-01', to: '2025-06-30' });
  data = { ...family, corrections: [], limits: {} };
});

describe('the Banking screen model', () => {
  it('shows the latest month, every account, a year of balances ending on the accounts total', () => {
    const view = bankingView(data);
    expect(view.month).toBe('2025-06');
    expect(view.months[view.months.length - 1]).toBe('2025-01');
    expect(view.accounts).toHaveLength(3);
    expect(view.balances).toHaveLength(365);
    const own = family.accounts.filter((a) => a.type !== 'loan');
    const total = own.reduce((s, a) => s + family.household.balance('family', a.accountId, '2025-06-30'), 0);
    expect(view.balances.at(-1)?.balance).toBeCloseTo(total, 2);
  });

  it("lists the month's operations, newest first, with categories and links, and the budget of that month", () => {
    const view = bankingView(data, '2025-03');
    expect(view.month).toBe('2025-03');
    const march = family.transactions.filter((t) => t.valueDate?.startsWith('2025-03'));
    expect(view.operations).toHaveLength(march.length);
    const days = view.operations.map((o) => o.day);
    expect(days).toEqual([...days].sort().reverse());
    const energy = view.operations.filter((o) => /LUMEN ENERGIE/.test(o.label));
    expect(energy).toHaveLength(2);
    for (const o of energy) {
      expect(o.category.category).toBe('energy');
      expect(o.link?.targets.some((t) => t.doctype === 'bill' && view.documents.get(t.id)?.startsWith('Facture'))).toBe(
        true,
      );
    }
    expect(view.budget.month).toBe('2025-03');
    // Only what is still to come is listed as recurring.
    for (const r of view.recurring) expect(r.nextExpected > view.lastDay).toBe(true);
  });

  it('falls back to the latest month for a month without operations, and applies corrections and limits', () => {
    const bakery = family.transactions.find((t) => /BOULANGERIE/.test(t.label));
    const view = bankingView(
      {
        ...data,
        corrections: [{ transactionId: bakery?._id ?? '', category: 'restaurant', at: '2025-07-01T00:00:00Z' }],
        limits: { groceries: 300 },
      },
      '1999-01',
    );
    expect(view.month).toBe('2025-06');
    expect(view.budget.lines.find((l) => l.category === 'groceries')).toMatchObject({
      limit: 300,
      limitSource: 'person',
    });
    const june = view.operations.filter((o) => /BOULANGERIE/.test(o.label));
    expect(june.length).toBeGreaterThan(0);
    for (const o of june) expect(o.category).toMatchObject({ category: 'restaurant', source: 'model' });
  });
});
