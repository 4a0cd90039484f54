import type { Household } from './household.js';
import type { Rng } from './rng.js';

export type PlaceCategory =
  'home' | 'work' | 'shop' | 'restaurant' | 'sport' | 'leisure' | 'health' | 'family' | 'school';

export interface UsualPlace {
  name: string;
  category: PlaceCategory;
  lat: number;
  lon: number;
  street: string;
}

const METRES_PER_DEGREE = 111_320;

/** Moves a point by metres north and east. */
export function offset(lat: number, lon: number, northM: number, eastM: number): { lat: number; lon: number } {
  return {
    lat: lat + northM / METRES_PER_DEGREE,
    lon: lon + eastM / (METRES_PER_DEGREE * Math.cos((lat * Math.PI) / 180)),
  };
}

/**
 * The places the household's first adult goes to, all derived from the home and work places. Built
 * from `rng.fork('places')` by the location generators so that points and visits agree.
 */
export function usualPlaces(h: Household, rng: Rng): UsualPlace[] {
  const near = (name: string, category: PlaceCategory, maxM: number, street: string): UsualPlace => ({
    name,
    category,
    ...offset(h.home.lat, h.home.lon, rng.float(-maxM, maxM), rng.float(-maxM, maxM)),
    street,
  });
  return [
    { name: 'Domicile', category: 'home', lat: h.home.lat, lon: h.home.lon, street: h.home.street },
    {
      name: h.work.name,
      category: 'work',
      lat: h.work.lat,
      lon: h.work.lon,
      street: `${rng.int(1, 80)} avenue de la Gare`,
    },
    near('Carrefour Market', 'shop', 900, `${rng.int(1, 60)} rue du Commerce`),
    near('Boulangerie Au Bon Pain', 'shop', 300, `${rng.int(1, 60)} place du Marché`),
    near('Le Bistrot du Marché', 'restaurant', 1500, `${rng.int(1, 60)} place du Marché`),
    near('Piscine municipale', 'sport', 2500, `${rng.int(1, 60)} rue des Sports`),
    near('Parc municipal', 'leisure', 4000, 'boulevard des Belges'),
    near('Cabinet médical', 'health', 1200, `${rng.int(1, 60)} rue Pasteur`),
    near('Chez les parents', 'family', 12000, `${rng.int(1, 60)} chemin des Vignes`),
  ];
}
