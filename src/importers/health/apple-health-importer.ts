/**
 * Apple Health's `export.xml` (Health app, "Export All Health Data"), often over 1 GB: millions of
 * `Record` elements, streamed one at a time (see `docs/importers/health.md`).
 */
import { importError } from '../import-error.js';
import type { Importer, ImportRecord, ImportSample } from '../importer.js';
import { xmlElements } from '../xml/xml-elements.js';
import {
  activitySummaryOf,
  bloodPressureOf,
  sampleOf,
  createAppleExportState,
  workoutOf,
} from './apple-health-records.js';
import { parseAppleDate } from './health-dates.js';
import { withoutControlCharacters } from './xml-control-characters.js';

/** Top-level elements read; the others (ClinicalRecord, Audiogram, VisionPrescription) are counted and named. */
const READ = new Set(['ExportDate', 'Me', 'Record', 'Workout', 'Correlation', 'ActivitySummary']);

const BUDDHIST_ERA = 543;
const YEAR_MS = 365.25 * 86_400_000;

export const appleHealthImporter: Importer = {
  id: 'apple-health',
  title: 'Apple Health export (export.xml)',
  doctypes: ['health.sample', 'activity.workout', 'health.observation'],

  detect(sample: ImportSample): number {
    const head = sample.text.slice(0, 16_384);
    if (!/^\s*(<\?xml|<!DOCTYPE|<HealthData)/.test(head)) return 0;
    if (/<HealthData[\s>]/.test(head)) return 0.97;
    // The internal DTD alone can fill a small sample before the root element starts.
    if (/<!DOCTYPE\s+HealthData\b/.test(head) || head.includes('HealthKit Export Version')) return 0.9;
    return 0;
  },

  async *parse(source, ctx): AsyncIterable<ImportRecord> {
    const state = createAppleExportState(source.name);
    let root: string | undefined;
    let seenExportDate = false;
    const skipped = new Map<string, number>();
    const elements = xmlElements(withoutControlCharacters(source), {
      match: (path) => path.length === 2 && path[0] === 'HealthData',
      onOpen: (path) => {
        if (path.length > 1) return;
        root = path[0];
        // Refuse at once rather than read a large file that is something else to its end.
        if (root !== 'HealthData') throw notAnExport(source.name);
      },
    });
    for await (const el of elements) {
      if (!READ.has(el.local)) {
        skipped.set(el.local, (skipped.get(el.local) ?? 0) + 1);
        continue;
      }
      switch (el.local) {
        case 'ExportDate': {
          seenExportDate = true;
          state.buddhistEra = readCalendar(el.attrs.value, source.name, el.line, ctx.now);
          break;
        }
        case 'Me':
          ctx.warn({
            line: el.line,
            message:
              'the export’s profile (date of birth, sex, blood type) is not imported: Foyer keeps no copy of it.',
          });
          break;
        case 'Record': {
          const record = sampleOf(el, state, ctx);
          if (record) yield record;
          break;
        }
        case 'Workout': {
          const record = workoutOf(el, state, ctx);
          if (record) yield record;
          break;
        }
        case 'Correlation': {
          // Its Records also appear at the top level (the DTD says so), so they are samples already.
          if (el.attrs.type !== 'HKCorrelationTypeIdentifierBloodPressure') {
            skipped.set(
              `Correlation ${el.attrs.type ?? ''}`,
              (skipped.get(`Correlation ${el.attrs.type ?? ''}`) ?? 0) + 1,
            );
            break;
          }
          const record = bloodPressureOf(el, state, ctx);
          if (record) yield record;
          break;
        }
        case 'ActivitySummary':
          yield* activitySummaryOf(el, state, ctx);
          break;
      }
    }
    if (root !== 'HealthData') throw notAnExport(source.name);
    if (!seenExportDate) ctx.warn({ message: 'the export has no ExportDate: dates are read as Gregorian.' });
    for (const [what, count] of skipped) {
      ctx.warn({ message: `${count} ${what} element${count > 1 ? 's' : ''} not imported (no catalog doctype yet).` });
    }
  },
};

const notAnExport = (file: string) =>
  importError(file, 'this is not an Apple Health export: its root element is not <HealthData>.');

/**
 * Whether the export's dates are in the Thai Buddhist era: exports made with the Thai calendar
 * write years 543 ahead (2567 for 2024). The export date tells: it is recent. Other calendars
 * (the Japanese imperial one writes year 6 for 2024) cannot be read: the file is refused with a
 * way out.
 */
function readCalendar(value: string | undefined, file: string, line: number, now: number): boolean {
  const plain = value === undefined ? null : parseAppleDate(value);
  if (plain === null) return false;
  if (plain > now + 2 * YEAR_MS) {
    const shifted = parseAppleDate(value!, true);
    if (shifted !== null && Math.abs(shifted - now) < 100 * YEAR_MS) return true;
  }
  if (plain < now - 100 * YEAR_MS) {
    throw importError(
      file,
      `the export date "${value}" is not in the Gregorian calendar (years ${BUDDHIST_ERA} ahead are read; others are not): export again with the phone's calendar set to Gregorian`,
      line,
    );
  }
  return false;
}
