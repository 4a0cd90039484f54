import { describe, expect, it } from 'vitest';
import { createHousehold, frenchIban, householdOf } from './household.js';
import { Rng } from './rng.js';

/** ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97 = 1. */
const ibanIsValid = (iban: string): boolean => {
  const moved = iban.slice(4) + iban.slice(0, 4);
  const digits = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return BigInt(digits) % 97n === 1n;
};

describe('frenchIban', () => {
  it('computes valid check digits and RIB key', () => {
    const iban = frenchIban('20041', '01005', '05000130265');
    expect(iban).toMatch(/^FR76200410100505000130265[0-9]{2}$/);
    expect(ibanIsValid(iban)).toBe(true);
    expect(ibanIsValid(iban.replace('0500', '0600'))).toBe(false);
  });
});

describe('createHousehold', () => {
  it('builds the same household from the same seed, a different one from another', () => {
    expect(householdOf(new Rng(1))).toEqual(householdOf(new Rng(1)));
    expect(householdOf(new Rng(1))).not.toEqual(householdOf(new Rng(2)));
  });

  it('gives valid identifiers to accounts, meters and lines', () => {
    for (let seed = 0; seed < 50; seed++) {
      const h = createHousehold(new Rng(seed));
      for (const a of h.accounts) expect(ibanIsValid(a.iban), a.iban).toBe(true);
      expect(h.electricity.usagePointId).toMatch(/^[0-9]{14}$/);
      expect(h.gas.usagePointId).toMatch(/^[0-9]{14}$/);
      for (const p of [...h.adults, ...h.children]) expect(p.mobile).toMatch(/^\+33[67][0-9]{8}$/);
      expect(h.telecom.boxNumber).toMatch(/^\+339[0-9]{8}$/);
      expect(h.vehicle.registration).toMatch(/^[A-Z]{2}-[0-9]{3}-[A-Z]{2}$/);
    }
  });
});
