/**
 * Enedis metering data API responses (Data Connect "metering data" v4/v5, and the proxies that
 * pass them on), saved as JSON:
 *
 *   { "meter_reading": { "usage_point_id": "…", "start": "…", "end": "…", "quality": "BRUT",
 *       "reading_type": { "unit": "W", "measurement_kind": "power", "aggregate": "average" },
 *       "interval_reading": [ { "value": "540", "date": "2024-10-27 02:30:00", "interval_length": "PT30M" } ] } }
 *
 * with or without the `meter_reading` wrapper, or several responses in an array. Values are
 * strings; dates are Europe/Paris local times without offset (`YYYY-MM-DD HH:MM:SS`, or a day),
 * or, in newer responses, instants with `Z`. A load curve's date is the END of its interval.
 *
 * Keys may come in any order (a file saved with sorted keys puts `interval_reading` before
 * `reading_type` and `usage_point_id`), so the file is read twice: first its small fields, then
 * its readings, one at a time.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { parseDecimal } from './energy-numbers.js';
import { ELECTRICITY_DAILY, LOAD_CURVE, MAX_POWER } from './energy-points.js';
import { createEnedisStream, enedisQuality, parseStep, type EnedisKind, type EnedisStream } from './enedis-stream.js';
import { jsonValues } from './json-values.js';
import { usagePointIdIn } from './labels.js';
import { parseTimestamp } from './producer-time.js';
import { createWarningTally } from './warning-tally.js';

export const enedisJsonImporter: Importer = {
  id: 'enedis-json',
  title: 'Enedis metering data API response (JSON): load curve, daily energy, maximum power',
  doctypes: [LOAD_CURVE, ELECTRICITY_DAILY, MAX_POWER],
  detect: detectEnedisJson,
  parse: parseEnedisJson,
};

function detectEnedisJson(sample: ImportSample): number {
  const text = sample.text.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return 0;
  if (!text.includes('"interval_reading"')) return 0;
  return text.includes('"usage_point_id"') || text.includes('"reading_type"') ? 0.95 : 0.8;
}

/** Where a response object can sit: at the root or in a root array, wrapped or not. */
const ROOTS = ['$.meter_reading', '$', '$.*.meter_reading', '$.*'];
const META_FIELDS = ['usage_point_id', 'reading_type', 'quality'];

interface Meta {
  usagePointId?: unknown;
  readingType?: unknown;
  quality?: unknown;
}

async function* parseEnedisJson(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const tally = createWarningTally(ctx);
  const metas = new Map<string, Meta>();
  for await (const v of jsonValues(source, { paths: ROOTS.flatMap((r) => META_FIELDS.map((f) => `${r}.${f}`)) })) {
    const name = v.path[v.path.length - 1];
    const key = groupKey(v.path.slice(0, -1));
    const meta = metas.get(key) ?? {};
    metas.set(key, meta);
    if (name === 'usage_point_id') meta.usagePointId = v.value;
    else if (name === 'reading_type') meta.readingType = v.value;
    else if (name === 'quality') meta.quality = v.value;
  }

  let current: { key: string; stream: EnedisStream; quality: string | undefined } | undefined;
  let readings = 0;
  for await (const v of jsonValues(source, { paths: ROOTS.map((r) => `${r}.interval_reading.*`) })) {
    const key = groupKey(v.path.slice(0, -2));
    if (current?.key !== key) {
      if (current) yield* current.stream.end();
      const meta = metas.get(key) ?? {};
      current = { key, stream: streamOf(file, meta, v.line, ctx, tally), quality: text(meta.quality) };
    }
    readings++;
    const reading = isObject(v.value) ? v.value : undefined;
    const dateText = text(reading?.date);
    const time = dateText === undefined ? undefined : parseTimestamp(dateText);
    if (!reading || !time) {
      tally.warn(
        'unreadable reading',
        `a reading has no readable date (${JSON.stringify(reading?.date ?? null)}): skipped.`,
        v.line,
      );
      continue;
    }
    const rawValue = reading.value;
    const valueText = rawValue === null || rawValue === undefined ? '' : String(rawValue);
    const value = valueText === 'null' ? undefined : parseDecimal(valueText);
    if (value === null) {
      tally.warn(
        'value not a number',
        `the value ${JSON.stringify(rawValue)} is not a number: reading skipped.`,
        v.line,
      );
      continue;
    }
    const step = parseStep(text(reading.interval_length) ?? '');
    yield* current.stream.push({
      time,
      value,
      quality: qualityOf(text(reading.measure_type), current.quality),
      line: v.line,
      ...(step === undefined ? {} : { stepMs: step }),
    });
  }
  if (current) yield* current.stream.end();
  tally.flush();
  if (readings === 0 && metas.size === 0) throw importError(file, 'no Enedis interval readings found.');
}

function groupKey(path: (string | number)[]): string {
  return path.filter((k) => k !== 'meter_reading').join('/');
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, or the first of an array of them (newer responses wrap units in arrays). */
function text(v: unknown): string | undefined {
  if (Array.isArray(v)) return text(v[0]);
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

function qualityOf(measureType: string | undefined, responseQuality: string | undefined) {
  const own = enedisQuality(measureType);
  return own !== 'measured' ? own : enedisQuality(responseQuality);
}

function streamOf(
  file: string,
  meta: Meta,
  line: number,
  ctx: ParseContext,
  tally: ReturnType<typeof createWarningTally>,
): EnedisStream {
  const usagePointId = usagePointIdIn(text(meta.usagePointId) ?? '');
  if (!usagePointId) {
    throw importError(
      file,
      meta.usagePointId === undefined
        ? 'the readings do not say which meter they come from (no "usage_point_id").'
        : `the meter id ${JSON.stringify(meta.usagePointId)} is not a 14-digit PRM.`,
      line,
    );
  }
  const rt = isObject(meta.readingType) ? meta.readingType : {};
  const unit = text(rt.unit) ?? '';
  const kind = kindOf(text(rt.measurement_kind), text(rt.aggregate), unit);
  if (!kind) {
    throw importError(
      file,
      `the readings' type (${JSON.stringify(meta.readingType ?? null)}) is not a load curve, daily energy or maximum power.`,
      line,
    );
  }
  const step = kind === 'curve' ? parseStep(text(rt.measuring_period) ?? text(rt.interval_length) ?? '') : undefined;
  return createEnedisStream({
    file,
    usagePointId,
    kind,
    unit,
    ...(step === undefined ? {} : { stepMs: step }),
    ctx,
    tally,
  });
}

function kindOf(
  measurementKind: string | undefined,
  aggregate: string | undefined,
  unit: string,
): EnedisKind | undefined {
  const k = (measurementKind ?? '').toLowerCase();
  const a = (aggregate ?? '').toLowerCase();
  if (k === 'power' && a.startsWith('max')) return 'max';
  if (k === 'power' && (a === 'average' || a === '')) return /va$/i.test(unit) ? 'max' : 'curve';
  if (k === 'energy' && (a === 'sum' || a === '')) return 'daily';
  if (k === '' && a === '')
    return /va$/i.test(unit) ? 'max' : /wh$/i.test(unit) ? 'daily' : /w$/i.test(unit) ? 'curve' : undefined;
  return undefined;
}
