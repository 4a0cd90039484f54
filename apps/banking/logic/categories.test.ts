import { beforeAll, describe, expect, it } from 'vitest';
import { categorise, sizeBucket, trainCategoryModel } from './category-model.js';
import { categories, ruleCategory } from './category-rules.js';
import { householdDocs, withoutReferences, type HouseholdDocs } from './testing/household-docs.js';
import type { BankTransaction, CategoryCorrection } from './types.js';

const range = { from: '2024-01-01', to: '2025-12-31' };
const customers = ['family', 'student', 'retirees', 'single-parent'];
let docs: HouseholdDocs[];
beforeAll(() => {
  docs = customers.map((id) => householdDocs(id, range));
});

const byLabel = (txs: BankTransaction[], re: RegExp): BankTransaction[] => txs.filter((t) => re.test(t.label));

describe('default categories (keyword rules)', () => {
  it("agree with the bank's own category on every line but pensions, which the app counts as income", () => {
    for (const d of docs) {
      const stripped = withoutReferences(d.transactions);
      const disagreements = stripped
        .map((t, i) => ({ t, bank: d.transactions[i]?.category, rule: ruleCategory(t).category }))
        .filter((x) => x.bank !== x.rule);
      for (const x of disagreements) {
        expect(x.t.label, d.customerId).toMatch(/RETRAITE/);
        expect([x.bank, x.rule]).toEqual(['transfer', 'salary']);
      }
      if (d.customerId !== 'retirees') expect(disagreements, d.customerId).toEqual([]);
    }
  });

  it('are always one of the catalog categories, with the rule that gave them', () => {
    const unknown: BankTransaction = {
      _id: 'x',
      date: '2025-01-01T00:00:00Z',
      label: 'ZZZ',
      amount: -3,
      currency: 'EUR',
      accountId: 'a',
    };
    expect(ruleCategory(unknown)).toEqual({ category: 'other', rule: 'none' });
    expect(ruleCategory({ ...unknown, amount: 3 })).toEqual({ category: 'transfer', rule: 'credit' });
    expect(ruleCategory({ ...unknown, merchantCategoryCode: '5812' }).category).toBe('restaurant');
    expect(ruleCategory({ ...unknown, type: 'withdrawal' }).category).toBe('cash');
    for (const d of docs) for (const t of d.transactions) expect(categories).toContain(ruleCategory(t).category);
  });

  it('put amounts in size classes', () => {
    expect([sizeBucket(-3), sizeBucket(12), sizeBucket(-49.99), sizeBucket(2480)]).toEqual([
      'size:0',
      'size:1',
      'size:2',
      'size:6',
    ]);
  });
});

describe('the model trained on corrections', () => {
  it('changes later predictions: books from the online bookshop become education after two corrections', () => {
    const student = docs.find((d) => d.customerId === 'student') as HouseholdDocs;
    const txs = withoutReferences(student.transactions);
    const books = byLabel(txs, /LIBRAIRIE EN LIGNE/);
    const clothes = byLabel(txs, /BOUTIQUE MODE EN LIGNE/);
    expect(books.length).toBeGreaterThan(10);
    expect(clothes.length).toBeGreaterThan(5);
    const before = categorise(txs, []);
    expect(new Set(books.map((t) => before.get(t._id)?.category))).toEqual(new Set(['shopping']));

    const corrections: CategoryCorrection[] = books
      .slice(0, 2)
      .map((t, i) => ({ transactionId: t._id, category: 'education', at: `2025-01-0${i + 1}T10:00:00Z` }));
    const after = categorise(txs, corrections);
    for (const t of books.slice(0, 2))
      expect(after.get(t._id)).toMatchObject({ category: 'education', source: 'correction' });
    for (const t of books.slice(2)) expect(after.get(t._id)).toMatchObject({ category: 'education', source: 'model' });
    // The clothes shop shares "EN LIGNE" and the card, not the merchant: it stays where the rules put it.
    for (const t of clothes) expect(after.get(t._id)).toMatchObject({ category: 'shopping', source: 'rules' });
    // Nothing else moved.
    const moved = txs.filter((t) => after.get(t._id)?.category !== before.get(t._id)?.category);
    expect(moved.map((t) => t._id).sort()).toEqual(books.map((t) => t._id).sort());
  });

  it('learns between categories: a restaurant the person files as leisure, with two merchants taught apart', () => {
    const family = docs.find((d) => d.customerId === 'family') as HouseholdDocs;
    const txs = withoutReferences(family.transactions);
    const bistrot = byLabel(txs, /BISTROT DU PORT/);
    const cinema = byLabel(txs, /CINEMA/);
    const corrections: CategoryCorrection[] = [
      { transactionId: (bistrot[0] as BankTransaction)._id, category: 'leisure', at: '2025-02-01T10:00:00Z' },
      { transactionId: (cinema[0] as BankTransaction)._id, category: 'shopping', at: '2025-02-01T10:01:00Z' },
      // The person changed their mind about the cinema: the later correction wins.
      { transactionId: (cinema[0] as BankTransaction)._id, category: 'leisure', at: '2025-02-02T10:00:00Z' },
    ];
    const model = trainCategoryModel(txs, corrections);
    expect(Object.fromEntries(model.classes)).toEqual({ leisure: 2 });
    const result = categorise(txs, corrections);
    for (const t of [...bistrot, ...cinema]) expect(result.get(t._id)?.category).toBe('leisure');
  });

  it('abstains when it has learnt nothing, and ignores corrections of lines it does not have', () => {
    const family = docs.find((d) => d.customerId === 'family') as HouseholdDocs;
    const txs = family.transactions.slice(0, 50);
    const none = trainCategoryModel(txs, []);
    expect(none.predict(txs[0] as BankTransaction)).toBeUndefined();
    const ghost = trainCategoryModel(txs, [
      { transactionId: 'no-such-line', category: 'leisure', at: '2025-01-01T00:00:00Z' },
    ]);
    expect(ghost.classes.size).toBe(0);
    const result = categorise(txs, [
      { transactionId: 'no-such-line', category: 'leisure', at: '2025-01-01T00:00:00Z' },
    ]);
    for (const t of txs) expect(result.get(t._id)?.source).toBe('rules');
  });

  it('chooses between learnt categories by the features the corrections share', () => {
    const line = (id: string, label: string, amount: number): BankTransaction => ({
      _id: id,
      date: '2025-03-01T00:00:00Z',
      label,
      amount,
      currency: 'EUR',
      accountId: 'a',
    });
    const txs = [
      line('1', 'CB GARAGE DUPONT 01/03', -320),
      line('2', 'CB GARAGE DUPONT 15/03', -12),
      line('3', 'CB GARAGE DUPONT 20/04', -280),
      line('4', 'CB GARAGE DUPONT 21/04', -9.5),
    ];
    const corrections: CategoryCorrection[] = [
      { transactionId: '1', category: 'transport', at: '2025-04-01T00:00:00Z' },
      { transactionId: '2', category: 'shopping', at: '2025-04-01T00:00:00Z' },
    ];
    const result = categorise(txs, corrections);
    // Same merchant: the amount's size class tells a repair from a small purchase.
    expect(result.get('3')?.category).toBe('transport');
    expect(result.get('4')?.category).toBe('shopping');
  });
});
