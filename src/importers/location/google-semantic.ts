/**
 * Google Takeout's monthly Semantic Location History (`Semantic Location History/2019/
 * 2019_JANUARY.json`): `{"timelineObjects": [...]}` of `placeVisit` (a stay: `location` with
 * `latitudeE7`, `placeId`, `name`, `address`, `semanticType`; `duration` with
 * `startTimestamp`/`endTimestamp`, or `startTimestampMs`/`endTimestampMs` before 2022; nested
 * `childVisits`) and `activitySegment` (a move: `startLocation`, `endLocation`, `activityType`,
 * `waypointPath`, `simplifiedRawPath`). Visits become `location.visit`; the timed points of
 * `simplifiedRawPath` become `location.point` (waypoints have no time and are left out).
 */
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { googleVisitKey, readE7, readGoogleTime } from './google-common.js';
import { arrayItems } from '../json/json-stream.js';
import {
  activityOf,
  addressOf,
  createLocationOutput,
  numberOf,
  objectOf,
  placeCategoryOf,
  stringOf,
  type LocationOutput,
  type PointActivity,
} from './location-records.js';
import type { TimeContext } from './location-time.js';

export const googleSemanticImporter: Importer = {
  id: 'google-semantic-history',
  title: 'Google location history: monthly Semantic Location History (Takeout 2019_JANUARY.json)',
  doctypes: ['location.visit', 'location.point'],
  detect: (sample: ImportSample) => {
    const text = sample.text.trimStart();
    return text.startsWith('{') && /"timelineObjects"\s*:\s*\[/.test(text) ? 0.95 : 0;
  },
  parse: parseSemantic,
};

/** Child visits nest; real files go one level down, this bounds hostile ones. */
const MAX_VISIT_LEVEL = 3;

interface Reader {
  out: LocationOutput;
  time: TimeContext;
  line: number;
  records: ImportRecord[];
}

async function* parseSemantic(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  const notSemantic = 'this JSON has no "timelineObjects" list: it is not a Google Semantic Location History file.';
  for await (const batch of arrayItems(source, ['timelineObjects'], notSemantic)) {
    for (const { value, line } of batch) {
      const reader: Reader = { out, time, line, records: [] };
      const item = objectOf(value);
      const visit = objectOf(item?.placeVisit);
      const segment = objectOf(item?.activitySegment);
      if (visit !== undefined) readPlaceVisit(reader, visit, 0, undefined);
      else if (segment !== undefined) readActivitySegment(reader, segment);
      else
        out.warn(
          'unknown timeline objects',
          'this timeline object is neither a placeVisit nor an activitySegment: skipped.',
          line,
        );
      yield* reader.records;
    }
  }
  out.finish();
}

function readPlaceVisit(
  r: Reader,
  visit: Record<string, unknown>,
  level: number,
  parentDevice: string | undefined,
): void {
  const { out, time, line } = r;
  const location = objectOf(visit.location) ?? {};
  const at =
    readE7(location.latitudeE7, location.longitudeE7, time.file, line) ??
    readE7(visit.centerLatE7, visit.centerLngE7, time.file, line);
  const duration = objectOf(visit.duration) ?? {};
  const start = readGoogleTime(duration.startTimestamp, duration.startTimestampMs, time, line);
  const end = readGoogleTime(duration.endTimestamp, duration.endTimestampMs, time, line);
  const tag = deviceTagOf(location.sourceInfo);
  // A child visit (a shop in a mall) comes from its parent's device.
  const deviceId = tag === undefined && parentDevice !== undefined ? parentDevice : out.deviceId('google', tag);
  if (at === undefined) {
    out.warn('visits without a place', 'this place visit has no coordinates: skipped.', line);
  } else if (start === undefined || end === undefined) {
    out.warn('visits without both times', 'this place visit lacks its start or end time: skipped.', line);
  } else if (end < start) {
    out.warn('visits ending before they start', 'this place visit ends before it starts: skipped.', line);
  } else {
    const address = addressOf(location.address);
    const extra: Record<string, unknown> = {};
    if (typeof location.placeId === 'string') extra.placeId = location.placeId;
    if (address === undefined && typeof location.address === 'string') extra.address = location.address;
    const confidence = numberOf(location.locationConfidence);
    r.records.push(
      out.visit(
        googleVisitKey(out, start, level),
        {
          start,
          end,
          lat: at.lat,
          lon: at.lon,
          placeName: stringOf(location.name),
          placeCategory: placeCategoryOf(location.semanticType),
          address,
          // Percentages in this generation.
          confidence: confidence === undefined ? undefined : confidence / 100,
          deviceId,
          extra,
        },
        line,
      ),
    );
  }
  readRawPath(r, visit.simplifiedRawPath, deviceId, undefined);
  if (Array.isArray(visit.childVisits) && level < MAX_VISIT_LEVEL) {
    for (const child of visit.childVisits) {
      const c = objectOf(child);
      if (c !== undefined) readPlaceVisit(r, c, level + 1, deviceId);
    }
  }
}

function readActivitySegment(r: Reader, segment: Record<string, unknown>): void {
  const start = objectOf(segment.startLocation);
  const end = objectOf(segment.endLocation);
  const deviceId = r.out.deviceId('google', deviceTagOf(start?.sourceInfo) ?? deviceTagOf(end?.sourceInfo));
  readRawPath(r, segment.simplifiedRawPath, deviceId, activityOf(segment.activityType));
}

/** `simplifiedRawPath.points`: `{latE7, lngE7, accuracyMeters, timestamp | timestampMs}`. */
function readRawPath(r: Reader, path: unknown, deviceId: string, activity: PointActivity | undefined): void {
  const points = objectOf(path)?.points;
  if (!Array.isArray(points)) return;
  const { out, time, line } = r;
  for (const raw of points) {
    const p = objectOf(raw);
    if (p === undefined) continue;
    const at = readE7(p.latE7, p.lngE7, time.file, line);
    const t = readGoogleTime(p.timestamp, p.timestampMs, time, line);
    if (at === undefined || t === undefined) {
      out.warn('path points without a position or a time', 'a path point has no position or no time: skipped.', line);
      continue;
    }
    r.records.push(
      out.point({ deviceId, t, lat: at.lat, lon: at.lon, accuracy: numberOf(p.accuracyMeters), activity }, line),
    );
  }
}

function deviceTagOf(sourceInfo: unknown): number | undefined {
  const tag = numberOf(objectOf(sourceInfo)?.deviceTag);
  return tag !== undefined && Number.isInteger(tag) ? tag : undefined;
}
