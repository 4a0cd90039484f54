/**
 * The estimated footprint of purchases per month: each loyalty-card receipt line by its product's
 * per-kg factor (its mass from the line's weight, the label's "500 g" / "1 L" / "x12", or a usual
 * piece mass), else by its shelf's per-euro factor; then bank operations not already covered by a
 * receipt, by their category's per-euro factor. Everything not estimated is counted, not hidden.
 */
import {
  categoryFactors,
  defaultShelfFactor,
  merchantFactors,
  productFactors,
  shelfFactors,
  type ProductFactor,
} from './factors.js';
import { categoryOf } from './categories.js';
import type { BankTransaction, Receipt, ReceiptItem } from './types.js';

export type Method = 'per-kg' | 'per-euro';

export interface LineEstimate {
  month: string;
  kg: number;
  method: Method;
  /** The product family or category the factor belongs to. */
  group: string;
  euros: number;
}

export interface MonthFootprint {
  month: string;
  kgCo2e: number;
  /** kgCO2e from receipts, and from bank operations. */
  receiptsKg: number;
  bankKg: number;
  /** kgCO2e by product family or spending category, largest first. */
  byGroup: { group: string; kgCo2e: number }[];
  /** Euros whose footprint is estimated, and euros of spending left out (with why, by category). */
  estimatedEuros: number;
  notEstimated: { category: string; euros: number }[];
}

export interface EstimateResult {
  months: MonthFootprint[];
  /** Receipt lines estimated by mass, by price, and left aside as unreadable. */
  lines: { perKg: number; perEuro: number; rejected: number };
  /** Bank operations skipped because a receipt already covers them. */
  coveredByReceipts: number;
}

const norm = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Kilograms (or litres, taken as kilograms) a label states per piece: "500 g", "75 cl", "6 x 1,5 L", "x12". */
export function labelMassKg(label: string, factor: ProductFactor): number | undefined {
  const s = norm(label).replace(/(\d),(\d)/g, '$1.$2');
  const measure = /(\d+(?:\.\d+)?)\s*(kg|g|l|cl|ml)\b/.exec(s);
  // "6 x 1.5 l" or "x12", with x standing alone (not the end of "doux 250 g").
  const count = /(?:^|\s)(\d+)\s?x\s|(?:^|\s)x\s?(\d+)\b/.exec(s);
  const n = count ? Number(count[1] ?? count[2]) : 1;
  if (measure) {
    const v = Number(measure[1]);
    const unit = measure[2];
    const kg = unit === 'kg' || unit === 'l' ? v : unit === 'cl' ? v / 100 : v / 1000;
    return kg * n;
  }
  return count ? n * factor.kgPerPiece : undefined;
}

export function productFactorOf(label: string): ProductFactor | undefined {
  const s = norm(label);
  return productFactors.find((p) => p.match.test(s));
}

function estimateItem(item: ReceiptItem, month: string): LineEstimate | undefined {
  const quantity = item.quantity ?? 1;
  const euros = item.amount ?? (item.unitPrice ?? 0) * quantity;
  if (!(quantity > 0) || !Number.isFinite(euros) || euros < 0 || typeof item.label !== 'string') return undefined;
  const product = productFactorOf(item.label);
  if (product) {
    const kg = item.unit === 'kg' ? quantity : quantity * (labelMassKg(item.label, product) ?? product.kgPerPiece);
    return { month, kg: kg * product.kgCo2ePerKg, method: 'per-kg', group: product.name.en, euros };
  }
  const shelf = (item.category && shelfFactors[item.category]) || defaultShelfFactor;
  return { month, kg: euros * shelf.kgCo2ePerEuro, method: 'per-euro', group: item.category ?? 'other', euros };
}

/** A bank card payment a receipt already accounts for: its reference, or same day, amount and card. */
function coveredBy(receipts: readonly Receipt[]): (t: BankTransaction) => boolean {
  const byNumber = new Set(receipts.map((r) => r.receiptNumber).filter(Boolean));
  const byDayAmount = new Set(receipts.map((r) => `${r.date.slice(0, 10)}|${r.totalAmount.toFixed(2)}`));
  return (t) =>
    (t.reference !== undefined && byNumber.has(t.reference)) ||
    byDayAmount.has(`${(t.valueDate ?? t.date).slice(0, 10)}|${(-t.amount).toFixed(2)}`);
}

const round = (n: number, d = 2): number => Math.round(n * 10 ** d) / 10 ** d;

export function estimateFootprint(input: {
  receipts: readonly Receipt[];
  transactions: readonly BankTransaction[];
  /** Local month of an instant (the receipt's time, the operation's value day). */
  monthOf: (instant: string) => string;
}): EstimateResult {
  const lines: LineEstimate[] = [];
  const counts = { perKg: 0, perEuro: 0, rejected: 0 };
  for (const r of input.receipts) {
    const month = input.monthOf(r.date);
    for (const item of r.items ?? []) {
      const est = estimateItem(item, month);
      if (!est) counts.rejected++;
      else {
        lines.push(est);
        if (est.method === 'per-kg') counts.perKg++;
        else counts.perEuro++;
      }
    }
  }
  const receiptLines = lines.length;
  const covered = coveredBy(input.receipts);
  const left = new Map<string, Map<string, number>>();
  let coveredByReceipts = 0;
  for (const t of input.transactions) {
    if (!(t.amount < 0)) continue; // credits are not purchases
    const month = input.monthOf(t.valueDate ?? t.date);
    const euros = -t.amount;
    if (covered(t)) {
      coveredByReceipts++;
      continue;
    }
    const merchant = t.merchantCategoryCode ? merchantFactors[t.merchantCategoryCode] : undefined;
    const category = categoryOf(t);
    const factor = merchant ?? categoryFactors[category];
    if (factor)
      lines.push({
        month,
        kg: euros * factor.kgCo2ePerEuro,
        method: 'per-euro',
        group: merchant ? merchant.name.en : category,
        euros,
      });
    else {
      let m = left.get(month);
      if (!m) left.set(month, (m = new Map()));
      m.set(category, (m.get(category) ?? 0) + euros);
    }
  }

  const months = new Map<string, MonthFootprint & { groups: Map<string, number> }>();
  const monthEntry = (month: string) => {
    let m = months.get(month);
    if (!m)
      months.set(
        month,
        (m = {
          month,
          kgCo2e: 0,
          receiptsKg: 0,
          bankKg: 0,
          byGroup: [],
          estimatedEuros: 0,
          notEstimated: [],
          groups: new Map(),
        }),
      );
    return m;
  };
  lines.forEach((l, i) => {
    const m = monthEntry(l.month);
    m.kgCo2e += l.kg;
    if (i < receiptLines) m.receiptsKg += l.kg;
    else m.bankKg += l.kg;
    m.estimatedEuros += l.euros;
    m.groups.set(l.group, (m.groups.get(l.group) ?? 0) + l.kg);
  });
  for (const [month, cats] of left)
    monthEntry(month).notEstimated = [...cats].map(([category, euros]) => ({ category, euros: round(euros) }));
  return {
    months: [...months.values()]
      .sort((a, b) => (a.month < b.month ? -1 : 1))
      .map(({ groups, ...m }) => ({
        ...m,
        kgCo2e: round(m.kgCo2e),
        receiptsKg: round(m.receiptsKg),
        bankKg: round(m.bankKg),
        estimatedEuros: round(m.estimatedEuros),
        notEstimated: m.notEstimated.sort((a, b) => b.euros - a.euros),
        byGroup: [...groups].map(([group, kg]) => ({ group, kgCo2e: round(kg) })).sort((a, b) => b.kgCo2e - a.kgCo2e),
      })),
    lines: counts,
    coveredByReceipts,
  };
}
