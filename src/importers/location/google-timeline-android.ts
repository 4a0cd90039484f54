/**
 * The on-device Timeline export of Google Maps on Android (2024 on, `Timeline.json`, exported
 * from the phone's settings): `{"semanticSegments": [...], "rawSignals": [...],
 * "userLocationProfile": {...}}`. Segments carry `startTime`/`endTime` with their offset
 * (`2024-07-14T10:05:12.000+02:00`) and a `visit` (place as `"48.8583°, 2.2945°"`), an `activity`
 * (start and end only: left out) or a `timelinePath` of timed points; raw signals carry the
 * phone's own fixes (`position`: `LatLng`, `accuracyMeters`, `altitudeMeters`, `source`,
 * `speedMetersPerSecond`), besides Wi-Fi scans and activity readings, which are left out.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { readGoogleTime, readLatLngText, timelineVisit } from './google-common.js';
import { jsonValues, type JsonChoice, type JsonKind, type JsonPath } from './json-stream.js';
import { createLocationOutput, numberOf, objectOf, pointSourceOf, type LocationOutput } from './location-records.js';
import type { TimeContext } from './location-time.js';

/** The file names no device: every point and visit of it is this stream. */
export const ANDROID_TIMELINE_DEVICE = 'google-timeline:android';

export const googleTimelineAndroidImporter: Importer = {
  id: 'google-timeline-android',
  title: 'Google Maps Timeline exported from an Android phone (Timeline.json)',
  doctypes: ['location.visit', 'location.point'],
  detect: (sample: ImportSample) => {
    const text = sample.text.trimStart();
    if (!text.startsWith('{')) return 0;
    if (/"semanticSegments"\s*:\s*\[/.test(text)) return 0.95;
    return /"rawSignals"\s*:\s*\[/.test(text) && /"LatLng"\s*:/.test(text) ? 0.8 : 0;
  },
  parse: parseAndroidTimeline,
};

async function* parseAndroidTimeline(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  let sawTimeline = false;
  const select = (path: JsonPath, kind: JsonKind): JsonChoice => {
    if (path.length === 0) return kind === 'object' ? 'descend' : 'skip';
    if (path.length === 1) {
      if ((path[0] !== 'semanticSegments' && path[0] !== 'rawSignals') || kind !== 'array') return 'skip';
      sawTimeline = true;
      return 'descend';
    }
    return 'value';
  };
  for await (const batch of jsonValues(source, { select })) {
    for (const { path, value, line } of batch) {
      const item = objectOf(value);
      if (item === undefined) continue;
      if (path[0] === 'rawSignals') {
        const record = rawPosition(out, time, line, objectOf(item.position));
        if (record !== undefined) yield record;
      } else {
        yield* segmentRecords(out, time, line, item);
      }
    }
  }
  if (!sawTimeline) {
    throw importError(source.name, 'this JSON has no "semanticSegments" list: it is not a Google Timeline export.');
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
    const record = timelineVisit(out, time, line, segment, visit, ANDROID_TIMELINE_DEVICE);
    if (record !== undefined) records.push(record);
  }
  if (Array.isArray(segment.timelinePath)) {
    for (const raw of segment.timelinePath) {
      const p = objectOf(raw);
      const at = readLatLngText(p?.point, time.file, line);
      const t = readGoogleTime(p?.time, undefined, time, line);
      if (at === undefined || t === undefined) {
        out.warn(
          'path points without a position or a time',
          'a timeline path point has no position or no time: skipped.',
          line,
        );
        continue;
      }
      records.push(out.point({ deviceId: ANDROID_TIMELINE_DEVICE, t, lat: at.lat, lon: at.lon }, line));
    }
  }
  return records;
}

/** A raw signal's `position`, the phone's own fix; other signals are not positions. */
function rawPosition(
  out: LocationOutput,
  time: TimeContext,
  line: number,
  position: Record<string, unknown> | undefined,
): ImportRecord | undefined {
  if (position === undefined) return undefined;
  const at = readLatLngText(position.LatLng ?? position.latLng, time.file, line);
  const t = readGoogleTime(position.timestamp, undefined, time, line);
  if (at === undefined || t === undefined) {
    out.warn('positions without coordinates or a time', 'this position has no coordinates or no time: skipped.', line);
    return undefined;
  }
  return out.point(
    {
      deviceId: ANDROID_TIMELINE_DEVICE,
      t,
      lat: at.lat,
      lon: at.lon,
      accuracy: numberOf(position.accuracyMeters),
      altitude: numberOf(position.altitudeMeters),
      speed: numberOf(position.speedMetersPerSecond),
      source: pointSourceOf(position.source),
    },
    line,
  );
}
