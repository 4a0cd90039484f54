/**
 * Coordinates as location files write them: Google's E7 integers (with the old 32-bit overflow),
 * the on-device exports' `"48.8583°, 2.2945°"` and `"geo:48.858300,2.294500"` strings, XML
 * attributes; range checks; and distances along a track.
 */
import { importError } from '../import-error.js';

export interface LatLon {
  lat: number;
  lon: number;
}

const TWO_POW_32 = 4_294_967_296;
/** Above this an E7 value is no longer a longitude: it is a negative one written unsigned. */
const E7_OVERFLOW = 1_800_000_000;
const DECIMAL = /^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?$/;
const DEGREE_PAIR = /^\s*([+-]?\d+(?:\.\d+)?)\s*°?\s*,\s*([+-]?\d+(?:\.\d+)?)\s*°?\s*$/;
/** RFC 5870: `geo:lat,lon[,alt][;crs=...;u=...]`. */
const GEO_URI = /^\s*geo:([+-]?\d+(?:\.\d+)?),([+-]?\d+(?:\.\d+)?)(?:,[+-]?\d+(?:\.\d+)?)?(?:;[^\s]*)?\s*$/i;

/**
 * Degrees from an E7 integer. Some exports wrote negative values as unsigned 32-bit integers
 * (-73.5 degrees as 3559294296): those above 1,800,000,000 get 2^32 taken off.
 */
export function fromE7(value: number): number {
  return (value > E7_OVERFLOW ? value - TWO_POW_32 : value) / 1e7;
}

/** A decimal number as XML attributes and texts write it (a decimal comma is tolerated). */
export function parseDecimal(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  return Number(t.replace(',', '.'));
}

/** `"48.8583°, 2.2945°"` (Android Timeline.json) and plain `"48.8583, 2.2945"`. */
export function parseDegreePair(text: string): LatLon | undefined {
  const m = DEGREE_PAIR.exec(text);
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
}

/** `"geo:48.858300,2.294500"` (iOS location-history.json). */
export function parseGeoUri(text: string): LatLon | undefined {
  const m = GEO_URI.exec(text);
  return m ? { lat: Number(m[1]), lon: Number(m[2]) } : undefined;
}

/** Throws naming the value unless it is a latitude and a longitude. */
export function checkLatLon(lat: number, lon: number, file: string, line: number | undefined, written?: string): void {
  const shown = written ?? `${lat}, ${lon}`;
  if (!Number.isFinite(lat) || lat < -90 || lat > 90) {
    throw importError(file, `the latitude in "${shown}" is out of range (it must be between -90 and 90).`, line);
  }
  if (!Number.isFinite(lon) || lon < -180 || lon > 180) {
    throw importError(file, `the longitude in "${shown}" is out of range (it must be between -180 and 180).`, line);
  }
}

const EARTH_RADIUS_M = 6_371_008.8;

/** Great-circle distance in metres (haversine, mean Earth radius): ample for tracks. */
export function distanceMetres(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}
