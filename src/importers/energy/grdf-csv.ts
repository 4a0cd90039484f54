/**
 * GRDF customer-area daily data ("Données de consommation", offered as a spreadsheet, usually
 * saved as CSV): a few title lines naming the meter (PCE), then a header line such as
 * `Date de relevé;Index de début (m3);Index de fin (m3);Volume consommé (m3);Energie consommée (kWh);
 * Coefficient de conversion;Température locale (°C);Qualification du relevé`, then one line per
 * gas day. Columns are found by their names (a spreadsheet saved as CSV often starts with an
 * empty column), numbers use decimal commas, dates are `DD/MM/YYYY`. The date of a line is its
 * gas day (06:00 to 06:00 the next morning), as GRDF names it.
 */
import { csvRows, sniffDelimiter } from '../csv/csv-reader.js';
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { parseDecimal, shiftDecimal } from './energy-numbers.js';
import { GAS_DAILY } from './energy-points.js';
import { gasDayOf, gasPoint, gasQuality } from './gas-readings.js';
import { headLines, labelKey, usagePointIdIn } from './labels.js';
import { createWarningTally } from './warning-tally.js';

export const grdfCsvImporter: Importer = {
  id: 'grdf-csv',
  title: 'GRDF customer-area daily gas data (CSV)',
  doctypes: [GAS_DAILY],
  detect: detectGrdfCsv,
  parse: parseGrdfCsv,
};

function detectGrdfCsv(sample: ImportSample): number {
  // GRDF's header line names the gas day, the energy in kWh and the volume (or index, coefficient).
  const header = (l: string) =>
    (l.includes('date de releve') || l.includes('journee gaziere')) &&
    /energie[^;,\t]*kwh/.test(l) &&
    /volume|coefficient de conversion|index de/.test(l);
  return headLines(sample.text).some(header) ? 0.9 : 0;
}

/** Positions of the columns a header line names; undefined for the ones it lacks. */
interface GasColumns {
  date: number;
  energy: number;
  /** Power of ten of the energy column's unit relative to kWh (MWh: 3). */
  energyExponent: number;
  volume: number | undefined;
  indexEnd: number | undefined;
  factor: number | undefined;
  quality: number | undefined;
  pce: number | undefined;
}

function headerOf(keys: string[]): GasColumns | undefined {
  const find = (test: (k: string) => boolean) => {
    const i = keys.findIndex(test);
    return i === -1 ? undefined : i;
  };
  const date = find((k) => k.startsWith('date de releve') || k.startsWith('journee gaziere') || k === 'date');
  const energy = find((k) => k.startsWith('energie'));
  if (date === undefined || energy === undefined) return undefined;
  return {
    date,
    energy,
    energyExponent: keys[energy]!.includes('mwh') ? 3 : 0,
    volume:
      find((k) => k.startsWith('volume brut') || k.startsWith('volume consomme')) ??
      find((k) => k.startsWith('volume')),
    indexEnd: find((k) => k.startsWith('index de fin') || k.startsWith('index fin')),
    factor: find((k) => k.startsWith('coefficient') || k.startsWith('coeff')),
    quality: find((k) => k.startsWith('qualification') || k.startsWith('type de releve') || k.startsWith('statut')),
    pce: find((k) => /(^|\W)pce(\W|$)/.test(k)),
  };
}

async function* parseGrdfCsv(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const file = source.name;
  const tally = createWarningTally(ctx);
  let columns: GasColumns | undefined;
  let titlePce: string | undefined;
  let lines = 0;

  for await (const row of csvRows(source, sniffDelimiter(source.sample.text))) {
    if (!columns) {
      const keys = row.fields.map(labelKey);
      columns = headerOf(keys);
      if (!columns) titlePce ??= pceInTitle(row.fields);
      continue;
    }
    const cell = (i: number | undefined) => (i === undefined ? '' : (row.fields[i] ?? ''));
    if (row.fields.every((f) => f.trim() === '')) continue;
    const dateText = cell(columns.date);
    const date = gasDayOf(dateText);
    if (!date) {
      tally.warn('unreadable date', `the date "${dateText.trim()}" is not a date: line skipped.`, row.line);
      continue;
    }
    const usagePointId = usagePointIdIn(cell(columns.pce)) ?? titlePce;
    if (!usagePointId) throw importError(file, 'the file does not say which meter it is (no 14-digit PCE).', row.line);
    const quality = gasQuality(cell(columns.quality));
    if (quality === 'none') {
      tally.warn('no data', `GRDF has no data for ${date} ("${cell(columns.quality).trim()}"): skipped.`, row.line);
      continue;
    }
    const numbers: Record<string, number | undefined> = {};
    let bad: string | undefined;
    for (const [name, i] of [
      ['energyKwh', columns.energy],
      ['volumeM3', columns.volume],
      ['indexM3', columns.indexEnd],
      ['conversionFactor', columns.factor],
    ] as const) {
      const n = parseDecimal(cell(i));
      if (n === null) bad ??= cell(i).trim();
      else numbers[name] = n;
    }
    if (bad !== undefined) {
      tally.warn('value not a number', `the value "${bad}" is not a number: line skipped.`, row.line);
      continue;
    }
    lines++;
    const energy = numbers.energyKwh;
    const p = gasPoint(
      file,
      {
        usagePointId,
        date,
        ...(energy === undefined ? {} : { energyKwh: shiftDecimal(energy, columns.energyExponent) }),
        ...(numbers.volumeM3 === undefined ? {} : { volumeM3: numbers.volumeM3 }),
        ...(numbers.indexM3 === undefined ? {} : { indexM3: numbers.indexM3 }),
        ...(numbers.conversionFactor === undefined ? {} : { conversionFactor: numbers.conversionFactor }),
        quality,
        line: row.line,
      },
      tally,
      ctx.now,
    );
    if (p) yield p;
  }
  tally.flush();
  if (!columns) throw importError(file, 'no GRDF header line found (a "Date de relevé" and an "Energie" column).');
  if (lines === 0) ctx.warn({ message: 'the file holds no daily readings.' });
}

/** The PCE a title line gives: "PCE;21456789012345", "N° PCE : 21456789012345", "Numéro de PCE 2145 6789 0123 45". */
function pceInTitle(fields: string[]): string | undefined {
  const text = fields.join(' ');
  if (!/pce|point de comptage/i.test(labelKey(text))) return undefined;
  for (const f of fields) {
    const id = usagePointIdIn(f) ?? usagePointIdIn(f.replace(/^.*?[:]/, ''));
    if (id) return id;
  }
  const m = /(\d[\d\s\u00a0]{12,24}\d)/.exec(text);
  return m ? usagePointIdIn(m[1]!) : undefined;
}
