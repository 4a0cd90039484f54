/**
 * `foyer ledger verify [--space ID]`: checks a space's access ledger on the data folder (or the
 * configured database) and lists what was edited, removed or reordered. Exit code 0 when the
 * ledger is intact, 1 otherwise, so that it can run from cron or a monitoring check.
 */
import { openDocumentStore, openMasterKeyring } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import { verifyLedger } from '../core/ledger/verify-ledger.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './init-command.js';

export async function runLedger(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: { space?: string },
): Promise<number> {
  if (args.length !== 1 || args[0] !== 'verify') {
    io.err('Use: foyer ledger verify [--space ID]');
    return 2;
  }
  const space = spaceFor(config, options.space);
  const store = await openDocumentStore(config, await openMasterKeyring(config));
  try {
    const started = performance.now();
    const report = await verifyLedger(store, space);
    const took = `${((performance.now() - started) / 1000).toFixed(1)} s`;
    if (report.ok) {
      io.out(
        `The ledger of space "${space}" is intact: ${report.checked} entries checked in ${took} ` +
          `(head ${report.head.seq}, ${report.head.hash}).`,
      );
      return 0;
    }
    const count = report.problems.length + report.omitted;
    io.out(
      `The ledger of space "${space}" is NOT intact: ${count} problem${count === 1 ? '' : 's'} ` +
        `among ${report.checked} entries checked (head ${report.head.seq}).`,
    );
    for (const p of report.problems) io.out(`  entry ${p.seq}  ${p.kind}  ${p.message}`);
    if (report.omitted > 0) io.out(`  ... and ${report.omitted} more.`);
    return 1;
  } finally {
    await store.close();
  }
}
