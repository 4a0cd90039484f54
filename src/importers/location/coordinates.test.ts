import { describe, it, expect } from 'vitest';
import { distanceMetres, fromE7, parseDecimal, parseDegreePair, parseGeoUri } from './coordinates.js';

describe('coordinates', () => {
  it('reads E7 integers, negative ones and those written with the unsigned overflow', () => {
    expect(fromE7(488583701)).toBe(48.8583701);
    expect(fromE7(-735673000)).toBe(-73.5673);
    expect(fromE7(-735673000 + 2 ** 32)).toBe(-73.5673);
    expect(fromE7(1_800_000_000)).toBe(180);
  });

  it('reads degree-sign pairs and geo: URIs, refusing other shapes', () => {
    expect(parseDegreePair('48.8583°, 2.2945°')).toEqual({ lat: 48.8583, lon: 2.2945 });
    expect(parseDegreePair('-22.9189912°,-43.224765°')).toEqual({ lat: -22.9189912, lon: -43.224765 });
    expect(parseDegreePair('48.8583, 2.2945')).toEqual({ lat: 48.8583, lon: 2.2945 });
    expect(parseDegreePair('48.8583° N, 2.2945° E')).toBeUndefined();
    expect(parseGeoUri('geo:48.858300,2.294500')).toEqual({ lat: 48.8583, lon: 2.2945 });
    expect(parseGeoUri('geo:48.8583,2.2945,35;u=12')).toEqual({ lat: 48.8583, lon: 2.2945 });
    expect(parseGeoUri('geo:48.8583')).toBeUndefined();
    expect(parseGeoUri('48.8583,2.2945')).toBeUndefined();
  });

  it('reads decimals as XML writes them, a decimal comma included', () => {
    expect(parseDecimal(' 45.5 ')).toBe(45.5);
    expect(parseDecimal('45,5')).toBe(45.5);
    expect(parseDecimal('-.5')).toBe(-0.5);
    expect(parseDecimal('1e3')).toBe(1000);
    expect(parseDecimal('45.5.1')).toBeUndefined();
    expect(parseDecimal('NaN')).toBeUndefined();
    expect(parseDecimal(undefined)).toBeUndefined();
  });

  it('measures great-circle distances', () => {
    // Paris to Lyon, about 392 km as the crow flies.
    expect(distanceMetres({ lat: 48.8566, lon: 2.3522 }, { lat: 45.764, lon: 4.8357 }) / 1000).toBeCloseTo(391.5, 0);
    expect(distanceMetres({ lat: 0, lon: 179.9 }, { lat: 0, lon: -179.9 })).toBeCloseTo(22_239, -1);
  });
});
