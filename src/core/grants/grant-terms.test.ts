import { describe, expect, it } from 'vitest';
import { termsChange } from './grant-terms.js';
import type { GrantTerms } from './grant.js';

const base: GrantTerms = {
  scopes: [
    { doctype: 'bank.transaction', verbs: ['read', 'create'], filter: { accountId: 'a' }, fields: ['date', 'amount'] },
    { doctype: 'bill', verbs: ['read'] },
  ],
  purpose: { code: 'personal-insight', text: { en: 'Budget.', fr: 'Budget.' } },
  storage: { kind: 'space' },
  retention: 'P1Y',
  validUntil: '2027-01-01T00:00:00.000Z',
  onWithdraw: 'delete',
};
const withScopes = (scopes: GrantTerms['scopes'], over: Partial<GrantTerms> = {}): GrantTerms => ({
  ...base,
  scopes,
  ...over,
});
const [tx, bill] = base.scopes as [GrantTerms['scopes'][0], GrantTerms['scopes'][0]];

describe('termsChange', () => {
  it('sees the same terms whatever the key order', () => {
    const reordered: GrantTerms = {
      onWithdraw: 'delete',
      validUntil: base.validUntil,
      retention: 'P1Y',
      storage: { kind: 'space' },
      purpose: { text: { fr: 'Budget.', en: 'Budget.' }, code: 'personal-insight' },
      scopes: [
        {
          fields: ['date', 'amount'],
          filter: { accountId: 'a' },
          verbs: ['read', 'create'],
          doctype: 'bank.transaction',
        },
        bill,
      ],
    };
    expect(termsChange(base, reordered)).toBe('none');
  });

  it('applies at once what gives the grantee nothing new', () => {
    expect(termsChange(base, withScopes([tx]))).toBe('narrower');
    expect(termsChange(base, withScopes([{ ...tx, verbs: ['read'] }, bill]))).toBe('narrower');
    expect(termsChange(base, withScopes([{ ...tx, fields: ['date'] }, bill]))).toBe('narrower');
    expect(termsChange(base, { ...base, validUntil: '2026-12-01T00:00:00.000Z' })).toBe('narrower');
  });

  it('asks again for anything wider or different', () => {
    const cases: GrantTerms[] = [
      withScopes([...base.scopes, { doctype: 'contact', verbs: ['read'] }]),
      withScopes([{ ...tx, verbs: ['read', 'create', 'delete'] }, bill]),
      withScopes([{ ...tx, fields: ['date', 'amount', 'label'] }, bill]),
      withScopes([{ ...tx, fields: undefined }, bill]),
      withScopes([{ ...tx, filter: undefined }, bill]),
      withScopes([{ ...tx, filter: { accountId: 'b' } }, bill]),
      { ...base, purpose: { code: 'marketing', text: base.purpose.text } },
      { ...base, purpose: { code: base.purpose.code, text: { en: 'Other.', fr: 'Autre.' } } },
      { ...base, storage: { kind: 'recipient', name: 'Acme' } },
      { ...base, retention: 'P2Y' },
      { ...base, onWithdraw: 'keep' },
      { ...base, validUntil: '2028-01-01T00:00:00.000Z' },
    ];
    for (const terms of cases) expect(termsChange(base, terms), JSON.stringify(terms)).toBe('needs-consent');
  });
});
