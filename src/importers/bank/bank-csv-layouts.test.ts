import { describe, expect, it } from 'vitest';
import { normalizeHeader } from './bank-csv-header.js';
import { BANK_CSV_LAYOUTS, layoutColumns, layoutOf } from './bank-csv-layouts.js';

const names = (value: string | readonly string[]) => (typeof value === 'string' ? [value] : [...value]);

describe('known layouts', () => {
  it('have unique ids, sources, and names written as normalizeHeader writes them', () => {
    expect(new Set(BANK_CSV_LAYOUTS.map((l) => l.id)).size).toBe(BANK_CSV_LAYOUTS.length);
    for (const layout of BANK_CSV_LAYOUTS) {
      expect(layout.sources.length, layout.id).toBeGreaterThan(0);
      for (const name of [...layout.signature, ...Object.values(layout.columns).flatMap(names)]) {
        expect(normalizeHeader(name), `${layout.id}: ${name}`).toBe(name);
      }
    }
  });

  it('are each recognised from their own header and give a date, a label and an amount or a debit/credit pair', () => {
    for (const layout of BANK_CSV_LAYOUTS) {
      const header = layout.exact
        ? [...layout.signature]
        : [...new Set([...layout.signature, ...Object.values(layout.columns).map((n) => names(n)[0]!)])];
      expect(layoutOf(header)?.id, layout.id).toBe(layout.id);
      const columns = layoutColumns(layout, header);
      expect(columns.date, layout.id).toBeDefined();
      expect(columns.label, layout.id).toBeDefined();
      expect(
        columns.amount !== undefined || (columns.debit !== undefined && columns.credit !== undefined),
        layout.id,
      ).toBe(true);
    }
  });

  it('recognise an exact layout only with exactly its columns', () => {
    const cm = ['date', 'date de valeur', 'debit', 'credit', 'libelle', 'solde'];
    expect(layoutOf(cm)?.id).toBe('credit-mutuel-cic');
    expect(layoutOf([...cm, 'categorie'])).toBeUndefined();
    expect(layoutOf(['date', 'libelle', 'debit', 'credit', 'date de valeur', 'solde'])).toBeUndefined();
  });

  it('take the first present of several names for a role', () => {
    const revolutBusiness = BANK_CSV_LAYOUTS.find((l) => l.id === 'revolut-business')!;
    const header = [
      'date started utc',
      'date completed utc',
      'id',
      'description',
      'amount',
      'payment currency',
      'total amount',
    ];
    expect(layoutColumns(revolutBusiness, header).amount).toBe(6);
    expect(layoutColumns(revolutBusiness, header.slice(0, 6)).amount).toBe(4);
  });
});
