import { describe, expect, it } from 'vitest';
import { describeIssues, fieldName, issuesFromAjvErrors } from './validation-issue.js';

describe('fieldName', () => {
  it('turns JSON pointers into readable field names', () => {
    expect(fieldName('')).toBe('document');
    expect(fieldName('/amount')).toBe('amount');
    expect(fieldName('/counterparty/iban')).toBe('counterparty.iban');
    expect(fieldName('/lines/0/amount')).toBe('lines[0].amount');
    expect(fieldName('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});

describe('issuesFromAjvErrors', () => {
  it('returns no issue for no error', () => {
    expect(issuesFromAjvErrors(null, true)).toEqual([]);
  });

  it('escapes field names that hold a slash in the path, not in the message', () => {
    const issues = issuesFromAjvErrors(
      [
        {
          keyword: 'additionalProperties',
          instancePath: '',
          schemaPath: '#/additionalProperties',
          params: { additionalProperty: 'a/b' },
        },
      ],
      false,
    );
    expect(issues).toEqual([
      { path: '/a~1b', rule: 'additionalProperties', message: 'a/b: is not a field of this doctype' },
    ]);
  });

  it('drops "if" errors and keeps the failing branch', () => {
    const issues = issuesFromAjvErrors(
      [
        {
          keyword: 'format',
          instancePath: '/start',
          schemaPath: '#/then/properties/start/format',
          params: { format: 'date' },
        },
        { keyword: 'if', instancePath: '', schemaPath: '#/if', params: { failingKeyword: 'then' } },
      ],
      true,
    );
    expect(issues.map((i) => i.rule)).toEqual(['format']);
  });

  it('falls back to ajv wording for rules it has no sentence for', () => {
    const issues = issuesFromAjvErrors(
      [
        {
          keyword: 'contains',
          instancePath: '/tags',
          schemaPath: '#/properties/tags/contains',
          params: {},
          message: 'must contain at least 1 valid item(s)',
        },
      ],
      true,
    );
    expect(describeIssues(issues)).toBe('tags: must contain at least 1 valid item(s)');
  });
});
