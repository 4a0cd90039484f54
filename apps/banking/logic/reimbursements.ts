/**
 * Health reimbursements tracked against the expenses they refund. Expenses are the lines the app
 * files under `health`; reimbursements are credits from the statutory insurance (Assurance Maladie,
 * CPAM) or a complementary insurer (mutuelle). With the mutuelle's statements (insurance.claim of
 * type health_care: care day, amount paid, statutory share, settled amount) each part is matched to
 * the expense exactly; without them, a credit goes to the earlier expense it fits best: the care day
 * printed in its label, else the usual statutory rates, else the exact amount still owed.
 */
import { addDays, cents, daysBetween, operationDay } from './days.js';
import { normalise, vendorOverlap, words } from './text.js';
import type { BankTransaction, InsuranceClaim } from './types.js';

export type ReimbursementSource = 'statutory' | 'complementary';

export interface Reimbursement {
  transactionId: string;
  amount: number;
  source: ReimbursementSource;
  claimId?: string;
}

export type ReimbursementStatus = 'reimbursed' | 'partly' | 'awaited' | 'not-reimbursed';

export interface HealthExpense {
  transactionId: string;
  day: string;
  label: string;
  amount: number;
  reimbursements: Reimbursement[];
  reimbursed: number;
  /** What is left to the person (reste à charge). */
  outstanding: number;
  status: ReimbursementStatus;
}

export interface ReimbursementReport {
  expenses: HealthExpense[];
  /** Health credits no expense could be found for. */
  unmatched: string[];
  totals: { spent: number; reimbursed: number; outstanding: number };
}

export interface ReimbursementOptions {
  /** Days a reimbursement may take; an expense younger than this with none yet is `awaited`. */
  waitDays?: number;
  /** The day the report is made: by default the last line's day. */
  asOf?: string;
}

const statutoryWords = ['CPAM', 'AMELI', 'CNAM', 'MSA', 'ASSURANCE MALADIE', 'CAISSE PRIMAIRE'];

/** Reimbursement rates of the French statutory insurance: consultations 70 % less a flat fee, medicines 65 % or 30 %. */
const statutoryRates = [0.7, 0.65, 0.6, 0.3, 0.15, 1];
const flatFees = [0, 1, 2];

function sourceOf(t: BankTransaction, claimVendors: string[]): ReimbursementSource | undefined {
  if (t.amount <= 0) return undefined;
  const have = new Set(words(`${t.label} ${t.counterparty?.name ?? ''}`));
  const has = (key: string): boolean => key.split(' ').every((w) => have.has(w));
  if (statutoryWords.some(has)) return 'statutory';
  if (has('MUTUELLE') || (has('SOINS') && (has('REMB') || has('REMBT') || has('REMBOURSEMENT'))))
    return 'complementary';
  if (claimVendors.some((v) => vendorOverlap(t.label, v) >= 0.99)) return 'complementary';
  return undefined;
}

/** A care day printed in the label (dd/mm/yyyy, dd/mm/yy or dd/mm), resolved to the year before the credit. */
function printedDay(t: BankTransaction): string | undefined {
  const m = normalise(t.label).match(/\b(\d{2}) (\d{2})(?: (\d{2,4}))?\b/);
  if (!m) return undefined;
  const credit = operationDay(t);
  const year = m[3] ? (m[3].length === 2 ? `20${m[3]}` : m[3]) : credit.slice(0, 4);
  const day = `${year}-${m[2]}-${m[1]}`;
  if (Number.isNaN(Date.parse(day))) return undefined;
  return day > credit ? `${Number(year) - 1}-${m[2]}-${m[1]}` : day;
}

/** How far a statutory credit is from what the rates would pay for this expense, in cents. */
function rateDistance(credit: number, expense: number): number {
  let best = Infinity;
  for (const r of statutoryRates)
    for (const f of flatFees) best = Math.min(best, Math.abs(credit - Math.round(expense * r) + f * 100));
  return best;
}

export function trackReimbursements(
  transactions: BankTransaction[],
  categoryOf: (t: BankTransaction) => string,
  claims: InsuranceClaim[] = [],
  options: ReimbursementOptions = {},
): ReimbursementReport {
  const waitDays = options.waitDays ?? 45;
  const booked = transactions.filter((t) => t.bookingStatus !== 'pending');
  const asOf = options.asOf ?? booked.map(operationDay).reduce((a, b) => (a > b ? a : b), '');
  const health = claims.filter((c) => c.type === 'health_care');
  const claimVendors = [...new Set(health.map((c) => c.vendor))];
  const expenses = booked
    .filter((t) => t.amount < 0 && categoryOf(t) === 'health')
    .sort((a, b) => operationDay(a).localeCompare(operationDay(b)));
  const credits = booked
    .map((t) => ({ t, source: sourceOf(t, claimVendors) }))
    .filter((x): x is { t: BankTransaction; source: ReimbursementSource } => x.source !== undefined)
    .sort((a, b) => operationDay(a.t).localeCompare(operationDay(b.t)));

  const got = new Map<string, Reimbursement[]>(expenses.map((e) => [e._id, []]));
  const owed = (e: BankTransaction): number =>
    -cents(e.amount) - (got.get(e._id) ?? []).reduce((s, r) => s + cents(r.amount), 0);
  const used = new Set<string>();
  const give = (e: BankTransaction, t: BankTransaction, source: ReimbursementSource, claimId?: string): void => {
    used.add(t._id);
    got.get(e._id)?.push({ transactionId: t._id, amount: t.amount, source, ...(claimId ? { claimId } : {}) });
  };

  // 1. The mutuelle's statements: the expense of the care, then its two reimbursements.
  const claimed = new Set<string>();
  for (const c of health) {
    if (typeof c.claimedAmount !== 'number') continue;
    const expense = expenses.find(
      (e) =>
        !claimed.has(e._id) &&
        -cents(e.amount) === cents(c.claimedAmount as number) &&
        daysBetween(c.eventDate, operationDay(e)) >= -1 &&
        daysBetween(c.eventDate, operationDay(e)) <= 4,
    );
    if (!expense) continue;
    claimed.add(expense._id);
    const until = addDays(c.settlementDate ?? c.eventDate, 20);
    const find = (source: ReimbursementSource, amount: number | undefined): BankTransaction | undefined =>
      amount === undefined
        ? undefined
        : credits.find(
            (x) =>
              x.source === source &&
              !used.has(x.t._id) &&
              cents(x.t.amount) === cents(amount) &&
              operationDay(x.t) >= c.eventDate &&
              operationDay(x.t) <= until,
          )?.t;
    const complementary = find('complementary', c.settledAmount);
    if (complementary) give(expense, complementary, 'complementary', c._id);
    const statutory = find('statutory', c.healthCare?.socialSecurityAmount);
    if (statutory) give(expense, statutory, 'statutory', c._id);
  }

  // 2. The other credits: the earlier expense they fit best.
  for (const { t, source } of credits) {
    if (used.has(t._id)) continue;
    const day = operationDay(t);
    const open = expenses.filter((e) => {
      const gap = daysBetween(operationDay(e), day);
      return gap >= 0 && gap <= 90 && owed(e) >= cents(t.amount);
    });
    const printed = printedDay(t);
    const onDay = printed ? open.filter((e) => operationDay(e) === printed) : [];
    const score = (e: BankTransaction): number => {
      if (owed(e) === cents(t.amount)) return 0;
      return source === 'statutory' && (got.get(e._id) ?? []).length === 0
        ? rateDistance(cents(t.amount), -cents(e.amount))
        : Infinity;
    };
    const ranked = (onDay.length > 0 ? onDay : open)
      .map((e) => ({ e, s: score(e) }))
      .filter((x) => onDay.length > 0 || x.s <= 2)
      .sort((a, b) => a.s - b.s || daysBetween(operationDay(b.e), operationDay(a.e)));
    const best = ranked[0];
    if (best) give(best.e, t, source);
  }

  const out = expenses.map((e): HealthExpense => {
    const list = got.get(e._id) ?? [];
    const amount = -cents(e.amount);
    const reimbursed = list.reduce((s, r) => s + cents(r.amount), 0);
    const status: ReimbursementStatus =
      reimbursed >= amount
        ? 'reimbursed'
        : reimbursed > 0
          ? 'partly'
          : daysBetween(operationDay(e), asOf) <= waitDays
            ? 'awaited'
            : 'not-reimbursed';
    return {
      transactionId: e._id,
      day: operationDay(e),
      label: e.label,
      amount: amount / 100,
      reimbursements: list,
      reimbursed: reimbursed / 100,
      outstanding: Math.max(0, amount - reimbursed) / 100,
      status,
    };
  });
  const sum = (f: (e: HealthExpense) => number): number => Math.round(out.reduce((s, e) => s + f(e) * 100, 0)) / 100;
  return {
    expenses: out,
    unmatched: credits.filter((x) => !used.has(x.t._id)).map((x) => x.t._id),
    totals: {
      spent: sum((e) => e.amount),
      reimbursed: sum((e) => e.reimbursed),
      outstanding: sum((e) => e.outstanding),
    },
  };
}
