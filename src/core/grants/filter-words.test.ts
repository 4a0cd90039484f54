import { describe, expect, it } from 'vitest';
import { parseSelector } from '../documents/selector.js';
import { filterInWords } from './filter-words.js';

const words = (json: unknown, lang: 'en' | 'fr' = 'en') =>
  filterInWords(parseSelector(json)!, lang, (f) => (f === 'accountId' ? (lang === 'en' ? 'account' : 'compte') : f));

describe('filterInWords', () => {
  it('says each operator in plain English and French', () => {
    expect(words({ accountId: 'acc-1' })).toBe('account is “acc-1”');
    expect(words({ accountId: 'acc-1' }, 'fr')).toBe('compte vaut “acc-1”');
    expect(words({ amount: { $lt: 0 } })).toBe('amount is less than 0');
    expect(words({ amount: { $gte: 10, $lte: 20 } })).toBe('amount is at least 10 and amount is at most 20');
    expect(words({ category: { $in: ['food', 'rent'] } }, 'fr')).toBe('category vaut l’un de “food”, “rent”');
    expect(words({ note: { $exists: false } })).toBe('note is not given');
    expect(words({ shared: true, closed: null }, 'fr')).toBe('shared vaut oui et closed vaut vide');
  });

  it('keeps the grouping of $or inside $and', () => {
    expect(words({ currency: 'EUR', $or: [{ accountId: 'a' }, { accountId: 'b' }] })).toBe(
      'currency is “EUR” and (account is “a” or account is “b”)',
    );
  });
});
