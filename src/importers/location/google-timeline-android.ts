/**
 * The on-device Timeline export of Google Maps on Android (2024 on, `Timeline.json`, exported
 * from the phone's settings): `{"semanticSegments": [...], "rawSignals": [...],
 * "userLocationProfile": {...}}`. Segments carry `startTime`/`endTime` with their offset
 * (`2024-07-14T10:05:12.000+02:00`) and a `visit` (place as `"48.8583°, 2.2945°"`), an `activity`
 * (start and end only: left out) or a `timelinePath` of timed points; raw signals carry the
 * phone's own fixes (`position`: `LatLng`, `accuracyMeters`, `altitudeMeters`, `source`,
 * `speedMetersPerSecond`), besides Wi-Fi scans and activity readings, which are left out.
 */
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { readGoogleTime, readLatLngText, timelineSegmentRecords } from './google-common.js';
import { arrayItems } from '../json/json-stream.js';
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
  const notTimeline = 'this JSON has no "semanticSegments" list: it is not a Google Timeline export.';
  for await (const batch of arrayItems(source, ['semanticSegments', 'rawSignals'], notTimeline)) {
    for (const { path, value, line } of batch) {
      const item = objectOf(value);
      if (item === undefined) continue;
      if (path[0] === 'rawSignals') {
        const record = rawPosition(out, time, line, objectOf(item.position));
        if (record !== undefined) yield record;
      } else {
        yield* timelineSegmentRecords(out, time, line, item, ANDROID_TIMELINE_DEVICE, (p) =>
          readGoogleTime(p?.time, undefined, time, line),
        );
      }
    }
  }
  out.finish();
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
