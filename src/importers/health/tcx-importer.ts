/**
 * Garmin's Training Center XML (TCX) activities: one activity.workout per Activity, its
 * trackpoints' positions as location.point and their heart rate as health.sample points.
 *
 * Trackpoints stream one at a time (a day-long ride holds tens of thousands): the reader collects
 * the small elements it needs (an Activity's Id, a Lap's totals, a Trackpoint) and learns which
 * activity and lap each belongs to when the element opens, in a queue that follows the order in
 * which the elements come out.
 */
import { importError } from '../import-error.js';
import type { Importer, ImportRecord, ImportSample, ImportSource, ParseContext } from '../importer.js';
import { textAt, xmlElements, type XmlElement } from '../xml/xml-elements.js';
import { isoInstant, parseIsoDateTime, plausibleInstant } from './health-dates.js';
import { parseDecimal, rounded } from './health-units.js';

interface Lap {
  start?: number;
  durationSeconds?: number;
  distanceMetres?: number;
  energyKcal?: number;
  averageHeartRateBpm?: number;
  maxHeartRateBpm?: number;
}

interface Activity {
  sport: string | undefined;
  line: number;
  start?: number;
  laps: Lap[];
  creator?: string;
  unitId?: string;
  notes?: string;
  lastTime?: number;
  heart: { count: number; sum: number; min: number; max: number };
}

interface Place {
  activity: Activity;
  lap: Lap | undefined;
}

const SPORTS: Record<string, string> = { Running: 'running', Biking: 'cycling', Other: 'other' };
const POINT_ACTIVITY: Record<string, string> = { running: 'running', cycling: 'cycling' };
const HEART_RATE = 'HKQuantityTypeIdentifierHeartRate';
const LAP_FIELDS = new Set([
  'TotalTimeSeconds',
  'DistanceMeters',
  'Calories',
  'AverageHeartRateBpm',
  'MaximumHeartRateBpm',
]);

export const tcxImporter: Importer = {
  id: 'tcx',
  title: 'Garmin Training Center activities (TCX)',
  doctypes: ['activity.workout', 'location.point', 'health.sample'],

  detect(sample: ImportSample): number {
    if (!/^\s*(<\?xml|<!--|<)/.test(sample.text)) return 0;
    return /<([A-Za-z0-9_]+:)?TrainingCenterDatabase[\s>]/.test(sample.text) ? 0.97 : 0;
  },

  async *parse(source, ctx): AsyncIterable<ImportRecord> {
    // The Creator (the device) closes an Activity, after its trackpoints: a first, quick pass
    // reads it, so that every point of the activity names its device.
    const creators = await creatorsOf(source);
    let ordinal = 0;
    const places: Place[] = [];
    let activity: Activity | undefined;
    let lap: Lap | undefined;
    let root: string | undefined;
    const elements = xmlElements(source, {
      match: (path, attrs) => {
        const local = path[path.length - 1]!;
        const parent = path[path.length - 2];
        if (path.length === 1) {
          root = local;
          if (root !== 'TrainingCenterDatabase') throw notTcx(source.name);
          return false;
        }
        if (isActivity(local, parent)) {
          const creator = creators[ordinal++];
          activity = {
            sport: attrs.Sport,
            line: 0,
            laps: [],
            creator: creator?.name,
            unitId: creator?.unitId,
            heart: { count: 0, sum: 0, min: Infinity, max: 0 },
          };
          lap = undefined;
          return false;
        }
        if (!activity || !path.includes('Activity')) return false;
        if (local === 'Lap' && parent === 'Activity') {
          lap = {
            start: attrs.StartTime === undefined ? undefined : (timeOf(attrs.StartTime, ctx, source.name) ?? undefined),
          };
          activity.laps.push(lap);
          return false;
        }
        const wanted =
          (parent === 'Activity' && (local === 'Id' || local === 'Notes')) ||
          (parent === 'Lap' && LAP_FIELDS.has(local)) ||
          (local === 'Trackpoint' && parent === 'Track' && path[path.length - 3] === 'Lap');
        if (wanted) places.push({ activity, lap });
        return wanted;
      },
    });
    let current: Activity | undefined;
    for await (const el of elements) {
      const place = places.shift()!;
      if (place.activity !== current) {
        if (current) yield* finish(current, source.name, ctx);
        current = place.activity;
        current.line = el.line;
      }
      if (el.local === 'Trackpoint') yield* trackpoint(el, current, source.name, ctx);
      else if (place.lap && LAP_FIELDS.has(el.local)) lapField(el, place.lap);
      else activityField(el, current, source.name, ctx);
    }
    if (current) yield* finish(current, source.name, ctx);
    if (root !== 'TrainingCenterDatabase') throw notTcx(source.name);
    if (!current)
      ctx.warn({ message: 'the file holds no activity (a TCX course or workout plan?): nothing to import.' });
  },
};

const isActivity = (local: string, parent: string | undefined) =>
  local === 'Activity' && (parent === 'Activities' || parent === 'FirstSport' || parent === 'NextSport');

/** Each Activity's Creator, in the order of the activities (undefined where there is none). */
async function creatorsOf(source: ImportSource): Promise<({ name?: string; unitId?: string } | undefined)[]> {
  const creators: ({ name?: string; unitId?: string } | undefined)[] = [];
  const owners: number[] = [];
  const elements = xmlElements(source, {
    match: (path) => {
      const local = path[path.length - 1]!;
      if (isActivity(local, path[path.length - 2])) creators.push(undefined);
      const wanted = local === 'Creator' && path[path.length - 2] === 'Activity' && creators.length > 0;
      if (wanted) owners.push(creators.length - 1);
      return wanted;
    },
  });
  for await (const el of elements) {
    creators[owners.shift()!] = {
      name: textAt(el, 'Name')?.slice(0, 200) || undefined,
      unitId: textAt(el, 'UnitId') || undefined,
    };
  }
  return creators;
}

const notTcx = (file: string) =>
  importError(file, 'this is not a TCX file: its root element is not <TrainingCenterDatabase>.');

/** An xsd:dateTime, or null; an absurd date stops the import. */
function timeOf(raw: string, ctx: ParseContext, file?: string, line?: number): number | null {
  const parsed = parseIsoDateTime(raw, ctx.timeZone);
  if (!parsed || parsed.precision !== 'instant') return null;
  if (!plausibleInstant(parsed.ms, ctx.now)) {
    throw importError(file ?? '', `the time "${raw.slice(0, 40)}" is not a plausible date`, line);
  }
  return parsed.ms;
}

/** A number within [0, max], else undefined: one broken total should not cost the whole activity. */
function bounded(raw: string | undefined, max: number): number | undefined {
  const value = parseDecimal(raw);
  return value === null || value < 0 || value > max ? undefined : value;
}

function lapField(el: XmlElement, lap: Lap): void {
  switch (el.local) {
    case 'TotalTimeSeconds':
      lap.durationSeconds = bounded(el.text, 2678400);
      break;
    case 'DistanceMeters':
      lap.distanceMetres = bounded(el.text, 10_000_000);
      break;
    case 'Calories':
      lap.energyKcal = bounded(el.text, 100_000);
      break;
    case 'AverageHeartRateBpm':
      lap.averageHeartRateBpm = bounded(textAt(el, 'Value'), 300);
      break;
    case 'MaximumHeartRateBpm':
      lap.maxHeartRateBpm = bounded(textAt(el, 'Value'), 300);
      break;
  }
}

function activityField(el: XmlElement, activity: Activity, file: string, ctx: ParseContext): void {
  if (el.local === 'Id') {
    const raw = el.text.trim();
    const start = timeOf(raw, ctx, file, el.line);
    if (start === null) ctx.warn({ line: el.line, message: `the activity's Id "${raw.slice(0, 40)}" is not a time.` });
    else activity.start = start;
  } else if (el.local === 'Notes') {
    activity.notes = el.text.trim().slice(0, 10_000) || undefined;
  }
}

const sourceOf = (a: Activity) => a.creator ?? 'TCX file';

/** The device as a location.point stream: `forerunner-245:3991234567`, within the schema's pattern. */
function deviceIdOf(a: Activity): string {
  const name = (a.creator ?? 'tcx')
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const unit = (a.unitId ?? '').replace(/[^A-Za-z0-9]/g, '').slice(0, 20);
  return `${name || 'tcx'}${unit ? `:${unit}` : ''}`;
}

function* trackpoint(el: XmlElement, a: Activity, file: string, ctx: ParseContext): Iterable<ImportRecord> {
  const raw = textAt(el, 'Time');
  const ms = raw === undefined ? null : timeOf(raw, ctx, file, el.line);
  if (ms === null) {
    ctx.warn({ line: el.line, message: `the trackpoint's time "${raw ?? ''}" is not a time: it is skipped.` });
    return;
  }
  a.lastTime = Math.max(a.lastTime ?? ms, ms);
  const t = isoInstant(ms);
  const lat = parseDecimal(textAt(el, 'Position', 'LatitudeDegrees'));
  const lon = parseDecimal(textAt(el, 'Position', 'LongitudeDegrees'));
  if (lat !== null && lon !== null) {
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      ctx.warn({ line: el.line, message: `the position ${lat}, ${lon} is not on Earth: it is left out.` });
    } else {
      const altitude = parseDecimal(textAt(el, 'AltitudeMeters'));
      const speed = parseDecimal(textAt(el, 'Extensions', 'TPX', 'Speed'));
      const activity = POINT_ACTIVITY[SPORTS[a.sport ?? ''] ?? ''];
      yield {
        kind: 'point',
        doctype: 'location.point',
        data: {
          deviceId: deviceIdOf(a),
          t,
          lat,
          lon,
          ...(altitude !== null && altitude >= -500 && altitude <= 10_000
            ? { altitudeMetres: rounded(altitude, 2) }
            : {}),
          ...(speed !== null && speed >= 0 && speed < 1000 ? { speedMetresPerSecond: rounded(speed, 3) } : {}),
          source: 'gps',
          ...(activity ? { activity } : {}),
        },
        line: el.line,
      };
    }
  }
  const bpm = parseDecimal(textAt(el, 'HeartRateBpm', 'Value'));
  if (bpm === null) return;
  if (bpm < 0 || bpm > 300) {
    ctx.warn({ line: el.line, message: `the heart rate ${bpm} is not plausible: it is left out.` });
    return;
  }
  const heart = a.heart;
  heart.count++;
  heart.sum += bpm;
  heart.min = Math.min(heart.min, bpm);
  heart.max = Math.max(heart.max, bpm);
  const source = sourceOf(a);
  yield {
    kind: 'point',
    doctype: 'health.sample',
    data: { stream: `${HEART_RATE}|${source}`, type: HEART_RATE, source, t, value: bpm, unit: 'count/min' },
    line: el.line,
  };
}

const sum = (laps: Lap[], field: 'durationSeconds' | 'distanceMetres' | 'energyKcal') => {
  const values = laps.map((l) => l[field]).filter((v): v is number => v !== undefined);
  return values.length === 0 ? undefined : rounded(values.reduce((s, v) => s + v, 0));
};

/** The activity.workout of a finished Activity. */
function* finish(a: Activity, file: string, ctx: ParseContext): Iterable<ImportRecord> {
  const start = a.start ?? a.laps.find((l) => l.start !== undefined)?.start;
  if (start === undefined) {
    ctx.warn({ line: a.line, message: 'an activity has neither an Id nor a lap start time: it is skipped.' });
    return;
  }
  const durationSeconds = sum(a.laps, 'durationSeconds');
  const last = a.laps.at(-1);
  const lapsEnd =
    last?.start !== undefined && last.durationSeconds !== undefined
      ? last.start + last.durationSeconds * 1000
      : undefined;
  const end = Math.max(a.lastTime ?? start, lapsEnd ?? start, start + (durationSeconds ?? 0) * 1000);
  const timed = a.laps.filter((l) => l.averageHeartRateBpm !== undefined && l.durationSeconds);
  const lapTime = timed.reduce((s, l) => s + l.durationSeconds!, 0);
  const heartRate: Record<string, number> = {};
  if (lapTime > 0)
    heartRate.averageBpm = rounded(
      timed.reduce((s, l) => s + l.averageHeartRateBpm! * l.durationSeconds!, 0) / lapTime,
      1,
    );
  else if (a.heart.count > 0) heartRate.averageBpm = rounded(a.heart.sum / a.heart.count, 1);
  if (a.heart.count > 0) heartRate.minBpm = a.heart.min;
  const maxes = a.laps.map((l) => l.maxHeartRateBpm).filter((v): v is number => v !== undefined);
  if (a.heart.count > 0) maxes.push(a.heart.max);
  if (maxes.length > 0) heartRate.maxBpm = Math.max(...maxes);
  const laps = a.laps
    .filter((l): l is Lap & { start: number } => l.start !== undefined)
    .slice(0, 10_000)
    .map((l) => ({
      start: isoInstant(l.start),
      ...(l.durationSeconds !== undefined ? { durationSeconds: rounded(l.durationSeconds) } : {}),
      ...(l.distanceMetres !== undefined ? { distanceMetres: rounded(l.distanceMetres) } : {}),
      ...(l.energyKcal !== undefined ? { energyKcal: l.energyKcal } : {}),
      ...(l.averageHeartRateBpm !== undefined ? { averageHeartRateBpm: l.averageHeartRateBpm } : {}),
      ...(l.maxHeartRateBpm !== undefined ? { maxHeartRateBpm: l.maxHeartRateBpm } : {}),
    }));
  const data: Record<string, unknown> = {
    activityType: SPORTS[a.sport ?? ''] ?? 'other',
    start: isoInstant(start),
    end: isoInstant(end),
    ...(durationSeconds !== undefined && durationSeconds <= 2678400 ? { durationSeconds } : {}),
  };
  const distance = sum(a.laps, 'distanceMetres');
  if (distance !== undefined && distance <= 10_000_000) data.distanceMetres = distance;
  const energy = sum(a.laps, 'energyKcal');
  if (energy !== undefined && energy <= 100_000) data.energyKcal = energy;
  if (Object.keys(heartRate).length > 0) data.heartRate = heartRate;
  if (laps.length > 0) data.laps = laps;
  data.source = sourceOf(a);
  if (a.creator) data.device = a.unitId ? `${a.creator} (${a.unitId.slice(0, 40)})` : a.creator;
  if (a.notes) data.extra = { notes: a.notes };
  if (!plausibleInstant(end, ctx.now)) throw importError(file, 'the activity ends at an implausible date', a.line);
  // The key is the start instant as the GPX importer writes it, so the same activity exported as
  // TCX and as GPX (Garmin Connect offers both) is one workout.
  yield { kind: 'document', doctype: 'activity.workout', key: new Date(start).toISOString(), data, line: a.line };
}
