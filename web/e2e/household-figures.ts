/**
 * Figures the browser tests expect on screen, computed from the synthetic household's own records
 * without the web app's code: housing debits per month from the bank's records and the bank's own
 * categories (which Foyer's bank connector does not even store), kWh summed from the meters' days,
 * and numbers read back from the page in either locale.
 */
import type { DayRange, Household } from '../../src/holders/household/household.js';

export type CostRow = { insurer: number; energy: number; water: number; telecom: number };

/** Housing debits per local month (`YYYY-MM`) and category, from the bank's raw records. */
export function expectedCosts(household: Household, customer: string, range: DayRange): Map<string, CostRow> {
  const names: Record<string, keyof CostRow> = {
    insurance: 'insurer',
    energy: 'energy',
    utilities: 'water',
    telecom: 'telecom',
  };
  const out = new Map<string, CostRow>();
  for (const r of household.records(customer, 'bank', 'bank.transaction', range)) {
    const t = r.data as { category?: string; amount: number; valueDate: string };
    const c = t.category ? names[t.category] : undefined;
    if (!c || t.amount >= 0) continue;
    const month = t.valueDate.slice(0, 7);
    const row = out.get(month) ?? { insurer: 0, energy: 0, water: 0, telecom: 0 };
    row[c] = Math.round((row[c] - t.amount) * 100) / 100;
    out.set(month, row);
  }
  return out;
}

/** kWh of a daily meter series summed over the months `from`..`to` (`YYYY-MM`, included). */
export function expectedKwh(
  household: Household,
  customer: string,
  holder: 'electricity' | 'gas',
  range: DayRange,
  from: string,
  to: string,
): number {
  const doctype = holder === 'electricity' ? 'energy.electricity.daily' : 'energy.gas.daily';
  return household
    .records(customer, holder, doctype, range)
    .map((r) => r.data as { date: string; energyKwh: number })
    .filter((p) => p.date.slice(0, 7) >= from && p.date.slice(0, 7) <= to)
    .reduce((a, p) => a + p.energyKwh, 0);
}

/** "€1,234.56", "1 234,56 €", "9,876 kWh" → 1234.56, 9876. */
export function parseShown(text: string, locale: 'en' | 'fr'): number {
  const cleaned = text.replace(/[\s\u202f\u00a0]/g, '').replace(/[^\d.,-]/g, '');
  return Number(locale === 'fr' ? cleaned.replace(/\./g, '').replace(',', '.') : cleaned.replace(/,/g, ''));
}
