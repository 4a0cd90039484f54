/**
 * Web Mercator view for the map: fit a set of points into a width × height box, project
 * longitudes and latitudes to pixels, and (only when a tile source is configured) list the tiles
 * covering the view. Web Mercator is the projection of slippy-map tiles, so the bundled SVG
 * basemap and an optional tile layer line up.
 */
import type { LatLon } from './types.js';

const TILE = 256;
const MAX_LAT = 85.05112878;

export interface MapView {
  width: number;
  height: number;
  zoom: number;
  /** World pixel (at `zoom`) of the view's top-left corner. */
  originX: number;
  originY: number;
}

export function worldPixel(p: LatLon, zoom: number): { x: number; y: number } {
  const scale = TILE * 2 ** zoom;
  const lat = Math.max(-MAX_LAT, Math.min(MAX_LAT, p.lat));
  const s = Math.sin((lat * Math.PI) / 180);
  return {
    x: ((p.lon + 180) / 360) * scale,
    y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * scale,
  };
}

export function project(view: MapView, p: LatLon): { x: number; y: number } {
  const w = worldPixel(p, view.zoom);
  return { x: w.x - view.originX, y: w.y - view.originY };
}

export function unproject(view: MapView, x: number, y: number): LatLon {
  const scale = TILE * 2 ** view.zoom;
  const wx = (x + view.originX) / scale;
  const wy = (y + view.originY) / scale;
  return {
    lon: wx * 360 - 180,
    lat: (Math.atan(Math.sinh(Math.PI * (1 - 2 * wy))) * 180) / Math.PI,
  };
}

export interface FitOptions {
  padding?: number;
  minZoom?: number;
  maxZoom?: number;
  /** Whole zoom levels only (what tiles need). */
  integerZoom?: boolean;
}

/** The view showing every point with `padding` pixels around them, as close as `maxZoom` allows. */
export function fitView(points: readonly LatLon[], width: number, height: number, options: FitOptions = {}): MapView {
  if (!(width > 0 && height > 0)) throw new RangeError('the map needs a positive width and height');
  const padding = options.padding ?? 24;
  const minZoom = options.minZoom ?? 2;
  const maxZoom = options.maxZoom ?? 15;
  const box = points.length > 0 ? points : [{ lat: 46.6, lon: 2.4 }];
  let zoom = maxZoom;
  const at0 = box.map((p) => worldPixel(p, 0));
  const spanX = Math.max(...at0.map((p) => p.x)) - Math.min(...at0.map((p) => p.x));
  const spanY = Math.max(...at0.map((p) => p.y)) - Math.min(...at0.map((p) => p.y));
  const fit = (span: number, size: number): number =>
    span > 0 ? Math.log2(Math.max(1, size - 2 * padding) / span) : maxZoom;
  zoom = Math.min(maxZoom, fit(spanX, width), fit(spanY, height));
  zoom = Math.max(minZoom, options.integerZoom ? Math.floor(zoom) : zoom);
  const px = box.map((p) => worldPixel(p, zoom));
  const cx = (Math.min(...px.map((p) => p.x)) + Math.max(...px.map((p) => p.x))) / 2;
  const cy = (Math.min(...px.map((p) => p.y)) + Math.max(...px.map((p) => p.y))) / 2;
  return { width, height, zoom, originX: cx - width / 2, originY: cy - height / 2 };
}

export interface Tile {
  url: string;
  /** Where the tile's top-left corner goes in the view, in pixels. */
  left: number;
  top: number;
  size: number;
}

/**
 * The tiles of a configured source (a template with {z}, {x} and {y}) covering the view. Off by
 * default: a tile server is another host, which the app frame's CSP does not reach unless the
 * operator allows it (docs/apps/places.md).
 */
export function tilesFor(view: MapView, template: string): Tile[] {
  if (!/\{z\}/.test(template) || !/\{x\}/.test(template) || !/\{y\}/.test(template))
    throw new RangeError('a tile URL template needs {z}, {x} and {y}');
  if (!/^https:\/\//.test(template)) throw new RangeError('a tile URL template must be https');
  const z = Math.round(view.zoom);
  const size = TILE * 2 ** (view.zoom - z);
  const n = 2 ** z;
  const out: Tile[] = [];
  const x0 = Math.floor(view.originX / size);
  const y0 = Math.max(0, Math.floor(view.originY / size));
  const x1 = Math.floor((view.originX + view.width) / size);
  const y1 = Math.min(n - 1, Math.floor((view.originY + view.height) / size));
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const wrapped = ((x % n) + n) % n;
      out.push({
        url: template.replace('{z}', String(z)).replace('{x}', String(wrapped)).replace('{y}', String(y)),
        left: x * size - view.originX,
        top: y * size - view.originY,
        size,
      });
    }
  return out;
}
