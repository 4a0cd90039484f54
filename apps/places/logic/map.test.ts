import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../../src/holders/household/household.js';
import { basemap, onLand } from './basemap.js';
import { fitView, project, tilesFor, unproject, worldPixel } from './map-view.js';

describe('the bundled basemap', () => {
  it('puts every household home on land, and Spain’s Roses and the open sea off it', () => {
    const household = createHousehold({ seed: 'places-map' });
    for (const c of household.customers) expect(onLand(c.home.lon, c.home.lat), c.id).toBe(true);
    expect(onLand(3.1766, 42.2625)).toBe(false);
    expect(onLand(-4.0, 46.5)).toBe(false);
    expect(onLand(2.35, 48.86)).toBe(true);
    expect(onLand(9.1, 42.2)).toBe(true);
  });

  it('is valid GeoJSON: closed rings, longitudes and latitudes in range', () => {
    for (const f of basemap.features) {
      if (f.geometry.type === 'Polygon')
        for (const ring of f.geometry.coordinates) expect(ring[0]).toEqual(ring[ring.length - 1]);
      const coords =
        f.geometry.type === 'Point'
          ? [f.geometry.coordinates]
          : f.geometry.type === 'LineString'
            ? f.geometry.coordinates
            : f.geometry.coordinates.flat();
      for (const [lon, lat] of coords) {
        expect(lon).toBeGreaterThan(-6);
        expect(lon).toBeLessThan(10);
        expect(lat).toBeGreaterThan(41);
        expect(lat).toBeLessThan(52);
      }
    }
  });
});

describe('the map view', () => {
  const nantes = { lat: 47.2184, lon: -1.5536 };
  const angers = { lat: 47.4784, lon: -0.5632 };

  it('fits every point inside the box, with its padding', () => {
    const view = fitView([nantes, angers], 800, 500, { padding: 20 });
    for (const p of [nantes, angers]) {
      const { x, y } = project(view, p);
      expect(x).toBeGreaterThanOrEqual(19.9);
      expect(x).toBeLessThanOrEqual(780.1);
      expect(y).toBeGreaterThanOrEqual(19.9);
      expect(y).toBeLessThanOrEqual(480.1);
    }
    const back = unproject(view, project(view, nantes).x, project(view, nantes).y);
    expect(back.lat).toBeCloseTo(nantes.lat, 6);
    expect(back.lon).toBeCloseTo(nantes.lon, 6);
  });

  it('does not zoom past the maximum on a single point, and refuses an empty box', () => {
    expect(fitView([nantes], 400, 300, { maxZoom: 14 }).zoom).toBe(14);
    expect(() => fitView([nantes], 0, 300)).toThrow(RangeError);
  });

  it('places zoom-0 world pixels on the standard Web Mercator grid', () => {
    expect(worldPixel({ lat: 0, lon: 0 }, 0)).toEqual({ x: 128, y: 128 });
    expect(worldPixel({ lat: 0, lon: -180 }, 1).x).toBe(0);
  });

  it('lists the tiles of a configured source covering the view, and refuses a bad template', () => {
    const view = fitView([nantes, angers], 512, 512, { integerZoom: true });
    const tiles = tilesFor(view, 'https://tiles.example/{z}/{x}/{y}.png');
    expect(tiles.length).toBeGreaterThanOrEqual(4);
    expect(tiles.length).toBeLessThanOrEqual(9);
    expect(tiles[0]?.url).toMatch(new RegExp(`^https://tiles.example/${view.zoom}/\\d+/\\d+\\.png$`));
    for (const t of tiles) {
      expect(t.left).toBeLessThan(512);
      expect(t.left + t.size).toBeGreaterThan(0);
    }
    expect(() => tilesFor(view, 'https://tiles.example/{z}/{x}.png')).toThrow(RangeError);
    expect(() => tilesFor(view, 'http://tiles.example/{z}/{x}/{y}.png')).toThrow(RangeError);
  });
});
