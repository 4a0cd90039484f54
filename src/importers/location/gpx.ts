/**
 * GPX 1.0 and 1.1, with or without the default namespace (elements are matched by local name):
 * timed track points (`trk/trkseg/trkpt`), route points (`rte/rtept`) and waypoints (`wpt`)
 * become `location.point`; `ele`, GPX 1.0's `speed`, and the Garmin TrackPointExtension's `hr`
 * and `speed` are read. A point without `time` is skipped with a warning: a route is a plan, not
 * a record of where someone was. Each track with timed points is also an `activity.workout`, and
 * its heart rate readings are `health.sample` points.
 *
 * Stream: `gpx:<creator>` (the device or app named by the root's `creator`), else
 * `gpx:<track name>`, else `gpx`.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { child, textAt, xmlElements, type XmlElement } from '../xml/xml-elements.js';
import { checkLatLon, parseDecimal, type LatLon } from './coordinates.js';
import { addTrackPoint, newTrack, workoutRecord, type TrackSummary } from './gpx-workout.js';
import { createLocationOutput, type LocationOutput } from './location-records.js';
import { rootElementName } from './xml-root.js';
import { readDateTime, type TimeContext } from './location-time.js';

export const gpxImporter: Importer = {
  id: 'gpx',
  title: 'GPX tracks, routes and waypoints (GPS Exchange Format 1.0 and 1.1)',
  doctypes: ['location.point', 'activity.workout', 'health.sample'],
  detect: detectGpx,
  parse: parseGpx,
};

function detectGpx(sample: ImportSample): number {
  const root = rootElementName(sample.text);
  if (root !== 'gpx') return 0;
  return /topografix\.com\/GPX\/1\/[01]/.test(sample.text) || /<(\w+:)?(trk|rte|wpt)[\s/>]/.test(sample.text)
    ? 0.95
    : 0.8;
}

const HEART_RATE = 'HKQuantityTypeIdentifierHeartRate';

/** Which track and segment each matched element belongs to, in the order they are yielded. */
interface Place {
  track: number;
  segment: number;
}

interface GpxState {
  out: LocationOutput;
  time: TimeContext;
  creator: string | undefined;
  track: TrackSummary;
  trackIndex: number;
  segmentIndex: number;
}

async function* parseGpx(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  const state: GpxState = { out, time, creator: undefined, track: newTrack(), trackIndex: 0, segmentIndex: 0 };
  let tracks = 0;
  let segments = 0;
  const places: Place[] = [];
  let head = 0;
  const elements = xmlElements(source, {
    onOpen(path, attrs) {
      if (path.length === 1) {
        if (path[0] !== 'gpx')
          throw importError(source.name, `the root element is <${path[0]}>, not <gpx>: this is not a GPX file.`);
        state.creator = attrs.creator;
      } else if (path.length === 2 && path[1] === 'trk') tracks++;
      else if (path.length === 3 && path[2] === 'trkseg') segments++;
    },
    match(path) {
      const matched =
        (path.length === 2 && path[1] === 'wpt') ||
        (path.length === 3 && path[1] === 'rte' && path[2] === 'rtept') ||
        (path.length === 3 && path[1] === 'trk' && (path[2] === 'name' || path[2] === 'type')) ||
        (path.length === 4 && path[1] === 'trk' && path[2] === 'trkseg' && path[3] === 'trkpt');
      if (matched) places.push({ track: path[1] === 'trk' ? tracks : 0, segment: segments });
      return matched;
    },
  });
  for await (const element of elements) {
    const place = places[head++]!;
    if (head > 1024) {
      places.splice(0, head);
      head = 0;
    }
    if (place.track !== 0 && place.track !== state.trackIndex) {
      const workout = workoutRecord(state.track, state.creator, out.iso);
      if (workout !== undefined) yield workout;
      state.track = newTrack();
      state.trackIndex = place.track;
    }
    if (element.local === 'name' || element.local === 'type') {
      state.track[element.local] = element.text.trim();
      continue;
    }
    if (place.track !== 0 && place.segment !== state.segmentIndex) {
      // Distance is summed within a segment: a new one starts after a gap (a pause, a lost fix).
      state.track.last = undefined;
      state.segmentIndex = place.segment;
    }
    yield* pointRecords(state, element, place.track !== 0);
  }
  const workout = workoutRecord(state.track, state.creator, out.iso);
  if (workout !== undefined) yield workout;
  out.finish();
}

function pointRecords(state: GpxState, el: XmlElement, inTrack: boolean): ImportRecord[] {
  const { out, time } = state;
  const lat = parseDecimal(el.attrs.lat);
  const lon = parseDecimal(el.attrs.lon);
  const written = `lat="${el.attrs.lat ?? ''}" lon="${el.attrs.lon ?? ''}"`.slice(0, 80);
  if (lat === undefined || lon === undefined) {
    throw importError(time.file, `the <${el.name}> position (${written}) is not a pair of numbers.`, el.line);
  }
  checkLatLon(lat, lon, time.file, el.line, written);
  const timeText = textAt(el, 'time');
  if (timeText === undefined || timeText === '') {
    const what = el.local === 'trkpt' ? 'track points' : el.local === 'rtept' ? 'route points' : 'waypoints';
    out.warn(
      `${what} without a time`,
      `this ${what.slice(0, -1)} has no time, so it says nothing of when someone was there: skipped.`,
      el.line,
    );
    return [];
  }
  if (textAt(el, 'fix') === 'none') {
    out.warn('points without a fix', 'the receiver had no fix for this point: skipped.', el.line);
    return [];
  }
  const t = readDateTime(timeText, time, el.line);
  const extension = trackPointExtension(el);
  const hr = heartRateOf(extension);
  const deviceId = out.deviceId('gpx', streamName(state.creator) ?? streamName(state.track.name));
  const records = [
    out.point(
      {
        deviceId,
        t,
        lat,
        lon,
        altitude: parseDecimal(textAt(el, 'ele')),
        speed: parseDecimal(textAt(el, 'speed')) ?? parseDecimal(extension && textAt(extension, 'speed')),
      },
      el.line,
    ),
  ];
  if (inTrack) addTrackPoint(state.track, { lat, lon } satisfies LatLon, t, hr);
  if (hr !== undefined) {
    const source = state.creator?.trim() || 'GPX';
    records.push({
      kind: 'point',
      doctype: 'health.sample',
      data: {
        stream: `${HEART_RATE}|${source}`.slice(0, 320),
        type: HEART_RATE,
        source: source.slice(0, 200),
        t: out.iso(t),
        value: hr,
        unit: 'count/min',
      },
      line: el.line,
    });
  }
  return records;
}

/** A creator or track name as a stream name: without the web address some tools add. */
function streamName(name: string | undefined): string | undefined {
  const cleaned = name
    ?.replace(/(https?:\/\/|www\.)\S*/gi, '')
    .replace(/[\s,;:-]+$/, '')
    .trim();
  return cleaned === '' ? undefined : cleaned;
}

/**
 * Garmin's `<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>`, whatever the prefix (`ns3:` in
 * some exports); some apps put `hr` or `heartrate` right under `extensions`.
 */
function trackPointExtension(el: XmlElement): XmlElement | undefined {
  const extensions = child(el, 'extensions');
  if (extensions === undefined) return undefined;
  return child(extensions, 'TrackPointExtension') ?? extensions;
}

function heartRateOf(extension: XmlElement | undefined): number | undefined {
  if (extension === undefined) return undefined;
  const bpm = parseDecimal(textAt(extension, 'hr') ?? textAt(extension, 'heartrate'));
  // 0 is how some devices write "no reading".
  return bpm !== undefined && bpm > 0 && bpm <= 300 ? bpm : undefined;
}
