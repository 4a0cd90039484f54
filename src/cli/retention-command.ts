import { createFoyer } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { RetentionReport } from '../core/retention/run-retention.js';
import type { CliIo } from './cli-io.js';

/** `foyer retention run [--space ID]`: the retention job now, for one space or every space. */
export async function runRetentionCommand(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { space?: string },
): Promise<number> {
  if (args[0] !== 'run' || args.length > 1) {
    io.err('Use: foyer retention run [--space ID]');
    return 2;
  }
  const foyer = await createFoyer({ ...config, logLevel: 'error' });
  try {
    const spaces = options.space ? [options.space] : (await foyer.spaces.list()).map((s) => s.id);
    let failed = false;
    for (const space of spaces) {
      const report = await foyer.retention.run(space);
      failed ||= printReport(io, report);
    }
    return failed ? 1 : 0;
  } finally {
    await foyer.close();
  }
}

/** One line per space, one per doctype or grant that lost something or failed; true if any failed. */
function printReport(io: CliIo, report: RetentionReport): boolean {
  io.out(`Space "${report.space}": ${report.deleted} deleted (run at ${report.startedAt}).`);
  let failed = false;
  for (const d of report.doctypes) {
    if (d.deleted === 0 && !d.error) continue;
    io.out(
      `  ${d.doctype}: ${d.deleted} ${d.kind} dated before ${d.before} (${d.countsFrom}; ${d.retention}, ${d.source})`,
    );
    if (d.error) {
      failed = true;
      io.err(`  ${d.doctype}: ${d.error.code}: ${d.error.message}`);
    }
  }
  for (const g of report.grants) {
    if (g.deleted.length === 0 && !g.error) continue;
    const what = g.deleted.map((d) => `${d.count} ${d.kind} of ${d.doctype}`).join(', ') || 'nothing';
    io.out(`  grant ${g.grant} (${g.grantee.kind} ${g.grantee.id}; ${g.retention}): ${what} from before ${g.before}`);
    if (g.error) {
      failed = true;
      io.err(`  grant ${g.grant}: ${g.error.code}: ${g.error.message}`);
    }
  }
  return failed;
}
