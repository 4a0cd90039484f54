/**
 * GRDF daily gas data as JSON, in its two shapes:
 * - the customer area's ("releves"): `{ "<PCE>": { "idPce": "…", "releves": [ { "journeeGaziere":
 *   "2024-01-15", "energieConsomme": 75, "volumeBrutConsomme": 7, "indexDebut": …, "indexFin": …,
 *   "coeffConversion": 11.12, "qualificationReleve": "Mesuré", … } ] } }` (or just `{ "releves": […] }`);
 * - the ADICT API's "consommations informatives": one object per gas day, `{ "pce": { "id_pce" },
 *   "consommation": { "journee_gaziere", "energie", "volume_brut", "coeff_calcul": {
 *   "coeff_conversion" }, "type_qualif_conso", … }, "releve_fin": { "index_brut_fin": {
 *   "valeur_index" } } }`, as newline-delimited JSON (what the API sends) or an array.
 * Readings over several days (the monthly "publiées") are skipped with a warning: they are not
 * daily. Energies are kWh, volumes and indexes m³.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { parseDecimal } from './energy-numbers.js';
import { GAS_DAILY } from './energy-points.js';
import { gasDayOf, gasPoint, gasQuality, singleGasDay, type GasReading } from './gas-readings.js';
import { jsonValues } from './json-values.js';
import { usagePointIdIn } from './labels.js';
import { createWarningTally, type WarningTally } from './warning-tally.js';

export const grdfJsonImporter: Importer = {
  id: 'grdf-json',
  title: 'GRDF daily gas data (JSON: customer area or ADICT API)',
  doctypes: [GAS_DAILY],
  detect: detectGrdfJson,
  parse: parseGrdfJson,
};

function detectGrdfJson(sample: ImportSample): number {
  const text = sample.text.trimStart();
  if (!text.startsWith('{') && !text.startsWith('[')) return 0;
  if (text.includes('"releves"') && /"(journeeGaziere|energieConsomme|journee_gaziere|journal_date)"/.test(text))
    return 0.95;
  if (text.includes('"id_pce"') && text.includes('"consommation"')) return 0.95;
  return 0;
}

type Obj = Record<string, unknown>;

async function* parseGrdfJson(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const tally = createWarningTally(ctx);
  const text = source.sample.text.trimStart();
  const releves = text.includes('"releves"');
  const values = releves
    ? jsonValues(source, { paths: ['$.releves.*', '$.*.releves.*', '$.*.idPce', '$.idPce'] })
    : text.startsWith('[')
      ? jsonValues(source, { paths: ['$.*'] })
      : jsonValues(source, { paths: ['$'], multipleDocuments: true });

  let idPce: string | undefined;
  let readings = 0;
  for await (const v of values) {
    if (v.path[v.path.length - 1] === 'idPce') {
      idPce = usagePointIdIn(String(v.value ?? ''));
      continue;
    }
    if (!isObject(v.value)) {
      tally.warn('not a reading', 'a value that is not a reading object: skipped.', v.line);
      continue;
    }
    readings++;
    const reading = releves
      ? fromReleve(file, v.value, pceOfPath(v.path) ?? idPce, v.line, tally)
      : fromAdict(file, v.value, v.line, tally);
    if (!reading) continue;
    const p = gasPoint(file, reading, tally, ctx.now);
    if (p) yield p;
  }
  tally.flush();
  if (readings === 0) ctx.warn({ message: 'the file holds no daily readings.' });
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** In `{ "<PCE>": { "releves": [...] } }` the PCE is the key above the readings. */
function pceOfPath(path: (string | number)[]): string | undefined {
  return path.length >= 3 ? usagePointIdIn(String(path[path.length - 3])) : undefined;
}

function pick(o: Obj | undefined, ...names: string[]): unknown {
  for (const n of names) if (o && o[n] !== undefined && o[n] !== null) return o[n];
  return undefined;
}

/** A number field: JSON numbers, or strings as GRDF sometimes sends them. */
function numberField(value: unknown, what: string, line: number, tally: WarningTally): number | undefined | null {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const n = typeof value === 'string' ? parseDecimal(value) : null;
  if (n === null || n === undefined) {
    tally.warn('value not a number', `the ${what} ${JSON.stringify(value)} is not a number: reading skipped.`, line);
    return null;
  }
  return n;
}

function readingOf(
  file: string,
  usagePointId: string | undefined,
  date: string | undefined,
  fields: { energy: unknown; volume: unknown; index: unknown; factor: unknown; quality: unknown },
  line: number,
  tally: WarningTally,
): GasReading | undefined {
  if (!usagePointId)
    throw importError(file, 'the readings do not say which meter they come from (no 14-digit PCE).', line);
  if (!date) return undefined;
  const quality = gasQuality(typeof fields.quality === 'string' ? fields.quality : undefined);
  if (quality === 'none') {
    tally.warn('no data', `GRDF has no data for ${date}: skipped.`, line);
    return undefined;
  }
  const energy = numberField(fields.energy, 'energy', line, tally);
  const volume = numberField(fields.volume, 'volume', line, tally);
  const index = numberField(fields.index, 'index', line, tally);
  const factor = numberField(fields.factor, 'conversion coefficient', line, tally);
  if (energy === null || volume === null || index === null || factor === null) return undefined;
  return {
    usagePointId,
    date,
    ...(energy === undefined ? {} : { energyKwh: energy }),
    ...(volume === undefined ? {} : { volumeM3: volume }),
    ...(index === undefined ? {} : { indexM3: index }),
    ...(factor === undefined ? {} : { conversionFactor: factor }),
    quality,
    line,
  };
}

function dayOf(dayText: unknown, start: unknown, end: unknown, line: number, tally: WarningTally): string | undefined {
  if (typeof dayText === 'string') {
    const day = gasDayOf(dayText);
    if (!day) tally.warn('unreadable date', `the gas day "${dayText}" is not a date: reading skipped.`, line);
    return day;
  }
  if (typeof start === 'string' && typeof end === 'string') {
    const day = singleGasDay(start, end);
    if (!day) tally.warn('not daily', `the reading from ${start} to ${end} is not a single gas day: skipped.`, line);
    return day;
  }
  tally.warn('unreadable date', 'a reading has no gas day: skipped.', line);
  return undefined;
}

function fromReleve(file: string, r: Obj, pce: string | undefined, line: number, tally: WarningTally) {
  const date = dayOf(
    pick(r, 'journeeGaziere', 'journee_gaziere', 'journal_date'),
    r.dateDebutReleve,
    r.dateFinReleve,
    line,
    tally,
  );
  return readingOf(
    file,
    pce ?? usagePointIdIn(String(pick(r, 'idPce', 'pce') ?? '')),
    date,
    {
      energy: pick(r, 'energieConsomme', 'energie'),
      volume: pick(r, 'volumeBrutConsomme', 'volume_brut', 'volumeBrut'),
      index: pick(r, 'indexFin', 'index_fin'),
      factor: pick(r, 'coeffConversion', 'coeff_conversion'),
      quality: pick(r, 'qualificationReleve', 'qualification', 'type_qualif_conso'),
    },
    line,
    tally,
  );
}

function fromAdict(file: string, entry: Obj, line: number, tally: WarningTally) {
  const pce = isObject(entry.pce) ? entry.pce.id_pce : entry.id_pce;
  const c = isObject(entry.consommation) ? entry.consommation : undefined;
  if (!c) {
    tally.warn('not a reading', 'an entry without "consommation": skipped.', line);
    return undefined;
  }
  const date = dayOf(c.journee_gaziere ?? undefined, c.date_debut_consommation, c.date_fin_consommation, line, tally);
  const releveFin = isObject(entry.releve_fin) ? entry.releve_fin : undefined;
  const indexFin = isObject(releveFin?.index_brut_fin) ? releveFin.index_brut_fin : undefined;
  const coeff = isObject(c.coeff_calcul) ? c.coeff_calcul : undefined;
  return readingOf(
    file,
    usagePointIdIn(String(pce ?? '')),
    date,
    {
      energy: c.energie,
      volume: c.volume_brut,
      index: indexFin?.valeur_index,
      factor: coeff?.coeff_conversion,
      quality: c.type_qualif_conso,
    },
    line,
    tally,
  );
}
