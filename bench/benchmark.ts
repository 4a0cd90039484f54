/** One benchmark run, from options to the printed table and the JSON record. */
import { describeMachine, type Machine } from './machine.js';
import type { BenchOptions } from './options.js';
import { failedChecks, renderTable, summarise, type TableContext } from './report.js';
import { makeBenchData, runBenchSuite, type BenchRun } from './run-bench.js';

export interface BenchmarkRecord {
  machine: Machine;
  /** Load averages when the run ended. */
  loadAverageAtEnd: number[];
  options: Omit<BenchOptions, 'only' | 'databaseUrl'> & { only: string[]; postgres: boolean };
  workload: {
    meanDocBytes: number;
    expectedSmall: number;
    expectedBulk: number;
    seriesDays: number | null;
    seriesMonths: number | null;
  };
  summary: ReturnType<typeof summarise>;
  failedChecks: string[];
  runs: BenchRun[];
}

export interface BenchmarkResult {
  table: string;
  record: BenchmarkRecord;
  /** True when every answer was checked correct and every run finished. */
  ok: boolean;
}

export async function runBenchmark(
  options: BenchOptions,
  how: { root: string; launcher: readonly string[]; settleMs: number; log: (line: string) => void },
): Promise<BenchmarkResult> {
  const machine = describeMachine(how.root);
  const data = makeBenchData(options);
  const runs = await runBenchSuite({ ...options, launcher: how.launcher, settleMs: how.settleMs, log: how.log }, data);
  const caption =
    `Foyer benchmark, ${machine.date.slice(0, 16).replace('T', ' ')} UTC, commit ${machine.commit}: ` +
    `${machine.cpus} x ${machine.cpuModel}, ${machine.memGiB} GiB, Node ${machine.node}, load average at start ${machine.loadAverage.join(' ')}. ` +
    `Medians of ${options.reps} run${options.reps > 1 ? 's' : ''} per store ("median (min–max)" where shown); ` +
    `bank transactions of ${data.meanDocBytes} B on average, seed ${options.seed}, month ${options.month}; a fresh Foyer per phase.`;
  const context: TableContext = { options, stores: options.stores, runs, caption };
  const failed = failedChecks(runs);
  const { only, databaseUrl, ...rest } = options;
  return {
    table: renderTable(context),
    ok: failed.length === 0,
    record: {
      machine,
      loadAverageAtEnd: describeMachine(how.root).loadAverage,
      options: { ...rest, only: [...only], postgres: databaseUrl !== undefined },
      workload: {
        meanDocBytes: data.meanDocBytes,
        expectedSmall: data.expectedSmall.size,
        expectedBulk: data.expectedBulk.size,
        seriesDays: data.curve?.days.size ?? null,
        seriesMonths: data.curve?.months.size ?? null,
      },
      summary: summarise(context),
      failedChecks: failed,
      runs,
    },
  };
}
