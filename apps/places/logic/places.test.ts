import { beforeAll, describe, expect, it } from 'vitest';
import { createHousehold, type Household } from '../../../src/holders/household/household.js';
import { usualPlaces } from '../../../src/holders/household/places.js';
import { localTimeIn } from '../../shared/local-time.js';
import { distanceMetres } from './geo.js';
import { findPlaces, type PlacesResult } from './places.js';
import type { LocationPoint } from './types.js';

const range = { from: '2025-01-01', to: '2025-12-31' };
const localTime = localTimeIn('Europe/Paris');
/** Cell positions are the cell site's: a grid of 0.01° by 0.014°, up to about 1.5 km from the phone. */
const CELL_METRES = 1_600;

/**
 * Where the telecom holder reports a phone at a place: the cell site the household generator puts
 * it at (src/holders/household/telecom.ts, cellSite), restated here as the test's ground truth.
 */
const cellSite = (p: { lat: number; lon: number }): { lat: number; lon: number } => ({
  lat: Math.round((Math.round(p.lat / 0.01) * 0.01 + 0.005) * 1e5) / 1e5,
  lon: Math.round((Math.round(p.lon / 0.014) * 0.014 + 0.007) * 1e5) / 1e5,
});

let household: Household;
const results = new Map<string, PlacesResult>();
const pointsOf = (customerId: string): LocationPoint[] =>
  household.records(customerId, 'telecom', 'location.point', range).map((r) => r.data as unknown as LocationPoint);
function placesOf(customerId: string): PlacesResult {
  let r = results.get(customerId);
  if (!r) results.set(customerId, (r = findPlaces(pointsOf(customerId), { localTime })));
  return r;
}

beforeAll(() => {
  household = createHousehold({ seed: 'places-app' });
});

describe('most frequented places', () => {
  it('ranks the home address first, by time spent, for every household', () => {
    for (const c of household.customers) {
      const { places } = placesOf(c.id);
      const [top] = places;
      expect(distanceMetres(top as { lat: number; lon: number }, c.home), c.id).toBeLessThan(CELL_METRES);
      expect(distanceMetres(top as { lat: number; lon: number }, cellSite(c.home)), c.id).toBeLessThan(1);
      expect(top?.home, c.id).toBe(true);
      expect(top?.category).toBe('home');
      // Nights at home most of the year (a holiday away), an evening and a night every day.
      expect(top?.hours, c.id).toBeGreaterThan(365 * 10);
      expect(top?.hours, c.id).toBeLessThan(366 * 24);
    }
  });

  it('ranks the workplace second for those who go to work', () => {
    for (const c of household.customers.filter((x) => x.workplace && x.telecom.mobiles.length === 1)) {
      const { places } = placesOf(c.id);
      const work = c.workplace as { lat: number; lon: number };
      expect(distanceMetres(places[1] as { lat: number; lon: number }, cellSite(work)), c.id).toBeLessThan(1);
      expect(distanceMetres(places[1] as { lat: number; lon: number }, work), c.id).toBeLessThan(CELL_METRES);
      const second = places[1];
      expect(second?.home).toBe(false);
    }
  });

  it('counts time once when two phones are at home together', () => {
    const family = placesOf('family');
    const [home] = family.places;
    const sum = household.customer('family').telecom.mobiles.length;
    expect(sum).toBe(2);
    expect(home?.hours).toBeLessThan(366 * 24);
  });

  it('finds the holiday place far from home, with days spent there', () => {
    const c = household.customer('single-parent');
    const far = placesOf(c.id).places.filter((p) => distanceMetres(p, c.home) > 50_000);
    expect(far.length).toBeGreaterThanOrEqual(1);
    expect(far[0]?.hours).toBeGreaterThan(24 * 7);
  });
});

describe('trips per day', () => {
  it('counts home-work-home on a working day, and the shop on a shopping day', () => {
    const c = household.customer('single-parent');
    const places = usualPlaces(c);
    const r = placesOf(c.id);
    const placeAt = (p: { lat: number; lon: number }): number | undefined =>
      r.places.find((x) => distanceMetres(x, cellSite(p)) < 1)?.id;
    const [home, work, store] = [
      placeAt(c.home),
      placeAt(c.workplace as { lat: number; lon: number }),
      placeAt(places.store),
    ];
    expect(new Set([home, work, store]).size).toBe(3);
    const shopping = new Set(household.records(c.id, 'retailer', 'retail.receipt', range).map((x) => x.day));
    const perDay = new Map(r.tripsPerDay.map((d) => [d.day, d.trips]));
    let checked = 0;
    for (const day of [
      '2025-03-04',
      '2025-03-05',
      '2025-03-06',
      '2025-03-11',
      '2025-03-12',
      '2025-03-13',
      '2025-05-20',
      '2025-10-14',
    ]) {
      // A trip to the shop after work, then home: one more.
      expect(perDay.get(day), day).toBe(shopping.has(day) ? 3 : 2);
      checked += shopping.has(day) ? 1 : 0;
    }
    expect(checked).toBeGreaterThan(0);
    expect(r.trips.filter((t) => t.day === '2025-03-04').map((t) => t.toPlace)).toEqual(
      shopping.has('2025-03-04') ? [work, store, home] : [work, home],
    );
  });

  it('gives every day with data a count, zero when nobody moved', () => {
    const r = placesOf('retirees');
    expect(r.tripsPerDay).toHaveLength(365);
    expect(r.tripsPerDay.some((d) => d.trips === 0)).toBe(true);
  });
});

describe('bad input and visits', () => {
  it('leaves aside points without valid coordinates or time, and counts them', () => {
    const good: LocationPoint = { deviceId: 'd', t: '2025-01-01T10:00:00Z', lat: 47.2, lon: -1.5 };
    const r = findPlaces(
      [
        good,
        { ...good, t: 'yesterday' },
        { ...good, lat: 123 },
        { ...good, lon: Number.NaN },
        { ...good, t: '2025-01-01T12:00:00Z' },
      ],
      { localTime },
    );
    expect(r.rejected).toBe(3);
    expect(r.places).toHaveLength(1);
    expect(r.places[0]?.hours).toBe(2);
  });

  it('names a place from a visit whose centre falls in it, and adds the visit’s time', () => {
    const p = (t: string): LocationPoint => ({ deviceId: 'd', t, lat: 47.2, lon: -1.5 });
    const r = findPlaces([p('2025-01-01T10:00:00Z'), p('2025-01-01T11:00:00Z')], { localTime }, [
      {
        start: '2025-01-01T10:30:00Z',
        end: '2025-01-01T13:00:00Z',
        lat: 47.2005,
        lon: -1.5005,
        placeName: 'Piscine',
        placeCategory: 'sport',
      },
      { start: '2025-01-01T10:30:00Z', end: '2025-01-01T09:00:00Z', lat: 47.2, lon: -1.5 },
    ]);
    expect(r.places).toHaveLength(1);
    expect(r.places[0]?.name).toBe('Piscine');
    expect(r.places[0]?.hours).toBe(3);
    expect(r.rejected).toBe(1);
  });

  it('does not bridge a hole in the history longer than the gap allowed', () => {
    const p = (t: string, lat: number): LocationPoint => ({ deviceId: 'd', t, lat, lon: -1.5 });
    const r = findPlaces([p('2025-01-01T10:00:00Z', 47.2), p('2025-01-03T10:00:00Z', 47.3)], {
      localTime,
      maxGapHours: 12,
    });
    expect(r.trips).toEqual([]);
    expect(r.places.every((x) => x.hours === 0)).toBe(true);
  });
});
