/**
 * The suite: for each repetition and each store, a first Foyer (fresh storage) takes W1, W2 and
 * the month query on N documents; a second one (fresh storage again, so the import starts empty)
 * takes the bulk import, the month query on the imported documents and the series workload.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchClient } from './http-client.js';
import { createBenchClient } from './http-client.js';
import { startFoyer, type RunningFoyer } from './foyer-process.js';
import { BENCH_TIME_ZONE, makeLoadCurve, type LoadCurveWorkload } from './load-curve.js';
import type { BenchOptions, StoreName, WorkloadName } from './options.js';
import { createFreshDatabase, type FreshDatabase } from './postgres-database.js';
import { clockTicksPerSecond, readProcStats, type ProcStats } from './proc-stats.js';
import { round } from './stats.js';
import { ledgerVerify, type LedgerVerifyResult } from './ledger-verify.js';
import { portabilityBench, type PortabilityBenchResult } from './portability-bench.js';
import { importBench, importCases, type ImportBenchResult } from './import-bench.js';
import { scheduleBench, type ScheduleBenchResult } from './schedule-bench.js';
import { syncBench, type SyncBenchResult } from './sync-bench.js';
import { isMonthDebit, makeTransactions, monthRange, type MonthRange, type TransactionEntry } from './transactions.js';
import {
  aggregateSeries,
  appendSeries,
  appGrantToken,
  bulkImport,
  createOneByOne,
  monthQuery,
  readOneByOne,
  type AggregateResult,
  type AppendResult,
  type BulkResult,
  type OneByOneResult,
  type QueryResult,
  type ServerProcess,
} from './workloads.js';

/** What every measured server reports besides its workloads. */
export interface ServerFigures {
  startupMs: number;
  /** 2 s after the first healthy answer. */
  idle: ProcStats | null;
  /** Just before stopping: `peakRssMiB` is the whole life's peak. */
  end: ProcStats | null;
}

export interface OneByOneWorkloads {
  /** How the N documents got there when W1 was not run (a _bulk import, not measured). */
  seededWith?: BulkResult;
  W1?: OneByOneResult;
  W2?: OneByOneResult;
  W3?: QueryResult;
  /** W1 and W2 again, as an app holding a grant (scope with a filter and a field list). */
  G1?: OneByOneResult;
  G2?: OneByOneResult;
}

export interface BulkWorkloads {
  W4?: BulkResult;
  W3?: QueryResult;
  seriesAppend?: AppendResult;
  seriesDay?: AggregateResult;
  seriesMonth?: AggregateResult;
}

export type OneByOnePhase = OneByOneWorkloads & ServerFigures;
export type BulkPhase = BulkWorkloads & ServerFigures;

export interface BenchRun {
  store: StoreName;
  rep: number;
  oneByOne?: OneByOnePhase;
  bulk?: BulkPhase;
  /** The ledger workload, in this process against the store (no server). */
  ledger?: LedgerVerifyResult;
  /** The imports workload: the real CLI importing big files, one child process each. */
  imports?: ImportBenchResult[];
  /** The schedule workload: the planner through a simulated day, in this process (the same on every store). */
  schedule?: ScheduleBenchResult;
  /** The sync workload: holders and a Foyer on SQLite in this process (run with the sqlite store only). */
  sync?: SyncBenchResult;
  /** The portability workload: the real CLI exporting and importing archives, one child process each. */
  portability?: PortabilityBenchResult;
  /** Set when the run could not finish; its figures stay out of the medians. */
  error?: string;
}

export interface BenchSuiteOptions extends BenchOptions {
  /** The command that runs the `foyer` CLI. */
  launcher: readonly string[];
  /** Pause between a server's first healthy answer and its idle RSS reading. */
  settleMs: number;
  log: (line: string) => void;
}

export interface BenchData {
  docs: TransactionEntry[];
  range: MonthRange;
  expectedSmall: Set<string>;
  expectedBulk: Set<string>;
  curve: LoadCurveWorkload | null;
  meanDocBytes: number;
}

export function makeBenchData(o: BenchOptions): BenchData {
  const docs = makeTransactions(Math.max(o.n, o.bulkN), o.seed);
  const range = monthRange(o.month);
  const idsMatching = (count: number): Set<string> =>
    new Set(
      docs
        .slice(0, count)
        .filter((d) => isMonthDebit(d.doc, range))
        .map((d) => d.id),
    );
  const sample = docs.slice(0, Math.min(docs.length, 10_000));
  return {
    docs,
    range,
    expectedSmall: idsMatching(o.n),
    expectedBulk: idsMatching(o.bulkN),
    curve: o.only.has('series') ? makeLoadCurve(o.seriesPoints, o.seed) : null,
    meanDocBytes: round(sample.reduce((s, d) => s + Buffer.byteLength(JSON.stringify(d.doc)), 0) / sample.length),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Starts a Foyer on fresh storage, runs `use`, and always stops it and removes its storage. */
async function withFoyer<T extends object>(
  o: BenchSuiteOptions,
  store: StoreName,
  ticksPerSecond: number,
  use: (client: BenchClient, server: ServerProcess) => Promise<T>,
): Promise<T & ServerFigures> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'foyer-bench-'));
  let database: FreshDatabase | undefined;
  let foyer: RunningFoyer | undefined;
  let client: BenchClient | undefined;
  try {
    if (store === 'postgres') database = await createFreshDatabase(o.databaseUrl!);
    foyer = await startFoyer({
      launcher: o.launcher,
      dataDir,
      ...(database ? { databaseUrl: database.url } : {}),
      ...(o.databaseCipher ? { databaseCipher: o.databaseCipher } : {}),
      timeZone: BENCH_TIME_ZONE,
      timeoutMs: o.timeoutMs,
      ...(o.profileDir ? { serverNodeArgs: ['--cpu-prof', `--cpu-prof-dir=${path.resolve(o.profileDir)}`] } : {}),
    });
    await sleep(o.settleMs);
    const idle = readProcStats(foyer.pid, ticksPerSecond);
    o.log(`  ${store}: pid ${foyer.pid} started in ${Math.round(foyer.startupMs)} ms, idle RSS ${idle?.rssMiB} MiB`);
    client = createBenchClient({
      baseUrl: foyer.baseUrl,
      token: foyer.token,
      concurrency: o.concurrency,
      timeoutMs: o.timeoutMs,
    });
    const result = await use(client, { pid: foyer.pid, ticksPerSecond, baseUrl: foyer.baseUrl });
    const end = readProcStats(foyer.pid, ticksPerSecond);
    return { ...result, startupMs: Math.round(foyer.startupMs), idle, end };
  } finally {
    client?.close();
    await foyer?.stop();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const wants = (o: BenchOptions, ...names: WorkloadName[]): boolean => names.some((n) => o.only.has(n));

async function oneByOnePhase(
  o: BenchSuiteOptions,
  store: StoreName,
  data: BenchData,
  ticks: number,
): Promise<OneByOnePhase> {
  const docs = data.docs.slice(0, o.n);
  return withFoyer(o, store, ticks, async (client, server) => {
    const phase: OneByOneWorkloads = {};
    if (o.only.has('W1')) {
      phase.W1 = await createOneByOne(client, docs, o.concurrency, server);
      o.log(
        `  W1 ${phase.W1.docsPerS} docs/s, p50 ${phase.W1.p50Ms} ms, p99 ${phase.W1.p99Ms} ms, errors ${phase.W1.errors}`,
      );
    } else if (wants(o, 'W2', 'W3')) {
      // Only W2 and W3 need the owner's documents; G1/G2 alone start on an empty space, as W1 does.
      phase.seededWith = await bulkImport(client, docs, o.batch);
    }
    if (o.only.has('W2')) {
      phase.W2 = await readOneByOne(client, docs, o.concurrency, server);
      o.log(
        `  W2 ${phase.W2.docsPerS} docs/s, p50 ${phase.W2.p50Ms} ms, p99 ${phase.W2.p99Ms} ms, errors ${phase.W2.errors}`,
      );
    }
    // Before G1 adds its own copies of the documents, which the month query would count.
    if (o.only.has('W3')) {
      phase.W3 = await monthQuery(client, data.range, data.expectedSmall, o.queryReps);
      o.log(
        `  W3 on ${o.n}: first ${phase.W3.firstMs} ms, warm p50 ${phase.W3.warmP50Ms} ms, ${phase.W3.got}/${phase.W3.expected}`,
      );
    }
    if (wants(o, 'G1', 'G2')) {
      const grantDocs = docs.map((d) => ({ ...d, id: `${d.id}-g` }));
      const grantClient = createBenchClient({
        baseUrl: server.baseUrl,
        token: await appGrantToken(client, grantDocs),
        concurrency: o.concurrency,
        timeoutMs: o.timeoutMs,
      });
      try {
        if (o.only.has('G1')) {
          phase.G1 = await createOneByOne(grantClient, grantDocs, o.concurrency, server);
          o.log(
            `  G1 ${phase.G1.docsPerS} docs/s, p50 ${phase.G1.p50Ms} ms, p99 ${phase.G1.p99Ms} ms, errors ${phase.G1.errors}`,
          );
        } else {
          await bulkImport(client, grantDocs, o.batch);
        }
        if (o.only.has('G2')) {
          phase.G2 = await readOneByOne(grantClient, grantDocs, o.concurrency, server);
          o.log(
            `  G2 ${phase.G2.docsPerS} docs/s, p50 ${phase.G2.p50Ms} ms, p99 ${phase.G2.p99Ms} ms, errors ${phase.G2.errors}`,
          );
        }
      } finally {
        grantClient.close();
      }
    }
    return phase;
  });
}

async function bulkPhase(o: BenchSuiteOptions, store: StoreName, data: BenchData, ticks: number): Promise<BulkPhase> {
  return withFoyer(o, store, ticks, async (client) => {
    const phase: BulkWorkloads = {};
    if (o.only.has('W4')) {
      phase.W4 = await bulkImport(client, data.docs.slice(0, o.bulkN), o.batch);
      o.log(`  W4 ${phase.W4.docsPerS} docs/s (${phase.W4.n} in ${phase.W4.wallS} s)`);
      phase.W3 = await monthQuery(client, data.range, data.expectedBulk, o.queryReps);
      o.log(
        `  W3 on ${o.bulkN}: first ${phase.W3.firstMs} ms, warm p50 ${phase.W3.warmP50Ms} ms, ${phase.W3.got}/${phase.W3.expected}`,
      );
    }
    if (data.curve) {
      phase.seriesAppend = await appendSeries(client, data.curve, o.seriesChunk);
      phase.seriesDay = await aggregateSeries(client, data.curve, 'day', o.queryReps);
      phase.seriesMonth = await aggregateSeries(client, data.curve, 'month', o.queryReps);
      o.log(
        `  series: append ${phase.seriesAppend.seconds} s, day ${phase.seriesDay.firstMs}/${phase.seriesDay.warmP50Ms} ms ` +
          `(${phase.seriesDay.got} buckets), month ${phase.seriesMonth.firstMs}/${phase.seriesMonth.warmP50Ms} ms (${phase.seriesMonth.got})`,
      );
    }
    return phase;
  });
}

/** Runs every repetition, stores interleaved within a repetition. Failures are recorded, not thrown. */
export async function runBenchSuite(o: BenchSuiteOptions, data: BenchData): Promise<BenchRun[]> {
  const ticks = clockTicksPerSecond();
  const runs: BenchRun[] = [];
  for (let rep = 1; rep <= o.reps; rep++) {
    for (const store of o.stores) {
      o.log(`[rep ${rep}/${o.reps}] ${store}`);
      const run: BenchRun = { store, rep };
      try {
        if (wants(o, 'W1', 'W2', 'W3', 'G1', 'G2')) run.oneByOne = await oneByOnePhase(o, store, data, ticks);
        if (wants(o, 'W4', 'series')) run.bulk = await bulkPhase(o, store, data, ticks);
        if (o.only.has('ledger')) run.ledger = await ledgerVerify(store, o.ledgerEntries, o.databaseUrl, o.log);
        if (o.only.has('imports')) {
          run.imports = await importBench(importCases(o.importScale), {
            launcher: o.launcher,
            store,
            ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
            timeoutMs: Math.max(o.timeoutMs, 600_000),
            log: o.log,
          });
        }
        if (o.only.has('schedule')) run.schedule = scheduleBench(o.scheduleSpaces, o.log);
        if (o.only.has('sync') && store === 'sqlite') run.sync = await syncBench(o.log);
        if (o.only.has('portability')) {
          run.portability = await portabilityBench({
            launcher: o.launcher,
            store,
            ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}),
            scale: o.importScale,
            timeoutMs: Math.max(o.timeoutMs, 600_000),
            log: o.log,
          });
        }
      } catch (e) {
        run.error = e instanceof Error ? e.message : String(e);
        o.log(`  FAILED: ${run.error}`);
      }
      runs.push(run);
    }
  }
  return runs;
}
