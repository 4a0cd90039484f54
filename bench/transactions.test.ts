import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../src/core/catalog/load-catalog.js';
import { isMonthDebit, makeTransactions, monthDebitsSelector, monthRange } from './transactions.js';

describe('benchmark transactions', () => {
  it('reproduces the peers workload: 356 debits in 2024-03 among 10,000 and 3,715 among 100,000 at seed 42', () => {
    // The figures the peers harness (../shared/bench-peers) published for the same seed and month.
    const docs = makeTransactions(100_000, 42);
    const range = monthRange('2024-03');
    expect(docs.slice(0, 10_000).filter((d) => isMonthDebit(d.doc, range))).toHaveLength(356);
    expect(docs.filter((d) => isMonthDebit(d.doc, range))).toHaveLength(3715);
  });

  it('gives the same documents for the same seed, and a run is a prefix of a longer one', () => {
    const short = makeTransactions(50, 7);
    expect(makeTransactions(50, 7)).toEqual(short);
    expect(makeTransactions(80, 7).slice(0, 50)).toEqual(short);
    expect(makeTransactions(50, 8)[0]!.id).not.toBe(short[0]!.id);
    expect(new Set(makeTransactions(1000).map((d) => d.id)).size).toBe(1000);
  });

  it('produces documents of about 300 bytes that the catalog accepts as bank.transaction', async () => {
    const catalog = await loadCatalog(defaultCatalogDir());
    const docs = makeTransactions(500, 42);
    for (const d of docs) expect(catalog.validate('bank.transaction', d.doc)).toEqual([]);
    const mean = docs.reduce((s, d) => s + JSON.stringify(d.doc).length, 0) / docs.length;
    expect(mean).toBeGreaterThan(280);
    expect(mean).toBeLessThan(320);
  });

  it('builds the month window and the matching selector', () => {
    expect(monthRange('2024-12')).toEqual({ start: '2024-12-01T00:00:00.000Z', end: '2025-01-01T00:00:00.000Z' });
    expect(monthDebitsSelector(monthRange('2024-03'))).toEqual({
      date: { $gte: '2024-03-01T00:00:00.000Z', $lt: '2024-04-01T00:00:00.000Z' },
      amount: { $lt: 0 },
    });
    const range = monthRange('2024-03');
    expect(isMonthDebit({ date: '2024-03-31T23:59:59.999Z', amount: -1 }, range)).toBe(true);
    expect(isMonthDebit({ date: '2024-04-01T00:00:00.000Z', amount: -1 }, range)).toBe(false);
    expect(isMonthDebit({ date: '2024-03-10T00:00:00.000Z', amount: 0 }, range)).toBe(false);
  });

  it('rejects a month that is not YYYY-MM', () => {
    for (const bad of ['2024-3', '2024-13', '2024-00', 'march', '']) expect(() => monthRange(bad)).toThrow(/YYYY-MM/);
  });
});
