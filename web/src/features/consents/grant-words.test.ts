import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../../../../src/core/catalog/load-catalog.js';
import { consentHash, renderConsentText } from '../../../../src/core/grants/consent-text.js';
import type { GrantTerms as CoreTerms, Grantee as CoreGrantee } from '../../../../src/core/grants/grant.js';
import type { GrantVersion, GrantView } from './grant-types.js';
import { acceptBody, isRenewal, renewalEnd, shownVersion, sortGrants, versionWords } from './grant-words.js';

const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
const grantee: CoreGrantee = { kind: 'client', id: 'bc', name: 'Budget Cloud', publisher: 'Budget SAS' };
const terms: CoreTerms = {
  scopes: [
    { doctype: 'bank.transaction', verbs: ['read'], filter: { amount: { $lt: 0 } }, fields: ['date', 'amount'] },
    { doctype: 'bill', verbs: ['read', 'create'], optional: true, reason: { en: 'to match', fr: 'pour rapprocher' } },
  ],
  purpose: { code: 'personal-insight', text: { en: 'Chart your spending.', fr: 'Suivre vos dépenses.' } },
  storage: { kind: 'recipient', name: 'Budget Cloud SAS', country: 'FR' },
  retention: 'P1Y6M',
  validUntil: '2027-01-31T12:00:00.000Z',
  onWithdraw: 'keep',
};

function version(n: number, t: CoreTerms, decision?: GrantVersion['decision']): GrantVersion {
  const consentText = renderConsentText(catalog, grantee, t);
  return {
    version: n,
    terms: t as GrantVersion['terms'],
    consentText,
    consentHash: consentHash(consentText),
    requestedAt: '2026-01-01T00:00:00Z',
    requestedBy: 'owner',
    ...(decision ? { decision } : {}),
  };
}

function grant(over: Partial<GrantView>): GrantView {
  return {
    id: 'g1',
    grantee,
    createdAt: '2026-01-01T00:00:00Z',
    status: 'pending',
    scopes: [],
    needsRenewal: false,
    active: null,
    pending: null,
    history: [],
    receipts: [],
    ...over,
  };
}

describe('a grant in plain words', () => {
  it('cuts Foyer’s consent text into who, which data, purpose, where, how long, until when, withdrawal', () => {
    const words = versionWords(version(1, terms), 'en');
    expect(words.who).toBe('The outside service “Budget Cloud” (Budget SAS) asks for access to your data.');
    expect(words.purpose).toBe('analyse your data for you (budgets, consumption, trends). Chart your spending.');
    expect(words.data.map((d) => d.text)).toEqual([
      'Bank transaction (bank.transaction): read; only where amount is less than 0; only the fields date, amount',
      'Bill (bill): read, add; optional (to match)',
    ]);
    expect(words.data.map((d) => d.optional)).toEqual([false, true]);
    expect(words.where).toBe('copied to Budget Cloud SAS, FR.');
    expect(words.keptFor).toBe('1 year 6 months');
    expect(words.validUntil).toBe('31 January 2027');
    expect(words.onWithdraw).toBe('what it created in your space is kept, unless you choose to delete it.');
  });

  it('speaks French from the French text, with French dates', () => {
    const words = versionWords(version(1, terms), 'fr');
    expect(words.who).toBe('Le service extérieur “Budget Cloud” (Budget SAS) demande l’accès à vos données.');
    expect(words.keptFor).toBe('1 an 6 mois');
    expect(words.where).toBe('copiées chez Budget Cloud SAS, FR.');
    expect(words.validUntil).toBe('31 janvier 2027');
    expect(words.data[1]!.text).toBe('Facture (bill): lire, ajouter; facultatif (pour rapprocher)');
  });

  it('marks the optional scopes the owner left out', () => {
    const accepted = version(1, terms, {
      outcome: 'accepted',
      at: '2026-01-02T00:00:00Z',
      language: 'en',
      omitted: [1],
    });
    expect(versionWords(accepted, 'en').data.map((d) => d.omitted)).toEqual([false, true]);
  });

  it('accepts the pending version with its hash, leaving out only optional scopes', () => {
    const g = grant({ pending: version(2, terms) });
    expect(acceptBody(g, 'fr', [0, 1])).toEqual({
      version: 2,
      consentHash: g.pending!.consentHash,
      language: 'fr',
      omit: [1],
    });
    expect(() => acceptBody(grant({}), 'en', [])).toThrow('nothing to accept');
  });

  it('tells a renewal (same terms, later end) from new terms, and shows the pending version first', () => {
    const active = version(1, terms, { outcome: 'accepted', at: '2026-01-02T00:00:00Z', language: 'en', omitted: [] });
    const renewal = version(2, { ...terms, validUntil: '2028-01-31T12:00:00.000Z' });
    const wider = version(2, { ...terms, retention: 'P5Y', validUntil: '2028-01-31T12:00:00.000Z' });
    expect(isRenewal(grant({ active, pending: renewal }))).toBe(true);
    expect(isRenewal(grant({ active, pending: wider }))).toBe(false);
    expect(shownVersion(grant({ active, pending: renewal }))).toBe(renewal);
    expect(shownVersion(grant({ active }))).toBe(active);
    expect(renewalEnd(grant({ active }), Date.parse('2026-06-01T00:00:00Z'))).toBe('2028-01-31T12:00:00.000Z');
    expect(renewalEnd(grant({ active }), Date.parse('2027-06-01T00:00:00Z'))).toBe('2028-06-01T00:00:00.000Z');
  });

  it('orders grants: waiting for consent, to renew, in force, then withdrawn and refused', () => {
    const a = grant({ id: 'a', status: 'withdrawn', grantee: { ...grantee, name: 'A' } });
    const b = grant({ id: 'b', status: 'active', grantee: { ...grantee, name: 'B' } });
    const c = grant({ id: 'c', status: 'active', needsRenewal: true, grantee: { ...grantee, name: 'C' } });
    const d = grant({ id: 'd', status: 'pending', pending: version(1, terms), grantee: { ...grantee, name: 'D' } });
    expect(sortGrants([a, b, c, d]).map((g) => g.id)).toEqual(['d', 'c', 'b', 'a']);
  });
});
