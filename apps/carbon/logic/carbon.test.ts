import { beforeAll, describe, expect, it } from 'vitest';
import { createHousehold, type Household } from '../../../src/holders/household/household.js';
import { localTimeIn } from '../../shared/local-time.js';
import { categoryOf } from './categories.js';
import { estimateFootprint, labelMassKg, productFactorOf } from './estimate.js';
import { categoryFactors, productFactors, shelfFactors, sources } from './factors.js';
import type { BankTransaction, Receipt } from './types.js';

const range = { from: '2025-01-01', to: '2025-12-31' };
const paris = localTimeIn('Europe/Paris');
const monthOf = (instant: string): string => (instant.length === 10 ? instant : paris(instant).day).slice(0, 7);

let household: Household;
const dataOf = (customerId: string) => ({
  receipts: household.records(customerId, 'retailer', 'retail.receipt', range).map((r) => r.data as unknown as Receipt),
  transactions: household
    .records(customerId, 'bank', 'bank.transaction', range)
    .map((r) => r.data as unknown as BankTransaction),
});

beforeAll(() => {
  household = createHousehold({ seed: 'carbon-app' });
});

describe('the factor table', () => {
  it('cites its sources with publisher and year, and every factor points to one', () => {
    const keys = new Set(sources.map((s) => s.key));
    for (const s of sources) {
      expect(s.year).toBeGreaterThanOrEqual(2023);
      expect(s.url).toMatch(/^https:\/\//);
    }
    for (const p of productFactors) expect(keys.has(p.source)).toBe(true);
    for (const x of [...Object.values(shelfFactors), ...Object.values(categoryFactors)])
      expect(keys.has(x.source)).toBe(true);
  });

  it('prices every food the synthetic retailer sells by mass, and only its non-food shelves by the euro', () => {
    const items = dataOf('family').receipts.flatMap((r) => r.items ?? []);
    const byEuro = new Set(items.filter((i) => !productFactorOf(i.label)).map((i) => i.category));
    expect([...byEuro].sort()).toEqual(['entretien', 'hygiène']);
  });

  it('reads masses from labels: grams, centilitres, packs of pieces', () => {
    const factor = (label: string) => productFactorOf(label) ?? (productFactors[0] as (typeof productFactors)[0]);
    expect(labelMassKg('Comté 12 mois 200 g', factor('Comté'))).toBeCloseTo(0.2, 6);
    expect(labelMassKg('Huile d’olive 75 cl', factor('Huile'))).toBeCloseTo(0.75, 6);
    expect(labelMassKg('Eau minérale 6 x 1,5 L', factor('Eau'))).toBeCloseTo(9, 6);
    expect(labelMassKg('Steaks hachés x4', factor('Steaks'))).toBeCloseTo(0.4, 6);
    expect(labelMassKg('Salade batavia', factor('Salade'))).toBeUndefined();
    expect(labelMassKg('Beurre doux 250 g', factor('Beurre'))).toBeCloseTo(0.25, 6);
    expect(productFactorOf('Biscuits petit-beurre')?.name.en).toBe('Pastries and biscuits');
    expect(productFactorOf('Pommes de terre')?.name.en).toBe('Potatoes and root vegetables');
    expect(productFactorOf('Pommes Gala')?.name.en).toBe('Fruit');
    expect(productFactorOf('Œufs plein air x12')?.name.en).toBe('Eggs');
  });
});

describe('categories when the bank gives none', () => {
  it('finds the bank’s own category from the label, the type and the merchant code, for every debit of every customer', () => {
    let checked = 0;
    for (const c of household.customers) {
      for (const t of dataOf(c.id).transactions.filter((x) => x.amount < 0)) {
        const { category, merchantCategoryCode: _code, ...bare } = t;
        // What a PSD2 feed gives: no category, no merchant code.
        expect(categoryOf(bare), `${c.id} ${t.label}`).toBe(category);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1500);
  });

  it('keeps a category the operation has, and says other when nothing tells', () => {
    expect(categoryOf({ date: '2025-01-01', label: 'CB STATION X', amount: -5, category: 'leisure' })).toBe('leisure');
    expect(categoryOf({ date: '2025-01-01', label: 'CB ETABLISSEMENT 12', amount: -5, type: 'card' })).toBe('other');
    expect(categoryOf({ date: '2025-01-01', label: 'X', amount: -5, merchantCategoryCode: '5541' })).toBe('transport');
  });
});

describe('the footprint per month', () => {
  it('counts every receipt once: the card payments receipts explain are not counted again', () => {
    const { receipts, transactions } = dataOf('family');
    const result = estimateFootprint({ receipts, transactions, monthOf });
    expect(receipts.length).toBeGreaterThan(60);
    expect(result.coveredByReceipts).toBe(receipts.length);
    expect(result.lines.rejected).toBe(0);
  });

  it('estimates twelve months, the receipts and the bank each contributing', () => {
    const result = estimateFootprint({ ...dataOf('family'), monthOf });
    expect(result.months.map((m) => m.month)).toEqual(
      Array.from({ length: 12 }, (_, i) => `2025-${String(i + 1).padStart(2, '0')}`),
    );
    for (const m of result.months) {
      expect(m.receiptsKg).toBeGreaterThan(0);
      expect(m.bankKg).toBeGreaterThan(0);
      expect(m.kgCo2e).toBeCloseTo(m.receiptsKg + m.bankKg, 1);
      expect(m.byGroup.reduce((s, g) => s + g.kgCo2e, 0)).toBeCloseTo(m.kgCo2e, 0);
    }
  });

  it('gives the family of four a larger food footprint than the student living alone', () => {
    const year = (customerId: string) =>
      estimateFootprint({ ...dataOf(customerId), monthOf }).months.reduce((s, m) => s + m.receiptsKg, 0);
    const family = year('family');
    const student = year('student');
    expect(family).toBeGreaterThan(2 * student);
    // Orders of magnitude: French food is about 2 tCO2e a person a year; a supermarket is part of it.
    expect(family).toBeGreaterThan(300);
    expect(family).toBeLessThan(8000);
  });

  it('prices a known line by its factor: two packs of four minced steaks at 30 kg a kg', () => {
    const receipt: Receipt = {
      vendor: 'Marché Frais',
      date: '2025-03-08T10:00:00Z',
      totalAmount: 11.2,
      items: [
        { label: 'Steaks hachés x4', category: 'boucherie', quantity: 2, unit: 'piece', unitPrice: 5.6, amount: 11.2 },
      ],
    };
    const [m] = estimateFootprint({ receipts: [receipt], transactions: [], monthOf }).months;
    expect(m?.kgCo2e).toBeCloseTo(2 * 0.4 * 30, 6);
    expect(m?.byGroup).toEqual([{ group: 'Beef', kgCo2e: 24 }]);
  });

  it('reports spending it cannot price, by category, and ignores credits', () => {
    const tx = (category: string, amount: number, label = 'X'): BankTransaction => ({
      date: '2025-04-02T00:00:00Z',
      valueDate: '2025-04-02',
      label,
      amount,
      category,
    });
    const result = estimateFootprint({
      receipts: [],
      transactions: [
        tx('housing', -712),
        tx('energy', -80),
        tx('salary', 2000),
        tx('restaurant', -40),
        tx('transport', -60),
      ],
      monthOf,
    });
    const [april] = result.months;
    expect(april?.notEstimated).toEqual([
      { category: 'housing', euros: 712 },
      { category: 'energy', euros: 80 },
    ]);
    expect(april?.estimatedEuros).toBe(100);
    expect(april?.kgCo2e).toBeCloseTo(40 * 0.25 + 60 * 1.5, 6);
  });

  it('leaves aside unreadable receipt lines and counts them', () => {
    const receipt: Receipt = {
      vendor: 'Marché Frais',
      date: '2025-03-08T10:00:00Z',
      totalAmount: 3,
      items: [
        { label: 'Baguette tradition', quantity: -1, amount: 1.2 },
        { label: 'Produit inconnu', category: 'rayon mystère', quantity: 1, amount: 10 },
        { label: 'Lait 1 L', quantity: 1, amount: Number.NaN },
      ],
    };
    const result = estimateFootprint({ receipts: [receipt], transactions: [], monthOf });
    expect(result.lines).toEqual({ perKg: 0, perEuro: 1, rejected: 2 });
    expect(result.months[0]?.kgCo2e).toBeCloseTo(6, 6);
  });
});
