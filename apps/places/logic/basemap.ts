/**
 * The bundled basemap: a deliberately coarse outline of metropolitan France and Corsica, the Loire,
 * and a few towns, written for this app by hand from well-known coastal and border landmarks
 * (about 150 vertices, a few kilometres off in places). It draws offline in SVG, so the map never
 * asks another host for anything; a tile source can be configured instead (see map-view.ts).
 * Coordinates are GeoJSON order: [longitude, latitude].
 */
export type Position = [number, number];

export interface BasemapFeature {
  type: 'Feature';
  properties: { kind: 'land' | 'river' | 'town'; name: string };
  geometry:
    | { type: 'Polygon'; coordinates: Position[][] }
    | { type: 'LineString'; coordinates: Position[] }
    | { type: 'Point'; coordinates: Position };
}

export interface Basemap {
  type: 'FeatureCollection';
  features: BasemapFeature[];
}

const mainland: Position[] = [
  // North Sea and Channel, east to west
  [2.55, 51.09],
  [1.85, 50.95],
  [1.58, 50.73],
  [1.56, 50.4],
  [1.55, 50.2],
  [1.38, 50.07],
  [1.08, 49.93],
  [0.37, 49.76],
  [0.07, 49.51],
  [0.23, 49.42],
  [-0.25, 49.29],
  [-0.6, 49.35],
  [-1.17, 49.4],
  [-1.26, 49.67],
  [-1.62, 49.65],
  [-1.94, 49.72],
  [-1.76, 49.38],
  [-1.6, 48.84],
  [-1.51, 48.64],
  [-2.02, 48.65],
  [-2.32, 48.68],
  [-2.77, 48.53],
  [-3.0, 48.85],
  [-3.45, 48.82],
  [-3.98, 48.73],
  [-4.6, 48.6],
  [-4.77, 48.33],
  [-4.3, 48.3],
  [-4.55, 48.25],
  [-4.3, 48.1],
  [-4.73, 48.04],
  // Atlantic, north to south
  [-4.37, 47.8],
  [-3.92, 47.87],
  [-3.37, 47.72],
  [-3.12, 47.48],
  [-2.9, 47.55],
  [-2.51, 47.35],
  [-2.55, 47.29],
  [-2.39, 47.27],
  [-2.21, 47.27],
  [-2.17, 47.24],
  [-2.1, 47.11],
  [-2.0, 47.0],
  [-2.14, 46.89],
  [-1.94, 46.69],
  [-1.78, 46.49],
  [-1.43, 46.34],
  [-1.15, 46.16],
  [-1.09, 45.99],
  [-1.1, 45.82],
  [-1.24, 45.69],
  [-1.03, 45.62],
  [-0.75, 45.4],
  [-1.12, 45.51],
  [-1.2, 45.1],
  [-1.25, 44.63],
  [-1.25, 44.4],
  [-1.3, 44.2],
  [-1.45, 43.64],
  [-1.56, 43.48],
  [-1.78, 43.36],
  // Pyrenees, west to east
  [-1.5, 43.28],
  [-1.38, 43.05],
  [-0.75, 42.95],
  [-0.3, 42.83],
  [0.0, 42.7],
  [0.65, 42.69],
  [0.72, 42.86],
  [1.45, 42.6],
  [1.73, 42.5],
  [2.0, 42.37],
  [2.5, 42.34],
  [3.05, 42.45],
  [3.17, 42.43],
  // Mediterranean, west to east
  [3.04, 42.7],
  [3.05, 42.91],
  [3.17, 43.17],
  [3.47, 43.28],
  [3.7, 43.4],
  [3.93, 43.53],
  [4.13, 43.53],
  [4.43, 43.45],
  [4.82, 43.39],
  [5.05, 43.33],
  [5.35, 43.3],
  [5.54, 43.21],
  [5.93, 43.1],
  [6.13, 43.03],
  [6.37, 43.14],
  [6.64, 43.27],
  [6.74, 43.42],
  [7.01, 43.55],
  [7.13, 43.56],
  [7.27, 43.7],
  [7.5, 43.78],
  // Alps and Jura, south to north
  [7.53, 43.79],
  [7.67, 44.13],
  [7.0, 44.23],
  [6.88, 44.42],
  [6.95, 44.65],
  [6.63, 45.1],
  [7.05, 45.22],
  [6.95, 45.64],
  [7.03, 45.92],
  [6.8, 46.13],
  [6.8, 46.4],
  [6.52, 46.45],
  [6.24, 46.31],
  [5.97, 46.21],
  [6.13, 46.59],
  [6.44, 46.93],
  [6.95, 47.25],
  [6.88, 47.35],
  [7.1, 47.5],
  [7.55, 47.58],
  // Rhine, then the northern borders back west
  [7.58, 48.0],
  [7.8, 48.58],
  [8.23, 48.97],
  [7.64, 49.06],
  [7.1, 49.15],
  [6.73, 49.17],
  [6.37, 49.46],
  [5.82, 49.55],
  [5.43, 49.6],
  [4.85, 49.79],
  [4.83, 50.16],
  [4.15, 49.98],
  [4.15, 50.28],
  [3.67, 50.32],
  [3.29, 50.5],
  [3.02, 50.77],
  [2.63, 50.82],
  [2.55, 51.09],
];

const corsica: Position[] = [
  [9.36, 43.01],
  [9.45, 42.7],
  [9.55, 42.1],
  [9.25, 41.4],
  [9.15, 41.38],
  [8.8, 41.55],
  [8.62, 41.9],
  [8.55, 42.38],
  [8.75, 42.6],
  [9.27, 42.72],
  [9.36, 43.01],
];

const loire: Position[] = [
  [-2.2, 47.27],
  [-1.95, 47.25],
  [-1.75, 47.22],
  [-1.55, 47.21],
  [-1.3, 47.3],
  [-1.18, 47.37],
  [-0.85, 47.36],
  [-0.52, 47.42],
  [-0.08, 47.26],
  [0.2, 47.22],
  [0.69, 47.4],
  [1.33, 47.59],
  [1.9, 47.9],
  [2.63, 47.69],
  [2.93, 47.42],
  [3.16, 46.99],
];

const towns: [string, number, number][] = [
  ['Nantes', -1.5536, 47.2184],
  ['Saint-Nazaire', -2.2139, 47.2735],
  ['Angers', -0.5632, 47.4784],
  ['La Roche-sur-Yon', -1.4269, 46.6705],
  ['Rennes', -1.6778, 48.1173],
  ['Paris', 2.3522, 48.8566],
  ['Bordeaux', -0.5792, 44.8378],
  ['Lyon', 4.8357, 45.764],
  ['Marseille', 5.3698, 43.2965],
  ['Toulouse', 1.4442, 43.6047],
  ['Lille', 3.0573, 50.6292],
  ['Strasbourg', 7.7521, 48.5734],
];

export const basemap: Basemap = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      properties: { kind: 'land', name: 'France' },
      geometry: { type: 'Polygon', coordinates: [mainland] },
    },
    {
      type: 'Feature',
      properties: { kind: 'land', name: 'Corse' },
      geometry: { type: 'Polygon', coordinates: [corsica] },
    },
    {
      type: 'Feature',
      properties: { kind: 'river', name: 'Loire' },
      geometry: { type: 'LineString', coordinates: loire },
    },
    ...towns.map(([name, lon, lat]): BasemapFeature => ({
      type: 'Feature',
      properties: { kind: 'town', name },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    })),
  ],
};

/** Whether a point lies inside a ring (ray casting; the ring closes on itself). */
export function insideRing(ring: readonly Position[], lon: number, lat: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as Position;
    const [xj, yj] = ring[j] as Position;
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point falls on the basemap's land. */
export function onLand(lon: number, lat: number): boolean {
  return basemap.features.some(
    (f) => f.geometry.type === 'Polygon' && f.geometry.coordinates.some((ring) => insideRing(ring, lon, lat)),
  );
}
