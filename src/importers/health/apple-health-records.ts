/**
 * Apple Health `export.xml` elements turned into catalog records: `Record` into health.sample
 * points, `Workout` into activity.workout documents, blood pressure `Correlation` into
 * health.observation documents, `ActivitySummary` into daily health.sample points.
 */
import { localMidnight } from '../../core/time/time-zone.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ParseContext } from '../importer.js';
import type { XmlElement } from '../xml/xml-elements.js';
import { isoInstant, parseAppleDate, plausibleInstant } from './health-dates.js';
import { parseDecimal, rounded, toKcal, toMetres, toSeconds } from './health-units.js';

/** What the reader learnt from the file's head, and caches shared by all elements. */
export interface AppleExportState {
  file: string;
  /** Dates are in the Thai Buddhist era (year + 543): see the ExportDate check. */
  buddhistEra: boolean;
  /** Parsed `device` attributes: a few distinct strings repeated millions of times. */
  devices: Map<string, string | undefined>;
  /** The last dates read: start and end, and the next record's, are often the same text. */
  recentDates: [string, number | null][];
  lastDevice?: [string, string | undefined];
}

export function createAppleExportState(file: string): AppleExportState {
  return { file, buddhistEra: false, devices: new Map(), recentDates: [] };
}

/** `parseAppleDate`, remembering the last few answers. */
function parseRecentDate(raw: string, state: AppleExportState): number | null {
  for (const [text, ms] of state.recentDates) if (text === raw) return ms;
  const ms = parseAppleDate(raw, state.buddhistEra);
  if (state.recentDates.unshift([raw, ms]) > 3) state.recentDates.pop();
  return ms;
}

/** Largest magnitude a sample's value may have: beyond it the file is corrupt, not the person unusual. */
const ABSURD_VALUE = 1e9;

const TYPE_PATTERN = /^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/;

/** Samples of these types measure no quantity: their value is a category (a sleep stage). */
const isCategoryType = (type: string) => type.startsWith('HKCategoryTypeIdentifier');

type Dated = { ms: number } | { warning: string };

/** A date attribute: its instant, a warning when it cannot be read, or an error when it is absurd. */
function dateOf(el: XmlElement, attr: string, state: AppleExportState, ctx: ParseContext): Dated {
  const raw = el.attrs[attr];
  if (raw === undefined) return { warning: `the ${el.local} has no ${attr}` };
  const ms = parseRecentDate(raw, state);
  if (ms === null) return { warning: `the ${el.local}'s ${attr} "${raw}" is not a date Foyer can read` };
  if (!plausibleInstant(ms, ctx.now)) {
    throw importError(state.file, `the ${el.local}'s ${attr} "${raw}" is not a plausible date`, el.line);
  }
  return { ms };
}

/** Start and end of an element; a warning when either cannot be read. */
function periodOf(el: XmlElement, state: AppleExportState, ctx: ParseContext) {
  const start = dateOf(el, 'startDate', state, ctx);
  if ('warning' in start) return start;
  const end = dateOf(el, 'endDate', state, ctx);
  if ('warning' in end) return end;
  // An end before the start is an error of the source app: keep the start only.
  return { start: start.ms, end: end.ms >= start.ms ? end.ms : undefined };
}

/** `<<HKDevice: 0x28…>, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,1, software:9.1>` */
export function deviceOf(raw: string | undefined, state: AppleExportState): string | undefined {
  if (raw === undefined) return undefined;
  // Comparing with the last one is cheaper than hashing a long string for the map.
  if (raw === state.lastDevice?.[0]) return state.lastDevice[1];
  const known = state.devices.get(raw);
  if (known !== undefined || state.devices.has(raw)) {
    state.lastDevice = [raw, known];
    return known;
  }
  // Values hold commas themselves (`hardware:Watch6,1`): a value runs to the next `, key:` or the end.
  const field = (name: string) =>
    new RegExp(`[<,]\\s*${name}:(.*?)(?=,\\s*[A-Za-z]+:|>\\s*$)`).exec(raw)?.[1]?.trim() || undefined;
  const parts = [field('name'), field('hardware') ?? field('model')].filter((p): p is string => p !== undefined);
  const device = parts.length > 0 ? parts.join(' ').slice(0, 200) : undefined;
  if (state.devices.size < 10_000) state.devices.set(raw, device);
  state.lastDevice = [raw, device];
  return device;
}

const sourceNameOf = (el: XmlElement) => (el.attrs.sourceName ?? el.attrs.source)?.trim().slice(0, 200) || undefined;

function checkValue(value: number, el: XmlElement, state: AppleExportState): number {
  if (Math.abs(value) > ABSURD_VALUE) {
    throw importError(state.file, `the ${el.local}'s value "${el.attrs.value}" is absurd`, el.line);
  }
  return value;
}

/** A `Record`: one health.sample point, or null (with a warning) when it cannot be read. */
export function sampleOf(el: XmlElement, state: AppleExportState, ctx: ParseContext): ImportRecord | null {
  const skip = (why: string) => {
    ctx.warn({ line: el.line, message: `${why}: the record is skipped.` });
    return null;
  };
  const type = el.attrs.type;
  if (!type || !TYPE_PATTERN.test(type)) return skip(`the Record's type "${type ?? ''}" is not a HealthKit type`);
  const source = sourceNameOf(el);
  if (!source) return skip('the Record names no source');
  const period = periodOf(el, state, ctx);
  if ('warning' in period) return skip(period.warning);
  const data: Record<string, unknown> = { stream: `${type}|${source}`, type, source, t: isoInstant(period.start) };
  if (period.end !== undefined && period.end !== period.start) data.end = isoInstant(period.end);
  if (isCategoryType(type)) {
    const category = el.attrs.value?.trim();
    if (category) {
      data.stream = `${type}/${category.slice(0, 100)}|${source}`;
      data.category = category.slice(0, 200);
    }
    data.value = ((period.end ?? period.start) - period.start) / 1000;
    data.unit = 's';
  } else {
    const value = parseDecimal(el.attrs.value);
    if (value === null) return skip(`the Record's value "${el.attrs.value ?? ''}" is not a number`);
    data.value = checkValue(value, el, state);
    const unit = el.attrs.unit?.trim();
    if (unit) data.unit = unit.slice(0, 40);
  }
  const device = deviceOf(el.attrs.device, state);
  if (device) data.device = device;
  return { kind: 'point', doctype: 'health.sample', data, line: el.line };
}

/** `HKWorkoutActivityTypeTraditionalStrengthTraining` → `traditional_strength_training`. */
export function activityTypeOf(raw: string | undefined): string {
  const name = (raw ?? '').replace(/^HKWorkoutActivityType/, '');
  const snake = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
  return /^[a-z][a-z0-9_]{0,63}$/.test(snake) ? snake : 'other';
}

const DISTANCE_TYPES = new Set([
  'HKQuantityTypeIdentifierDistanceWalkingRunning',
  'HKQuantityTypeIdentifierDistanceCycling',
  'HKQuantityTypeIdentifierDistanceSwimming',
  'HKQuantityTypeIdentifierDistanceWheelchair',
  'HKQuantityTypeIdentifierDistanceDownhillSnowSports',
  'HKQuantityTypeIdentifierDistanceCrossCountrySkiing',
  'HKQuantityTypeIdentifierDistancePaddleSports',
  'HKQuantityTypeIdentifierDistanceRowing',
  'HKQuantityTypeIdentifierDistanceSkatingSports',
]);

/** A value in the catalog's range, or nothing (a broken total should not cost the whole workout). */
function bounded(value: number | null, max: number): number | undefined {
  return value === null || value < 0 || value > max ? undefined : rounded(value);
}

/** A `Workout`: one activity.workout document. */
export function workoutOf(el: XmlElement, state: AppleExportState, ctx: ParseContext): ImportRecord | null {
  const period = periodOf(el, state, ctx);
  if ('warning' in period) {
    ctx.warn({ line: el.line, message: `${period.warning}: the workout is skipped.` });
    return null;
  }
  const activityType = activityTypeOf(el.attrs.workoutActivityType);
  const source = sourceNameOf(el);
  const data: Record<string, unknown> = { activityType, start: isoInstant(period.start) };
  if (period.end !== undefined) data.end = isoInstant(period.end);
  const num = (attr: string) => parseDecimal(el.attrs[attr]);
  const duration = num('duration');
  if (duration !== null) data.durationSeconds = bounded(toSeconds(duration, el.attrs.durationUnit, 'min'), 2678400);
  let distance = bounded(
    (() => {
      const d = num('totalDistance');
      return d === null ? null : toMetres(d, el.attrs.totalDistanceUnit, 'km');
    })(),
    10_000_000,
  );
  let energy = bounded(
    (() => {
      const e = num('totalEnergyBurned');
      return e === null ? null : toKcal(e, el.attrs.totalEnergyBurnedUnit);
    })(),
    100_000,
  );
  const heartRate: Record<string, number> = {};
  const metadata: Record<string, string> = {};
  const routes: string[] = [];
  for (const c of el.children) {
    if (c.local === 'WorkoutStatistics') {
      // Since iOS 16 the totals are here rather than in the Workout's attributes.
      const type = c.attrs.type ?? '';
      const sum = parseDecimal(c.attrs.sum);
      if (DISTANCE_TYPES.has(type) && sum !== null) distance = bounded(toMetres(sum, c.attrs.unit), 10_000_000);
      else if (type === 'HKQuantityTypeIdentifierActiveEnergyBurned' && sum !== null)
        energy = bounded(toKcal(sum, c.attrs.unit), 100_000);
      else if (type === 'HKQuantityTypeIdentifierHeartRate') {
        for (const [attr, field] of [
          ['average', 'averageBpm'],
          ['minimum', 'minBpm'],
          ['maximum', 'maxBpm'],
        ] as const) {
          const bpm = bounded(parseDecimal(c.attrs[attr]), 300);
          if (bpm !== undefined) heartRate[field] = rounded(bpm, 1);
        }
      }
    } else if (c.local === 'MetadataEntry' && c.attrs.key !== undefined && Object.keys(metadata).length < 100) {
      metadata[c.attrs.key.slice(0, 100)] = (c.attrs.value ?? '').slice(0, 1000);
    } else if (c.local === 'WorkoutRoute') {
      for (const f of c.children) if (f.local === 'FileReference' && f.attrs.path) routes.push(f.attrs.path);
    }
  }
  if (data.durationSeconds === undefined) delete data.durationSeconds;
  if (distance !== undefined) data.distanceMetres = distance;
  if (energy !== undefined) data.energyKcal = energy;
  const ascended = metadata.HKElevationAscended && /^([\d.]+)\s*(\w+)$/.exec(metadata.HKElevationAscended);
  if (ascended) {
    const metres = bounded(toMetres(Number(ascended[1]), ascended[2]), 100_000);
    if (metres !== undefined) data.elevationGainMetres = metres;
  }
  if (Object.keys(heartRate).length > 0) data.heartRate = heartRate;
  if (source) data.source = source;
  const device = deviceOf(el.attrs.device, state);
  if (device) data.device = device;
  const extra: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) extra.metadata = metadata;
  if (routes.length > 0) extra.routeFiles = routes.slice(0, 100);
  if (Object.keys(extra).length > 0) data.extra = extra;
  // Two apps may record the same session (the watch and a running app): both are kept, as Apple keeps them.
  const key = `apple:${data.start as string}|${activityType}|${source ?? ''}`;
  return { kind: 'document', doctype: 'activity.workout', key, data, line: el.line };
}

const LOINC = 'http://loinc.org';
const BLOOD_PRESSURE_PARTS: Record<string, { code: string; name: string }> = {
  HKQuantityTypeIdentifierBloodPressureSystolic: { code: '8480-6', name: 'Systolic blood pressure' },
  HKQuantityTypeIdentifierBloodPressureDiastolic: { code: '8462-4', name: 'Diastolic blood pressure' },
};

/** A blood pressure `Correlation`: one health.observation with its systolic and diastolic components. */
export function bloodPressureOf(el: XmlElement, state: AppleExportState, ctx: ParseContext): ImportRecord | null {
  const skip = (why: string) => {
    ctx.warn({ line: el.line, message: `${why}: the blood pressure reading is skipped.` });
    return null;
  };
  const period = periodOf(el, state, ctx);
  if ('warning' in period) return skip(period.warning);
  const components = [];
  for (const r of el.children) {
    const part = r.local === 'Record' ? BLOOD_PRESSURE_PARTS[r.attrs.type ?? ''] : undefined;
    if (!part) continue;
    const value = parseDecimal(r.attrs.value);
    if (value === null) return skip(`the ${part.name.toLowerCase()} "${r.attrs.value ?? ''}" is not a number`);
    components.push({
      name: part.name,
      code: { system: LOINC, code: part.code, display: part.name },
      value: checkValue(value, r, state),
      unit: r.attrs.unit ?? 'mmHg',
      unitCode: 'mm[Hg]',
    });
  }
  if (components.length === 0) return skip('the reading has neither a systolic nor a diastolic pressure');
  const source = sourceNameOf(el);
  const effective = isoInstant(period.start);
  const data: Record<string, unknown> = {
    name: 'Blood pressure',
    code: { system: LOINC, code: '85354-9', display: 'Blood pressure panel with all children optional' },
    category: 'vital-signs',
    status: 'final',
    effective,
    components,
  };
  if (period.end !== undefined && period.end !== period.start) data.effectiveEnd = isoInstant(period.end);
  if (source) data.source = source;
  const key = `apple:${el.attrs.type ?? ''}|${source ?? ''}|${effective}`;
  return { kind: 'document', doctype: 'health.observation', key, data, line: el.line };
}

const SUMMARY_FIELDS = [
  ['activeEnergyBurned', 'ActivitySummaryActiveEnergyBurned', 'activeEnergyBurnedUnit', 'kcal'],
  ['activeEnergyBurnedGoal', 'ActivitySummaryActiveEnergyBurnedGoal', 'activeEnergyBurnedUnit', 'kcal'],
  ['appleMoveTime', 'ActivitySummaryAppleMoveTime', null, 'min'],
  ['appleMoveTimeGoal', 'ActivitySummaryAppleMoveTimeGoal', null, 'min'],
  ['appleExerciseTime', 'ActivitySummaryAppleExerciseTime', null, 'min'],
  ['appleExerciseTimeGoal', 'ActivitySummaryAppleExerciseTimeGoal', null, 'min'],
  ['appleStandHours', 'ActivitySummaryAppleStandHours', null, 'count'],
  ['appleStandHoursGoal', 'ActivitySummaryAppleStandHoursGoal', null, 'count'],
] as const;

/** The source of the daily rings, which the export does not name. */
const SUMMARY_SOURCE = 'Apple Health activity summary';

/** An `ActivitySummary` (the day's rings): one health.sample point per value, for that local day. */
export function activitySummaryOf(el: XmlElement, state: AppleExportState, ctx: ParseContext): ImportRecord[] {
  const raw = el.attrs.dateComponents ?? '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw.trim());
  const year = m ? Number(m[1]) - (state.buddhistEra ? 543 : 0) : NaN;
  const day = m ? `${String(year).padStart(4, '0')}-${m[2]}-${m[3]}` : '';
  const valid = m && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && Number(m[2]) <= 12 && Number(m[3]) <= 31;
  if (!valid) {
    ctx.warn({ line: el.line, message: `the activity summary's day "${raw}" is not a date: it is skipped.` });
    return [];
  }
  const start = localMidnight(day, ctx.timeZone);
  if (!plausibleInstant(start, ctx.now)) {
    throw importError(state.file, `the activity summary's day "${raw}" is not a plausible date`, el.line);
  }
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const t = isoInstant(start);
  const end = isoInstant(localMidnight(next, ctx.timeZone));
  const out: ImportRecord[] = [];
  for (const [attr, type, unitAttr, unit] of SUMMARY_FIELDS) {
    const value = parseDecimal(el.attrs[attr]);
    if (value === null) continue;
    out.push({
      kind: 'point',
      doctype: 'health.sample',
      data: {
        stream: `${type}|${SUMMARY_SOURCE}`,
        type,
        source: SUMMARY_SOURCE,
        t,
        end,
        value: checkValue(value, el, state),
        unit: (unitAttr && el.attrs[unitAttr]?.trim().slice(0, 40)) || unit,
      },
      line: el.line,
    });
  }
  return out;
}
