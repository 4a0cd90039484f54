/**
 * Each bank line linked to what it pays or what paid it: a bill (or several, for a grouped
 * payment; or one instalment of a payment schedule), a shop receipt, an insurer's settlement, a
 * contract, a loan. Evidence, strongest first: the bill's or claim's number in the line's reference
 * or label; then the exact amount within a date window around the due day, from a line that names
 * the vendor; then, for a debit left over, a set of the vendor's open bills whose amounts add up to it.
 */
import { cents, daysBetween, localDay, operationDay } from './days.js';
import { normalise, words } from './text.js';
import type { BankAccount, BankTransaction, Bill, Contract, InsuranceClaim, Receipt } from './types.js';

export type TargetDoctype =
  | 'bill'
  | 'retail.receipt'
  | 'insurance.claim'
  | 'insurance.contract'
  | 'energy.contract'
  | 'telecom.line'
  | 'bank.account';

export interface LinkTarget {
  doctype: TargetDoctype;
  id: string;
  /** The part of the line's amount this target accounts for (absolute), when known. */
  amount?: number;
  /** For a payment schedule: the instalment's day. */
  instalment?: string;
}

export type LinkEvidence = 'reference' | 'amount-date-vendor' | 'grouped' | 'card' | 'contract' | 'loan';

export interface Link {
  transactionId: string;
  evidence: LinkEvidence;
  targets: LinkTarget[];
}

export interface LinkInput {
  transactions: BankTransaction[];
  bills?: Bill[];
  receipts?: Receipt[];
  claims?: InsuranceClaim[];
  contracts?: Contract[];
  accounts?: BankAccount[];
}

export interface LinkOptions {
  /** Days a payment may come before a bill's due day (bills paid early, debits moved before a weekend). */
  daysBefore?: number;
  /** Days a payment may come after it (debits moved after a holiday, late transfers). */
  daysAfter?: number;
  /** Days a card payment may be booked after the receipt's till time. */
  cardDays?: number;
  /** Most bills one grouped payment may pay. */
  maxGroup?: number;
  /** The day bills count as due by, for `unpaid`: by default the last line's day. */
  asOf?: string;
}

export interface LinkResult {
  /** One entry per linked line. */
  links: Map<string, Link>;
  /** Bills (or instalments) no line pays yet, with their due day: due or overdue. */
  unpaid: { billId: string; due: string; amount: number; instalment?: string }[];
}

/** What a line may pay: a bill, or one instalment of a payment schedule. */
interface Payable {
  bill: Bill;
  due: string;
  earliest: string;
  /** Signed like the bank line: negative for what the person pays. */
  cents: number;
  instalment?: string;
}

function payablesOf(bill: Bill): Payable[] {
  if (bill.type === 'statement') return [];
  const sign = bill.type === 'credit_note' || bill.totalAmount < 0 ? 1 : -1;
  const instalments = bill.extra?.instalments;
  if (bill.type === 'payment_schedule' && Array.isArray(instalments)) {
    const valid = instalments.filter(
      (i): i is { date: string; amount: number } =>
        typeof i === 'object' && i !== null && typeof i.date === 'string' && typeof i.amount === 'number',
    );
    if (valid.length > 0)
      return valid.map((i) => ({ bill, due: i.date, earliest: i.date, cents: -cents(i.amount), instalment: i.date }));
  }
  return [
    {
      bill,
      due: bill.dueDate ?? bill.issueDate,
      earliest: bill.issueDate,
      cents: sign * Math.abs(cents(bill.totalAmount)),
    },
  ];
}

/** Everything a line says about its counterpart, normalised. */
const textOf = (t: BankTransaction): string =>
  normalise([t.label, t.reference ?? '', t.counterparty?.name ?? '', t.counterparty?.mandateReference ?? ''].join(' '));

/**
 * Reading a line's text once: whether it mentions a number (bill, claim, contract: as its
 * reference or a word of its text, or in a mandate `RUM<number>`), and how well it names a vendor.
 */
function createReader() {
  const texts = new Map<BankTransaction, { text: string; squeezed: string; words: Set<string> }>();
  const vendorWords = new Map<string, string[]>();
  const read = (t: BankTransaction) => {
    let r = texts.get(t);
    if (!r) {
      const text = textOf(t);
      r = { text: ` ${text} `, squeezed: text.replace(/ /g, ''), words: new Set(words(text)) };
      texts.set(t, r);
    }
    return r;
  };
  return {
    mentions(t: BankTransaction, number: string | undefined): boolean {
      if (!number || number.length < 5) return false;
      const n = normalise(number).replace(/ /g, '');
      if (t.reference && normalise(t.reference).replace(/ /g, '') === n) return true;
      const r = read(t);
      return r.text.includes(` ${n} `) || r.squeezed.includes(`RUM${n}`);
    },
    vendorScore(t: BankTransaction, vendor: string): number {
      let want = vendorWords.get(vendor);
      if (!want) vendorWords.set(vendor, (want = words(vendor)));
      if (want.length === 0) return 0;
      const have = read(t).words;
      return want.filter((w) => have.has(w)).length / want.length;
    },
  };
}

/** Subsets of `items` of 2..max elements whose values add up to `target`, smallest first; the first found. */
function subsetSum<T>(items: T[], value: (x: T) => number, target: number, max: number): T[] | undefined {
  const pick: T[] = [];
  const search = (start: number, size: number, sum: number): boolean => {
    if (pick.length === size) return sum === target;
    for (let i = start; i < items.length; i++) {
      pick.push(items[i] as T);
      if (search(i + 1, size, sum + value(items[i] as T))) return true;
      pick.pop();
    }
    return false;
  };
  for (let size = 2; size <= Math.min(max, items.length); size++) if (search(0, size, 0)) return [...pick];
  return undefined;
}

export function linkTransactions(input: LinkInput, options: LinkOptions = {}): LinkResult {
  const daysBefore = options.daysBefore ?? 5;
  const daysAfter = options.daysAfter ?? 20;
  const cardDays = options.cardDays ?? 4;
  const maxGroup = options.maxGroup ?? 4;
  const txs = input.transactions.filter((t) => t.bookingStatus !== 'pending');
  const { mentions, vendorScore } = createReader();
  // Every match but the grouped one needs the amount to the cent: lines indexed by it.
  const byCents = new Map<number, BankTransaction[]>();
  for (const t of txs) {
    const list = byCents.get(cents(t.amount));
    if (list) list.push(t);
    else byCents.set(cents(t.amount), [t]);
  }
  const withAmount = (c: number): BankTransaction[] => byCents.get(c) ?? [];
  const links = new Map<string, Link>();
  const free = (t: BankTransaction): boolean => !links.has(t._id);
  const payables = (input.bills ?? []).flatMap(payablesOf);
  const paid = new Set<Payable>();
  const target = (p: Payable): LinkTarget => ({
    doctype: 'bill',
    id: p.bill._id,
    amount: Math.abs(p.cents) / 100,
    ...(p.instalment ? { instalment: p.instalment } : {}),
  });
  const inWindow = (t: BankTransaction, p: Payable): boolean => {
    const day = operationDay(t);
    return daysBetween(p.earliest, day) >= -daysBefore && daysBetween(p.due, day) <= daysAfter;
  };

  // 1. The bill's number in the line; of a schedule's instalments, the one of that amount nearest in time.
  for (const t of txs) {
    const named = payables.filter((p) => p.cents === cents(t.amount) && !paid.has(p) && mentions(t, p.bill.number));
    const day = operationDay(t);
    named.sort((a, b) => Math.abs(daysBetween(a.due, day)) - Math.abs(daysBetween(b.due, day)));
    const p = named[0];
    if (!p) continue;
    paid.add(p);
    links.set(t._id, { transactionId: t._id, evidence: 'reference', targets: [target(p)] });
  }

  // 2. Same amount to the cent, in the window, from a line naming the vendor: best pairs first.
  const pairs: { t: BankTransaction; p: Payable; score: number }[] = [];
  for (const p of payables) {
    if (paid.has(p)) continue;
    for (const t of withAmount(p.cents)) {
      if (!free(t) || !inWindow(t, p)) continue;
      const v = vendorScore(t, p.bill.vendor);
      if (v < 0.5) continue;
      pairs.push({ t, p, score: v * 100 - Math.abs(daysBetween(p.due, operationDay(t))) });
    }
  }
  pairs.sort((a, b) => b.score - a.score);
  for (const { t, p } of pairs) {
    if (!free(t) || paid.has(p)) continue;
    paid.add(p);
    links.set(t._id, { transactionId: t._id, evidence: 'amount-date-vendor', targets: [target(p)] });
  }

  // 3. Grouped payments: one debit paying several of the vendor's open bills.
  for (const t of txs) {
    if (!free(t) || t.amount >= 0) continue;
    const open = payables
      .filter((p) => !paid.has(p) && p.cents < 0 && inWindow(t, p) && vendorScore(t, p.bill.vendor) >= 0.5)
      .sort((a, b) => Math.abs(daysBetween(a.due, operationDay(t))) - Math.abs(daysBetween(b.due, operationDay(t))))
      .slice(0, 12);
    const group = subsetSum(open, (p) => p.cents, cents(t.amount), maxGroup);
    if (!group) continue;
    for (const p of group) paid.add(p);
    links.set(t._id, { transactionId: t._id, evidence: 'grouped', targets: group.map(target) });
  }

  // Receipts: a card payment of the receipt's total, booked on its day or a few days later, same card.
  const receiptPairs: { t: BankTransaction; r: Receipt; gap: number }[] = [];
  for (const r of input.receipts ?? []) {
    const rDay = localDay(r.date);
    for (const t of withAmount(-cents(r.totalAmount))) {
      if (!free(t)) continue;
      const gap = daysBetween(rDay, operationDay(t));
      if (gap < 0 || gap > cardDays) continue;
      if (r.cardLast4 && t.cardLast4 && r.cardLast4 !== t.cardLast4) continue;
      if (vendorScore(t, r.vendor) < 0.5) continue;
      receiptPairs.push({ t, r, gap });
    }
  }
  receiptPairs.sort((a, b) => a.gap - b.gap);
  const usedReceipts = new Set<string>();
  for (const { t, r } of receiptPairs) {
    if (!free(t) || usedReceipts.has(r._id)) continue;
    usedReceipts.add(r._id);
    links.set(t._id, {
      transactionId: t._id,
      evidence: 'card',
      targets: [{ doctype: 'retail.receipt', id: r._id, amount: r.totalAmount }],
    });
  }

  // Insurers' settlements: a credit of the settled amount after the settlement day, naming the claim or the insurer.
  const usedClaims = new Set<string>();
  for (const c of input.claims ?? []) {
    if (typeof c.settledAmount !== 'number' || c.settledAmount <= 0 || !c.settlementDate) continue;
    const candidates = withAmount(cents(c.settledAmount)).filter((t) => {
      if (!free(t)) return false;
      const gap = daysBetween(c.settlementDate as string, operationDay(t));
      return gap >= -2 && gap <= 15 && (mentions(t, c.claimNumber) || vendorScore(t, c.vendor) >= 0.5);
    });
    candidates.sort((a, b) => Number(mentions(b, c.claimNumber)) - Number(mentions(a, c.claimNumber)));
    const t = candidates[0];
    if (!t || usedClaims.has(c._id)) continue;
    usedClaims.add(c._id);
    links.set(t._id, {
      transactionId: t._id,
      evidence: mentions(t, c.claimNumber) ? 'reference' : 'amount-date-vendor',
      targets: [{ doctype: 'insurance.claim', id: c._id, amount: c.settledAmount }],
    });
  }

  // Contracts: the contract a linked bill names, else one the line names, else the vendor's of that exact premium.
  const contracts = input.contracts ?? [];
  const billById = new Map((input.bills ?? []).map((b) => [b._id, b]));
  for (const t of txs) {
    if (t.amount >= 0) continue;
    const link = links.get(t._id);
    const numbers = new Set(
      (link?.targets ?? []).flatMap((x) => (x.doctype === 'bill' ? [billById.get(x.id)?.contractNumber] : [])),
    );
    let found = contracts.filter((c) => c.contractNumber && numbers.has(c.contractNumber));
    if (found.length === 0 && !link) found = contracts.filter((c) => mentions(t, c.contractNumber));
    if (found.length === 0 && !link)
      found = contracts.filter((c) => {
        const fee = c.premiumAmount ?? c.monthlyFee;
        return typeof fee === 'number' && cents(fee) === -cents(t.amount) && vendorScore(t, c.vendor) >= 0.5;
      });
    if (found.length === 0) continue;
    const targets = found.map((c): LinkTarget => ({ doctype: c.doctype, id: c._id }));
    if (link) link.targets.push(...targets);
    else links.set(t._id, { transactionId: t._id, evidence: 'contract', targets });
  }

  // Loans: an instalment of a loan account's monthly payment.
  for (const t of txs) {
    if (!free(t) || t.amount >= 0) continue;
    const loan = (input.accounts ?? []).find(
      (a) =>
        a.type === 'loan' &&
        a.accountId !== t.accountId &&
        typeof a.loan?.monthlyPayment === 'number' &&
        cents(a.loan.monthlyPayment) === -cents(t.amount),
    );
    if (loan)
      links.set(t._id, {
        transactionId: t._id,
        evidence: 'loan',
        targets: [{ doctype: 'bank.account', id: loan._id, amount: -t.amount }],
      });
  }

  const asOf = options.asOf ?? txs.map(operationDay).reduce((a, b) => (a > b ? a : b), '');
  const unpaid = payables
    .filter((p) => !paid.has(p) && p.due <= asOf && p.bill.status !== 'cancelled' && p.bill.paymentMethod !== 'cash')
    .map((p) => ({
      billId: p.bill._id,
      due: p.due,
      amount: Math.abs(p.cents) / 100,
      ...(p.instalment ? { instalment: p.instalment } : {}),
    }));
  return { links, unpaid };
}
