/**
 * The "imports" workload: realistic big files (generated once per size, kept in the OS temp folder)
 * imported by the real CLI, `foyer import FILE --json`, in a child process on fresh storage. Wall
 * time from spawn to exit (start-up and opening the store included), and the child's peak RSS
 * (VmHWM) read from /proc while it runs. An import that does not end `imported` with exactly the
 * expected number of records is a failed check, never a speed.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeOfx } from './import-files/ofx.js';
import { writeGoogleRecords } from './import-files/google-records.js';
import { writeBankCsv } from './import-files/bank-csv.js';
import { writeAppleHealth } from './import-files/apple-health.js';
import { createFreshDatabase } from './postgres-database.js';
import type { StoreName } from './options.js';
import { runChild } from './child-run.js';
import { round } from './stats.js';

export interface ImportCase {
  name: string;
  /** File name (its extension is only for people: detection is by content). */
  file: string;
  /** Records the generator writes for `count` (what the import must report). */
  count: number;
  /** Records the import should report, when not `count` (e.g. a statement's account line too). */
  expectRecords?: (count: number) => number;
  generate(file: string, count: number): Promise<void>;
  /** The issue's targets. */
  targetSeconds?: number;
  targetRssMiB?: number;
}

export interface ImportBenchResult {
  name: string;
  records: number;
  fileMiB: number;
  seconds: number;
  /** CPU time (user + system) of the process tree: less sensitive to other work on the machine. */
  cpuSeconds: number;
  peakRssMiB: number | null;
  /** The 1-minute load average when the import ended. */
  loadAverage: number;
  recordsPerS: number;
  ok: boolean;
  problem?: string;
}

/** The issue's four figures; `scale` shrinks them for quick runs. */
export function importCases(scale: number): ImportCase[] {
  const n = (full: number) => Math.max(10, Math.round(full * scale));
  return [
    {
      name: 'OFX bank statement',
      file: 'statement.ofx',
      count: n(100_000),
      generate: writeOfx,
      targetSeconds: 3,
      // A checking account and a card: two bank.account records besides the transactions.
      expectRecords: (c) => c + 2,
    },
    {
      name: 'bank CSV',
      file: 'releve.csv',
      count: n(100_000),
      generate: writeBankCsv,
      targetSeconds: 2,
      expectRecords: (c) => c + 1,
    },
    {
      name: 'Google Records.json',
      file: 'Records.json',
      count: n(1_000_000),
      generate: writeGoogleRecords,
      targetSeconds: 15,
      targetRssMiB: 300,
    },
    {
      name: 'Apple Health export.xml',
      file: 'export.xml',
      count: n(2_700_000),
      generate: writeAppleHealth,
      targetRssMiB: 300,
    },
  ];
}

export async function importBench(
  cases: readonly ImportCase[],
  o: {
    launcher: readonly string[];
    store: StoreName;
    databaseUrl?: string;
    timeoutMs: number;
    log: (line: string) => void;
  },
): Promise<ImportBenchResult[]> {
  const cacheDir = path.join(os.tmpdir(), 'foyer-bench-imports');
  mkdirSync(cacheDir, { recursive: true });
  const results: ImportBenchResult[] = [];
  for (const c of cases) {
    const file = path.join(cacheDir, `${c.count}-${c.file}`);
    if (!existsSync(file)) {
      o.log(`  generating ${c.name} (${c.count} records)...`);
      await c.generate(file + '.part', c.count);
      const { renameSync } = await import('node:fs');
      renameSync(file + '.part', file);
    }
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-import-'));
    const db = o.store === 'postgres' && o.databaseUrl ? await createFreshDatabase(o.databaseUrl) : null;
    try {
      const run = await runChild(
        o.launcher,
        ['import', file, '--json', '--data-dir', dataDir, ...(db ? ['--database-url', db.url] : [])],
        o.timeoutMs,
      );
      const { code, out, err, seconds } = run;
      const peak = run.peakRssMiB;
      const expected = c.expectRecords ? c.expectRecords(c.count) : c.count;
      let problem: string | undefined;
      let records = 0;
      try {
        const [outcome] = JSON.parse(out) as { status: string; records?: number; error?: { message: string } }[];
        records = outcome?.records ?? 0;
        if (code !== 0 || outcome?.status !== 'imported') problem = `exit ${code}: ${outcome?.error?.message ?? err}`;
        else if (records !== expected) problem = `imported ${records} records, expected ${expected}`;
      } catch {
        problem = `exit ${code}, no JSON report: ${err || out.slice(0, 500)}`;
      }
      const { statSync } = await import('node:fs');
      const result: ImportBenchResult = {
        name: c.name,
        records,
        fileMiB: round(statSync(file).size / 2 ** 20),
        seconds: round(seconds),
        cpuSeconds: run.cpuSeconds,
        peakRssMiB: peak,
        loadAverage: round(os.loadavg()[0]!, 2),
        recordsPerS: Math.round(records / seconds),
        ok: problem === undefined,
        ...(problem ? { problem } : {}),
      };
      o.log(
        `  import ${c.name}: ${result.records} records (${result.fileMiB} MiB) in ${result.seconds} s ` +
          `(CPU ${result.cpuSeconds} s), peak RSS ${result.peakRssMiB} MiB, load average ${result.loadAverage}` +
          `${problem ? ` FAILED: ${problem}` : ''}`,
      );
      results.push(result);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      await db?.drop();
    }
  }
  return results;
}
