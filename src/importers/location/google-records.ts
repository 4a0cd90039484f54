/**
 * Google Takeout's raw location history: `Records.json` (earlier `Location History.json`), one
 * `{"locations": [...]}` object whose records carry `latitudeE7`/`longitudeE7`, `accuracy`,
 * `altitude`, `velocity`, `source`, `deviceTag`, detected `activity`, and a time written as
 * `timestampMs` (a string of milliseconds, before 2019) or `timestamp` (ISO, with or without
 * fractional seconds). Files run to hundreds of megabytes: read with the streaming scanner.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { checkLatLon, fromE7 } from './coordinates.js';
import { arrayItems } from '../json/json-stream.js';
import {
  activityOf,
  createLocationOutput,
  numberOf,
  objectOf,
  pointSourceOf,
  type LocationOutput,
  type PointActivity,
} from './location-records.js';
import { readDateTime, readEpochMs, type TimeContext } from './location-time.js';

export const googleRecordsImporter: Importer = {
  id: 'google-records',
  title: 'Google location history: raw records (Takeout Records.json)',
  doctypes: ['location.point'],
  detect: detectRecords,
  parse: parseRecords,
};

function detectRecords(sample: ImportSample): number {
  const text = sample.text.trimStart();
  if (!text.startsWith('{') || !/"locations"\s*:\s*\[/.test(text)) return 0;
  if (/"latitudeE7"\s*:/.test(text) && /"(timestampMs|timestamp)"\s*:/.test(text)) return 0.95;
  // An empty or odd `locations` list: likely ours, but let a more specific importer win.
  return /^\{\s*"locations"\s*:\s*\[\s*\]/.test(text) ? 0.6 : 0.3;
}

async function* parseRecords(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  const out = createLocationOutput(ctx);
  const notRecords = 'this JSON has no "locations" list: it is not a Google Records.json.';
  for await (const batch of arrayItems(source, ['locations'], notRecords)) {
    for (const { value, line } of batch) {
      const record = locationRecord(value, line, time, out);
      if (record !== undefined) yield record;
    }
  }
  out.finish();
}

function locationRecord(
  value: unknown,
  line: number,
  time: TimeContext,
  out: LocationOutput,
): ImportRecord | undefined {
  const loc = objectOf(value);
  if (loc === undefined) {
    out.warn('entries that are not objects', 'this entry of "locations" is not an object: skipped.', line);
    return undefined;
  }
  let t: number;
  if (loc.timestampMs !== undefined) t = readEpochMs(loc.timestampMs, time, line);
  else if (typeof loc.timestamp === 'string') t = readDateTime(loc.timestamp, time, line);
  else {
    out.warn('records without a time', 'this record has no timestamp: skipped.', line);
    return undefined;
  }
  if (loc.latitudeE7 === undefined && loc.longitudeE7 === undefined) {
    // Some records hold only a detected activity.
    out.warn('records without coordinates', 'this record has no latitudeE7/longitudeE7: skipped.', line);
    return undefined;
  }
  const latE7 = numberOf(loc.latitudeE7);
  const lonE7 = numberOf(loc.longitudeE7);
  // Made only for a message: a million records are not quoted back.
  const written = () => `latitudeE7 ${JSON.stringify(loc.latitudeE7)}, longitudeE7 ${JSON.stringify(loc.longitudeE7)}`;
  if (latE7 === undefined || lonE7 === undefined) {
    throw importError(time.file, `the coordinates (${written()}) are not numbers.`, line);
  }
  const lat = fromE7(latE7);
  const lon = fromE7(lonE7);
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) checkLatLon(lat, lon, time.file, line, written());
  return out.point(
    {
      deviceId: out.deviceId('google', deviceTagOf(loc.deviceTag)),
      t,
      lat,
      lon,
      accuracy: numberOf(loc.accuracy),
      altitude: numberOf(loc.altitude),
      speed: numberOf(loc.velocity),
      source: pointSourceOf(loc.source),
      activity: detectedActivity(loc.activity ?? loc.activitys),
    },
    line,
  );
}

/** Device tags are integers, sometimes negative; anything else is ignored. */
function deviceTagOf(value: unknown): number | undefined {
  const n = numberOf(value);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/**
 * The most confident type of the record's first activity reading:
 * `[{"activity": [{"type": "STILL", "confidence": 90}, ...], "timestamp": ...}]`, or in the
 * oldest exports `"activitys": [{"activities": [...]}]`.
 */
function detectedActivity(value: unknown): PointActivity | undefined {
  if (!Array.isArray(value)) return undefined;
  const reading = objectOf(value[0]);
  const guesses = reading?.activity ?? reading?.activities;
  if (!Array.isArray(guesses)) return undefined;
  let best: unknown;
  let bestConfidence = -1;
  for (const guess of guesses) {
    const g = objectOf(guess);
    const confidence = numberOf(g?.confidence) ?? 0;
    if (g !== undefined && confidence > bestConfidence) {
      best = g.type;
      bestConfidence = confidence;
    }
  }
  return activityOf(best);
}
