/**
 * `foyer sync [CONNECTOR] [--backfill] [--space ID]`: runs the installed connectors of a space now
 * (or the one named), one after the other, on the data folder (or the configured database). On a
 * terminal each run shows a progress bar; otherwise progress comes as plain lines. Exit code 0
 * when every run succeeded, 1 otherwise.
 */
import { createFoyer, type FoyerOverrides } from '../app/create-foyer.js';
import type { FoyerConfig } from '../app/config.js';
import type { Foyer } from '../app/create-foyer.js';
import type { RunRecord } from '../connectors/connector-records.js';
import type { RunEvent } from '../connectors/run-connector.js';
import type { RequestContext } from '../core/principal.js';
import type { CliIo } from './cli-io.js';
import { spaceFor } from './init-command.js';

export interface SyncCommandOptions {
  space?: string;
  backfill: boolean;
}

export async function runSync(
  config: FoyerConfig,
  io: CliIo,
  args: string[],
  options: SyncCommandOptions,
  overrides: FoyerOverrides = {},
): Promise<number> {
  if (args.length > 1) {
    io.err('Use: foyer sync [CONNECTOR] [--backfill] [--space ID]');
    return 2;
  }
  const space = spaceFor(config, options.space);
  const foyer = await createFoyer({ ...config, logLevel: 'error' }, overrides);
  try {
    const ctx: RequestContext = { space, principal: { kind: 'system', reason: 'foyer sync' } };
    const installed = (await foyer.connectors.installations(space)).map((i) => i.connector).sort();
    const [only] = args;
    if (only !== undefined && !installed.includes(only)) {
      io.err(`${only} is not installed here: connect it first with "foyer connect ${only}".`);
      return 1;
    }
    const ids = only !== undefined ? [only] : installed;
    if (ids.length === 0) {
      io.out('No connector is installed: add one with "foyer connect CONNECTOR".');
      return 0;
    }
    let failed = 0;
    for (const id of ids) {
      const run = await runWithProgress(foyer, ctx, id, options.backfill, io);
      if (run.outcome !== 'succeeded') failed++;
    }
    return failed === 0 ? 0 : 1;
  } finally {
    await foyer.close();
  }
}

/** One run, with its progress on the terminal (a bar) or as plain lines, and its summary. */
export async function runWithProgress(
  foyer: Foyer,
  ctx: RequestContext,
  id: string,
  backfill: boolean,
  io: CliIo,
): Promise<RunRecord> {
  const bars = io.tty === true && io.progress !== undefined;
  let lastLine = 0;
  const onEvent = (event: RunEvent) => {
    if (event.type === 'progress') {
      const line = progressLine(id, event);
      if (bars) io.progress!(line);
      else if (Date.now() - lastLine >= 1000) {
        lastLine = Date.now();
        io.err(line);
      }
    } else if (event.type === 'second-factor') {
      if (bars) io.progress!('');
      void io
        .ask(`${event.prompt} `, false)
        .then((answer) => foyer.connectors.answerSecondFactor(ctx, id, answer.trim()))
        .catch((e: unknown) => io.err(`The answer could not be given: ${(e as Error).message}`));
    }
  };
  const run = await foyer.connectors.runConnector(ctx, id, { backfill, onEvent, trigger: 'manual' });
  if (bars) io.progress!('');
  printRun(io, run);
  return run;
}

function progressLine(id: string, p: Extract<RunEvent, { type: 'progress' }>): string {
  const width = 24;
  const label = `${id}: ${p.done.toLocaleString('en')}${p.total !== undefined ? `/${p.total.toLocaleString('en')}` : ''}${p.message ? ` ${p.message}` : ''}`;
  if (p.total === undefined || p.total <= 0) return label;
  const share = Math.min(1, p.done / p.total);
  return `[${'#'.repeat(Math.round(share * width)).padEnd(width, '.')}] ${String(Math.round(share * 100)).padStart(3)}% ${label}`;
}

export function printRun(io: CliIo, run: RunRecord): void {
  const seconds = (run.durationMs / 1000).toFixed(1);
  if (run.outcome === 'succeeded') {
    const parts = Object.entries(run.counts).map(
      ([doctype, c]) =>
        `${doctype} ${c.created} new, ${c.updated} updated, ${c.unchanged} same${c.kept ? `, ${c.kept} kept as you left them` : ''}`,
    );
    io.out(`${run.connector}: done in ${seconds} s${parts.length ? `: ${parts.join('; ')}` : ', nothing new'}.`);
    return;
  }
  io.out(`${run.connector}: failed (${run.error!.code}) after ${seconds} s. ${run.error!.message}`);
  if (run.error!.detail) io.out(`  ${run.error!.detail}`);
}
