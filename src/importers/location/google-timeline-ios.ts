/**
 * The on-device Timeline export of Google Maps on iOS (2024 on, `location-history.json`): a
 * top-level array of segments, each with `startTime`/`endTime` (with their offset) and one of
 * `visit` (place as `"geo:48.858300,2.294500"`; numbers written as strings), `activity` (start
 * and end only: left out) or `timelinePath`, whose points give their time as
 * `durationMinutesOffsetFromStartTime`, whole minutes after the segment's start.
 */
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { readGoogleTime, timelineSegmentRecords } from './google-common.js';
import { arrayItems } from '../json/json-stream.js';
import { createLocationOutput, numberOf, objectOf } from './location-records.js';
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
  const notTimeline = 'this JSON is not a list of timeline segments: it is not a Google Timeline export from iOS.';
  for await (const batch of arrayItems(source, null, notTimeline)) {
    for (const { value, line } of batch) {
      const segment = objectOf(value);
      if (segment === undefined) {
        out.warn('entries that are not objects', 'this entry is not an object: skipped.', line);
        continue;
      }
      const start = readGoogleTime(segment.startTime, undefined, time, line);
      // Newer files may give the instant itself; otherwise whole minutes after the segment's start.
      const pointTime = (p: Record<string, unknown> | undefined): number | undefined => {
        const t = readGoogleTime(p?.time, undefined, time, line);
        const minutes = numberOf(p?.durationMinutesOffsetFromStartTime);
        if (t !== undefined || start === undefined || minutes === undefined || minutes < 0) return t;
        return checkPlausible(start + minutes * 60_000, `${String(segment.startTime)} + ${minutes} min`, time, line);
      };
      yield* timelineSegmentRecords(out, time, line, segment, IOS_TIMELINE_DEVICE, pointTime);
    }
  }
  out.finish();
}
