import { describe, expect, it } from 'vitest';
import { addMonths, daysInMonth, localDay, operationDay } from './days.js';
import { namingWords, normalise, words } from './text.js';

describe('days', () => {
  it('count an instant in its Paris day, in winter and in summer time, across both changes', () => {
    expect(localDay('2025-01-14T23:00:00Z')).toBe('2025-01-15');
    expect(localDay('2025-01-14T22:59:59Z')).toBe('2025-01-14');
    expect(localDay('2025-07-14T22:00:00Z')).toBe('2025-07-15');
    expect(localDay('2025-07-14T21:59:00Z')).toBe('2025-07-14');
    // 30 March 2025, 01:00 UTC: clocks go to summer time; 26 October 2025, 01:00 UTC: back.
    expect(localDay('2025-03-29T23:00:00Z')).toBe('2025-03-30');
    expect(localDay('2025-10-25T22:00:00Z')).toBe('2025-10-26');
    expect(localDay('2025-03-12')).toBe('2025-03-12');
  });

  it('refuse what is not a date', () => {
    expect(() => localDay('yesterday')).toThrow(RangeError);
    expect(() => operationDay({ date: '' })).toThrow(RangeError);
  });

  it('prefer the value date the bank gives', () => {
    expect(operationDay({ date: '2025-03-01T10:00:00Z', valueDate: '2025-02-28' })).toBe('2025-02-28');
  });

  it('move by months on a day of month, clamped to short months', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-02-28', 1, 31)).toBe('2025-03-31');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-01-15', -2)).toBe('2024-11-15');
    expect(daysInMonth('2025-04')).toBe(30);
  });
});

describe('label words', () => {
  it('drop accents, punctuation, dates, numbers, references and stop words; naming words drop the bank jargon', () => {
    expect(normalise("Eau de l'Estuaire — Facture n°12")).toBe('EAU DE L ESTUAIRE FACTURE N 12');
    expect(words('PRLV SEPA LUMEN ENERGIE FACTURE ELEC LE202501645618159')).toEqual([
      'PRLV',
      'SEPA',
      'LUMEN',
      'ENERGIE',
      'FACTURE',
      'ELEC',
    ]);
    expect(namingWords('CB LE BISTROT DU PORT 12/03')).toEqual(['BISTROT', 'PORT']);
    expect(words('')).toEqual([]);
  });
});
