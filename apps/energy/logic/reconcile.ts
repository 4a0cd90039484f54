/**
 * Bills against the meter: for each energy bill, the kWh and the energy amount it charges beside
 * what the daily readings of its period add up to, priced at the contract's tariff; and the bank
 * debit that paid it. Any difference beyond rounding is reported as a gap, never hidden.
 */
import { daysOf } from '../../shared/local-time.js';
import type { BankTransaction, Bill, BillLine, ElectricityDay, Energy, EnergyContract, GasDay } from './types.js';

export type GapKind =
  | 'kwh' // billed kWh differ from the metered kWh
  | 'amount' // billed energy amount differs from metered kWh × the contract's prices
  | 'missing_readings' // days of the bill's period without a daily reading
  | 'unpaid'; // no bank debit found for the bill

export interface BillReconciliation {
  billId?: string;
  number?: string;
  energy: Energy;
  periodStart: string;
  periodEnd: string;
  totalAmount: number;
  billedKwh: number;
  /** Energy lines only (the subscription apart), taxes included. */
  billedEnergyAmount: number;
  meteredKwh: number;
  /** meteredKwh priced at the contract's prices per tariff period, taxes included. */
  expectedEnergyAmount: number;
  kwhGap: number;
  amountGap: number;
  missingDays: string[];
  /**
   * The meter gave no peak / off-peak split (some daily feeds do not): the metered kWh were priced
   * with the bill's own split, so the total and the prices are checked, the split is not.
   */
  splitFromBill: boolean;
  payment?: { transactionId?: string; date: string; amount: number };
  gaps: GapKind[];
}

export interface ReconcileInput {
  contracts: readonly EnergyContract[];
  bills: readonly Bill[];
  electricity: readonly ElectricityDay[];
  gas: readonly GasDay[];
  transactions?: readonly BankTransaction[];
  /** Days after the due date a debit may be booked. */
  paymentWindowDays?: number;
}

const round2 = (n: number): number => Math.round(n * 100) / 100;
const round3 = (n: number): number => Math.round(n * 1000) / 1000;
const withTax = (l: BillLine): number => l.amountExcludingTax * (1 + (l.taxRate ?? 0) / 100);

type Period = 'base' | 'peak' | 'off_peak';

/** Consumption lines: unit kWh and worded as consumption; taxes charged per kWh are not consumption. */
function consumptionLines(bill: Bill): { line: BillLine; period: Period }[] {
  const kwhLines = (bill.lines ?? []).filter((l) => l.unit?.toLowerCase() === 'kwh' && typeof l.quantity === 'number');
  const worded = kwhLines.filter((l) => /consommation|conso\b|consumption/i.test(l.label));
  return (worded.length > 0 ? worded : kwhLines.slice(0, 1)).map((line) => ({
    line,
    period: /creuses|off[ -_]?peak/i.test(line.label)
      ? 'off_peak'
      : /pleines|\bpeak/i.test(line.label)
        ? 'peak'
        : 'base',
  }));
}

function priceOf(contract: EnergyContract, period: Period): number | undefined {
  const prices = contract.prices ?? [];
  return (prices.find((p) => p.period === period) ?? (period === 'base' ? prices[0] : undefined))?.pricePerKwh;
}

/** The energy contract a bill belongs to: by contract number, else the only contract of its vendor. */
function contractOf(bill: Bill, contracts: readonly EnergyContract[]): EnergyContract | undefined {
  if (bill.contractNumber) {
    const c = contracts.find((x) => x.contractNumber === bill.contractNumber);
    if (c) return c;
  }
  const same = contracts.filter((c) => c.vendor === bill.vendor);
  return same.length === 1 ? same[0] : undefined;
}

/**
 * The debit paying a bill: an outgoing amount equal to the bill's total, carrying the bill's number
 * (reference or label) when it has one, between the issue day and the due day plus the window.
 */
export function findPayment(
  bill: Bill,
  transactions: readonly BankTransaction[],
  windowDays = 10,
): BankTransaction | undefined {
  const last = bill.dueDate ?? bill.issueDate;
  const latest = new Date(Date.parse(`${last}T00:00:00Z`) + windowDays * 86_400_000).toISOString().slice(0, 10);
  const candidates = transactions.filter((t) => {
    const day = t.valueDate ?? t.date.slice(0, 10);
    return Math.abs(t.amount + bill.totalAmount) < 0.005 && day >= bill.issueDate && day <= latest;
  });
  const named = bill.number
    ? candidates.find((t) => t.reference === bill.number || t.label.includes(bill.number as string))
    : undefined;
  return named ?? (candidates.length === 1 ? candidates[0] : undefined);
}

export function reconcileBills(input: ReconcileInput): BillReconciliation[] {
  const readings = new Map<string, Map<string, ElectricityDay | GasDay>>();
  for (const r of [...input.electricity, ...input.gas]) {
    let m = readings.get(r.usagePointId);
    if (!m) readings.set(r.usagePointId, (m = new Map()));
    m.set(r.date, r);
  }
  const out: BillReconciliation[] = [];
  const bills = input.bills
    .filter((b) => b.vendorCategory === 'energy' && b.type !== 'payment_schedule' && b.periodStart && b.periodEnd)
    .sort((a, b) => (a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0));
  for (const bill of bills) {
    const contract = contractOf(bill, input.contracts);
    if (!contract) continue;
    const periodStart = bill.periodStart as string;
    const periodEnd = bill.periodEnd as string;
    const lines = consumptionLines(bill);
    const billedKwh = lines.reduce((s, l) => s + (l.line.quantity ?? 0), 0);
    const billedEnergyAmount = lines.reduce((s, l) => s + withTax(l.line), 0);
    const days = readings.get(contract.usagePointId) ?? new Map<string, ElectricityDay | GasDay>();
    const missingDays: string[] = [];
    const metered: Record<Period, number> = { base: 0, peak: 0, off_peak: 0 };
    const split = lines.some((l) => l.period !== 'base');
    let unsplitDays = 0;
    for (const day of daysOf(periodStart, periodEnd)) {
      const r = days.get(day);
      if (!r) {
        missingDays.push(day);
        continue;
      }
      const e = r as ElectricityDay;
      if (split && typeof e.peakKwh === 'number' && typeof e.offPeakKwh === 'number') {
        metered.peak += e.peakKwh;
        metered.off_peak += e.offPeakKwh;
      } else {
        metered.base += r.energyKwh;
        unsplitDays++;
      }
    }
    const meteredKwh = metered.base + metered.peak + metered.off_peak;
    const splitFromBill = split && unsplitDays > 0 && billedKwh > 0;
    let expected = 0;
    if (splitFromBill)
      for (const l of lines)
        expected += meteredKwh * ((l.line.quantity ?? 0) / billedKwh) * (priceOf(contract, l.period) ?? Number.NaN);
    else
      for (const period of ['base', 'peak', 'off_peak'] as const)
        if (metered[period] > 0) expected += metered[period] * (priceOf(contract, period) ?? Number.NaN);
    const kwhGap = round3(billedKwh - meteredKwh);
    const amountGap = round2(billedEnergyAmount - expected);
    const gaps: GapKind[] = [];
    // Bills round each consumption line to the kWh, and prices excluding tax to 4 decimals.
    if (Math.abs(kwhGap) > 0.5 * Math.max(1, lines.length) + 1e-9) gaps.push('kwh');
    if (!Number.isFinite(amountGap) || Math.abs(amountGap) > 0.5 + 0.005 * Math.abs(expected)) gaps.push('amount');
    if (missingDays.length > 0) gaps.push('missing_readings');
    const result: BillReconciliation = {
      ...(bill._id ? { billId: bill._id } : {}),
      ...(bill.number ? { number: bill.number } : {}),
      energy: contract.energy,
      periodStart,
      periodEnd,
      totalAmount: bill.totalAmount,
      billedKwh: round3(billedKwh),
      billedEnergyAmount: round2(billedEnergyAmount),
      meteredKwh: round3(meteredKwh),
      expectedEnergyAmount: round2(expected),
      kwhGap,
      amountGap,
      missingDays,
      splitFromBill,
      gaps,
    };
    if (input.transactions) {
      const tx = findPayment(bill, input.transactions, input.paymentWindowDays);
      if (tx)
        result.payment = {
          ...(tx._id ? { transactionId: tx._id } : {}),
          date: tx.valueDate ?? tx.date.slice(0, 10),
          amount: tx.amount,
        };
      else gaps.push('unpaid');
    }
    out.push(result);
  }
  return out;
}
