import { describe, expect, it } from 'vitest';
import { createCountryMatcher } from './country-codes.js';

describe('createCountryMatcher', () => {
  it('reads country names in French, English, German and other languages, in any case and accents', () => {
    const countries = createCountryMatcher();
    expect(
      [
        'France',
        'FRANCE',
        'Allemagne',
        'Deutschland',
        'Royaume-Uni',
        'États-Unis',
        'Japon',
        'Brasil',
        'Sénégal',
        'Côte d’Ivoire',
        'Schweiz',
      ].map((name) => countries.code(name)),
    ).toEqual(['FR', 'FR', 'DE', 'DE', 'GB', 'US', 'JP', 'BR', 'SN', 'CI', 'CH']);
  });

  it('reads codes and usual abbreviations, not groupings or former countries', () => {
    const countries = createCountryMatcher();
    expect(['fr', 'USA', 'UK', 'The Netherlands', 'DEU', 'Turkey'].map((name) => countries.code(name))).toEqual([
      'FR',
      'US',
      'GB',
      'NL',
      'DE',
      'TR',
    ]);
    expect(['Union européenne', 'Yougoslavie', 'Atlantide', ''].map((name) => countries.code(name))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
