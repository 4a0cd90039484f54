/**
 * KML 2.2 (Google Earth, My Maps, Google's old location history and day exports): a `Placemark`
 * with a `Point` and a `TimeStamp` is a `location.point`; with a `Point` and a full `TimeSpan` it
 * is a stay, a `location.visit` (name, address); a `gx:Track` pairs its `when` and `gx:coord`
 * elements into points, read one at a time however long the track; `MultiGeometry` and
 * `gx:MultiTrack` are walked. A `LineString` has no time for its points and is skipped with a
 * warning, as is a placemark with no time. KMZ (zipped KML) is opened by the archive walker.
 *
 * Stream: `kml` (a KML file names no device).
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { textAt, xmlElements, type XmlElement } from '../xml/xml-elements.js';
import { checkLatLon, parseDecimal, type LatLon } from './coordinates.js';
import { rootElementName } from './xml-root.js';
import { addressOf, createLocationOutput, type LocationOutput } from './location-records.js';
import { clip, readDateTime, type TimeContext } from './location-time.js';

export const KML_DEVICE = 'kml';

export const kmlImporter: Importer = {
  id: 'kml',
  title: 'KML placemarks and tracks (Google Earth, My Maps, location history)',
  doctypes: ['location.point', 'location.visit'],
  detect: (sample: ImportSample) => (rootElementName(sample.text) === 'kml' ? 0.95 : 0),
  parse: parseKml,
};

/** Elements read whole when they belong to a placemark (directly or through MultiGeometry). */
const PLACEMARK_PARTS = new Set(['name', 'address', 'TimeStamp', 'TimeSpan', 'Point', 'LineString']);
/** KML allows times as vague as a year or a month: no instant for a point. */
const VAGUE_TIME = /^\s*\d{4}(-\d{2})?\s*$/;

interface Place {
  placemark: number;
  track: number;
}

interface Placemark {
  name?: string;
  address?: string;
  stamp?: XmlElement;
  span?: XmlElement;
  geometries: XmlElement[];
  line: number;
}

async function* parseKml(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const out = createLocationOutput(ctx);
  const time: TimeContext = { file: source.name, timeZone: ctx.timeZone, now: ctx.now };
  let placemarks = 0;
  let tracks = 0;
  const places: Place[] = [];
  let head = 0;
  const elements = xmlElements(source, {
    onOpen(path) {
      if (path.length === 1 && path[0] !== 'kml') {
        throw importError(source.name, `the root element is <${path[0]}>, not <kml>: this is not a KML file.`);
      }
      const local = path[path.length - 1];
      if (local === 'Placemark') placemarks++;
      else if (local === 'Track') tracks++;
    },
    match(path) {
      const local = path[path.length - 1]!;
      const parent = path[path.length - 2];
      const matched =
        (parent === 'Track' && (local === 'when' || local === 'coord')) ||
        (PLACEMARK_PARTS.has(local) &&
          (parent === 'Placemark' || (parent === 'MultiGeometry' && path.includes('Placemark'))));
      if (matched) places.push({ placemark: placemarks, track: tracks });
      return matched;
    },
  });

  let current: Placemark | undefined;
  let currentIndex = 0;
  // A gx:Track's times and positions, paired in order as they come.
  let trackIndex = 0;
  const whens: { t: number; line: number }[] = [];
  const coords: { at: LatLon; altitude: number | undefined; line: number }[] = [];
  const endTrack = () => {
    const left = whens.length > 0 ? `${whens.length} <when>` : `${coords.length} <gx:coord>`;
    if (whens.length + coords.length > 0) {
      out.warn(
        'tracks with unpaired times',
        `a gx:Track ends with ${left} left unpaired (it must have as many <when> as <gx:coord>): skipped.`,
        (whens[0] ?? coords[0])?.line,
      );
    }
    whens.length = 0;
    coords.length = 0;
  };

  for await (const el of elements) {
    const place = places[head++]!;
    if (head > 1024) {
      places.splice(0, head);
      head = 0;
    }
    if (place.placemark !== currentIndex) {
      if (current) yield* placemarkRecords(out, time, current);
      current = { geometries: [], line: el.line };
      currentIndex = place.placemark;
    }
    if (place.track !== trackIndex) {
      endTrack();
      trackIndex = place.track;
    }
    if (el.local === 'when' || el.local === 'coord') {
      if (el.local === 'when') whens.push({ t: readDateTime(el.text, time, el.line), line: el.line });
      else coords.push({ ...trackCoordinate(el, time), line: el.line });
      while (whens.length > 0 && coords.length > 0) {
        const w = whens.shift()!;
        const c = coords.shift()!;
        yield out.point({ deviceId: KML_DEVICE, t: w.t, lat: c.at.lat, lon: c.at.lon, altitude: c.altitude }, c.line);
      }
      continue;
    }
    const pm = current!;
    if (el.local === 'name') pm.name = el.text.trim();
    else if (el.local === 'address') pm.address = el.text.trim();
    else if (el.local === 'TimeStamp') pm.stamp = el;
    else if (el.local === 'TimeSpan') pm.span = el;
    else pm.geometries.push(el);
  }
  endTrack();
  if (current) yield* placemarkRecords(out, time, current);
  out.finish();
}

function placemarkRecords(out: LocationOutput, time: TimeContext, pm: Placemark): ImportRecord[] {
  const records: ImportRecord[] = [];
  const stamp = pm.stamp && textAt(pm.stamp, 'when');
  const begin = pm.span && textAt(pm.span, 'begin');
  const end = pm.span && textAt(pm.span, 'end');
  for (const geometry of pm.geometries) {
    if (geometry.local === 'LineString') {
      out.warn('lines without times', 'this LineString gives no time for its points: skipped.', geometry.line);
      continue;
    }
    const [at, altitude] = pointCoordinates(geometry, time);
    if (begin && end) {
      if (VAGUE_TIME.test(begin) || VAGUE_TIME.test(end)) {
        out.warn(
          'placemarks dated by a year or a month',
          'this placemark is dated too vaguely for a visit: skipped.',
          geometry.line,
        );
        continue;
      }
      const start = readDateTime(begin, time, pm.span!.line);
      const finish = readDateTime(end, time, pm.span!.line);
      if (finish < start) {
        out.warn('visits ending before they start', 'this placemark ends before it begins: skipped.', pm.span!.line);
        continue;
      }
      const address = addressOf(pm.address);
      records.push(
        out.visit(
          `kml:${out.iso(start)}|${at.lat.toFixed(5)},${at.lon.toFixed(5)}`,
          {
            start,
            end: finish,
            lat: at.lat,
            lon: at.lon,
            placeName: pm.name,
            address,
            deviceId: KML_DEVICE,
            extra: address === undefined && pm.address ? { address: pm.address } : undefined,
          },
          geometry.line,
        ),
      );
      continue;
    }
    const when = stamp || begin || end;
    if (!when) {
      out.warn('placemarks without a time', 'this placemark has no TimeStamp or TimeSpan: skipped.', geometry.line);
      continue;
    }
    if (VAGUE_TIME.test(when)) {
      out.warn(
        'placemarks dated by a year or a month',
        'this placemark is dated too vaguely for a point: skipped.',
        geometry.line,
      );
      continue;
    }
    const t = readDateTime(when, time, (pm.stamp ?? pm.span)?.line);
    records.push(out.point({ deviceId: KML_DEVICE, t, lat: at.lat, lon: at.lon, altitude }, geometry.line));
  }
  return records;
}

/** `<Point><coordinates>lon,lat[,alt]</coordinates></Point>`. */
function pointCoordinates(point: XmlElement, time: TimeContext): [LatLon, number | undefined] {
  const text = textAt(point, 'coordinates') ?? '';
  const parts = text.split(',').map((p) => p.trim());
  return checkedCoordinates(parts, text, point, time);
}

/** `<gx:coord>lon lat [alt]</gx:coord>`. */
function trackCoordinate(coord: XmlElement, time: TimeContext): { at: LatLon; altitude: number | undefined } {
  const text = coord.text.trim();
  const [at, altitude] = checkedCoordinates(text.split(/\s+/), text, coord, time);
  return { at, altitude };
}

function checkedCoordinates(
  parts: string[],
  text: string,
  el: XmlElement,
  time: TimeContext,
): [LatLon, number | undefined] {
  const lon = parseDecimal(parts[0]);
  const lat = parseDecimal(parts[1]);
  if (lon === undefined || lat === undefined || parts.length > 3) {
    throw importError(time.file, `the coordinates "${clip(text)}" are not "longitude, latitude[, altitude]".`, el.line);
  }
  checkLatLon(lat, lon, time.file, el.line, text);
  return [{ lat, lon }, parseDecimal(parts[2])];
}
