/** Runs an importer on bytes in memory and collects what it yields, for importer tests. */
import { expect } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import type { Catalog } from '../core/catalog/catalog.js';
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

/** Every record must be valid for its catalog doctype, as the import service will require. */
export async function expectCatalogValid(records: readonly ImportRecord[], catalog?: Catalog): Promise<void> {
  const c = catalog ?? (await loadCatalog(defaultCatalogDir(), { verify: false }));
  for (const record of records) {
    const check = await c.validator(record.doctype);
    expect(check(record.data), `${record.doctype} ${JSON.stringify(record.data)}`).toEqual([]);
  }
}
