import { beforeAll, describe, expect, it } from 'vitest';
import { cents, operationDay } from './days.js';
import { linkTransactions, type LinkResult } from './links.js';
import { householdDocs, withoutReferences, type HouseholdDocs } from './testing/household-docs.js';
import type { BankTransaction, Bill } from './types.js';

const range = { from: '2024-01-01', to: '2025-12-31' };
const customers = ['family', 'student', 'retirees', 'single-parent'];
let docs: HouseholdDocs[];
let results: Map<string, LinkResult>;

/** Runs on lines without references: the household's references are the ground truth. */
function link(d: HouseholdDocs): LinkResult {
  return linkTransactions({ ...d, transactions: withoutReferences(d.transactions) });
}

beforeAll(() => {
  docs = customers.map((id) => householdDocs(id, range));
  results = new Map(docs.map((d) => [d.customerId, link(d)]));
});

const billTargets = (r: LinkResult, txId: string): string[] =>
  (r.links.get(txId)?.targets ?? []).filter((t) => t.doctype === 'bill').map((t) => t.id);

describe('bank lines linked to bills', () => {
  it('link every energy bill (electricity and gas) to the direct debit that paid it, without reading its number', () => {
    let checked = 0;
    for (const d of docs) {
      const r = results.get(d.customerId) as LinkResult;
      const energy = d.bills.filter((b) => b.vendorCategory === 'energy' && (b.dueDate as string) <= range.to);
      expect(energy.length, d.customerId).toBeGreaterThan(20);
      for (const bill of energy) {
        const debit = d.transactions.find((t) => t.reference === bill.number);
        expect(debit, `${d.customerId} ${bill.number} was debited`).toBeDefined();
        expect(billTargets(r, (debit as BankTransaction)._id), bill.number).toEqual([bill._id]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('link every water and telecom bill, and every insurance instalment to its schedule or its contract', () => {
    for (const d of docs) {
      const r = results.get(d.customerId) as LinkResult;
      for (const bill of d.bills.filter((b) => b.type === 'invoice' && (b.dueDate as string) <= range.to)) {
        const debit = d.transactions.find((t) => t.reference === bill.number) as BankTransaction;
        expect(billTargets(r, debit._id), bill.number).toEqual([bill._id]);
      }
      const schedules = new Set(d.bills.filter((b) => b.type === 'payment_schedule').map((b) => b.number));
      for (const debit of d.transactions.filter((t) => t.label.includes('AURORE ASSURANCES ECHEANCE'))) {
        const link = r.links.get(debit._id);
        const contract = d.contracts.find((c) => c.contractNumber && debit.label.includes(c.contractNumber));
        expect(link?.targets.map((t) => t.id)).toContain(contract?._id);
        if (schedules.has(debit.reference)) expect(billTargets(r, debit._id)).toEqual([debit.reference]);
      }
    }
  });

  it('link the instalment of the schedule by its day, so twelve equal debits pay twelve different instalments', () => {
    const family = docs.find((d) => d.customerId === 'family') as HouseholdDocs;
    const r = results.get('family') as LinkResult;
    const schedule = family.bills.find((b) => b.type === 'payment_schedule' && b.number?.startsWith('ECH2025')) as Bill;
    const instalments = [...r.links.values()].flatMap((l) =>
      l.targets.filter((t) => t.id === schedule._id).map((t) => ({ tx: l.transactionId, day: t.instalment })),
    );
    expect(instalments).toHaveLength(12);
    for (const i of instalments) {
      const tx = family.transactions.find((t) => t._id === i.tx) as BankTransaction;
      expect(operationDay(tx)).toBe(i.day);
    }
  });

  it('link a grouped payment, one debit for the electricity and gas bills of a month, to both bills', () => {
    const family = docs.find((d) => d.customerId === 'family') as HouseholdDocs;
    const stripped = withoutReferences(family.transactions);
    const energy = family.transactions.filter((t) => t.reference && /^L[EG]/.test(t.reference));
    const byMonth = new Map<string, BankTransaction[]>();
    for (const t of energy)
      byMonth.set(operationDay(t).slice(0, 7), [...(byMonth.get(operationDay(t).slice(0, 7)) ?? []), t]);
    const pairs = [...byMonth.values()].filter((g) => g.length === 2);
    expect(pairs.length).toBeGreaterThan(10);
    // The supplier now takes one debit a month for both contracts, on the later of the two days.
    const merged = new Set(pairs.flat().map((t) => t._id));
    const grouped: BankTransaction[] = pairs.map(([a, b]) => ({
      ...(b as BankTransaction),
      _id: `grouped-${operationDay(b as BankTransaction)}`,
      label: 'PRLV SEPA LUMEN ENERGIE FACTURES DU MOIS',
      amount: ((a as BankTransaction).amount * 100 + (b as BankTransaction).amount * 100) / 100,
      counterparty: { name: 'Lumen Énergie' },
    }));
    const r = linkTransactions({
      ...family,
      transactions: [...stripped.filter((t) => !merged.has(t._id)), ...grouped],
    });
    pairs.forEach(([a, b], i) => {
      const link = r.links.get((grouped[i] as BankTransaction)._id);
      expect(link?.evidence).toBe('grouped');
      expect(billTargets(r, (grouped[i] as BankTransaction)._id).sort()).toEqual(
        [(a as BankTransaction).reference, (b as BankTransaction).reference].sort(),
      );
      // And the line is tied to both energy contracts.
      expect(link?.targets.filter((t) => t.doctype === 'energy.contract')).toHaveLength(2);
    });
    expect(r.unpaid.filter((u) => u.billId.startsWith('L'))).toEqual([]);
  });

  it('take the number when the bank prints it, and leave nothing unpaid that the household paid', () => {
    for (const d of docs) {
      const r = linkTransactions(d);
      const byNumber = [...r.links.values()].filter((l) => l.evidence === 'reference');
      expect(byNumber.length, d.customerId).toBeGreaterThan(30);
      expect(r.unpaid, d.customerId).toEqual([]);
    }
  });

  it('do not link a debit one cent off, nor one of the right amount from another vendor, nor out of the window', () => {
    const bill: Bill = {
      _id: 'b1',
      vendor: 'Lumen Énergie',
      vendorCategory: 'energy',
      number: 'LE999',
      issueDate: '2025-03-04',
      dueDate: '2025-03-14',
      totalAmount: 84.12,
      currency: 'EUR',
    };
    const tx = (id: string, label: string, amount: number, day: string): BankTransaction => ({
      _id: id,
      date: `${day}T00:00:00Z`,
      valueDate: day,
      label,
      amount,
      currency: 'EUR',
      accountId: 'a',
    });
    const r = linkTransactions({
      transactions: [
        tx('off', 'PRLV SEPA LUMEN ENERGIE', -84.13, '2025-03-14'),
        tx('other', 'PRLV SEPA ONDE TELECOM', -84.12, '2025-03-14'),
        tx('late', 'PRLV SEPA LUMEN ENERGIE', -84.12, '2025-05-14'),
      ],
      bills: [bill],
    });
    expect(r.links.size).toBe(0);
    expect(r.unpaid).toEqual([{ billId: 'b1', due: '2025-03-14', amount: 84.12 }]);
    const ok = linkTransactions({
      transactions: [tx('ok', 'PRLV SEPA LUMEN ENERGIE', -84.12, '2025-03-16')],
      bills: [bill],
    });
    expect(ok.links.get('ok')).toMatchObject({
      evidence: 'amount-date-vendor',
      targets: [{ id: 'b1', amount: 84.12 }],
    });
  });

  it('treat a schedule whose instalments are missing or malformed as one bill of its total', () => {
    const schedule: Bill = {
      _id: 's1',
      vendor: 'Aurore Assurances',
      vendorCategory: 'insurance',
      type: 'payment_schedule',
      number: 'ECH2025X',
      issueDate: '2025-01-05',
      dueDate: '2025-01-05',
      totalAmount: 360,
      currency: 'EUR',
      extra: { instalments: [{ date: 5, amount: 'thirty' }] },
    };
    const debit: BankTransaction = {
      _id: 'd',
      date: '2025-01-04T23:00:00Z',
      label: 'PRLV SEPA AURORE ASSURANCES COTISATION ANNUELLE',
      amount: -360,
      currency: 'EUR',
      accountId: 'a',
    };
    const r = linkTransactions({ transactions: [debit], bills: [schedule] });
    expect(r.links.get('d')?.targets).toEqual([{ doctype: 'bill', id: 's1', amount: 360 }]);
  });
});

describe('bank lines linked to receipts, claims and loans', () => {
  it('link every shop receipt to its card payment', () => {
    for (const d of docs) {
      const r = results.get(d.customerId) as LinkResult;
      expect(d.receipts.length, d.customerId).toBeGreaterThan(100);
      for (const receipt of d.receipts) {
        const payment = d.transactions.find((t) => t.reference === receipt._id) as BankTransaction;
        expect(cents(payment.amount)).toBe(-cents(receipt.totalAmount));
        expect(r.links.get(payment._id)?.targets, receipt._id).toEqual([
          { doctype: 'retail.receipt', id: receipt._id, amount: receipt.totalAmount },
        ]);
      }
    }
  });

  it("link every insurer's settlement to its claim", () => {
    let checked = 0;
    for (const d of docs) {
      const r = results.get(d.customerId) as LinkResult;
      for (const claim of d.claims) {
        const credit = d.transactions.find((t) => t.reference === claim.claimNumber);
        if (!credit) continue; // settled after the range's last bank day
        expect(r.links.get(credit._id)?.targets.map((t) => t.id)).toEqual([claim._id]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2);
  });

  it("link the mortgage instalments to the loan account, and no other line's amount to anything", () => {
    const family = docs.find((d) => d.customerId === 'family') as HouseholdDocs;
    const r = results.get('family') as LinkResult;
    const loan = family.accounts.find((a) => a.type === 'loan');
    const instalments = family.transactions.filter((t) => t.type === 'loan_payment');
    expect(instalments).toHaveLength(24);
    for (const t of instalments)
      expect(r.links.get(t._id)).toMatchObject({ evidence: 'loan', targets: [{ id: loan?._id }] });
    // Lines that pay nothing documented stay unlinked: bakeries, salaries, rent, sweeps.
    for (const t of family.transactions.filter((x) => /BOULANGERIE|SALAIRE|VIR INTERNE/.test(x.label)))
      expect(r.links.has(t._id), t.label).toBe(false);
  });
});
