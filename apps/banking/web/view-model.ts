/**
 * What the Banking screen shows, computed from the documents the app read: pure, so the logic
 * tests can check it on the synthetic household and the page only draws it.
 */
import {
  accountSummaries,
  dailyBalances,
  netWorth,
  type AccountSummary,
  type BalancePoint,
} from '../logic/accounts.js';
import { monthBudget, type MonthBudget } from '../logic/budget.js';
import { categorise, type Categorised } from '../logic/category-model.js';
import { addDays, monthOf, operationDay, round2 } from '../logic/days.js';
import { linkTransactions, type Link } from '../logic/links.js';
import { detectRecurring, type Recurring } from '../logic/recurring.js';
import { trackReimbursements, type ReimbursementReport } from '../logic/reimbursements.js';
import type { BankingDocuments, BankTransaction, CategoryCorrection } from '../logic/types.js';

export interface BankingData extends BankingDocuments {
  corrections: CategoryCorrection[];
  limits: Record<string, number>;
}

export interface OperationRow {
  id: string;
  day: string;
  label: string;
  amount: number;
  accountId: string;
  category: Categorised;
  link?: Link;
}

export interface BankingView {
  lastDay: string;
  months: string[];
  month: string;
  accounts: AccountSummary[];
  netWorth: Record<string, number>;
  /** Sum of the non-loan accounts' end-of-day balances over the last year. */
  balances: BalancePoint[];
  operations: OperationRow[];
  budget: MonthBudget;
  recurring: Recurring[];
  reimbursements: ReimbursementReport;
  /** Names of linked documents, for the operations list. */
  documents: Map<string, string>;
}

/** What does not depend on the month shown: computed once per load. */
export interface BankingModel {
  data: BankingData;
  lastDay: string;
  months: string[];
  categories: Map<string, Categorised>;
  categoryOf: (t: BankTransaction) => string;
  links: Map<string, Link>;
  accounts: AccountSummary[];
  balances: BalancePoint[];
  recurring: Recurring[];
  reimbursements: ReimbursementReport;
  documents: Map<string, string>;
}

export function bankingModel(data: BankingData): BankingModel {
  const txs = data.transactions;
  const lastDay = txs.map(operationDay).reduce((a, b) => (a > b ? a : b), '1970-01-01');
  const categories = categorise(txs, data.corrections);
  const categoryOf = (t: BankTransaction): string => categories.get(t._id)?.category ?? 'other';
  const from = addDays(lastDay, -364);
  const sums = new Map<string, number>();
  for (const a of data.accounts.filter((x) => x.type !== 'loan'))
    for (const p of dailyBalances(a, txs, { from, to: lastDay }).points)
      sums.set(p.day, round2((sums.get(p.day) ?? 0) + p.balance));
  return {
    data,
    lastDay,
    months: [...new Set(txs.map((t) => monthOf(operationDay(t))))].sort().reverse(),
    categories,
    categoryOf,
    links: linkTransactions(data).links,
    accounts: accountSummaries(data.accounts, txs),
    balances: [...sums].map(([day, balance]) => ({ day, balance })),
    recurring: detectRecurring(txs).filter((r) => r.nextExpected > lastDay),
    reimbursements: trackReimbursements(txs, categoryOf, data.claims, { asOf: lastDay }),
    documents: new Map<string, string>([
      ...data.bills.map((b) => [b._id, b.label ?? `${b.vendor} ${b.number ?? ''}`] as const),
      ...data.receipts.map((r) => [r._id, `${r.storeName ?? r.vendor}`] as const),
      ...data.claims.map((c) => [c._id, `${c.vendor} ${c.claimNumber ?? ''}`] as const),
      ...data.contracts.map((c) => [c._id, `${c.vendor} ${c.contractNumber ?? ''}`] as const),
      ...data.accounts.map((a) => [a._id, a.label] as const),
    ]),
  };
}

/** The screen for one month (the latest when `wanted` has no operations). */
export function monthView(model: BankingModel, wanted?: string): BankingView {
  const { data, months, categories, links } = model;
  const month = wanted && months.includes(wanted) ? wanted : (months[0] ?? monthOf(model.lastDay));
  const operations = data.transactions
    .filter((t) => monthOf(operationDay(t)) === month)
    .sort((a, b) => operationDay(b).localeCompare(operationDay(a)) || a.label.localeCompare(b.label))
    .map((t): OperationRow => ({
      id: t._id,
      day: operationDay(t),
      label: t.label,
      amount: t.amount,
      accountId: t.accountId,
      category: categories.get(t._id) as Categorised,
      ...(links.has(t._id) ? { link: links.get(t._id) as Link } : {}),
    }));
  return {
    lastDay: model.lastDay,
    months,
    month,
    accounts: model.accounts,
    netWorth: netWorth(model.accounts),
    balances: model.balances,
    operations,
    budget: monthBudget(month, data.transactions, model.categoryOf, { accounts: data.accounts, limits: data.limits }),
    recurring: model.recurring,
    reimbursements: model.reimbursements,
    documents: model.documents,
  };
}

export const bankingView = (data: BankingData, wanted?: string): BankingView => monthView(bankingModel(data), wanted);
