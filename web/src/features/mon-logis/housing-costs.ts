/**
 * Monthly housing costs across the insurer, energy, water and telecom, from `bill` documents and
 * bank debits (`bank.transaction`), each euro counted once.
 *
 * A bill is paid by one or more payments: an invoice by one (on its payment date, else due date,
 * else issue date), an insurer's payment schedule by each instalment (`extra.instalments`). A bank
 * debit pays a payment when it names the bill's number (`reference`, or in its label) for the same
 * amount, within 45 days; the nearest such payment wins and each is paid once. Then a month's cost
 * per category is:
 * - every debit of the month that paid a bill, under the bill's category (the bank says when the
 *   money left, the bill says what it was for);
 * - every payment of the month that no debit paid (bills without the bank connected, or paid by
 *   other means), under the bill's category;
 * - every other debit of the month whose creditor (SEPA creditor id, else name) paid a bill of a
 *   category elsewhere, or, failing that, whose own `category` names one (a bank categorising it).
 * Credits (refunds, claims paid back) are not costs and are left out. Months are local months of
 * the space's time zone (a debit's operation day).
 */
import { localDay, monthOf, monthsBetween, daysFrom } from './calendar.js';

export const HOUSING_CATEGORIES = ['insurer', 'energy', 'water', 'telecom'] as const;
export type HousingCategory = (typeof HOUSING_CATEGORIES)[number];

/** The fields of a `bill` this computation reads. */
export interface BillInput {
  _id?: string;
  vendor?: string;
  vendorCategory: string;
  type?: string;
  number?: string;
  issueDate: string;
  dueDate?: string;
  paymentDate?: string;
  totalAmount: number;
  extra?: { instalments?: { date: string; amount: number }[] } & Record<string, unknown>;
}

/** The fields of a `bank.transaction` this computation reads. */
export interface DebitInput {
  _id?: string;
  date: string;
  label: string;
  amount: number;
  category?: string;
  reference?: string;
  counterparty?: { name?: string; creditorId?: string };
}

export interface MonthCosts {
  month: string;
  /** Euros per category (positive). */
  insurer: number;
  energy: number;
  water: number;
  telecom: number;
  total: number;
}

export interface HousingCosts {
  months: MonthCosts[];
  /** How the figures were made: debits that paid a bill, bills' payments no debit paid, other debits. */
  counted: { debitsPayingBills: number; billPaymentsAlone: number; otherDebits: number };
}

const BILL_CATEGORIES: Record<string, HousingCategory> = {
  insurance: 'insurer',
  energy: 'energy',
  water: 'water',
  telecom: 'telecom',
};

/** A bank's own category names (where the bank or an import categorised the operation). */
const BANK_CATEGORIES: Record<string, HousingCategory> = {
  insurance: 'insurer',
  energy: 'energy',
  electricity: 'energy',
  gas: 'energy',
  water: 'water',
  // Household utilities besides energy, which has its own category: water.
  utilities: 'water',
  telecom: 'telecom',
  phone: 'telecom',
  internet: 'telecom',
};

const MATCH_WINDOW_DAYS = 45;

interface Payment {
  number: string | undefined;
  day: string;
  cents: number;
  category: HousingCategory;
  paid: boolean;
}

const cents = (euros: number): number => Math.round(euros * 100);

function paymentsOf(bill: BillInput): Payment[] {
  const category = BILL_CATEGORIES[bill.vendorCategory];
  if (!category || bill.type === 'statement') return [];
  const sign = bill.type === 'credit_note' ? -1 : 1;
  const instalments = bill.type === 'payment_schedule' ? bill.extra?.instalments : undefined;
  if (instalments && instalments.length > 0) {
    return instalments.map((i) => ({
      number: bill.number,
      day: i.date,
      cents: sign * cents(i.amount),
      category,
      paid: false,
    }));
  }
  const day = bill.paymentDate ?? bill.dueDate ?? bill.issueDate;
  return [{ number: bill.number, day, cents: sign * cents(bill.totalAmount), category, paid: false }];
}

const creditorKey = (d: DebitInput): string | null => {
  const c = d.counterparty;
  if (c?.creditorId) return `id:${c.creditorId}`;
  if (c?.name) return `name:${c.name.trim().toLowerCase()}`;
  return null;
};

export function housingCosts(input: {
  bills: BillInput[];
  debits: DebitInput[];
  /** First and last months shown, `YYYY-MM`, both included. */
  from: string;
  to: string;
  timeZone: string;
}): HousingCosts {
  const months = monthsBetween(input.from, input.to);
  const totals = new Map<string, Record<HousingCategory, number>>(
    months.map((m) => [m, { insurer: 0, energy: 0, water: 0, telecom: 0 }]),
  );
  const add = (day: string, category: HousingCategory, amount: number) => {
    const row = totals.get(monthOf(day));
    if (row) row[category] += amount;
  };

  const payments = input.bills.flatMap(paymentsOf);
  const byNumber = new Map<string, Payment[]>();
  for (const p of payments) {
    if (!p.number) continue;
    const list = byNumber.get(p.number) ?? [];
    list.push(p);
    byNumber.set(p.number, list);
  }

  const debits = input.debits
    .filter((d) => d.amount < 0)
    .map((d) => ({ debit: d, day: localDay(d.date, input.timeZone), cents: -cents(d.amount) }));
  const creditors = new Map<string, HousingCategory>();
  const unmatched: typeof debits = [];
  const counted = { debitsPayingBills: 0, billPaymentsAlone: 0, otherDebits: 0 };

  for (const d of debits) {
    const candidates = [...byNumber.entries()]
      .filter(([number]) => d.debit.reference === number || d.debit.label.includes(number))
      .flatMap(([, list]) => list)
      .filter((p) => !p.paid && p.cents === d.cents && Math.abs(daysFrom(p.day, d.day)) <= MATCH_WINDOW_DAYS)
      .sort((a, b) => Math.abs(daysFrom(a.day, d.day)) - Math.abs(daysFrom(b.day, d.day)));
    const payment = candidates[0];
    if (!payment) {
      unmatched.push(d);
      continue;
    }
    payment.paid = true;
    const key = creditorKey(d.debit);
    if (key) creditors.set(key, payment.category);
    add(d.day, payment.category, d.cents);
    if (totals.has(monthOf(d.day))) counted.debitsPayingBills++;
  }
  for (const p of payments) {
    if (p.paid) continue;
    add(p.day, p.category, p.cents);
    if (totals.has(monthOf(p.day))) counted.billPaymentsAlone++;
  }
  for (const d of unmatched) {
    const key = creditorKey(d.debit);
    const category =
      (key ? creditors.get(key) : undefined) ?? (d.debit.category ? BANK_CATEGORIES[d.debit.category] : undefined);
    if (!category) continue;
    add(d.day, category, d.cents);
    if (totals.has(monthOf(d.day))) counted.otherDebits++;
  }

  return {
    months: months.map((month) => {
      const c = totals.get(month)!;
      return {
        month,
        insurer: c.insurer / 100,
        energy: c.energy / 100,
        water: c.water / 100,
        telecom: c.telecom / 100,
        total: (c.insurer + c.energy + c.water + c.telecom) / 100,
      };
    }),
    counted,
  };
}
