/**
 * `foyer import <file|folder|zip>... [--dry-run] [--json] [--space ID] [--format ID]
 * [--account ID] [--date-order DMY|MDY|YMD]`: imports files into a space on the data folder (or the
 * configured database), with a progress bar and a summary table. `--dry-run` imports nothing and
 * prints the preview; exit code 0 when every file is recognised and parses, 1 otherwise.
 */
import type { FoyerConfig } from '../app/config.js';
import { createImportFoyer } from '../app/create-import-foyer.js';
import { importPath, plainFilesOnly, type FileOutcome } from '../importers/import-paths.js';
import type { ImportOptions } from '../importers/importer.js';
import type { ImportProgress } from '../importers/import-service.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './space-for.js';

export interface ImportCommandOptions {
  space?: string;
  dryRun: boolean;
  json: boolean;
  format?: string;
  account?: string;
  dateOrder?: string;
}

export async function runImport(
  config: FoyerConfig,
  io: CliIo,
  paths: string[],
  options: ImportCommandOptions,
): Promise<number> {
  if (paths.length === 0) {
    io.err('Use: foyer import <file|folder|zip>... [--dry-run] [--json] [--space ID] [--format ID]');
    return 2;
  }
  if (options.dateOrder !== undefined && !['DMY', 'MDY', 'YMD'].includes(options.dateOrder)) {
    io.err('--date-order is one of DMY, MDY, YMD.');
    return 2;
  }
  const space = spaceFor(config, options.space);
  const importOptions: ImportOptions = {
    ...(options.account ? { accountId: options.account } : {}),
    ...(options.dateOrder ? { dateOrder: options.dateOrder as 'DMY' | 'MDY' | 'YMD' } : {}),
  };
  // Plain files need the import service only: a start-up without the server's modules and services
  // (part of every import's time). Folders and zips may be another platform's export (Cozy).
  const foyer = (await plainFilesOnly(paths))
    ? { ...(await createImportFoyer(config)), archiveHandlers: undefined }
    : await (await import('../app/create-foyer.js')).createFoyer({ ...config, logLevel: 'error' });
  const outcomes: FileOutcome[] = [];
  try {
    const ctx = { space, principal: { kind: 'system' as const, reason: 'foyer import' } };
    for (const target of paths) {
      outcomes.push(
        ...(await importPath(foyer.imports, ctx, target, {
          dryRun: options.dryRun,
          options: importOptions,
          archiveHandlers: foyer.archiveHandlers,
          ...(options.format ? { format: options.format } : {}),
          onProgress: options.json ? undefined : (p) => io.progress?.(progressLine(p)),
        })),
      );
      io.progress?.('');
    }
  } finally {
    await foyer.close();
  }
  if (options.json) io.out(JSON.stringify(outcomes.map(jsonOutcome), null, 2));
  else printSummary(io, outcomes, options.dryRun);
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

function progressLine(p: ImportProgress): string {
  const width = 24;
  const share = p.size ? Math.min(1, p.bytes / p.size) : 0;
  const bar = p.size
    ? `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${String(Math.round(share * 100)).padStart(3)}%`
    : '';
  const phase = p.phase === 'writing' ? 'writing' : p.phase === 'done' ? 'done' : 'reading';
  return `${bar} ${p.records.toLocaleString('en')} records, ${phase}  ${p.file}`;
}

/** The preview as scripts want it: format, encoding, counts per doctype, warnings. */
function jsonOutcome(o: FileOutcome) {
  if (!o.report) return { file: o.file, status: o.status, error: o.error };
  const r = o.report;
  return {
    file: o.file,
    status: o.status,
    format: r.format.id,
    formatTitle: r.format.title,
    encoding: r.encoding,
    checksum: r.checksum,
    records: r.records,
    counts: r.counts,
    warnings: r.warnings,
    warningCount: r.warningCount,
    sample: r.sample,
    ...(r.details ? { details: r.details } : {}),
  };
}

function printSummary(io: CliIo, outcomes: FileOutcome[], dryRun: boolean): void {
  const rows: string[][] = [
    ['file', 'status', 'format', 'doctype', 'new', 'updated', 'same', 'kept', 'points', 'warnings'],
  ];
  for (const o of outcomes) {
    if (!o.report) {
      rows.push([o.file, o.status, '', '', '', '', '', '', '', '']);
      continue;
    }
    const doctypes = Object.entries(o.report.counts);
    if (doctypes.length === 0)
      doctypes.push(['(none)', { created: 0, updated: 0, unchanged: 0, kept: 0, deleted: 0, points: 0 }]);
    doctypes.forEach(([doctype, c], i) =>
      rows.push([
        i === 0 ? o.file : '',
        i === 0 ? o.status : '',
        i === 0 ? o.report!.format.id : '',
        doctype,
        String(c.created),
        String(c.updated),
        String(c.unchanged),
        String(c.kept + c.deleted),
        String(c.points),
        i === 0 ? String(o.report!.warningCount) : '',
      ]),
    );
  }
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  for (const row of rows)
    io.out(
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    );
  for (const o of outcomes) {
    if (o.error && o.status !== 'skipped') io.err(`${o.file}: ${o.error.message}`);
    for (const w of o.report?.warnings.slice(0, 20) ?? []) {
      io.out(`  ${o.file}${w.line !== undefined ? `, line ${w.line}` : ''}: ${w.message}`);
    }
    if (o.report && o.report.warningCount > 20) io.out(`  ... and ${o.report.warningCount - 20} more warnings.`);
  }
  const failed = outcomes.filter((o) => o.status === 'failed').length;
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  io.out(
    `${dryRun ? 'Preview (nothing imported)' : 'Done'}: ${outcomes.length - failed - skipped} file(s) ${dryRun ? 'readable' : 'imported'}, ${failed} failed, ${skipped} skipped.`,
  );
}
