import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../../../src/holders/household/household.js';
import { housingCosts, type BillInput, type DebitInput } from './housing-costs.js';

const household = createHousehold({ seed: 'mon-logis-costs' });
const range = { from: '2024-11-01', to: '2026-10-31' };
const TZ = 'Europe/Paris';

const bills = (customer: string): BillInput[] =>
  (['insurer', 'telecom', 'electricity', 'gas', 'water'] as const)
    .filter((h) => household.customer(customer).holders.includes(h))
    .flatMap((h) => household.records(customer, h, 'bill', { from: '2023-11-24', to: range.to }))
    .map((r) => r.data as unknown as BillInput);
const bankRecords = (customer: string) =>
  household.records(customer, 'bank', 'bank.transaction', range).map((r) => r.data as Record<string, unknown>);
/** As the bank connector stores them: the bank's own category is not part of its API. */
const asStored = (customer: string): DebitInput[] =>
  bankRecords(customer).map(({ category: _dropped, ...rest }) => rest as unknown as DebitInput);

/** Expected from the raw bank records alone: debits of the housing categories, by operation month. */
function expectedFromBank(customer: string): Map<string, Record<string, number>> {
  const names: Record<string, string> = {
    insurance: 'insurer',
    energy: 'energy',
    utilities: 'water',
    telecom: 'telecom',
  };
  const out = new Map<string, Record<string, number>>();
  for (const t of bankRecords(customer)) {
    const category = names[t.category as string];
    if (!category || (t.amount as number) >= 0) continue;
    const month = (t.valueDate as string).slice(0, 7);
    const row = out.get(month) ?? {};
    row[category] = Math.round(((row[category] ?? 0) - (t.amount as number)) * 100) / 100;
    out.set(month, row);
  }
  return out;
}

const asRows = (m: Map<string, Record<string, number>>, months: string[]) =>
  months.map((month) => {
    const r = m.get(month) ?? {};
    return { month, insurer: r.insurer ?? 0, energy: r.energy ?? 0, water: r.water ?? 0, telecom: r.telecom ?? 0 };
  });

describe('monthly housing costs', () => {
  for (const customer of ['family', 'retirees', 'student']) {
    it(`${customer}: bills and the debits paying them count once, as the bank shows the money leaving`, () => {
      const result = housingCosts({
        bills: bills(customer),
        debits: asStored(customer),
        from: '2025-01',
        to: '2026-10',
        timeZone: TZ,
      });
      const months = result.months.map((m) => m.month);
      expect(months).toHaveLength(22);
      const got = result.months.map(({ total: _t, ...rest }) => rest);
      expect(got).toEqual(asRows(expectedFromBank(customer), months));
      for (const m of result.months) expect(m.total).toBeCloseTo(m.insurer + m.energy + m.water + m.telecom, 6);
      // Every housing debit of the period paid a bill of the household (coherence rule 1).
      expect(result.counted.otherDebits).toBe(0);
      expect(result.counted.billPaymentsAlone).toBe(0);
      expect(result.counted.debitsPayingBills).toBeGreaterThan(months.length * 2);
    });
  }

  it('with bills alone, each bill counts in the month of its payment, each instalment of a schedule in its own', () => {
    const all = bills('family');
    const expected = new Map<string, Record<string, number>>();
    const names: Record<string, string> = {
      insurance: 'insurer',
      energy: 'energy',
      water: 'water',
      telecom: 'telecom',
    };
    for (const b of all) {
      const parts =
        b.type === 'payment_schedule' && b.extra?.instalments
          ? b.extra.instalments
          : [{ date: b.dueDate!, amount: b.totalAmount }];
      for (const p of parts) {
        const row = expected.get(p.date.slice(0, 7)) ?? {};
        const c = names[b.vendorCategory]!;
        row[c] = Math.round(((row[c] ?? 0) + p.amount) * 100) / 100;
        expected.set(p.date.slice(0, 7), row);
      }
    }
    const result = housingCosts({ bills: all, debits: [], from: '2025-01', to: '2026-06', timeZone: TZ });
    expect(result.months.map(({ total: _t, ...rest }) => rest)).toEqual(
      asRows(
        expected,
        result.months.map((m) => m.month),
      ),
    );
    expect(result.counted.debitsPayingBills).toBe(0);
  });

  it('with debits alone, the bank’s own categories place them', () => {
    const debits = bankRecords('family') as unknown as DebitInput[];
    const result = housingCosts({ bills: [], debits, from: '2025-01', to: '2026-10', timeZone: TZ });
    expect(result.months.map(({ total: _t, ...rest }) => rest)).toEqual(
      asRows(
        expectedFromBank('family'),
        result.months.map((m) => m.month),
      ),
    );
  });

  it('a debit whose bill is missing still counts under the category its creditor paid elsewhere', () => {
    const all = bills('family');
    const missing = all.find((b) => b.vendorCategory === 'water' && b.dueDate! >= '2026-01-01')!;
    const withBills = housingCosts({
      bills: all,
      debits: asStored('family'),
      from: '2025-01',
      to: '2026-10',
      timeZone: TZ,
    });
    const without = housingCosts({
      bills: all.filter((b) => b !== missing),
      debits: asStored('family'),
      from: '2025-01',
      to: '2026-10',
      timeZone: TZ,
    });
    expect(without.months).toEqual(withBills.months);
    expect(without.counted.otherDebits).toBe(1);
  });

  it('never counts a bill and its debit twice: the sum is far below bills plus debits', () => {
    const b = housingCosts({ bills: bills('family'), debits: [], from: '2025-01', to: '2026-10', timeZone: TZ });
    const d = housingCosts({
      bills: [],
      debits: bankRecords('family') as unknown as DebitInput[],
      from: '2025-01',
      to: '2026-10',
      timeZone: TZ,
    });
    const both = housingCosts({
      bills: bills('family'),
      debits: asStored('family'),
      from: '2025-01',
      to: '2026-10',
      timeZone: TZ,
    });
    const sum = (r: typeof b) => r.months.reduce((a, m) => a + m.total, 0);
    expect(sum(both)).toBeCloseTo(sum(d), 2);
    expect(sum(both)).toBeLessThan(sum(b) + sum(d) - 1000);
  });

  it('a debit for another amount than the bill does not pay it; a credit is no cost', () => {
    const bill: BillInput = {
      vendorCategory: 'energy',
      number: 'F1',
      issueDate: '2026-01-04',
      dueDate: '2026-01-14',
      totalAmount: 50,
    };
    const debit: DebitInput = { date: '2026-01-13T23:00:00Z', label: 'PRLV F1', amount: -49.99, reference: 'F1' };
    const refund: DebitInput = { date: '2026-01-20T23:00:00Z', label: 'REMB', amount: 20, category: 'energy' };
    const r = housingCosts({ bills: [bill], debits: [debit, refund], from: '2026-01', to: '2026-01', timeZone: TZ });
    expect(r.months[0]).toEqual({ month: '2026-01', insurer: 0, energy: 50, water: 0, telecom: 0, total: 50 });
    expect(r.counted).toEqual({ debitsPayingBills: 0, billPaymentsAlone: 1, otherDebits: 0 });
  });

  it('places a debit in the local month of its day: 23:00 UTC on 31 January is February in Paris', () => {
    const debit: DebitInput = { date: '2026-01-31T23:00:00Z', label: 'PRLV', amount: -10, category: 'telecom' };
    const r = housingCosts({ bills: [], debits: [debit], from: '2026-01', to: '2026-02', timeZone: TZ });
    expect(r.months.map((m) => m.telecom)).toEqual([0, 10]);
  });
});
