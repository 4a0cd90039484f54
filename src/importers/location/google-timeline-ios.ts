/**
 * The on-device Timeline export of Google Maps on iOS (2024 on, `location-history.json`): a
 * top-level array of segments, each with `startTime`/`endTime` (with their offset) and one of
 * `visit` (place as `"geo:48.858300,2.294500"`; numbers written as strings), `activity` (start
 * and end only: left out) or `timelinePath`, whose points give their time as
 * `durationMinutesOffsetFromStartTime`, whole minutes after the segment's start.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { readGoogleTime, readLatLngText, timelineVisit } from './google-common.js';
import { jsonValues, type JsonChoice, type JsonKind, type JsonPath } from './json-stream.js';
import { createLocationOutput, numberOf, objectOf, type LocationOutput } from './location-records.js';
import { checkPlausible, type TimeContext } from './location-time.js';

/** The file names no device: every point and visit of it is this stream. */
export const IOS_TIMELINE_DEVICE = 'google-timeline:ios';

export const googleTimelineIosImporter: Importer = {
  id: 'google-timeline-ios',
  title: 'Google Maps Timeline exported from an iPhone (location-history.json)',
  doctypes: ['location.visit', 'location.point'],
  detect: (sample: ImportSample) => {
    const text = sample.text.trimStart();
    if (!text.startsWith('[') || !/"startTime"\s*:/.test(text)) return 0;
    return /"(visit|activity|timelinePath)"\s*:/.test(text) && /"geo:-?\d/.test(text) ? 0.9 : 0;
  },
  parse: parseIosTimeline,
};

async function* parseIosTimeline(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  let sawArray = false;
  const select = (path: JsonPath, kind: JsonKind): JsonChoice => {
    if (path.length > 0) return 'value';
    sawArray = kind === 'array';
    return sawArray ? 'descend' : 'skip';
  };
  for await (const batch of jsonValues(source, { select })) {
    for (const { value, line } of batch) {
      const segment = objectOf(value);
      if (segment === undefined) {
        out.warn('entries that are not objects', 'this entry is not an object: skipped.', line);
        continue;
      }
      yield* segmentRecords(out, time, line, segment);
    }
  }
  if (!sawArray) {
    throw importError(
      source.name,
      'this JSON is not a list of timeline segments: it is not a Google Timeline export from iOS.',
    );
  }
  out.finish();
}

function segmentRecords(
  out: LocationOutput,
  time: TimeContext,
  line: number,
  segment: Record<string, unknown>,
): ImportRecord[] {
  const records: ImportRecord[] = [];
  const visit = objectOf(segment.visit);
  if (visit !== undefined) {
    const record = timelineVisit(out, time, line, segment, visit, IOS_TIMELINE_DEVICE);
    if (record !== undefined) records.push(record);
  }
  if (!Array.isArray(segment.timelinePath)) return records;
  const start = readGoogleTime(segment.startTime, undefined, time, line);
  for (const raw of segment.timelinePath) {
    const p = objectOf(raw);
    const at = readLatLngText(p?.point, time.file, line);
    // Newer files may give the instant itself; otherwise minutes after the segment's start.
    const minutes = numberOf(p?.durationMinutesOffsetFromStartTime);
    let t = readGoogleTime(p?.time, undefined, time, line);
    if (t === undefined && start !== undefined && minutes !== undefined && minutes >= 0) {
      t = checkPlausible(start + minutes * 60_000, `${String(segment.startTime)} + ${minutes} min`, time, line);
    }
    if (at === undefined || t === undefined) {
      out.warn(
        'path points without a position or a time',
        'a timeline path point has no position or no time: skipped.',
        line,
      );
      continue;
    }
    records.push(out.point({ deviceId: IOS_TIMELINE_DEVICE, t, lat: at.lat, lon: at.lon }, line));
  }
  return records;
}
