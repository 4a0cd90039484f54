import { describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { bankCsvMappingSchema, checkBankCsvMapping } from './bank-csv-mapping.js';

const valid = {
  delimiter: ';',
  headerLine: 8,
  columns: { date: 0, label: 1, amount: 2 },
  dateOrder: 'DMY',
  decimalMark: ',',
  timeZone: 'local',
  currency: 'EUR',
};

describe('bankCsvMappingSchema', () => {
  it('accepts a mapping with an amount, or with a debit and a credit', () => {
    expect(bankCsvMappingSchema.safeParse(valid).success).toBe(true);
    const pair = { ...valid, columns: { date: 0, label: 1, debit: 2, credit: 3, valueDate: 4, id: 5 } };
    expect(bankCsvMappingSchema.safeParse(pair).success).toBe(true);
  });

  it('refuses an amount together with debit/credit, a debit without credit, and no amount at all', () => {
    for (const columns of [
      { date: 0, label: 1, amount: 2, debit: 3, credit: 4 },
      { date: 0, label: 1, debit: 3 },
      { date: 0, label: 1 },
    ]) {
      expect(bankCsvMappingSchema.safeParse({ ...valid, columns }).success, JSON.stringify(columns)).toBe(false);
    }
  });

  it('refuses unknown keys, negative or fractional columns, other delimiters, orders and currencies', () => {
    for (const bad of [
      { ...valid, extra: true },
      { ...valid, columns: { ...valid.columns, colour: 3 } },
      { ...valid, columns: { ...valid.columns, date: -1 } },
      { ...valid, columns: { ...valid.columns, label: 1.5 } },
      { ...valid, delimiter: ':' },
      { ...valid, dateOrder: 'DYM' },
      { ...valid, decimalMark: ' ' },
      { ...valid, currency: 'euro' },
      { ...valid, headerLine: -1 },
    ]) {
      expect(bankCsvMappingSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('checkBankCsvMapping', () => {
  it('returns the mapping, or a validation_failed error naming each problem', () => {
    expect(checkBankCsvMapping(valid)).toEqual(valid);
    const error = (() => {
      try {
        checkBankCsvMapping({ ...valid, delimiter: ':', columns: { date: 0, label: 1 } });
      } catch (e) {
        return e;
      }
    })() as FoyerError;
    expect(error).toBeInstanceOf(FoyerError);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/^The CSV column mapping is not valid: delimiter: /);
    expect((error.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toContain('delimiter');
  });
});
