/**
 * `foyer export [--out FILE] [--passphrase-file FILE] [--with-formats] [--format NAME] [--space ID]`: writes the
 * space's archive (or one domain format) to a file, with a progress line; and
 * `foyer import-archive FILE [--passphrase-file FILE] [--dry-run] [--json] [--space ID]`: merges an
 * archive into the space and prints the report. Both work on the configured storage, as Foyer
 * itself (a `system` principal: every doctype read or written is in the ledger).
 */
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import { spaceFor } from '../cli/init-command.js';
import type { CliIo } from '../cli/cli-io.js';
import type { ArchiveImportReport } from './archive-import.js';
import type { PortabilityProgress } from './portability-deps.js';
import { writableSink } from './zip-writer.js';

export interface ExportCommandOptions {
  space?: string;
  out?: string;
  passphraseFile?: string;
  format?: string;
  withFormats?: boolean;
}

/** The passphrase is the file's first line (never an argument: arguments show in `ps`). */
async function passphraseFrom(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  return (await readFile(file, 'utf8')).split(/\r?\n/)[0]!;
}

function progressLine(p: PortabilityProgress): string {
  const mb = (p.bytes / 1024 / 1024).toFixed(1);
  return `${p.phase.padEnd(9)} ${p.documents.toLocaleString('en')} documents, ${p.points.toLocaleString('en')} points, ${p.files} files, ${mb} MB  ${p.item}`;
}

export async function runExport(config: FoyerConfig, io: CliIo, options: ExportCommandOptions): Promise<number> {
  const space = spaceFor(config, options.space);
  const passphrase = await passphraseFrom(options.passphraseFile);
  const day = new Date().toISOString().slice(0, 10);
  const out =
    options.out ?? (options.format ? options.format : `foyer-${space}-${day}.zip${passphrase ? '.sealed' : ''}`);
  // Written beside its target and renamed at the end: a file named like an archive is a whole one.
  const partial = `${out}.partial`;
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  const ctx = { space, principal: { kind: 'system' as const, reason: 'foyer export' } };
  try {
    const file = createWriteStream(partial, { mode: 0o600 });
    if (options.format) {
      const { bytes } = await foyer.portability.exportFormat(ctx, options.format);
      await pipeline(Readable.from(bytes), file);
      await rename(partial, out);
      io.out(`Wrote ${out}.`);
      return 0;
    }
    const closed = new Promise<void>((resolve, reject) => file.on('close', resolve).on('error', reject));
    const manifest = await foyer.portability.exportArchive(ctx, writableSink(file), {
      ...(passphrase !== undefined ? { passphrase } : {}),
      ...(options.withFormats ? { formats: true } : {}),
      onProgress: (p) => io.progress?.(progressLine(p)),
    });
    file.end();
    await closed;
    await rename(partial, out);
    io.progress?.('');
    const c = manifest.counts;
    const documents = Object.values(c.documents).reduce((a, b) => a + b, 0);
    const points = Object.values(c.points).reduce((a, b) => a + b, 0);
    io.out(
      `Wrote ${out}${passphrase ? ' (sealed)' : ''}: ${documents} documents, ${points} points, ${c.files} files ` +
        `(${c.fileBytes} bytes), ${c.ledgerEntries} ledger entries.`,
    );
    return 0;
  } catch (e) {
    await rm(partial, { force: true });
    throw e;
  } finally {
    await foyer.close();
  }
}

export interface ImportArchiveCommandOptions {
  space?: string;
  passphraseFile?: string;
  dryRun: boolean;
  json: boolean;
}

export async function runImportArchive(
  config: FoyerConfig,
  io: CliIo,
  paths: string[],
  options: ImportArchiveCommandOptions,
): Promise<number> {
  if (paths.length !== 1) {
    io.err('Use: foyer import-archive FILE [--passphrase-file FILE] [--dry-run] [--json] [--space ID]');
    return 2;
  }
  const space = spaceFor(config, options.space);
  const passphrase = await passphraseFrom(options.passphraseFile);
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  let report: ArchiveImportReport;
  try {
    report = await foyer.portability.importArchive(
      { space, principal: { kind: 'system', reason: 'foyer import-archive' } },
      paths[0]!,
      {
        ...(passphrase !== undefined ? { passphrase } : {}),
        dryRun: options.dryRun,
        createSpace: async (timeZone) => void (await foyer.spaces.create(space, [], timeZone)),
        onProgress: options.json ? undefined : (p) => io.progress?.(progressLine(p)),
      },
    );
  } finally {
    io.progress?.('');
    await foyer.close();
  }
  if (options.json) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const rows = [['doctype', 'new', 'same', 'conflicts']];
  for (const [doctype, c] of [...Object.entries(report.documents), ...Object.entries(report.points)]) {
    rows.push([doctype, String(c.created), String(c.unchanged), String(c.conflicts)]);
  }
  rows.push(['files', String(report.files.created), String(report.files.unchanged), String(report.files.conflicts)]);
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => r[col]!.length)));
  for (const row of rows)
    io.out(
      row
        .map((cell, col) => cell.padEnd(widths[col]!))
        .join('  ')
        .trimEnd(),
    );
  for (const c of report.conflicts.slice(0, 20)) {
    io.out(
      `  conflict: ${c.doctype} ${c.id} (${c.reason === 'differs' ? 'differs here' : 'deleted here'}): this space's version kept`,
    );
  }
  io.out(
    `${report.status === 'checked' ? 'Checked (nothing imported)' : 'Imported'}: archive of space "${report.archive.space}" ` +
      `made ${report.archive.createdAt} by Foyer ${report.archive.foyerVersion}; ledger of ${report.ledger.entries} entries verified; ` +
      `${report.conflictCount} conflict(s).`,
  );
  return 0;
}
