import { beforeAll, describe, expect, it } from 'vitest';
import { categorise } from './category-model.js';
import { trackReimbursements, type ReimbursementReport } from './reimbursements.js';
import { addHealthCare, type HealthFixture } from './testing/health-fixture.js';
import { householdDocs, withoutReferences, type HouseholdDocs } from './testing/household-docs.js';
import type { BankTransaction } from './types.js';

const range = { from: '2024-01-01', to: '2025-12-31' };
let retirees: HouseholdDocs;
let fixture: HealthFixture;
let categoryOf: (t: BankTransaction) => string;

beforeAll(() => {
  retirees = householdDocs('retirees', range);
  const checking = retirees.accounts.find((a) => a.type === 'checking');
  fixture = addHealthCare(withoutReferences(retirees.transactions), checking?.accountId ?? '', range.to);
  const categories = categorise(fixture.transactions, []);
  categoryOf = (t) => categories.get(t._id)?.category ?? 'other';
});

/** Credit id -> expense id, as the report has it. */
function refunds(report: ReimbursementReport): Map<string, string> {
  return new Map(
    report.expenses.flatMap((e) => e.reimbursements.map((r) => [r.transactionId, e.transactionId] as const)),
  );
}

describe('health reimbursements', () => {
  it('the synthetic household has none: its insurer covers homes and cars only, and nobody refunds the pharmacy', () => {
    const report = trackReimbursements(
      withoutReferences(retirees.transactions),
      (t) => categorise([t], []).get(t._id)?.category ?? '',
      retirees.claims,
    );
    expect(retirees.claims.some((c) => c.type === 'health_care')).toBe(false);
    expect(report.expenses.length).toBeGreaterThan(50);
    expect(report.totals.reimbursed).toBe(0);
    expect(report.expenses.every((e) => e.status === 'not-reimbursed' || e.status === 'awaited')).toBe(true);
  });

  it("match each CPAM and mutuelle credit to the expense it refunds, with the mutuelle's statements", () => {
    expect(fixture.refunds.size).toBeGreaterThan(60);
    const report = trackReimbursements(fixture.transactions, categoryOf, fixture.claims);
    expect(refunds(report)).toEqual(fixture.refunds);
    expect(report.unmatched).toEqual([]);
    for (const e of report.expenses) {
      if (fixture.unreimbursed.has(e.transactionId)) expect(e.reimbursements).toEqual([]);
      else if (e.reimbursements.length === 2) expect(e).toMatchObject({ status: 'reimbursed', outstanding: 0 });
    }
    const statutory = report.expenses.flatMap((e) => e.reimbursements).filter((r) => r.source === 'statutory');
    expect(statutory.length).toBe(fixture.refunds.size / 2);
    expect(statutory.every((r) => r.claimId !== undefined)).toBe(true);
  });

  it('match them without statements too: by the care day in the label, the statutory rates, the amount still owed', () => {
    const report = trackReimbursements(fixture.transactions, categoryOf, []);
    const got = refunds(report);
    const right = [...fixture.refunds].filter(([credit, expense]) => got.get(credit) === expense).length;
    // Two pharmacy purchases a few weeks apart can fit one credit equally well: a few may go to the other.
    expect(right / fixture.refunds.size).toBeGreaterThan(0.95);
    // Every credit is either given to an expense or listed as unmatched, never counted twice.
    const amountOf = (id: string): number => fixture.transactions.find((t) => t._id === id)?.amount ?? 0;
    expect(report.unmatched.length / fixture.refunds.size).toBeLessThan(0.03);
    expect(report.totals.reimbursed + report.unmatched.reduce((s, id) => s + amountOf(id), 0)).toBeCloseTo(
      [...fixture.refunds.keys()].reduce((s, id) => s + amountOf(id), 0),
      2,
    );
    expect(report.totals.spent).toBeCloseTo(report.totals.reimbursed + report.totals.outstanding, 2);
  });

  it('await a reimbursement for a recent expense and give up after the waiting time', () => {
    const expense: BankTransaction = {
      _id: 'e',
      date: '2025-03-01T23:00:00Z',
      valueDate: '2025-03-02',
      label: 'CB PHARMACIE DU CENTRE',
      amount: -20,
      currency: 'EUR',
      accountId: 'a',
    };
    const cpam: BankTransaction = {
      ...expense,
      _id: 'c',
      valueDate: '2025-03-09',
      label: 'VIR CPAM NANTES',
      amount: 13,
    };
    const health = (t: BankTransaction): string => (t._id === 'e' ? 'health' : 'refund');
    expect(trackReimbursements([expense], health, [], { asOf: '2025-03-20' }).expenses[0]?.status).toBe('awaited');
    expect(trackReimbursements([expense], health, [], { asOf: '2025-06-20' }).expenses[0]?.status).toBe(
      'not-reimbursed',
    );
    const partly = trackReimbursements([expense, cpam], health, []).expenses[0];
    expect(partly).toMatchObject({ status: 'partly', reimbursed: 13, outstanding: 7 });
    // A care day that is no date is ignored; the rates still find the expense.
    const odd = trackReimbursements([expense, { ...cpam, label: 'VIR CPAM NANTES SOINS DU 31/02/2025' }], health, []);
    expect(odd.expenses[0]?.reimbursed).toBe(13);
    // A credit that fits no expense (more than what is owed) stays unmatched.
    const tooMuch = trackReimbursements([expense, { ...cpam, amount: 25 }], health, []);
    expect(tooMuch.unmatched).toEqual(['c']);
  });
});
