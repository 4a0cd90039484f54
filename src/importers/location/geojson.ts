/**
 * GeoJSON (RFC 7946): a `FeatureCollection` (or a single `Feature`) of `Point`, `MultiPoint`,
 * `LineString` and `MultiLineString` features, coordinates `[lon, lat, alt?]`, with their times in
 * properties as the tools that write them do: `time` or `timestamp` on a point (ISO text, or
 * epoch seconds or milliseconds), `coordTimes` on lines (togeojson's, one array per line of a
 * MultiLineString) or `times`. Features without times, and other geometries, are skipped with a
 * warning. Streamed feature by feature.
 *
 * Stream: `geojson:<device>` when properties name one (`device`, `deviceId`, `tracker`), else
 * `geojson`.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { checkLatLon } from './coordinates.js';
import { jsonValues, type JsonChoice, type JsonKind, type JsonPath } from '../json/json-stream.js';
import { createLocationOutput, numberOf, objectOf, stringOf, type LocationOutput } from './location-records.js';
import { checkPlausible, clip, readDateTime, type TimeContext } from './location-time.js';

export const geojsonImporter: Importer = {
  id: 'geojson',
  title: 'GeoJSON points and tracks with times',
  doctypes: ['location.point'],
  detect: (sample: ImportSample) => {
    const text = sample.text.trimStart();
    if (!text.startsWith('{')) return 0;
    if (/"type"\s*:\s*"(FeatureCollection|Feature)"/.test(text)) return 0.9;
    return /"features"\s*:\s*\[/.test(text) && /"coordinates"\s*:/.test(text) ? 0.7 : 0;
  },
  parse: parseGeojson,
};

/** Up to this, a numeric time is in seconds (2286 in seconds; 1973 in milliseconds). */
const SECONDS_BELOW = 1e10;

async function* parseGeojson(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  let rootType: unknown;
  let sawFeatures = false;
  const root: Record<string, unknown> = {};
  const select = (path: JsonPath, kind: JsonKind): JsonChoice => {
    if (path.length === 0) return kind === 'object' ? 'descend' : 'skip';
    if (path.length === 1) {
      if (path[0] === 'features' && kind === 'array') {
        sawFeatures = true;
        return 'descend';
      }
      return path[0] === 'type' || path[0] === 'geometry' || path[0] === 'properties' ? 'value' : 'skip';
    }
    return 'value';
  };
  for await (const batch of jsonValues(source, { select })) {
    for (const { path, value, line } of batch) {
      if (path.length === 1) {
        if (path[0] === 'type') rootType = value;
        else root[path[0] as string] = value;
        continue;
      }
      yield* featureRecords(out, time, objectOf(value), line);
    }
  }
  // A single Feature at the root: its parts came one by one.
  if (rootType === 'Feature') yield* featureRecords(out, time, { type: 'Feature', ...root }, 1);
  else if (!sawFeatures && rootType !== 'FeatureCollection') {
    if (typeof rootType === 'string' && objectOf(root.geometry) === undefined) {
      out.warn(
        'geometries without times',
        `this file holds a bare ${clip(rootType)} geometry, which has no time: nothing imported.`,
        1,
      );
    } else {
      throw importError(source.name, 'this JSON has no "features": it is not GeoJSON.');
    }
  }
  out.finish();
}

function featureRecords(
  out: LocationOutput,
  time: TimeContext,
  feature: Record<string, unknown> | undefined,
  line: number,
): ImportRecord[] {
  const geometry = objectOf(feature?.geometry);
  const properties = objectOf(feature?.properties) ?? {};
  if (feature === undefined || geometry === undefined) {
    out.warn('features without a geometry', 'this feature has no geometry: skipped.', line);
    return [];
  }
  const type = geometry.type;
  const coordinates = geometry.coordinates;
  // Lines: one list of positions each; Point and MultiPoint: one list with one or more positions.
  let lines: unknown[][];
  let times: unknown[][];
  if (type === 'Point') {
    lines = [[coordinates]];
    times = [[properties.time ?? properties.timestamp ?? properties.when]];
  } else if (type === 'MultiPoint' || type === 'LineString') {
    lines = [Array.isArray(coordinates) ? coordinates : []];
    times = [timeList(properties.coordTimes ?? properties.times)];
  } else if (type === 'MultiLineString') {
    lines = Array.isArray(coordinates) ? coordinates.map((c) => (Array.isArray(c) ? c : [])) : [];
    const all = properties.coordTimes ?? properties.times;
    times = Array.isArray(all) && all.every(Array.isArray) ? (all as unknown[][]) : [];
  } else {
    out.warn(
      'features of other geometries',
      `this feature is a ${clip(String(type))}, not points or lines: skipped.`,
      line,
    );
    return [];
  }
  const device = stringOf(properties.deviceId) ?? stringOf(properties.device) ?? stringOf(properties.tracker);
  const deviceId = out.deviceId('geojson', device);
  const accuracy = type === 'Point' ? numberOf(properties.accuracy) : undefined;
  const records: ImportRecord[] = [];
  lines.forEach((positions, i) => {
    const stamps = times[i] ?? [];
    if (stamps.length === 0 || stamps.every((s) => s === undefined || s === null)) {
      out.warn('features without times', 'this feature gives no time for its points: skipped.', line);
      return;
    }
    if (stamps.length !== positions.length) {
      out.warn(
        'features with unmatched times',
        `this feature has ${positions.length} positions but ${stamps.length} times: only the pairs are kept.`,
        line,
      );
    }
    const n = Math.min(stamps.length, positions.length);
    for (let k = 0; k < n; k++) {
      const [lon, lat, altitude] = position(positions[k], time, line);
      const t = instantOf(stamps[k], time, line);
      records.push(out.point({ deviceId, t, lat, lon, altitude, accuracy }, line));
    }
  });
  return records;
}

function timeList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `[lon, lat]` or `[lon, lat, alt]`. */
function position(value: unknown, time: TimeContext, line: number): [number, number, number | undefined] {
  const p = Array.isArray(value) ? value : [];
  const [lon, lat, altitude] = p;
  if (typeof lon !== 'number' || typeof lat !== 'number' || p.length > 4) {
    throw importError(
      time.file,
      `the position ${clip(JSON.stringify(value) ?? 'nothing')} is not [longitude, latitude].`,
      line,
    );
  }
  checkLatLon(lat, lon, time.file, line, `[${lon}, ${lat}]`);
  return [lon, lat, typeof altitude === 'number' ? altitude : undefined];
}

/** ISO text, or a number of seconds or milliseconds since 1970. */
function instantOf(value: unknown, time: TimeContext, line: number): number {
  if (typeof value === 'string') return readDateTime(value, time, line);
  if (typeof value === 'number' && Number.isFinite(value)) {
    return checkPlausible(Math.abs(value) < SECONDS_BELOW ? value * 1000 : value, String(value), time, line);
  }
  throw importError(time.file, `the time ${clip(JSON.stringify(value) ?? 'nothing')} is not a date and time.`, line);
}
