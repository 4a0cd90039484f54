/**
 * A GPX track as an `activity.workout`: start and end from its first and last timed points,
 * distance summed along each segment (never across the gap between two segments), heart rate
 * summarised from the Garmin extension, type from `<type>` mapped onto the catalog's words.
 */
import type { ImportRecord } from '../importer.js';
import { distanceMetres, type LatLon } from './coordinates.js';

export interface TrackSummary {
  name: string | undefined;
  type: string | undefined;
  start: number;
  end: number;
  points: number;
  distance: number;
  last: LatLon | undefined;
  hrSum: number;
  hrCount: number;
  hrMin: number;
  hrMax: number;
}

export function newTrack(): TrackSummary {
  return {
    name: undefined,
    type: undefined,
    start: Number.POSITIVE_INFINITY,
    end: Number.NEGATIVE_INFINITY,
    points: 0,
    distance: 0,
    last: undefined,
    hrSum: 0,
    hrCount: 0,
    hrMin: Number.POSITIVE_INFINITY,
    hrMax: 0,
  };
}

/** Adds a timed point; `last` is reset by the caller when a new segment starts. */
export function addTrackPoint(track: TrackSummary, at: LatLon, t: number, hr: number | undefined): void {
  track.points++;
  if (t < track.start) track.start = t;
  if (t > track.end) track.end = t;
  if (track.last !== undefined) track.distance += distanceMetres(track.last, at);
  track.last = at;
  if (hr !== undefined) {
    track.hrSum += hr;
    track.hrCount++;
    if (hr < track.hrMin) track.hrMin = hr;
    if (hr > track.hrMax) track.hrMax = hr;
  }
}

/** The workout of a track with timed points, keyed by its start instant like every workout. */
export function workoutRecord(
  track: TrackSummary,
  source: string | undefined,
  iso: (ms: number) => string,
): ImportRecord | undefined {
  if (track.points === 0) return undefined;
  const start = iso(track.start);
  const data: Record<string, unknown> = { activityType: activityTypeOf(track.type), start, end: iso(track.end) };
  const name = track.name?.trim();
  if (name) data.name = name.slice(0, 200);
  if (track.distance <= 10_000_000) data.distanceMetres = Math.round(track.distance * 10) / 10;
  if (track.hrCount > 0) {
    data.heartRate = {
      averageBpm: Math.round((track.hrSum / track.hrCount) * 10) / 10,
      minBpm: track.hrMin,
      maxBpm: track.hrMax,
    };
  }
  if (source !== undefined && source.trim() !== '') data.source = source.trim().slice(0, 200);
  return { kind: 'document', doctype: 'activity.workout', key: start, data };
}

/** Strava writes its own numbers: only the common ones are sure enough to map. */
const STRAVA_TYPES: Record<string, string> = {
  '1': 'cycling',
  '4': 'hiking',
  '9': 'running',
  '10': 'walking',
  '16': 'swimming',
};

const TYPE_WORDS: Record<string, string> = {
  run: 'running',
  running: 'running',
  trail_running: 'running',
  jogging: 'running',
  ride: 'cycling',
  bike: 'cycling',
  biking: 'cycling',
  cycling: 'cycling',
  road_biking: 'cycling',
  mountain_biking: 'cycling',
  gravel_cycling: 'cycling',
  virtualride: 'cycling',
  ebikeride: 'cycling',
  e_bike_ride: 'cycling',
  walk: 'walking',
  walking: 'walking',
  hike: 'hiking',
  hiking: 'hiking',
  swim: 'swimming',
  swimming: 'swimming',
  lap_swimming: 'swimming',
  open_water_swimming: 'swimming',
};

/** `<type>` as GPX producers write it (`running`, `Running`, `9`, `mountain_biking`), in catalog words. */
export function activityTypeOf(type: string | undefined): string {
  const raw = type?.trim() ?? '';
  if (raw === '') return 'other';
  const strava = STRAVA_TYPES[raw];
  if (strava !== undefined) return strava;
  const words = raw
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const known = TYPE_WORDS[words];
  if (known !== undefined) return known;
  return /^[a-z][a-z0-9_]{0,63}$/.test(words) ? words : 'other';
}
