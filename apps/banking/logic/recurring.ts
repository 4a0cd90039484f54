/**
 * Recurring payments and incomes: lines of one mandate (or, without one, of one label once dates
 * and numbers are set aside) that come back at a steady period. For each: the period, the typical
 * amount, and the next expected day.
 */
import { addDays, addMonths, daysBetween, operationDay, round2 } from './days.js';
import { namingWords } from './text.js';
import type { BankTransaction } from './types.js';

export type Period = 'weekly' | 'monthly' | 'quarterly' | 'yearly';

/** Days between two occurrences for each period, with the slack a calendar gives (short months, weekends). */
const periods: { period: Period; days: number; low: number; high: number }[] = [
  { period: 'weekly', days: 7, low: 6, high: 8 },
  { period: 'monthly', days: 30, low: 25, high: 35 },
  { period: 'quarterly', days: 91, low: 84, high: 98 },
  { period: 'yearly', days: 365, low: 355, high: 375 },
];

export interface Recurring {
  key: string;
  /** A readable name: the label's naming words. */
  name: string;
  accountId: string;
  period: Period;
  direction: 'debit' | 'credit';
  occurrences: number;
  /** Median amount, signed. */
  amount: number;
  /** Whether every amount was within 5 % of the median (a subscription, not a metered bill). */
  fixedAmount: boolean;
  lastDay: string;
  nextExpected: string;
  transactionIds: string[];
}

export interface RecurringOptions {
  /** Fewest occurrences to call a series recurring. */
  minOccurrences?: number;
  /** Least share of the intervals that must fit the period. */
  minRegularity?: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** What makes two lines the same series: the mandate of a direct debit, else the label's naming words. */
export function seriesKey(t: BankTransaction): string {
  const mandate = t.counterparty?.mandateReference;
  const sign = t.amount < 0 ? '-' : '+';
  if (mandate) return `${t.accountId}|${sign}|mandate:${mandate}`;
  return `${t.accountId}|${sign}|${namingWords(t.label).join(' ')}`;
}

/** The day of month the series usually falls on (the most frequent), for monthly and longer periods. */
function usualDayOfMonth(days: string[]): number {
  const counts = new Map<number, number>();
  for (const d of days) counts.set(Number(d.slice(8, 10)), (counts.get(Number(d.slice(8, 10))) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0]?.[0] ?? 1;
}

/**
 * Two pensions of one payer on one day under one label are two series: when a group has two lines
 * on one day, it is split by amount (lines within 10 % of each other stay together).
 */
function splitByAmount(group: BankTransaction[]): BankTransaction[][] {
  const days = new Set(group.map(operationDay));
  if (days.size === group.length) return [group];
  const sorted = [...group].sort((a, b) => Math.abs(a.amount) - Math.abs(b.amount));
  const out: BankTransaction[][] = [];
  for (const t of sorted) {
    const last = out[out.length - 1];
    const previous = last?.[last.length - 1];
    if (last && previous && Math.abs(t.amount) <= Math.abs(previous.amount) * 1.1) last.push(t);
    else out.push([t]);
  }
  return out;
}

/**
 * The next due day on the usual day of month. A monthly series seen for a year skips the months
 * it skipped then (a school canteen in summer).
 */
function nextMonthly(days: string[], months: number, dayOfMonth: number, seasonal: boolean): string {
  const last = days[days.length - 1] as string;
  const yearAgo = addDays(last, -365);
  const seenYear = seasonal && (days[0] as string) <= addDays(yearAgo, 30);
  const monthsSeen = new Set(days.filter((d) => d > yearAgo).map((d) => d.slice(5, 7)));
  for (let k = months; k <= 12; k += months) {
    const next = addMonths(last, k, dayOfMonth);
    if (!seenYear || monthsSeen.has(next.slice(5, 7))) return next;
  }
  return addMonths(last, months, dayOfMonth);
}

export function detectRecurring(transactions: BankTransaction[], options: RecurringOptions = {}): Recurring[] {
  const minOccurrences = options.minOccurrences ?? 3;
  const minRegularity = options.minRegularity ?? 0.75;
  const groups = new Map<string, BankTransaction[]>();
  for (const t of transactions) {
    if (t.bookingStatus === 'pending') continue;
    const key = seriesKey(t);
    if (key.endsWith('|')) continue;
    const g = groups.get(key) ?? [];
    g.push(t);
    groups.set(key, g);
  }
  const out: Recurring[] = [];
  const series = [...groups].flatMap(([key, group]) =>
    splitByAmount(group).map((g, i, all) => [all.length > 1 ? `${key}|${i}` : key, g] as const),
  );
  for (const [key, group] of series) {
    if (group.length < minOccurrences) continue;
    const sorted = [...group].sort((a, b) => operationDay(a).localeCompare(operationDay(b)));
    const days = sorted.map(operationDay);
    const gaps = days.slice(1).map((d, i) => daysBetween(days[i] as string, d));
    const typical = median(gaps);
    const fit = periods.find((p) => typical >= p.low && typical <= p.high);
    if (!fit) continue;
    // A skipped occurrence (a month without a payment) leaves a gap of two periods: still on the beat.
    const onBeat = (g: number): boolean => (g >= fit.low && g <= fit.high) || (g >= 2 * fit.low && g <= 2 * fit.high);
    const regular = gaps.filter(onBeat).length / gaps.length;
    if (regular < minRegularity) continue;
    const amounts = sorted.map((t) => t.amount);
    const amount = round2(median(amounts));
    const last = days[days.length - 1] as string;
    const months = fit.period === 'monthly' ? 1 : fit.period === 'quarterly' ? 3 : fit.period === 'yearly' ? 12 : 0;
    const nextExpected =
      months === 0 ? addDays(last, 7) : nextMonthly(days, months, usualDayOfMonth(days), fit.period === 'monthly');
    const first = sorted[sorted.length - 1] as BankTransaction;
    out.push({
      key,
      name: namingWords(first.label).join(' ') || first.label,
      accountId: first.accountId,
      period: fit.period,
      direction: amount < 0 ? 'debit' : 'credit',
      occurrences: sorted.length,
      amount,
      fixedAmount: amounts.every((a) => Math.abs(a - amount) <= Math.abs(amount) * 0.05),
      lastDay: last,
      nextExpected,
      transactionIds: sorted.map((t) => t._id),
    });
  }
  return out.sort((a, b) => a.nextExpected.localeCompare(b.nextExpected) || a.name.localeCompare(b.name));
}
