import { describe, expect, it } from 'vitest';
import type { Selector } from '../document-store.js';
import { compileSelector } from './sqlite-selector.js';

const monthOfDebits: Selector = {
  op: 'and',
  of: [
    { op: 'gte', field: 'date', value: '2024-03-01' },
    { op: 'lt', field: 'date', value: '2024-04-01' },
    { op: 'lt', field: 'amount', value: 0 },
  ],
};

describe('compileSelector', () => {
  it('compiles a month of debits to bare comparisons: no type guard is needed', () => {
    const { sql, params } = compileSelector(monthOfDebits);
    expect(sql).not.toContain('json_type');
    expect(params).toEqual(['2024-03-01', '2024-04-01', 0]);
  });

  it('keeps the guard where a boolean could match (a range holding 1)', () => {
    const { sql } = compileSelector({
      op: 'and',
      of: [
        { op: 'gt', field: 'amount', value: 0 },
        { op: 'lt', field: 'amount', value: 10 },
      ],
    });
    expect(sql).toContain(`json_type(data, '$."amount"') IN ('integer','real')`);
  });

  it('keeps the guard where an object could match (a string range without an upper bound)', () => {
    const { sql } = compileSelector({ op: 'and', of: [{ op: 'gte', field: 'date', value: '2024-03-01' }] });
    expect(sql).toContain(`json_type(data, '$."date"') = 'text'`);
  });

  it('checks one guard per field and type, not one per term', () => {
    const { sql } = compileSelector({
      op: 'and',
      of: [
        { op: 'gte', field: 'label', value: 'a' },
        { op: 'lt', field: 'label', value: 'z' },
      ],
    });
    expect(sql.match(/json_type/g)).toHaveLength(1);
  });
});
