/** Runs an importer on bytes in memory and collects what it yields, for importer tests. */
import { expect } from 'vitest';
import { isFoyerError, type FoyerError } from '../core/errors.js';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import type { Catalog } from '../core/catalog/catalog.js';
import { createFingerprinter } from '../importers/bank/bank-fingerprint.js';
import { importError } from '../importers/import-error.js';
import type { Importer, ImportOptions, ImportRecord, ImportWarning } from '../importers/importer.js';
import { sourceFromBytes } from '../importers/source/import-source.js';

export interface RunResult {
  records: ImportRecord[];
  warnings: ImportWarning[];
  /** Records of one doctype, their data only. */
  of(doctype: string): Record<string, unknown>[];
}

export async function runImporter(
  importer: Importer,
  bytes: Uint8Array | string,
  opts: { name?: string; options?: ImportOptions; timeZone?: string; now?: number } = {},
): Promise<RunResult> {
  const source = await sourceFromBytes(opts.name ?? 'fixture', bytes);
  const warnings: ImportWarning[] = [];
  const records: ImportRecord[] = [];
  const ctx = {
    warn: (w: ImportWarning) => void warnings.push(w),
    options: opts.options ?? {},
    timeZone: opts.timeZone ?? 'Europe/Paris',
    now: opts.now ?? Date.parse('2026-11-24T12:00:00Z'),
  };
  for await (const record of importer.parse(source, ctx)) records.push(record);
  return { records, warnings, of: (doctype) => records.filter((r) => r.doctype === doctype).map((r) => r.data) };
}

/** How sure the importer is, given only the start of these bytes. */
export async function detectionOf(importer: Importer, bytes: Uint8Array | string, name = 'fixture'): Promise<number> {
  const source = await sourceFromBytes(name, bytes);
  return importer.detect(source.sample);
}

/** The FoyerError importing these bytes gives; fails the test when there is none. */
export async function importFailure(
  importer: Importer,
  bytes: Uint8Array | string,
  name = 'bad-file',
): Promise<FoyerError> {
  try {
    await runImporter(importer, bytes, { name });
  } catch (e) {
    if (isFoyerError(e)) return e;
    throw e;
  }
  throw new Error(`${name}: expected the import to fail`);
}

/** Every record must be valid for its catalog doctype, as the import service will require. */
export async function expectCatalogValid(records: readonly ImportRecord[], catalog?: Catalog): Promise<void> {
  const c = catalog ?? (await loadCatalog(defaultCatalogDir(), { verify: false }));
  for (const record of records) {
    const check = await c.validator(record.doctype);
    expect(check(record.data), `${record.doctype} ${JSON.stringify(record.data)}`).toEqual([]);
  }
}

/**
 * A tiny line format, for testing the service on its own: `#lines` first, then
 * `tx;<day>;<amount>;<label>` (a bank line) or `water;<day>;<litres>` (a series point).
 */
export const linesImporter: Importer = {
  id: 'test-lines',
  title: 'Test lines',
  doctypes: ['bank.transaction', 'water.daily'],
  detect: (sample) => (sample.text.startsWith('#lines') ? 1 : 0),
  async *parse(source, ctx): AsyncIterable<ImportRecord> {
    const fingerprint = createFingerprinter();
    for await (const { n, text } of source.lines()) {
      if (n === 1 || text === '') continue;
      const [kind, day, value, label] = text.split(';');
      if (kind === 'skip') {
        ctx.warn({ line: n, message: 'skipped on purpose' });
        continue;
      }
      const amount = Number(value);
      if (!day || !/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(amount)) {
        throw importError(source.name, `line "${text}" is broken`, n);
      }
      if (kind === 'water') {
        yield {
          kind: 'point',
          doctype: 'water.daily',
          data: { meterId: 'M0001', date: day, volumeLitres: amount },
          line: n,
        };
      } else {
        const data = { date: `${day}T00:00:00Z`, label: label ?? '', amount, currency: 'EUR', accountId: 'acc' };
        const key = fingerprint({ accountId: 'acc', day, amount, label: label ?? '' });
        yield { kind: 'document', doctype: 'bank.transaction', key, data, line: n };
      }
    }
  },
};
