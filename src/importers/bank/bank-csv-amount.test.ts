import { describe, expect, it } from 'vitest';
import { currencyMarkOf, decimalMarkOf, parseAmount } from './bank-csv-amount.js';

describe('parseAmount', () => {
  it('reads decimal commas and decimal points', () => {
    expect(parseAmount('-54,20', ',')).toBe(-54.2);
    expect(parseAmount('2500.00', '.')).toBe(2500);
    expect(parseAmount('+3500,00', ',')).toBe(3500);
    expect(parseAmount('0,05', ',')).toBe(0.05);
  });

  it('reads thousands grouped by spaces, no-break spaces and narrow no-break spaces', () => {
    expect(parseAmount('-1 234,56', ',')).toBe(-1234.56);
    expect(parseAmount('-1\u00a0234,56', ',')).toBe(-1234.56);
    expect(parseAmount('1\u202f234\u202f567,89', ',')).toBe(1234567.89);
    expect(parseAmount("1'234.50", '.')).toBe(1234.5);
  });

  it('reads thousands grouped by the other mark', () => {
    expect(parseAmount('1.234,56', ',')).toBe(1234.56);
    expect(parseAmount('1,234.56', '.')).toBe(1234.56);
    expect(parseAmount('-1.250,00', ',')).toBe(-1250);
  });

  it('reads a number the decimal mark cannot, with the other mark', () => {
    expect(parseAmount('37.29', ',')).toBe(37.29);
    expect(parseAmount('12,50', '.')).toBe(12.5);
  });

  it('lets the decimal mark decide the truly ambiguous 1.234 and 1,234', () => {
    expect(parseAmount('1.234', ',')).toBe(1234);
    expect(parseAmount('1,234', '.')).toBe(1234);
    expect(parseAmount('1,234', ',')).toBe(1.23);
  });

  it('reads parentheses and trailing minus signs as negatives', () => {
    expect(parseAmount('(12.50)', '.')).toBe(-12.5);
    expect(parseAmount('123,45-', ',')).toBe(-123.45);
    expect(parseAmount('\u221245.99', '.')).toBe(-45.99);
  });

  it('drops a currency written before or after the number', () => {
    expect(parseAmount('12,50 €', ',')).toBe(12.5);
    expect(parseAmount('-12,50\u00a0€', ',')).toBe(-12.5);
    expect(parseAmount('3,50 EUR', ',')).toBe(3.5);
    expect(parseAmount('EUR 12.50', '.')).toBe(12.5);
    expect(parseAmount('-$200.00', '.')).toBe(-200);
    expect(parseAmount('€-7,10', ',')).toBe(-7.1);
    expect(parseAmount('1 000 euros', ',')).toBe(1000);
  });

  it('rounds to cents', () => {
    expect(parseAmount('10,005', ',')).toBe(10.01);
    expect(parseAmount('0.1234', '.')).toBe(0.12);
  });

  it('refuses what is not an amount', () => {
    for (const text of [
      '',
      ' ',
      'abc',
      '12,3,4',
      '1 23,45',
      '12 34',
      '--5',
      '(-5)',
      '5 DR',
      'CB12',
      '1.2.3,4,5',
      '12,',
    ]) {
      expect(parseAmount(text, ','), text).toBeNull();
    }
  });
});

describe('decimalMarkOf', () => {
  it('tells the mark from one or two decimals, or from both marks present', () => {
    expect(decimalMarkOf('12,50')).toBe(',');
    expect(decimalMarkOf('-3.5')).toBe('.');
    expect(decimalMarkOf('1.234,56')).toBe(',');
    expect(decimalMarkOf('1,234.56')).toBe('.');
    expect(decimalMarkOf('1.234.567')).toBe(',');
  });

  it('says nothing for integers and three decimals', () => {
    expect(decimalMarkOf('1234')).toBeNull();
    expect(decimalMarkOf('1.234')).toBeNull();
    expect(decimalMarkOf('texte')).toBeNull();
  });
});

describe('currencyMarkOf', () => {
  it('names the currency a symbol or a code stands for', () => {
    expect(currencyMarkOf('12,50 €')).toBe('EUR');
    expect(currencyMarkOf('-$200.00')).toBe('USD');
    expect(currencyMarkOf('£3.20')).toBe('GBP');
    expect(currencyMarkOf('3,50 EUR')).toBe('EUR');
    expect(currencyMarkOf('CHF 10.00')).toBe('CHF');
    expect(currencyMarkOf('12,50')).toBeNull();
  });
});
