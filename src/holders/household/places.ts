import type { Customer, Place } from './customers.js';

const METRES_PER_DEGREE = 111_320;

/** A point `northKm` and `eastKm` away, rounded to about a metre. */
export function shift(
  from: { lat: number; lon: number },
  northKm: number,
  eastKm: number,
): { lat: number; lon: number } {
  return {
    lat: Math.round((from.lat + (northKm * 1000) / METRES_PER_DEGREE) * 1e5) / 1e5,
    lon:
      Math.round((from.lon + (eastKm * 1000) / (METRES_PER_DEGREE * Math.cos((from.lat * Math.PI) / 180))) * 1e5) / 1e5,
  };
}

export interface UsualPlaces {
  home: Place;
  /** Where each adult works, by index in `people`; missing for those who do not. */
  work: (Place | undefined)[];
  store: Place;
  leisure: Place;
  family: Place;
}

/** Places derived from the home only, so every holder that needs them agrees. */
export function usualPlaces(c: Customer): UsualPlaces {
  const second: Place | undefined =
    c.profile === 'family' ? { name: 'Centre hospitalier', ...shift(c.home, 1.1, 8.3) } : undefined;
  return {
    home: c.home,
    work: [c.workplace, second],
    store: { name: `Marché Frais ${c.address.city}`, ...shift(c.home, 0.9, -0.7) },
    leisure: { name: 'Parc', ...shift(c.home, -1.6, 1.2) },
    family: { name: 'Famille', ...shift(c.home, 14.2, -21.5) },
  };
}
