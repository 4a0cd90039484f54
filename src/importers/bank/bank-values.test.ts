import { describe, expect, it } from 'vitest';
import {
  bankDateProblem,
  bankLabel,
  centsOf,
  dayStartInstant,
  isoInstant,
  normalizeIban,
  parseBankAmount,
} from './bank-values.js';

const NOW = Date.parse('2026-11-24T12:00:00Z');

describe('bank values', () => {
  it('finds impossible and absurd dates', () => {
    expect(bankDateProblem(2024, 2, 29, NOW)).toBeUndefined();
    expect(bankDateProblem(2023, 2, 29, NOW)).toBe('day 29 does not exist in that month');
    expect(bankDateProblem(2024, 13, 1, NOW)).toBe('month 13 does not exist');
    expect(bankDateProblem(2024, 4, 31, NOW)).toBe('day 31 does not exist in that month');
    expect(bankDateProblem(0, 1, 1, NOW)).toBe('the year 0 is before 1900');
    expect(bankDateProblem(1200, 1, 1, NOW)).toBe('the year 1200 is before 1900');
    expect(bankDateProblem(9999, 12, 31, NOW)).toBe('the year 9999 is too far in the future');
    expect(bankDateProblem(2027, 12, 31, NOW)).toBeUndefined();
  });

  it('writes instants in UTC without empty milliseconds, and days as their Paris midnight', () => {
    expect(isoInstant(Date.parse('2024-03-12T10:00:00Z'))).toBe('2024-03-12T10:00:00Z');
    expect(isoInstant(Date.parse('2024-03-12T10:00:00.250Z'))).toBe('2024-03-12T10:00:00.250Z');
    expect(dayStartInstant('2024-03-12', 'Europe/Paris')).toBe('2024-03-11T23:00:00Z');
    expect(dayStartInstant('2024-07-01', 'Europe/Paris')).toBe('2024-06-30T22:00:00Z');
    expect(dayStartInstant('2024-03-12', 'America/New_York')).toBe('2024-03-12T04:00:00Z');
  });

  it('rounds cents half away from zero from the written digits', () => {
    expect(centsOf('12', '5')).toBe(1250);
    expect(centsOf('1', '005')).toBe(101);
    expect(centsOf('', '50')).toBe(50);
    expect(centsOf('0', '994')).toBe(99);
  });

  it('checks IBANs and writes them in electronic form', () => {
    expect(normalizeIban('DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(normalizeIban('fr76 3000 6000 0112 3456 7890 189')).toBe('FR7630006000011234567890189');
    expect(normalizeIban('DE89 3704 0044 0532 0130 01')).toBeUndefined();
    expect(normalizeIban('00012345678')).toBeUndefined();
  });

  it('makes a label of a name and a memo that adds something', () => {
    expect(bankLabel('CB CARREFOUR', 'CB CARREFOUR 11/03 PARIS')).toBe('CB CARREFOUR 11/03 PARIS');
    expect(bankLabel('CB CARREFOUR 11/03 PARIS', 'carrefour')).toBe('CB CARREFOUR 11/03 PARIS');
    expect(bankLabel('PRLV SEPA EDF', 'Échéance  mars\n2024')).toBe('PRLV SEPA EDF - Échéance mars 2024');
    expect(bankLabel('', ' memo only ')).toBe('memo only');
    expect(bankLabel(undefined, '  ')).toBeUndefined();
    expect(bankLabel('x'.repeat(600), undefined)).toHaveLength(500);
  });

  it('reads amounts, refusing what is not a number or is absurd', () => {
    expect(parseBankAmount('-12.50', '.')).toBe(-12.5);
    expect(parseBankAmount('-12,50', '.')).toBe(-12.5);
    expect(parseBankAmount('+3500,00', ',')).toBe(3500);
    expect(parseBankAmount('1,234.56', ',')).toBe(1234.56);
    expect(parseBankAmount('-1.234,56', '.')).toBe(-1234.56);
    expect(parseBankAmount('1 234,56', ',')).toBe(1234.56);
    expect(parseBankAmount('1,234', '.')).toBe(1234);
    expect(parseBankAmount('1,234', ',')).toBe(1.23);
    expect(parseBankAmount('12,3,4', '.')).toBe('the amount "12,3,4" is not a number');
    expect(parseBankAmount('abc', '.')).toBe('the amount "abc" is not a number');
    expect(parseBankAmount('9999999999999', '.')).toBe('the amount "9999999999999" is absurd (a trillion or more)');
  });
});
