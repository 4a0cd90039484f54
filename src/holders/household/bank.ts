import { isoInstant } from '../../../catalog/synthetic/time.js';
import type { Debit } from './bill.js';
import { dayRng, round2, runningTotal, type GenContext, type HolderRecord } from './context.js';
import type { Customer } from './customers.js';
import { addDays, addMonths, dayNumber, lastDayOfMonth, startOfDay, weekdayOf } from './days.js';
import { electricityDebits } from './electricity.js';
import { gasDebits } from './gas.js';
import { claimsSettledOn, insuranceDebits } from './insurer.js';
import { awayOn } from './life.js';
import { receiptOn } from './retailer.js';
import { telecomDebits } from './telecom.js';
import { bankCodes, vendors } from './vendors.js';
import { waterDebits } from './water.js';

interface Tx {
  label: string;
  amount: number;
  type: 'card' | 'direct_debit' | 'transfer' | 'credit' | 'fee' | 'withdrawal' | 'loan_payment' | 'interest';
  category: string;
  counterparty?: { name: string; iban?: string; creditorId?: string; mandateReference?: string };
  reference?: string;
  card?: { mcc: string };
  /** Card payments are booked the next business day; their value date is the purchase day. */
  id: string;
}

const ddmm = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}`;
const upper = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, ' ')
    .replace(/ +/g, ' ')
    .trim();

/** A day of the month moved back to the Friday before when it falls on a weekend. */
function businessDay(month: string, dayOfMonth: number): string {
  const last = lastDayOfMonth(month);
  let day = `${month}-${String(Math.min(dayOfMonth, Number(last.slice(8, 10)))).padStart(2, '0')}`;
  while (weekdayOf(day) === 0 || weekdayOf(day) === 6) day = addDays(day, -1);
  return day;
}

/** Yearly raises of about 2 % from 2020, so that salaries are not frozen for years. */
const raised = (amount: number, day: string): number =>
  round2(amount * 1.02 ** Math.max(0, Number(day.slice(0, 4)) - 2020));

const spending = {
  fuel: { label: 'STATION RELAIS ESTUAIRE', mcc: '5541', category: 'transport', range: [45, 78] },
  restaurant: { label: 'LE BISTROT DU PORT', mcc: '5812', category: 'restaurant', range: [28, 85] },
  snack: { label: 'KEBAB DU CAMPUS', mcc: '5814', category: 'restaurant', range: [7, 15] },
  pharmacy: { label: 'PHARMACIE DE LA MAIRIE', mcc: '5912', category: 'health', range: [5, 38] },
  books: { label: 'LIBRAIRIE EN LIGNE', mcc: '5942', category: 'shopping', range: [9, 42] },
  clothes: { label: 'BOUTIQUE MODE EN LIGNE', mcc: '5651', category: 'shopping', range: [19, 95] },
  bakery: { label: 'BOULANGERIE DU MARCHE', mcc: '5462', category: 'groceries', range: [1.2, 9] },
  cinema: { label: 'CINEMA KATORZA', mcc: '7832', category: 'leisure', range: [9, 36] },
} as const;

type Spend = keyof typeof spending;

/** Chances per day of each kind of card payment, by profile. */
const habits: Record<Customer['profile'], [Spend, number][]> = {
  family: [
    ['restaurant', 0.07],
    ['pharmacy', 0.06],
    ['books', 0.04],
    ['clothes', 0.05],
    ['bakery', 0.3],
    ['cinema', 0.03],
  ],
  student: [
    ['snack', 0.12],
    ['books', 0.05],
    ['clothes', 0.03],
    ['bakery', 0.15],
    ['cinema', 0.04],
  ],
  retirees: [
    ['restaurant', 0.08],
    ['pharmacy', 0.1],
    ['books', 0.04],
    ['bakery', 0.55],
  ],
  'single-parent': [
    ['restaurant', 0.03],
    ['pharmacy', 0.06],
    ['clothes', 0.04],
    ['bakery', 0.2],
    ['cinema', 0.02],
  ],
};

const debitTx = (d: Debit): Tx => ({
  id: `dd-${d.billNumber}-${d.day}`,
  label: `PRLV SEPA ${d.vendor.bankLabel} ${d.detail}`,
  amount: -d.amount,
  type: 'direct_debit',
  category:
    d.holder === 'electricity' || d.holder === 'gas'
      ? 'energy'
      : d.holder === 'insurer'
        ? 'insurance'
        : d.holder === 'water'
          ? 'utilities'
          : 'telecom',
  counterparty: { name: d.vendor.name, creditorId: d.vendor.creditorId, mandateReference: d.mandateReference },
  reference: d.billNumber,
});

/** The checking account's operations of a day, apart from the monthly sweep to savings. */
function dayOperations(ctx: GenContext, day: string): Tx[] {
  return ctx.memo(`bank-ops:${day}`, () => {
    const c = ctx.customer;
    const b = c.bank;
    const month = day.slice(0, 7);
    const out: Tx[] = [];
    b.incomes.forEach((income, i) => {
      // Due on the 1st or 2nd, a weekend moves it back into the month before: paid on that Friday.
      const due = [month, addMonths(`${month}-01`, 1).slice(0, 7)].find(
        (m) => businessDay(m, income.dayOfMonth) === day,
      );
      if (due === undefined) return;
      const salary = income.label.startsWith('SALAIRE');
      out.push({
        id: `in-${i}-${due}`,
        label: `VIR SEPA ${income.creditor} ${income.label} ${due.slice(5)}/${due.slice(0, 4)}`,
        amount: salary ? raised(income.amount, day) : income.amount,
        type: 'credit',
        category: salary ? 'salary' : 'transfer',
        counterparty: { name: income.creditor },
      });
    });
    if (b.rent && businessDay(month, 3) === day)
      out.push({
        id: `rent-${month}`,
        label: `VIR PERMANENT LOYER ${b.rent.landlord} ${month.slice(5)}/${month.slice(0, 4)}`,
        amount: -b.rent.amount,
        type: 'transfer',
        category: 'housing',
        counterparty: { name: b.rent.landlord, iban: b.rent.iban },
      });
    const loan = b.loan;
    if (loan && day > loan.startDate && day <= addMonths(loan.startDate, loan.months) && businessDay(month, 10) === day)
      out.push({
        id: `loan-${month}`,
        label: `ECHEANCE PRET IMMOBILIER ${loan.accountId.slice(4, 12).toUpperCase()}`,
        amount: -loan.monthlyPayment,
        type: 'loan_payment',
        category: 'housing',
        counterparty: { name: vendors.bank.name, iban: loan.iban },
      });
    if (day.slice(8, 10) === '01')
      out.push({ id: `fee-${month}`, label: 'COTISATION OFFRE HORIZON', amount: -6.9, type: 'fee', category: 'fees' });
    for (const d of [electricityDebits, gasDebits, waterDebits, telecomDebits, insuranceDebits].flatMap((f) =>
      f(ctx, day),
    ))
      out.push(debitTx(d));
    for (const claim of claimsSettledOn(ctx, addDays(day, -2)))
      out.push({
        id: `claim-${claim.claimNumber}`,
        label: `VIR SEPA ${vendors.insurer.bankLabel} INDEMNISATION ${claim.claimNumber}`,
        amount: claim.settledAmount,
        type: 'credit',
        category: 'refund',
        counterparty: { name: vendors.insurer.name },
        reference: claim.claimNumber,
      });
    const receipt = receiptOn(ctx, day);
    if (receipt)
      out.push({
        id: `card-${receipt.key}`,
        label: `CB ${vendors.retailer.bankLabel} ${upper(c.retailer?.storeCity ?? '')} ${ddmm(day)}`,
        amount: -(receipt.data.totalAmount as number),
        type: 'card',
        category: 'groceries',
        card: { mcc: '5411' },
        reference: receipt.key,
      });
    const rng = dayRng(ctx, 'bank', 'card', day);
    const away = awayOn(ctx, day);
    const stay = holidayCost[c.profile];
    if (away && stay > 0 && away.start === day)
      out.push({
        id: `stay-${day}`,
        label: `CB ${upper(away.place.name)} ${upper(away.place.city)} ${ddmm(day)}`,
        amount: -stay,
        type: 'card',
        category: 'leisure',
        card: { mcc: '7011' },
      });
    const children = c.people.filter((p) => !p.adult).length;
    const schoolMonth = !['07', '08'].includes(day.slice(5, 7));
    if (children > 0 && schoolMonth && businessDay(month, 15) === day)
      out.push({
        id: `school-${month}`,
        label: `PRLV SEPA MAIRIE ${upper(c.address.city)} RESTAURATION SCOLAIRE ${month.slice(5)}/${month.slice(0, 4)}`,
        amount: -round2(children * 4.1 * 16),
        type: 'direct_debit',
        category: 'education',
        counterparty: { name: `Mairie de ${c.address.city}` },
      });
    const where = away ? ` ${upper(away.place.city)}` : '';
    // At the parents' the student spends nothing; elsewhere holidays mean restaurants and bakeries.
    const onHoliday: [Spend, number][] =
      stay > 0
        ? [
            ['restaurant', 0.6],
            ['bakery', 0.7],
          ]
        : [];
    const payments = away ? onHoliday : habits[c.profile];
    payments.forEach(([kind, chance], i) => {
      if (!rng.chance(chance)) return;
      const s = spending[kind];
      out.push({
        id: `card-${day}-${i}`,
        label: `CB ${s.label}${where} ${ddmm(day)}`,
        amount: -rng.float(s.range[0], s.range[1], 2),
        type: 'card',
        category: s.category,
        card: { mcc: s.mcc },
      });
    });
    if (!away && c.insurer.vehicles.length > 0 && rng.chance(0.12 * c.insurer.vehicles.length)) {
      const s = spending.fuel;
      out.push({
        id: `card-${day}-fuel`,
        label: `CB ${s.label} ${ddmm(day)}`,
        amount: -rng.float(s.range[0], s.range[1], 2),
        type: 'card',
        category: s.category,
        card: { mcc: s.mcc },
      });
    }
    if (rng.chance(0.05))
      out.push({
        id: `atm-${day}`,
        label: `RETRAIT DAB${where || ' NANTES'} ${ddmm(day)}`,
        amount: -rng.pick([20, 40, 60]),
        type: 'withdrawal',
        category: 'cash',
      });
    return out;
  });
}

/** What the yearly stay costs, paid by card on arrival. */
const holidayCost: Record<Customer['profile'], number> = {
  family: 1350,
  student: 0,
  retirees: 1480,
  'single-parent': 640,
};

const buffers: Record<Customer['profile'], number> = {
  family: 1500,
  student: 300,
  retirees: 2500,
  'single-parent': 600,
};

/**
 * The bank's synthetic ledger starts from the opening balances on 1 January 2022 (or the move-in
 * day if later): balances are running sums, and years before that would cost time and show nothing.
 */
export const LEDGER_START = '2022-01-01';
const ledgerStart = (c: Customer): string => (c.dwelling.movedIn > LEDGER_START ? c.dwelling.movedIn : LEDGER_START);

const sum = (txs: Tx[]): number => txs.reduce((s, t) => s + t.amount, 0);

/**
 * On the last day of a month the checking account keeps a buffer and sends the rest to savings,
 * or takes from savings when it runs low: balances stay plausible over years of random spending.
 */
function sweepOn(ctx: GenContext, day: string): number {
  const c = ctx.customer;
  if (day !== lastDayOfMonth(day.slice(0, 7)) || day < ledgerStart(c)) return 0;
  return ctx.memo(`sweep:${day}`, () => {
    const before = checkingBalance(ctx, addDays(day, -1)) + sum(dayOperations(ctx, day));
    const buffer = buffers[c.profile];
    if (before > buffer + 100) return Math.floor((before - buffer) / 10) * 10;
    if (before < buffer / 3) {
      const savings = savingsBalance(ctx, addDays(day, -1));
      return -Math.min(Math.max(0, Math.floor(savings / 10) * 10), Math.ceil((buffer - before) / 10) * 10);
    }
    return 0;
  });
}

function checkingOperations(ctx: GenContext, day: string): Tx[] {
  const out = [...dayOperations(ctx, day)];
  const sweep = sweepOn(ctx, day);
  const s = ctx.customer.bank.savings;
  if (sweep !== 0)
    out.push({
      id: `sweep-${day}`,
      label: sweep > 0 ? `VIR INTERNE VERS ${s.label}` : `VIR INTERNE DEPUIS ${s.label}`,
      amount: -sweep,
      type: 'transfer',
      category: 'savings',
      counterparty: { name: s.label, iban: s.iban },
    });
  return out;
}

/** Savings interest, credited on 31 December at 2 % of the balance (real passbooks count fortnights). */
function savingsOperations(ctx: GenContext, day: string): Tx[] {
  const c = ctx.customer;
  const out: Tx[] = [];
  const sweep = sweepOn(ctx, day);
  if (sweep !== 0)
    out.push({
      id: `sweep-${day}`,
      label: sweep > 0 ? `VIR INTERNE DEPUIS ${c.bank.checking.label}` : `VIR INTERNE VERS ${c.bank.checking.label}`,
      amount: sweep,
      type: 'transfer',
      category: 'savings',
      counterparty: { name: c.bank.checking.label, iban: c.bank.checking.iban },
    });
  if (day.slice(5) === '12-31' && day >= ledgerStart(c)) {
    const interest = round2(savingsBalance(ctx, addDays(day, -1)) * 0.02);
    if (interest > 0)
      out.push({
        id: `interest-${day.slice(0, 4)}`,
        label: `INTERETS ${day.slice(0, 4)}`,
        amount: interest,
        type: 'interest',
        category: 'savings',
      });
  }
  return out;
}

export function checkingBalance(ctx: GenContext, day: string): number {
  const c = ctx.customer;
  return round2(
    c.bank.checking.openingBalance +
      runningTotal(ctx, 'checking', ledgerStart(c), day, (d) => sum(checkingOperations(ctx, d))),
  );
}

export function savingsBalance(ctx: GenContext, day: string): number {
  const c = ctx.customer;
  return round2(
    c.bank.savings.openingBalance +
      runningTotal(ctx, 'savings', ledgerStart(c), day, (d) => sum(savingsOperations(ctx, d))),
  );
}

/** What remains to repay on the mortgage after the instalments up to `day` (1.6 % a year, insurance aside). */
export function loanOutstanding(ctx: GenContext, day: string): number {
  const loan = ctx.customer.bank.loan;
  if (!loan) return 0;
  const r = 0.016 / 12;
  let paid = 0;
  while (paid < loan.months && addMonths(loan.startDate, paid + 1) <= day) paid++;
  const growth = (1 + r) ** loan.months;
  return round2((loan.principal * (growth - (1 + r) ** paid)) / (growth - 1));
}

/** An account's balance at the end of a day; a loan's is what is still owed, negative. */
export function accountBalance(ctx: GenContext, accountId: string, day: string): number | undefined {
  const b = ctx.customer.bank;
  if (accountId === b.checking.accountId) return checkingBalance(ctx, day);
  if (accountId === b.savings.accountId) return savingsBalance(ctx, day);
  if (b.loan && accountId === b.loan.accountId) return -loanOutstanding(ctx, day);
  return undefined;
}

function toRecords(ctx: GenContext, accountId: string, day: string, txs: Tx[]): HolderRecord[] {
  const date = isoInstant(startOfDay(day));
  return txs.map((t) => ({
    key: `${accountId}:${t.id}`,
    doctype: 'bank.transaction',
    day,
    data: {
      date,
      label: t.label,
      amount: round2(t.amount),
      currency: 'EUR',
      accountId,
      category: t.category,
      type: t.type,
      valueDate: day,
      ...(t.reference ? { reference: t.reference } : {}),
      bookingStatus: 'booked',
      ...(t.counterparty ? { counterparty: t.counterparty } : {}),
      ...(t.card ? { cardLast4: ctx.customer.bank.cardLast4, merchantCategoryCode: t.card.mcc } : {}),
    },
  }));
}

export function bankTransactions(ctx: GenContext, day: string): HolderRecord[] {
  const b = ctx.customer.bank;
  if (day < ledgerStart(ctx.customer)) return [];
  return [
    ...toRecords(ctx, b.checking.accountId, day, checkingOperations(ctx, day)),
    ...toRecords(ctx, b.savings.accountId, day, savingsOperations(ctx, day)),
  ];
}

export function bankAccounts(ctx: GenContext): HolderRecord[] {
  const c = ctx.customer;
  const b = c.bank;
  const names = c.people.filter((p) => p.adult).map((p) => `${p.givenName} ${p.familyName}`);
  const joint = names.length > 1;
  const common = { vendor: vendors.bank.name, currency: 'EUR', bic: bankCodes.bic, status: 'open' };
  const out: HolderRecord[] = [
    {
      key: b.checking.accountId,
      doctype: 'bank.account',
      day: b.checking.openingDate,
      reference: true,
      data: {
        ...common,
        accountId: b.checking.accountId,
        label: b.checking.label,
        type: 'checking',
        product: 'Compte de dépôt',
        iban: b.checking.iban,
        overdraftLimit: buffers[c.profile],
        ownership: joint ? 'joint' : 'individual',
        holders: names,
        openingDate: b.checking.openingDate,
      },
    },
    {
      key: b.savings.accountId,
      doctype: 'bank.account',
      day: b.savings.openingDate,
      reference: true,
      data: {
        ...common,
        accountId: b.savings.accountId,
        label: b.savings.label,
        type: 'savings',
        product: 'Livret Horizon',
        iban: b.savings.iban,
        interestRate: 2,
        ownership: 'individual',
        holders: names.slice(0, 1),
        openingDate: b.savings.openingDate,
      },
    },
  ];
  const loan = b.loan;
  if (loan)
    out.push({
      key: loan.accountId,
      doctype: 'bank.account',
      day: loan.startDate,
      reference: true,
      data: {
        ...common,
        accountId: loan.accountId,
        label: `PRET IMMOBILIER ${upper(c.people[0]?.familyName ?? '')}`,
        type: 'loan',
        product: 'Prêt immobilier taux fixe',
        iban: loan.iban,
        interestRate: 1.6,
        ownership: joint ? 'joint' : 'individual',
        holders: names,
        openingDate: loan.startDate,
        loan: {
          purpose: 'mortgage',
          principal: loan.principal,
          monthlyPayment: loan.monthlyPayment,
          startDate: loan.startDate,
          endDate: addMonths(loan.startDate, loan.months),
        },
      },
    });
  return out.sort((a, b2) => dayNumber(a.day) - dayNumber(b2.day));
}
