/**
 * What every location importer yields: `location.point` and `location.visit` records built from
 * already-read values, keeping each optional field only when the catalog schema allows it; the
 * producers' vocabularies (Google's activity and source names, place types, addresses) mapped
 * onto the catalog's; and warnings capped per kind, so that a million-point file with one
 * recurring problem gives a readable preview.
 */
import type { ImportRecord, ParseContext } from '../importer.js';

export type PointSource = 'gps' | 'wifi' | 'cell' | 'fused' | 'operator' | 'manual';
export type PointActivity = 'still' | 'walking' | 'running' | 'cycling' | 'in_vehicle' | 'unknown';

export interface PointInput {
  deviceId: string;
  /** Epoch milliseconds. */
  t: number;
  lat: number;
  lon: number;
  accuracy?: number | undefined;
  altitude?: number | undefined;
  speed?: number | undefined;
  source?: PointSource | undefined;
  activity?: PointActivity | undefined;
}

export interface VisitInput {
  start: number;
  end: number;
  lat: number;
  lon: number;
  placeName?: string | undefined;
  placeCategory?: string | undefined;
  address?: Record<string, string> | undefined;
  confidence?: number | undefined;
  deviceId?: string | undefined;
  extra?: Record<string, unknown> | undefined;
}

const MIN_ALTITUDE = -500;
const MAX_ALTITUDE = 10_000;

/**
 * Builds the records of one import: warnings capped per kind (a million-point file with one
 * recurring problem still gives a readable preview), and small caches that keep the hot path of
 * big files cheap (device ids, the day part of instants).
 */
export interface LocationOutput {
  warn(kind: string, message: string, line?: number): void;
  /** A `location.point` record; optional values outside the schema's ranges are left out. */
  point(p: PointInput, line?: number): ImportRecord;
  /** A `location.visit` record from an export (`source: import`). */
  visit(key: string, v: VisitInput, line?: number): ImportRecord;
  /** `deviceIdOf`, remembered. */
  deviceId(prefix: string, name: string | number | undefined): string;
  /** An instant as catalog date-times are written, `2024-03-12T07:41:12.000Z`. */
  iso(ms: number): string;
  /** Says how many warnings of each kind were not listed. */
  finish(): void;
}

export function createLocationOutput(ctx: ParseContext, warningsPerKind = 20): LocationOutput {
  const counts = new Map<string, number>();
  const deviceIds = new Map<string, string>();
  const iso = isoFormatter();
  const warn = (kind: string, message: string, line?: number) => {
    const n = (counts.get(kind) ?? 0) + 1;
    counts.set(kind, n);
    if (n <= warningsPerKind) ctx.warn(line === undefined ? { message } : { line, message });
  };
  return {
    warn,
    iso,
    point(p, line) {
      const data: Record<string, unknown> = { deviceId: p.deviceId, t: iso(p.t), lat: p.lat, lon: p.lon };
      // Negative accuracy and speed are producers' "unknown" (-1), not values.
      if (p.accuracy !== undefined && Number.isFinite(p.accuracy) && p.accuracy >= 0) data.accuracyMetres = p.accuracy;
      if (p.altitude !== undefined && Number.isFinite(p.altitude)) {
        if (p.altitude >= MIN_ALTITUDE && p.altitude <= MAX_ALTITUDE) data.altitudeMetres = p.altitude;
        else {
          warn(
            'points with an altitude out of range',
            `the altitude ${p.altitude} m is outside -500 to 10,000 m: the point is kept without it.`,
            line,
          );
        }
      }
      if (p.speed !== undefined && Number.isFinite(p.speed) && p.speed >= 0) data.speedMetresPerSecond = p.speed;
      if (p.source !== undefined) data.source = p.source;
      if (p.activity !== undefined) data.activity = p.activity;
      return line === undefined
        ? { kind: 'point', doctype: 'location.point', data }
        : { kind: 'point', doctype: 'location.point', data, line };
    },
    visit(key, v, line) {
      const data: Record<string, unknown> = { start: iso(v.start), end: iso(v.end), lat: v.lat, lon: v.lon };
      const name = v.placeName?.trim();
      if (name) data.placeName = name.slice(0, 200);
      if (v.placeCategory !== undefined) data.placeCategory = v.placeCategory;
      if (v.address !== undefined) data.address = v.address;
      if (v.confidence !== undefined && Number.isFinite(v.confidence)) {
        data.confidence = Math.min(1, Math.max(0, v.confidence));
      }
      data.source = 'import';
      if (v.deviceId !== undefined) data.deviceId = v.deviceId;
      if (v.extra !== undefined && Object.keys(v.extra).length > 0) data.extra = v.extra;
      return line === undefined
        ? { kind: 'document', doctype: 'location.visit', key, data }
        : { kind: 'document', doctype: 'location.visit', key, data, line };
    },
    deviceId(prefix, name) {
      const cacheKey = `${prefix}\u0000${name}`;
      let id = deviceIds.get(cacheKey);
      if (id === undefined) {
        id = deviceIdOf(prefix, name);
        if (deviceIds.size < 10_000) deviceIds.set(cacheKey, id);
      }
      return id;
    },
    finish() {
      for (const [kind, n] of counts) {
        if (n > warningsPerKind)
          ctx.warn({ message: `${n - warningsPerKind} more ${kind} were skipped or trimmed the same way.` });
      }
    },
  };
}

const DAY_MS = 86_400_000;
/** `00` to `99` and `000` to `999`: an instant is formatted with lookups, not four padStart calls. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

/** `toISOString`, with the day's part computed once per day: points come in runs of the same day. */
function isoFormatter(): (ms: number) => string {
  let day = Number.NaN;
  let dayText = '';
  return (ms) => {
    const start = Math.floor(ms / DAY_MS) * DAY_MS;
    if (start !== day) {
      day = start;
      dayText = new Date(start).toISOString().slice(0, 11);
    }
    let rest = ms - start;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    return `${dayText}${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[seconds]}.${THREE_DIGITS[rest - seconds * 1000]}Z`;
  };
}

/** A stream name the schema accepts: `google:-813004233`, `gpx:Garmin-Forerunner-245`. */
export function deviceIdOf(prefix: string, name: string | number | undefined): string {
  const raw = String(name ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._:-]+/g, ' ')
    .trim()
    .replace(/ /g, '-');
  return raw === '' ? prefix : `${prefix}:${raw}`.slice(0, 64);
}

const ACTIVITIES: Record<string, PointActivity> = {
  STILL: 'still',
  WALKING: 'walking',
  ON_FOOT: 'walking',
  HIKING: 'walking',
  WALKING_NORDIC: 'walking',
  RUNNING: 'running',
  CYCLING: 'cycling',
  ON_BICYCLE: 'cycling',
  BIKING: 'cycling',
  IN_VEHICLE: 'in_vehicle',
  IN_ROAD_VEHICLE: 'in_vehicle',
  IN_RAIL_VEHICLE: 'in_vehicle',
  IN_PASSENGER_VEHICLE: 'in_vehicle',
  IN_CAR: 'in_vehicle',
  DRIVING: 'in_vehicle',
  IN_BUS: 'in_vehicle',
  IN_TRAIN: 'in_vehicle',
  IN_SUBWAY: 'in_vehicle',
  IN_TRAM: 'in_vehicle',
  IN_FERRY: 'in_vehicle',
  IN_TAXI: 'in_vehicle',
  MOTORCYCLING: 'in_vehicle',
  FLYING: 'in_vehicle',
  BOATING: 'in_vehicle',
  IN_CABLECAR: 'in_vehicle',
  IN_FUNICULAR: 'in_vehicle',
  IN_GONDOLA_LIFT: 'in_vehicle',
  SNOWMOBILE: 'in_vehicle',
  UNKNOWN: 'unknown',
  UNKNOWN_ACTIVITY_TYPE: 'unknown',
  TILTING: 'unknown',
  EXITING_VEHICLE: 'unknown',
};

/** Google's activity names in any generation (`ON_FOOT`, `in passenger vehicle`, `still`). */
export function activityOf(raw: unknown): PointActivity | undefined {
  if (typeof raw !== 'string') return undefined;
  return ACTIVITIES[
    raw
      .trim()
      .toUpperCase()
      .replace(/[\s-]+/g, '_')
  ];
}

/** Google's `source` values: GPS, WIFI, CELL (others, such as UNKNOWN or VISIT, say nothing). */
export function pointSourceOf(raw: unknown): PointSource | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.trim().toUpperCase();
  return s === 'GPS' ? 'gps' : s === 'WIFI' ? 'wifi' : s === 'CELL' ? 'cell' : undefined;
}

/** Google's place semantic types in any generation (`TYPE_HOME`, `INFERRED_WORK`, `Inferred Home`). */
export function placeCategoryOf(raw: unknown): 'home' | 'work' | undefined {
  if (typeof raw !== 'string') return undefined;
  const s = raw.toUpperCase();
  if (/(^|[_\s])HOME$/.test(s)) return 'home';
  if (/(^|[_\s])WORK$/.test(s)) return 'work';
  return undefined;
}

const COUNTRIES: Record<string, string> = {
  france: 'FR',
  belgique: 'BE',
  belgium: 'BE',
  belgië: 'BE',
  suisse: 'CH',
  switzerland: 'CH',
  schweiz: 'CH',
  germany: 'DE',
  deutschland: 'DE',
  allemagne: 'DE',
  spain: 'ES',
  españa: 'ES',
  espagne: 'ES',
  italy: 'IT',
  italia: 'IT',
  italie: 'IT',
  'united kingdom': 'GB',
  uk: 'GB',
  'royaume-uni': 'GB',
  usa: 'US',
  'united states': 'US',
  'états-unis': 'US',
  netherlands: 'NL',
  nederland: 'NL',
  'pays-bas': 'NL',
  portugal: 'PT',
  luxembourg: 'LU',
  canada: 'CA',
  austria: 'AT',
  österreich: 'AT',
  autriche: 'AT',
  ireland: 'IE',
  irlande: 'IE',
  monaco: 'MC',
};

/**
 * An address as Google writes it on one line or several ("147 Rue du Ballon, 59110 La Madeleine,
 * France"; "20 W 34th St., New York, NY 10001, USA") split into the catalog's fields when its
 * shape is recognised: a postal code before the city (most of Europe), or a city then a state and
 * ZIP code (North America). Undefined otherwise: the caller keeps the text as it is.
 */
export function addressOf(text: unknown): Record<string, string> | undefined {
  if (typeof text !== 'string') return undefined;
  const parts = text
    .split(/,|\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const address: Record<string, string> = {};
  const country = COUNTRIES[(parts[parts.length - 1] ?? '').toLowerCase()];
  if (country !== undefined) parts.pop();
  const last = parts[parts.length - 1] ?? '';
  const europe = /^(\d{4,5})\s+(\D.*)$/.exec(last);
  const america = /^[A-Z]{2}\s+(\d{5}(?:-\d{4})?)$/.exec(last);
  if (europe) {
    address.postalCode = europe[1]!;
    address.city = europe[2]!.slice(0, 100);
    parts.pop();
  } else if (america && parts.length >= 2) {
    address.postalCode = america[1]!;
    parts.pop();
    address.city = parts.pop()!.slice(0, 100);
  } else return undefined;
  if (parts.length > 0) address.street = parts.join('\n').slice(0, 300);
  if (country !== undefined) address.country = country;
  return address;
}

/** The value as a plain object, or undefined. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A number given as a number or as a numeric string (iOS exports write numbers as strings). */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(value)) return Number(value);
  return undefined;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
