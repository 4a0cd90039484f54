/**
 * From raw location points to places, stays and trips. Points are grouped into places by distance
 * (a point joins the nearest place within `radiusMetres`, else starts one); each device's points in
 * time order become stays (consecutive points at one place); the time between two points is given
 * to their place when both are at the same place, half to each when they differ, and to nobody when
 * the gap is longer than `maxGapHours` (the phone was off, or the history has a hole). A place's
 * time is the union over devices, so two phones at home count the evening once.
 */
import type { LocalTimeOf } from '../../shared/local-time.js';
import { distanceMetres, isLatLon } from './geo.js';
import type { LatLon, LocationPoint, LocationVisit } from './types.js';

export interface PlacesOptions {
  radiusMetres?: number;
  maxGapHours?: number;
  localTime: LocalTimeOf;
}

export interface Place extends LatLon {
  id: number;
  /** Hours someone was there (union over devices). */
  hours: number;
  /** Hours there between 00:00 and 06:00 local time: where the household sleeps. */
  nightHours: number;
  visits: number;
  points: number;
  name?: string;
  category?: string;
  /** The place with the most night hours. */
  home: boolean;
}

export interface Stay {
  deviceId: string;
  placeId: number;
  start: number;
  end: number;
}

export interface Trip {
  deviceId: string;
  fromPlace: number;
  toPlace: number;
  /** When the device was first seen at the destination. */
  arrival: string;
  /** Local day of the arrival. */
  day: string;
}

export interface PlacesResult {
  /** Ranked by time spent, most first. */
  places: Place[];
  stays: Stay[];
  trips: Trip[];
  /** Trips per local day with data, every device added up, days in order. */
  tripsPerDay: { day: string; trips: number }[];
  /** Points left aside: no valid coordinates or time. */
  rejected: number;
}

const HOUR_MS = 3_600_000;

interface Cluster extends LatLon {
  n: number;
  name?: string;
  category?: string;
}

/** Merged length of intervals, in ms. */
function unionMs(intervals: [number, number][]): number {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let total = 0;
  let end = -Infinity;
  let start = -Infinity;
  for (const [a, b] of sorted) {
    if (a > end) {
      if (end > start) total += end - start;
      start = a;
      end = b;
    } else if (b > end) end = b;
  }
  if (end > start) total += end - start;
  return total;
}

/** The part of [a, b] that falls between 00:00 and 06:00 local time, in ms (30-minute steps). */
function nightMs(a: number, b: number, localTime: LocalTimeOf): number {
  const step = HOUR_MS / 2;
  let ms = 0;
  for (let t = a; t < b; t += step) if (localTime(t).hour < 6) ms += Math.min(step, b - t);
  return ms;
}

export function findPlaces(
  points: readonly LocationPoint[],
  options: PlacesOptions,
  visits: readonly LocationVisit[] = [],
): PlacesResult {
  const radius = options.radiusMetres ?? 400;
  const maxGap = (options.maxGapHours ?? 16) * HOUR_MS;
  const { localTime } = options;
  const clusters: Cluster[] = [];
  const assign = (p: LatLon): number => {
    let best = -1;
    let bestD = Infinity;
    clusters.forEach((c, i) => {
      const d = distanceMetres(c, p);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    if (best >= 0 && bestD <= radius) {
      const c = clusters[best] as Cluster;
      // A running mean keeps the centre where the points are.
      c.lat += (p.lat - c.lat) / (c.n + 1);
      c.lon += (p.lon - c.lon) / (c.n + 1);
      c.n += 1;
      return best;
    }
    clusters.push({ lat: p.lat, lon: p.lon, n: 1 });
    return clusters.length - 1;
  };

  // Named visits (from a phone's own place detection) name the places their centres fall in.
  const intervals = new Map<number, [number, number][]>();
  const addInterval = (place: number, a: number, b: number): void => {
    let list = intervals.get(place);
    if (!list) intervals.set(place, (list = []));
    list.push([a, b]);
  };
  const stays: Stay[] = [];
  const trips: Trip[] = [];
  let rejected = 0;
  const seenDays = new Set<string>();

  const byDevice = new Map<string, ({ t: number; place: number } & LatLon)[]>();
  for (const p of points) {
    const t = Date.parse(p.t);
    if (!isLatLon(p) || !Number.isFinite(t) || typeof p.deviceId !== 'string') {
      rejected++;
      continue;
    }
    let list = byDevice.get(p.deviceId);
    if (!list) byDevice.set(p.deviceId, (list = []));
    list.push({ ...p, t, place: -1 });
    seenDays.add(localTime(t).day);
  }
  const pointCount = new Map<number, number>();
  for (const [deviceId, list] of byDevice) {
    list.sort((a, b) => a.t - b.t);
    for (const p of list) {
      p.place = assign(p);
      pointCount.set(p.place, (pointCount.get(p.place) ?? 0) + 1);
    }
    let stay: Stay | undefined;
    for (let i = 0; i < list.length; i++) {
      const p = list[i] as { t: number; place: number };
      const next = list[i + 1];
      if (!stay || stay.placeId !== p.place || p.t - stay.end > maxGap) {
        if (stay && stay.placeId !== p.place && p.t - stay.end <= maxGap)
          trips.push({
            deviceId,
            fromPlace: stay.placeId,
            toPlace: p.place,
            arrival: new Date(p.t).toISOString(),
            day: localTime(p.t).day,
          });
        stay = { deviceId, placeId: p.place, start: p.t, end: p.t };
        stays.push(stay);
      } else stay.end = p.t;
      if (!next || next.t - p.t > maxGap) continue;
      if (next.place === p.place) addInterval(p.place, p.t, next.t);
      else {
        const mid = (p.t + next.t) / 2;
        addInterval(p.place, p.t, mid);
        addInterval(next.place, mid, next.t);
      }
    }
  }

  for (const v of visits) {
    const a = Date.parse(v.start);
    const b = Date.parse(v.end);
    if (!isLatLon(v) || !Number.isFinite(a) || !Number.isFinite(b) || b < a) {
      rejected++;
      continue;
    }
    const place = assign(v);
    const c = clusters[place] as Cluster;
    if (v.placeName && !c.name) c.name = v.placeName;
    if (v.placeCategory && !c.category) c.category = v.placeCategory;
    addInterval(place, a, b);
    stays.push({ deviceId: v.deviceId ?? 'visits', placeId: place, start: a, end: b });
  }

  const places: Place[] = clusters.map((c, id) => {
    const list = intervals.get(id) ?? [];
    const night = list.reduce((s, [a, b]) => s + nightMs(a, b, localTime), 0);
    return {
      id,
      lat: Math.round(c.lat * 1e5) / 1e5,
      lon: Math.round(c.lon * 1e5) / 1e5,
      hours: Math.round((unionMs(list) / HOUR_MS) * 100) / 100,
      nightHours: Math.round((night / HOUR_MS) * 100) / 100,
      visits: stays.filter((s) => s.placeId === id).length,
      points: pointCount.get(id) ?? 0,
      ...(c.name ? { name: c.name } : {}),
      ...(c.category ? { category: c.category } : {}),
      home: false,
    };
  });
  const home = places.reduce<Place | undefined>((h, p) => (p.nightHours > (h?.nightHours ?? 0) ? p : h), undefined);
  if (home) {
    home.home = true;
    home.category ??= 'home';
  }
  places.sort((a, b) => b.hours - a.hours || a.id - b.id);

  // Every day with a point counts, so a day spent at home shows as zero trips.
  const perDay = new Map<string, number>([...seenDays].map((d) => [d, 0]));
  for (const t of trips) perDay.set(t.day, (perDay.get(t.day) ?? 0) + 1);
  return {
    places,
    stays,
    trips,
    tripsPerDay: [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, n]) => ({ day, trips: n })),
    rejected,
  };
}
