import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../catalog/load-catalog.js';
import { consentHash, duration, renderConsentText } from './consent-text.js';
import type { GrantTerms } from './grant.js';

const terms: GrantTerms = {
  scopes: [
    {
      doctype: 'bank.transaction',
      verbs: ['read'],
      filter: { accountId: 'acc-1', amount: { $lt: 0 } },
      fields: ['date', 'amount'],
    },
    { doctype: 'bill', verbs: ['read', 'create'], optional: true, reason: { en: 'to match', fr: 'pour rapprocher' } },
  ],
  purpose: { code: 'personal-insight', text: { en: 'Chart your spending.', fr: 'Suivre vos dépenses.' } },
  storage: { kind: 'recipient', name: 'Budget Cloud SAS', country: 'FR' },
  retention: 'P1Y6M',
  validUntil: '2027-01-01T00:00:00.000Z',
  onWithdraw: 'keep',
};

describe('the consent text', async () => {
  const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
  const text = renderConsentText(catalog, { kind: 'client', id: 'bc', name: 'Budget Cloud' }, terms);

  it('says the filter and the field list in words, with the schema’s labels', () => {
    expect(text.en).toContain(
      'Bank transaction (bank.transaction): read; only where account id (accountId) is “acc-1” and amount is less than 0; only the fields date, amount',
    );
    expect(text.fr).toContain(
      'seulement si identifiant du compte (accountId) vaut “acc-1” et montant (amount) est inférieur à 0',
    );
  });

  it('names the recipient, the retention, the end and what withdrawal does, in both languages', () => {
    expect(text.en).toContain('Where it goes: copied to Budget Cloud SAS, FR.');
    expect(text.en).toContain('Kept by the grantee: 1 year 6 months');
    expect(text.fr).toContain('Conservation par le bénéficiaire : 1 an 6 mois');
    expect(text.en).toContain('Valid until: 2027-01-01');
    expect(text.en).toContain('what it created in your space is kept, unless you choose to delete it.');
    expect(text.en).toContain('add; optional (to match)');
  });

  it('is the same text, and hash, for the same terms; another for other terms', () => {
    const again = renderConsentText(
      catalog,
      { kind: 'client', id: 'bc', name: 'Budget Cloud' },
      structuredClone(terms),
    );
    expect(consentHash(again)).toBe(consentHash(text));
    const other = renderConsentText(
      catalog,
      { kind: 'client', id: 'bc', name: 'Budget Cloud' },
      { ...terms, retention: 'P2Y' },
    );
    expect(consentHash(other)).not.toBe(consentHash(text));
  });

  it('leaves a duration it cannot say as written', () => {
    expect(duration('en', 'PT12H')).toBe('PT12H');
    expect(duration('fr', 'P2W')).toBe('2 semaines');
  });
});
