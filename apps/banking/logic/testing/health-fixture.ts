/**
 * The synthetic household has no health insurance: its insurer covers homes and cars, and its bank
 * shows pharmacy payments that nobody reimburses. This fixture adds, for the tests only, what a
 * French household would see: a doctor's consultation every six weeks or so, the statutory
 * insurance (CPAM) paying its share of consultations and prescribed medicines a few days later,
 * and a mutuelle paying the rest with a statement (insurance.claim of type health_care). It returns
 * which credit refunds which expense: the ground truth the reimbursement tracking is checked against.
 */
import { addDays, daysBetween, operationDay, round2 } from '../days.js';
import type { BankTransaction, InsuranceClaim } from '../types.js';

export interface HealthFixture {
  transactions: BankTransaction[];
  claims: InsuranceClaim[];
  /** Reimbursement credit id -> the expense line it refunds. */
  refunds: Map<string, string>;
  /** Expense ids nobody reimburses (medicines without a prescription). */
  unreimbursed: Set<string>;
}

/** A stable number from a string (FNV-1a), for the fixture's choices. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const ddmmyyyy = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
const instant = (day: string): string => `${addDays(day, -1)}T23:00:00Z`;

export const mutuelle = {
  name: 'Mutuelle Estuaire Santé',
  bankLabel: 'MUTUELLE ESTUAIRE SANTE',
  contractNumber: 'MES00417852',
};

export function addHealthCare(transactions: BankTransaction[], accountId: string, until: string): HealthFixture {
  const out = [...transactions];
  const claims: InsuranceClaim[] = [];
  const refunds = new Map<string, string>();
  const unreimbursed = new Set<string>();
  const checking = transactions.filter((t) => t.accountId === accountId);
  const first = checking.map(operationDay).sort()[0];
  if (!first) return { transactions: out, claims, refunds, unreimbursed };

  // Consultations: 30 EUR, every 35 to 55 days.
  const expenses: BankTransaction[] = checking.filter((t) => /PHARMACIE/.test(t.label) && t.amount < 0);
  for (let day = addDays(first, 10); day <= until; day = addDays(day, 35 + (hash(day) % 21))) {
    const consultation: BankTransaction = {
      _id: `fixture-consultation-${day}`,
      date: instant(day),
      valueDate: day,
      label: `CB DR LEROUX MEDECIN GENERALISTE ${day.slice(8, 10)}/${day.slice(5, 7)}`,
      amount: -30,
      currency: 'EUR',
      accountId,
      type: 'card',
      merchantCategoryCode: '8011',
    };
    out.push(consultation);
    expenses.push(consultation);
  }

  for (const e of expenses) {
    const day = operationDay(e);
    const h = hash(e._id);
    const paid = -e.amount;
    const consultation = e._id.startsWith('fixture-consultation');
    // A third of pharmacy purchases are not prescribed: nothing comes back.
    if (!consultation && h % 3 === 0) {
      unreimbursed.add(e._id);
      continue;
    }
    const statutory = consultation ? round2(paid * 0.7 - 2) : round2(paid * 0.65);
    const statutoryDay = addDays(day, 3 + (h % 5));
    const complementary = round2(paid - statutory);
    const settlementDay = addDays(statutoryDay, 4 + (h % 6));
    if (settlementDay > until) continue;
    const cpam: BankTransaction = {
      _id: `fixture-cpam-${e._id}`,
      date: instant(statutoryDay),
      valueDate: statutoryDay,
      // Half of the statements print the care day, as CPAM labels often do.
      label: `VIR CPAM LOIRE ATLANTIQUE REMBOURSEMENT SOINS${h % 2 === 0 ? ` DU ${ddmmyyyy(day)}` : ''}`,
      amount: statutory,
      currency: 'EUR',
      accountId,
      type: 'credit',
      counterparty: { name: 'CPAM LOIRE ATLANTIQUE' },
    };
    const mut: BankTransaction = {
      _id: `fixture-mutuelle-${e._id}`,
      date: instant(addDays(settlementDay, 1)),
      valueDate: addDays(settlementDay, 1),
      label: `VIR ${mutuelle.bankLabel} REMB SOINS ${String(h % 1_000_000).padStart(6, '0')}`,
      amount: complementary,
      currency: 'EUR',
      accountId,
      type: 'credit',
      counterparty: { name: mutuelle.name },
    };
    out.push(cpam, mut);
    refunds.set(cpam._id, e._id);
    refunds.set(mut._id, e._id);
    claims.push({
      _id: `fixture-claim-${e._id}`,
      vendor: mutuelle.name,
      contractNumber: mutuelle.contractNumber,
      claimNumber: `DEC${String(h % 100_000_000).padStart(8, '0')}`,
      type: 'health_care',
      eventDate: day,
      status: 'settled',
      claimedAmount: paid,
      settledAmount: complementary,
      settlementDate: settlementDay,
      healthCare: { careType: consultation ? 'consultation' : 'pharmacy', socialSecurityAmount: statutory },
    });
  }
  out.sort((a, b) => daysBetween(operationDay(b), operationDay(a)));
  return { transactions: out, claims, refunds, unreimbursed };
}
