/**
 * What Google's location exports share across generations: coordinates as E7 integers or as
 * text (`"48.8583°, 2.2945°"`, `"geo:48.8583,2.2945"`), times as ISO text or milliseconds, and
 * the natural key of a visit, the same in every generation so that overlapping exports of the
 * same stay (a monthly Semantic file, then an on-device Timeline.json) make one document.
 */
import { importError } from '../import-error.js';
import { checkLatLon, fromE7, parseDegreePair, parseGeoUri, type LatLon } from './coordinates.js';
import type { ImportRecord } from '../importer.js';
import { numberOf, objectOf, placeCategoryOf, stringOf, type LocationOutput } from './location-records.js';
import { readDateTime, readEpochMs, type TimeContext } from './location-time.js';

/** A visit's key: its arrival instant; nested visits (a shop in a mall) add their level. */
export function googleVisitKey(out: LocationOutput, start: number, level: number): string {
  return level > 0 ? `google:${out.iso(start)}|${level}` : `google:${out.iso(start)}`;
}

/** A pair of E7 integers; undefined when both are absent, an import error when broken. */
export function readE7(lat: unknown, lon: unknown, file: string, line: number): LatLon | undefined {
  if (lat === undefined && lon === undefined) return undefined;
  const latE7 = numberOf(lat);
  const lonE7 = numberOf(lon);
  const written = `${JSON.stringify(lat) ?? 'nothing'}, ${JSON.stringify(lon) ?? 'nothing'}`;
  if (latE7 === undefined || lonE7 === undefined) {
    throw importError(file, `the E7 coordinates ${written} are not numbers.`, line);
  }
  const at = { lat: fromE7(latE7), lon: fromE7(lonE7) };
  checkLatLon(at.lat, at.lon, file, line, written);
  return at;
}

/** `"48.8583°, 2.2945°"` or `"geo:48.8583,2.2945"`; undefined when absent, an error when broken. */
export function readLatLngText(value: unknown, file: string, line: number): LatLon | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : '';
  const at = parseDegreePair(text) ?? parseGeoUri(text);
  if (at === undefined) {
    throw importError(file, `the coordinates ${JSON.stringify(value).slice(0, 60)} cannot be read.`, line);
  }
  checkLatLon(at.lat, at.lon, file, line, text);
  return at;
}

/** An ISO text or milliseconds (a number, or digits in a string); undefined when absent. */
export function readGoogleTime(iso: unknown, ms: unknown, time: TimeContext, line: number): number | undefined {
  if (ms !== undefined && ms !== null) return readEpochMs(ms, time, line);
  if (iso === undefined || iso === null) return undefined;
  if (typeof iso !== 'string') {
    throw importError(time.file, `the time ${JSON.stringify(iso).slice(0, 60)} is not a date and time.`, line);
  }
  return readDateTime(iso, time, line);
}

/** The on-device exports' visit: `{hierarchyLevel, probability, topCandidate: {placeId | placeID, semanticType, probability, placeLocation}}`. */
export function timelineVisit(
  out: LocationOutput,
  time: TimeContext,
  line: number,
  segment: Record<string, unknown>,
  visit: Record<string, unknown>,
  deviceId: string,
): ImportRecord | undefined {
  const candidate = objectOf(visit.topCandidate) ?? {};
  // Android writes {"latLng": "48.8583°, 2.2945°"}; iOS writes "geo:48.858300,2.294500".
  const place = objectOf(candidate.placeLocation);
  const at = readLatLngText(
    place === undefined ? candidate.placeLocation : (place.latLng ?? place.LatLng),
    time.file,
    line,
  );
  const start = readGoogleTime(segment.startTime, undefined, time, line);
  const end = readGoogleTime(segment.endTime, undefined, time, line);
  if (at === undefined) {
    out.warn('visits without a place', 'this visit has no place location: skipped.', line);
    return undefined;
  }
  if (start === undefined || end === undefined) {
    out.warn('visits without both times', 'this visit lacks its start or end time: skipped.', line);
    return undefined;
  }
  if (end < start) {
    out.warn('visits ending before they start', 'this visit ends before it starts: skipped.', line);
    return undefined;
  }
  const level = numberOf(visit.hierarchyLevel);
  const placeId = stringOf(candidate.placeId) ?? stringOf(candidate.placeID);
  return out.visit(
    googleVisitKey(out, start, level !== undefined && Number.isInteger(level) && level > 0 ? Math.min(level, 9) : 0),
    {
      start,
      end,
      lat: at.lat,
      lon: at.lon,
      placeCategory: placeCategoryOf(candidate.semanticType),
      confidence: numberOf(candidate.probability),
      deviceId,
      extra: placeId === undefined ? undefined : { placeId },
    },
    line,
  );
}

/**
 * The records of an on-device export's segment: its visit, and the points of its `timelinePath`,
 * each timed by `pointTime` (Android writes an instant, iOS minutes after the segment's start).
 */
export function timelineSegmentRecords(
  out: LocationOutput,
  time: TimeContext,
  line: number,
  segment: Record<string, unknown>,
  deviceId: string,
  pointTime: (point: Record<string, unknown> | undefined) => number | undefined,
): ImportRecord[] {
  const records: ImportRecord[] = [];
  const visit = objectOf(segment.visit);
  if (visit !== undefined) {
    const record = timelineVisit(out, time, line, segment, visit, deviceId);
    if (record !== undefined) records.push(record);
  }
  if (!Array.isArray(segment.timelinePath)) return records;
  for (const raw of segment.timelinePath) {
    const p = objectOf(raw);
    const at = readLatLngText(p?.point, time.file, line);
    const t = pointTime(p);
    if (at === undefined || t === undefined) {
      out.warn(
        'path points without a position or a time',
        'a timeline path point has no position or no time: skipped.',
        line,
      );
      continue;
    }
    records.push(out.point({ deviceId, t, lat: at.lat, lon: at.lon }, line));
  }
  return records;
}
