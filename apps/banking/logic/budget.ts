/**
 * The monthly budget by category: what went out and came in per category in a month, what the
 * three months before averaged, and the person's limit where they set one (else that average).
 * Transfers between the person's own accounts are neither spending nor income and are left out.
 */
import { addMonthsToMonth, cents, monthOf, operationDay } from './days.js';
import type { BankAccount, BankTransaction } from './types.js';

export interface BudgetLine {
  category: string;
  /** Spent this month, positive. */
  spent: number;
  /** Received this month, positive. */
  received: number;
  /** Average monthly spending over the three months before. */
  averageSpent: number;
  /** The person's limit, or by default the average rounded up to ten. */
  limit: number;
  limitSource: 'person' | 'average';
  /** limit - spent: negative when over. */
  remaining: number;
}

export interface MonthBudget {
  month: string;
  lines: BudgetLine[];
  totalSpent: number;
  totalReceived: number;
  /** Lines left out as transfers between the person's own accounts. */
  internalTransfers: number;
}

/** A line moving money between two of the person's accounts: the other side's IBAN is one of theirs. */
export function isInternalTransfer(t: BankTransaction, ownIbans: Set<string>): boolean {
  const iban = t.counterparty?.iban?.replace(/ /g, '').toUpperCase();
  return iban !== undefined && ownIbans.has(iban);
}

export function monthBudget(
  month: string,
  transactions: BankTransaction[],
  categoryOf: (t: BankTransaction) => string,
  options: { accounts?: BankAccount[]; limits?: Record<string, number> } = {},
): MonthBudget {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new RangeError(`not a month: ${month}`);
  const ownIbans = new Set(
    (options.accounts ?? [])
      .filter((a) => a.type !== 'loan')
      .flatMap((a) => (a.iban ? [a.iban.replace(/ /g, '').toUpperCase()] : [])),
  );
  const previous = new Set([1, 2, 3].map((n) => addMonthsToMonth(month, -n)));
  const spent = new Map<string, number>();
  const received = new Map<string, number>();
  const before = new Map<string, number>();
  let internal = 0;
  for (const t of transactions) {
    if (t.bookingStatus === 'pending') continue;
    const m = monthOf(operationDay(t));
    if (m !== month && !previous.has(m)) continue;
    if (isInternalTransfer(t, ownIbans)) {
      if (m === month) internal++;
      continue;
    }
    const category = categoryOf(t);
    const c = cents(t.amount);
    if (m === month) {
      if (c < 0) spent.set(category, (spent.get(category) ?? 0) - c);
      else received.set(category, (received.get(category) ?? 0) + c);
    } else if (c < 0) before.set(category, (before.get(category) ?? 0) - c);
  }
  const all = new Set([...spent.keys(), ...received.keys(), ...before.keys(), ...Object.keys(options.limits ?? {})]);
  const lines = [...all].map((category): BudgetLine => {
    const s = (spent.get(category) ?? 0) / 100;
    const average = Math.round((before.get(category) ?? 0) / 3) / 100;
    const own = options.limits?.[category];
    const limit = own ?? Math.ceil(average / 10) * 10;
    return {
      category,
      spent: s,
      received: (received.get(category) ?? 0) / 100,
      averageSpent: average,
      limit,
      limitSource: own === undefined ? 'average' : 'person',
      remaining: Math.round((limit - s) * 100) / 100,
    };
  });
  lines.sort((a, b) => b.spent - a.spent || b.received - a.received || a.category.localeCompare(b.category));
  return {
    month,
    lines,
    totalSpent: Math.round(lines.reduce((s, l) => s + l.spent * 100, 0)) / 100,
    totalReceived: Math.round(lines.reduce((s, l) => s + l.received * 100, 0)) / 100,
    internalTransfers: internal,
  };
}
