import { describe, expect, it } from 'vitest';
import { parseDecimal, roundTo, shiftDecimal, toKwh, toVoltAmperes, toWatts } from './energy-numbers.js';

describe('parseDecimal', () => {
  it('reads French and English decimals, signs and grouped thousands', () => {
    expect(parseDecimal('1 234,56')).toBe(1234.56);
    expect(parseDecimal('1\u00a0234,5')).toBe(1234.5);
    expect(parseDecimal('1.234,56')).toBe(1234.56);
    expect(parseDecimal('+3500,00')).toBe(3500);
    expect(parseDecimal('-0,5')).toBe(-0.5);
    expect(parseDecimal('12.5')).toBe(12.5);
    expect(parseDecimal(' 540 ')).toBe(540);
  });

  it('tells an empty cell (undefined) from one that is not a number (null)', () => {
    expect(parseDecimal('')).toBeUndefined();
    expect(parseDecimal('  ')).toBeUndefined();
    expect(parseDecimal('12,3,4')).toBeNull();
    expect(parseDecimal('n/a')).toBeNull();
    expect(parseDecimal('1e308')).toBeNull();
    expect(parseDecimal('4x,9')).toBeNull();
  });
});

describe('unit changes', () => {
  it('moves the decimal point instead of multiplying floats', () => {
    expect(toKwh(1234.5, 'Wh')).toBe(1.2345);
    expect(toKwh(11776, 'Wh')).toBe(11.776);
    expect(toKwh(0.1, 'MWh')).toBe(100);
    expect(toWatts(1.5, 'kW')).toBe(1500);
    expect(toVoltAmperes(6.12, 'kVA')).toBe(6120);
    expect(toVoltAmperes(3695, 'W')).toBe(3695);
    expect(shiftDecimal(2310, -3)).toBe(2.31);
  });

  it('knows no other units', () => {
    expect(toKwh(1, 'm3')).toBeUndefined();
    expect(toWatts(1, 'Wh')).toBeUndefined();
  });

  it('rounds halves away from zero in decimal', () => {
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(5.24 * 11.22, 3)).toBe(58.793);
  });
});
