/** Accounts across banks and their balances over time, from the accounts and their operations. */
import { addDays, cents, daysBetween, localDay, operationDay, round2 } from './days.js';
import type { BankAccount, BankTransaction } from './types.js';

export interface BalancePoint {
  day: string;
  /** Balance at the end of the day. */
  balance: number;
}

export interface BalanceSeries {
  accountId: string;
  /**
   * True when the series rests on the balance the bank gave; false when the account has none and
   * the series is the running sum of its operations from zero (its shape, not its level).
   */
  anchored: boolean;
  points: BalancePoint[];
}

export interface AccountSummary {
  accountId: string;
  label: string;
  vendor: string;
  type: string;
  currency: string;
  /** The latest balance: the bank's, moved forward by any operation booked after it. */
  balance?: number;
  balanceDay?: string;
  operations: number;
  lastOperationDay?: string;
}

const booked = (t: BankTransaction): boolean => t.bookingStatus !== 'pending';

/** Net amount per day of one account's booked operations, in cents. */
function dailyNet(accountId: string, transactions: BankTransaction[]): Map<string, number> {
  const net = new Map<string, number>();
  for (const t of transactions) {
    if (t.accountId !== accountId || !booked(t)) continue;
    const day = operationDay(t);
    net.set(day, (net.get(day) ?? 0) + cents(t.amount));
  }
  return net;
}

/** The last day a bank balance includes: the balance is true at an instant, after the operations dated before it. */
const anchorDayOf = (balanceDate: string): string => localDay(new Date(Date.parse(balanceDate) - 1).toISOString());

/**
 * The end-of-day balance of each day of the range. With the bank's balance B at day A:
 * balance(d) = B + (sum of operations on days up to d) - (sum up to A), which reads both before and after A.
 */
export function dailyBalances(
  account: BankAccount,
  transactions: BankTransaction[],
  range: { from: string; to: string },
): BalanceSeries {
  if (range.to < range.from) throw new RangeError(`empty range ${range.from}..${range.to}`);
  const net = dailyNet(account.accountId, transactions);
  const days = [...net.keys()].sort();
  const cumulativeTo = (day: string): number => {
    let s = 0;
    for (const d of days) if (d <= day) s += net.get(d) as number;
    return s;
  };
  const anchored = typeof account.balance === 'number' && typeof account.balanceDate === 'string';
  const offset = anchored
    ? cents(account.balance as number) - cumulativeTo(anchorDayOf(account.balanceDate as string))
    : 0;
  let running = offset + cumulativeTo(addDays(range.from, -1));
  const points: BalancePoint[] = [];
  for (let i = 0, n = daysBetween(range.from, range.to); i <= n; i++) {
    const day = addDays(range.from, i);
    running += net.get(day) ?? 0;
    points.push({ day, balance: running / 100 });
  }
  return { accountId: account.accountId, anchored, points };
}

/** One line per account, across banks, open ones first, with the latest balance. */
export function accountSummaries(accounts: BankAccount[], transactions: BankTransaction[]): AccountSummary[] {
  return accounts
    .map((a): AccountSummary => {
      const net = dailyNet(a.accountId, transactions);
      const days = [...net.keys()].sort();
      const last = days[days.length - 1];
      const summary: AccountSummary = {
        accountId: a.accountId,
        label: a.label,
        vendor: a.vendor,
        type: a.type,
        currency: a.currency,
        operations: transactions.filter((t) => t.accountId === a.accountId).length,
        ...(last ? { lastOperationDay: last } : {}),
      };
      if (typeof a.balance === 'number' && typeof a.balanceDate === 'string') {
        const anchor = anchorDayOf(a.balanceDate);
        const after = days.filter((d) => d > anchor).reduce((s, d) => s + (net.get(d) as number), 0);
        summary.balance = round2(a.balance + after / 100);
        summary.balanceDay = last && last > anchor ? last : anchor;
      }
      return summary;
    })
    .sort((x, y) => Number(x.type === 'loan') - Number(y.type === 'loan') || x.label.localeCompare(y.label));
}

/** What the person owns less what they owe, per currency, from the accounts that have a balance. */
export function netWorth(summaries: AccountSummary[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of summaries) if (s.balance !== undefined) out[s.currency] = round2((out[s.currency] ?? 0) + s.balance);
  return out;
}
