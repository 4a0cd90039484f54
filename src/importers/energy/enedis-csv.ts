/**
 * Enedis customer-area CSV exports ("Mes données de consommation", "Mes mesures détaillées").
 *
 * Layouts read, detected by content:
 * - blocks: a header line `Identifiant PRM;Type de donnees;Date de debut;Date de fin;Grandeur
 *   physique;Grandeur metier;Etape metier;Unite[;Pas en minutes]`, its values line, then
 *   `Horodate;Valeur` and one line per measure. One file may hold several blocks (the historic
 *   "all my data" export stacks the index, its calendar and the maximum powers).
 * - flat: one line per measure that repeats the meter and the quantity, either
 *   `Identifiant PRM;...;Unité;Horodate;Valeur;Nature;Pas;...` (instants with offsets) or the older
 *   `Date de la mesure;Heure de la mesure;Valeur;Statut de la mesure;PRM;...;Unité;Pas en minutes`
 *   (local times without offset).
 * Load curves (W, average over the step, timestamp at the END), daily energy (Wh) and daily
 * maximum power (VA) are imported; index blocks (meter registers), their calendars and
 * production (injection) data are skipped with a warning. Local times are Europe/Paris.
 */
import { csvRows, sniffDelimiter } from '../csv/csv-reader.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { parseDecimal } from './energy-numbers.js';
import { ELECTRICITY_DAILY, LOAD_CURVE, MAX_POWER } from './energy-points.js';
import {
  createEnedisStream,
  DEFAULT_UNITS,
  enedisQuality,
  parseStep,
  type EnedisKind,
  type EnedisStream,
} from './enedis-stream.js';
import { headLines, labelKey, usagePointIdIn } from './labels.js';
import { parseTimestamp } from './producer-time.js';
import { createWarningTally, type WarningTally } from './warning-tally.js';

export const enedisCsvImporter: Importer = {
  id: 'enedis-csv',
  title: 'Enedis customer-area export (CSV): load curve, daily energy, maximum power',
  doctypes: [LOAD_CURVE, ELECTRICITY_DAILY, MAX_POWER],
  detect: detectEnedisCsv,
  parse: parseEnedisCsv,
};

function detectEnedisCsv(sample: ImportSample): number {
  const lines = headLines(sample.text);
  const cell = (name: string) => new RegExp(`(^|[;\\t,])${name}([;\\t,]|$)`);
  if (
    lines.some((l) => /^identifiant prm[;\t,]/.test(l)) &&
    lines.some((l) => cell('(horodate|type de donnees|grandeur physique)').test(l))
  ) {
    return 0.95;
  }
  const flat = /^date de la mesure[;\t,]heure de la mesure[;\t,]valeur[;\t,]/;
  return lines.some((l) => flat.test(l) && cell('prm').test(l)) ? 0.9 : 0;
}

/** What a block's values line (or a flat line) says about its stream. */
interface StreamFacts {
  usagePointId: string;
  kind: EnedisKind | 'index' | 'production' | 'unknown';
  unit: string;
  stepMs?: number;
  label: string;
  /** The PRM as written when a spreadsheet had dropped its leading zero. */
  repairedFrom?: string;
}

type Columns = Map<string, number>;

async function* parseEnedisCsv(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const tally = createWarningTally(ctx);
  const file = source.name;
  let state: 'seek' | 'meta' | 'columns' | 'data' | 'skip' | 'flat' = 'seek';
  let metaColumns: Columns = new Map();
  let dataColumns = { time: 0, value: 1 };
  let block: EnedisStream | undefined;
  let flatColumns: Columns = new Map();
  const flatStreams = new Map<string, EnedisStream | null>();
  let sawData = false;

  const endBlock = () => {
    const out = block?.end() ?? [];
    block = undefined;
    return out;
  };

  for await (const row of csvRows(source, sniffDelimiter(source.sample.text))) {
    // Measure lines start with a digit: only other lines can be headers worth normalising.
    const keys = /^\s*\d/.test(row.fields[0] ?? '') ? [] : row.fields.map(labelKey);
    const first = keys[0] ?? '';

    if (first === 'identifiant prm' || (first === 'date de la mesure' && keys.includes('valeur'))) {
      yield* endBlock();
      if (keys.includes('valeur') && (keys.includes('horodate') || keys.includes('heure de la mesure'))) {
        flatColumns = columnsOf(keys);
        state = 'flat';
      } else {
        metaColumns = columnsOf(keys);
        state = 'meta';
      }
      continue;
    }
    if (first === 'periode') {
      // The supplier's calendar of an index block: tariff periods, not measures.
      yield* endBlock();
      state = 'skip';
      continue;
    }

    switch (state) {
      case 'seek':
      case 'skip':
        continue;
      case 'meta': {
        const facts = blockFacts(file, row.fields, metaColumns, row.line);
        block = openStream(file, facts, row.line, 'this block holds', ctx, tally) ?? undefined;
        state = block ? 'columns' : 'skip';
        continue;
      }
      case 'columns':
        if (first === 'horodate' || first === 'date') {
          const value = keys.findIndex((k) => k.startsWith('valeur'));
          dataColumns = { time: 0, value: value > 0 ? value : 1 };
          state = 'data';
          continue;
        }
        state = 'data';
      // A block without its column line goes straight to its measures.
      // falls through
      case 'data': {
        if (!block) continue;
        sawData = true;
        const parsed = lineOf(
          row.fields[dataColumns.time] ?? '',
          row.fields[dataColumns.value] ?? '',
          undefined,
          row.line,
          tally,
        );
        if (parsed) yield* block.push(parsed);
        continue;
      }
      case 'flat': {
        sawData = true;
        yield* flatRow(file, row.fields, row.line, flatColumns, flatStreams, ctx, tally);
        continue;
      }
    }
  }
  yield* endBlock();
  for (const stream of flatStreams.values()) if (stream) yield* stream.end();
  tally.flush();
  if (state === 'seek') throw importError(file, 'no Enedis measures found (no "Identifiant PRM" header).');
  if (!sawData && state !== 'skip') throw importError(file, 'the file ends before any measure (truncated?).');
}

function columnsOf(keys: string[]): Columns {
  const columns: Columns = new Map();
  keys.forEach((k, i) => {
    if (!columns.has(k)) columns.set(k, i);
  });
  return columns;
}

function field(fields: string[], columns: Columns, ...names: string[]): string | undefined {
  for (const name of names) {
    const i = columns.get(name);
    if (i !== undefined) return fields[i];
  }
  return undefined;
}

/**
 * The PRM of a line. A spreadsheet that went through Excel may have dropped its leading zero
 * (09123456789012 became 9123456789012): 13 digits are read back with it, and the caller says so.
 */
function meterOf(file: string, text: string | undefined, line: number): { id: string; repaired?: string } {
  const raw = (text ?? '').replace(/[\s\u00a0']/g, '');
  const id = usagePointIdIn(raw);
  if (id) return { id };
  if (/^\d{13}$/.test(raw)) return { id: `0${raw}`, repaired: raw };
  throw importError(file, `the meter id "${text ?? ''}" is not a 14-digit PRM.`, line);
}

function blockFacts(file: string, fields: string[], columns: Columns, line: number): StreamFacts {
  const meter = meterOf(file, field(fields, columns, 'identifiant prm', 'prm'), line);
  const type = field(fields, columns, 'type de donnees') ?? '';
  const physical = field(fields, columns, 'grandeur physique') ?? '';
  const business = field(fields, columns, 'grandeur metier') ?? '';
  const unit = (field(fields, columns, 'unite') ?? '').trim();
  const step = parseStep(field(fields, columns, 'pas en minutes', 'pas') ?? '');
  const kind = kindOf(type, physical, business, unit, step);
  return {
    usagePointId: meter.id,
    ...(meter.repaired === undefined ? {} : { repairedFrom: meter.repaired }),
    kind,
    unit: unit || (kind === 'curve' || kind === 'daily' || kind === 'max' ? DEFAULT_UNITS[kind] : ''),
    ...(step === undefined || kind !== 'curve' ? {} : { stepMs: step }),
    label: type.trim() || physical.trim(),
  };
}

const DAY_MS = 86_400_000;

/** Which quantity a block or line holds, from its type, physical quantity, business quantity and unit. */
function kindOf(
  type: string,
  physical: string,
  business: string,
  unit: string,
  step: number | undefined,
): StreamFacts['kind'] {
  const t = labelKey(type);
  const p = labelKey(physical);
  if (/production|injection/.test(labelKey(business)) || /injection|production/.test(t)) return 'production';
  if (t.includes('index') || p === 'eas' || p.startsWith('index')) return 'index';
  if (t.includes('courbe') || p === 'pa' || p === 'puissance active') return 'curve';
  if (t.includes('puissance max') || p === 'pma' || p.includes('puissance maximale')) return 'max';
  if (/quotidien|journali/.test(t) || ((p === 'ea' || p === 'energie active') && step === DAY_MS)) return 'daily';
  if (/^k?va$/i.test(unit)) return 'max';
  if (/^k?w$/i.test(unit)) return 'curve';
  if (/^k?wh$/i.test(unit)) return 'daily';
  return 'unknown';
}

/** The stream a block (or a flat layout's meter and quantity) feeds; null for what is not imported. */
function openStream(
  file: string,
  facts: StreamFacts,
  line: number,
  what: string,
  ctx: ParseContext,
  tally: WarningTally,
): EnedisStream | null {
  const { usagePointId, kind, unit, stepMs } = facts;
  if (kind === 'index' || kind === 'production' || kind === 'unknown') {
    const holds =
      kind === 'index'
        ? 'meter index readings (registers, not consumption)'
        : kind === 'production'
          ? 'production (injection) data'
          : `data of an unknown type ("${facts.label}")`;
    ctx.warn({ line, message: `${what} ${holds} for meter ${usagePointId}: Foyer does not import it.` });
    return null;
  }
  if (facts.repairedFrom !== undefined) {
    ctx.warn({
      line,
      message: `the meter id ${facts.repairedFrom} has 13 digits (a spreadsheet dropped its leading zero?): read as ${usagePointId}.`,
    });
  }
  return createEnedisStream({
    file,
    usagePointId,
    kind,
    unit,
    ...(stepMs === undefined ? {} : { stepMs }),
    line,
    ctx,
    tally,
  });
}

/** A measure line: its timestamp and value read, or undefined (with a warning) when unreadable. */
function lineOf(
  timeText: string,
  valueText: string,
  qualityText: string | undefined,
  line: number,
  tally: WarningTally,
  stepMs?: number,
): Parameters<EnedisStream['push']>[0] | undefined {
  const time = parseTimestamp(timeText);
  if (!time) {
    if (timeText.trim() === '' && valueText.trim() === '') return undefined;
    tally.warn('unreadable date', `the date "${timeText.trim()}" is not a date: line skipped.`, line);
    return undefined;
  }
  const value = parseDecimal(valueText);
  if (value === null) {
    tally.warn('value not a number', `the value "${valueText.trim()}" is not a number: line skipped.`, line);
    return undefined;
  }
  return { time, value, quality: enedisQuality(qualityText), line, ...(stepMs === undefined ? {} : { stepMs }) };
}

function* flatRow(
  file: string,
  fields: string[],
  line: number,
  columns: Columns,
  streams: Map<string, EnedisStream | null>,
  ctx: ParseContext,
  tally: WarningTally,
): Iterable<ImportRecord> {
  const facts = blockFacts(file, fields, columns, line);
  const key = `${facts.usagePointId}|${facts.kind}|${facts.unit}`;
  let stream = streams.get(key);
  if (stream === undefined) {
    // Steps are per line in this layout: the stream itself has none.
    const { stepMs: _perLine, ...shared } = facts;
    stream = openStream(file, shared, line, 'these lines hold', ctx, tally);
    streams.set(key, stream);
  }
  if (!stream) return;
  const date = field(fields, columns, 'date de la mesure');
  const time =
    date !== undefined
      ? `${date.trim()} ${(field(fields, columns, 'heure de la mesure') ?? '').trim()}`.trim()
      : (field(fields, columns, 'horodate') ?? '');
  const parsed = lineOf(
    time,
    field(fields, columns, 'valeur') ?? '',
    field(fields, columns, 'nature', 'statut de la mesure'),
    line,
    tally,
    facts.kind === 'curve' ? facts.stepMs : undefined,
  );
  if (parsed) yield* stream.push(parsed);
}
