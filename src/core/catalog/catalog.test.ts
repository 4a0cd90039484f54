import { beforeAll, describe, expect, it } from 'vitest';
import { FoyerError } from '../errors.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createCatalog, type Catalog } from './catalog.js';
import { defaultCatalogDir, loadCatalog } from './load-catalog.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog(defaultCatalogDir());
});

const transaction = {
  date: '2024-03-11T23:00:00.000Z',
  label: 'CB MONOPRIX 12/03 PARIS 11',
  amount: -23.4,
  currency: 'EUR',
  category: 'groceries',
  accountId: 'acc-7c2f19a0b4d3e8f1',
  type: 'card',
  valueDate: '2024-03-13',
  reference: 'REF8C1F0A2B3D4E5F',
  checked: false,
};

describe('Catalog.validate', () => {
  it('accepts the benchmark workload shape of bank.transaction', () => {
    expect(catalog.validate('bank.transaction', transaction)).toEqual([]);
  });

  it('names the field and the rule for a wrong type', () => {
    expect(catalog.validate('bank.transaction', { ...transaction, amount: '12' })).toEqual([
      { path: '/amount', rule: 'type', message: 'amount: must be a number' },
    ]);
  });

  it('reports each missing required field at its own path', () => {
    const { date: _date, accountId: _accountId, ...rest } = transaction;
    expect(catalog.validate('bank.transaction', rest)).toEqual([
      { path: '/date', rule: 'required', message: 'date: is required' },
      { path: '/accountId', rule: 'required', message: 'accountId: is required' },
    ]);
  });

  it('rejects an unknown field and points to extra', () => {
    expect(catalog.validate('bank.transaction', { ...transaction, metadata: { v: 1 } })).toEqual([
      {
        path: '/metadata',
        rule: 'additionalProperties',
        message: 'metadata: is not a field of this doctype (holder-specific fields belong under "extra")',
      },
    ]);
    expect(catalog.validate('bank.transaction', { ...transaction, extra: { importSource: 'bank-sync' } })).toEqual([]);
  });

  it('keeps load curve points on the half-hour grid', () => {
    const point = { usagePointId: '09123456789012', t: '2024-01-15T17:15:00Z', powerW: 2140 };
    expect(catalog.validate('energy.electricity.load-curve', point).map((i) => `${i.path} ${i.rule}`)).toEqual([
      '/t pattern',
    ]);
    expect(catalog.validate('energy.electricity.load-curve', { ...point, t: '2024-01-15T17:30:00.000Z' })).toEqual([]);
  });

  it('rejects an unknown field of a series point without mentioning extra', () => {
    const point = { usagePointId: '09123456789012', t: '2024-01-15T17:00:00Z', powerW: 2140, note: 'x' };
    expect(catalog.validate('energy.electricity.load-curve', point)).toEqual([
      { path: '/note', rule: 'additionalProperties', message: 'note: is not a field of this doctype' },
    ]);
  });

  it('names the field and the format for a bad date', () => {
    expect(catalog.validate('bank.transaction', { ...transaction, valueDate: '13/03/2024' })).toEqual([
      { path: '/valueDate', rule: 'format', message: 'valueDate: must be a date (YYYY-MM-DD)' },
    ]);
  });

  it('requires UTC instants so that string order is time order', () => {
    expect(catalog.validate('bank.transaction', { ...transaction, date: '2024-03-12T00:00:00+01:00' })).toEqual([
      { path: '/date', rule: 'pattern', message: 'date: must be in UTC, ending in Z (e.g. 2024-03-01T08:30:00Z)' },
    ]);
  });

  it('lists the allowed values for a bad enum', () => {
    const issues = catalog.validate('bank.transaction', { ...transaction, type: 'cash' });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.rule).toBe('enum');
    expect(issues[0]?.message).toMatch(/^type: must be one of "card", "direct_debit", "transfer", .*"other"$/);
  });

  it('reports pattern, bound and nested errors with their path', () => {
    expect(
      catalog.validate('bill', {
        vendor: 'EDF',
        vendorCategory: 'energy',
        issueDate: '2024-03-04',
        totalAmount: 10,
        currency: 'eur',
        lines: [{ label: 'Consommation', amountExcludingTax: 8, taxRate: 120 }],
      }),
    ).toEqual([
      { path: '/currency', rule: 'pattern', message: 'currency: must match the pattern ^[A-Z]{3}$' },
      { path: '/lines/0/taxRate', rule: 'maximum', message: 'lines[0].taxRate: must be at most 100' },
    ]);
  });

  it('reports every issue at once', () => {
    expect(catalog.validate('bank.transaction', { amount: 'x', bogus: 1 }).map((i) => i.path)).toEqual([
      '/date',
      '/label',
      '/currency',
      '/accountId',
      '/bogus',
      '/amount',
    ]);
  });

  it('rejects a value that is not an object', () => {
    expect(catalog.validate('contact', [])).toEqual([
      { path: '', rule: 'type', message: 'document: must be an object' },
    ]);
  });

  it('applies dependent rules: an amount needs its currency', () => {
    expect(
      catalog.validate('telecom.call', {
        lineNumber: '+33612345678',
        direction: 'outgoing',
        kind: 'voice',
        start: '2024-03-12T17:42:08Z',
        amount: 0.8,
      }),
    ).toEqual([{ path: '', rule: 'dependentRequired', message: 'document: requires currency when amount is present' }]);
  });

  it('checks all-day calendar events against dates and others against instants', () => {
    const event = { title: 'Congés', allDay: true, start: '2024-03-14', end: '2024-03-15' };
    expect(catalog.validate('calendar.event', event)).toEqual([]);
    expect(catalog.validate('calendar.event', { ...event, start: '2024-03-14T08:00:00Z' })).toEqual([
      { path: '/start', rule: 'format', message: 'start: must be a date (YYYY-MM-DD)' },
    ]);
    expect(
      catalog
        .validate('calendar.event', { title: 'Réunion', start: '2024-03-14' })
        .map((i) => i.message)
        .sort(),
    ).toEqual([
      'start: must be a date-time with a time zone (e.g. 2024-03-01T08:30:00Z)',
      'start: must be in UTC, ending in Z (e.g. 2024-03-01T08:30:00Z)',
    ]);
  });

  it('throws unknown_doctype for a name the catalog does not hold', () => {
    expect(() => catalog.validate('bank.nothing', {})).toThrow(FoyerError);
    try {
      catalog.validate('bank.nothing', {});
    } catch (e) {
      expect((e as FoyerError).code).toBe('unknown_doctype');
      expect((e as FoyerError).status).toBe(404);
    }
  });

  const amountError: ErrorObject = {
    instancePath: '/amount',
    schemaPath: '#/properties/amount/type',
    keyword: 'type',
    params: { type: 'number' },
    message: 'must be number',
  };

  it('compiles a doctype validator once, at first use, and reuses it for every document', async () => {
    const real = catalog.get('bank.transaction')!;
    let compilations = 0;
    const lazy = createCatalog([
      {
        doctype: real,
        validate: null,
        load: async () => {
          compilations++;
          // Stands in for Ajv's compiled function: amounts must be numbers.
          const check = (value: unknown) => {
            const ok = typeof (value as { amount?: unknown }).amount === 'number';
            check.errors = ok ? null : [amountError];
            return ok;
          };
          check.errors = null as ErrorObject[] | null;
          return check as unknown as ValidateFunction;
        },
      },
    ]);
    expect(compilations).toBe(0);
    const first = await lazy.validator('bank.transaction');
    const second = await lazy.validator('bank.transaction');
    for (let i = 0; i < 1000; i++) expect(first({ ...transaction, amount: -i })).toEqual([]);
    expect(second({ ...transaction, amount: 'x' })).toMatchObject([{ path: '/amount' }]);
    expect(lazy.validate('bank.transaction', { ...transaction, amount: -1 })).toEqual([]);
    expect(compilations).toBe(1);
  });
});
