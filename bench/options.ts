/** The benchmark's command line: `npm run bench -- --n 10000 --stores sqlite,postgres ...`. */
import { parseArgs } from 'node:util';
import { FoyerError } from '../src/core/errors.js';
import { SQLITE_CIPHERS } from '../src/storage/sqlite/sqlite-cipher.js';
import { monthRange } from './transactions.js';

export const WORKLOADS = [
  'W1',
  'W2',
  'W3',
  'W4',
  'series',
  'G1',
  'G2',
  'ledger',
  'imports',
  'schedule',
  'sync',
  'portability',
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];
export const STORES = ['sqlite', 'postgres'] as const;
export type StoreName = (typeof STORES)[number];

export interface BenchOptions {
  /** Documents created one by one (W1), read back (W2) and queried (W3). */
  n: number;
  /** Documents imported through _bulk (W4), then queried. */
  bulkN: number;
  /** Documents per _bulk request. */
  batch: number;
  /** Requests in flight for W1 and W2. */
  concurrency: number;
  seed: number;
  /** The W3 month, YYYY-MM. */
  month: string;
  /** Warm repetitions of each query, after the first. */
  queryReps: number;
  /** Repetitions of the whole suite per store; tables show medians. */
  reps: number;
  /** Load-curve points appended (30-minute steps from 2015-01-01 local time). */
  seriesPoints: number;
  /** Points per append request. */
  seriesChunk: number;
  /** Access ledger entries appended, then verified (the `ledger` workload). */
  ledgerEntries: number;
  /** Share of the import file sizes (1 = 100,000 OFX lines, 1,000,000 Records.json points...). */
  importScale: number;
  /** Spaces (6 connectors each) the `schedule` workload plans through a simulated day. */
  scheduleSpaces: number;
  stores: StoreName[];
  only: ReadonlySet<WorkloadName>;
  /** PostgreSQL server for the `postgres` store (a fresh database is created per server run). */
  databaseUrl?: string;
  /** The SQLite servers' `--database-cipher` (unset: Foyer's default); to measure what encryption costs. */
  databaseCipher?: string;
  /** Where the JSON results go. */
  outDir: string;
  /** Longest wait for one request (and for the server to start). */
  timeoutMs: number;
  /** When set, every measured server writes a V8 CPU profile there (`node --cpu-prof`). */
  profileDir?: string;
}

export const usage = `npm run bench -- [options]

  --n 10000              documents created one by one (W1), read back (W2), queried (W3)
  --bulk-n 100000        documents imported through _bulk (W4), then queried
  --batch 5000           documents per _bulk request
  --concurrency 16       requests in flight for W1 and W2
  --series-points 175200 load-curve points appended (ten years of 30-minute readings)
  --series-chunk N       points per append request (default: all in one)
  --ledger-entries 1000000  access ledger entries appended in the store, then verified (ledger)
  --import-scale 1       share of the import files' full sizes (imports: OFX and CSV 100,000 lines,
                         Records.json 1,000,000 points, Apple Health ~1 GB; portability: 1,000,000
                         documents and 1 GB of files exported and imported)
  --schedule-spaces 10000  spaces of 6 connectors planned through one simulated day (schedule)
  --database-cipher C    the SQLite servers' encryption: aegis (Foyer's default), chacha20, sqlcipher or none
  --reps 3               repetitions per store (tables show medians)
  --query-reps 10        warm repetitions of each query after the first
  --stores sqlite,postgres  (postgres needs FOYER_BENCH_DATABASE_URL; default: sqlite, and
                         postgres when that variable is set)
  --only W1,W2,W3,W4,series,G1,G2,ledger,imports,schedule,sync,portability
                         (sync: the household's seven connectors, first full sync and next day,
                         in this process on SQLite)
  --profile DIR          servers run with node --cpu-prof, profiles written to DIR
  --seed 42  --month 2024-03  --out bench/results  --timeout-ms 120000`;

function scale(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 10))
    throw new FoyerError('bad_request', `--import-scale must be a number above 0, at most 10, got "${value}".`);
  return n;
}

function integer(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new FoyerError('bad_request', `--${name} must be a whole number from ${min} to ${max}, got "${value}".`);
  }
  return n;
}

function list<T extends string>(name: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const wrong = items.filter((s) => !(allowed as readonly string[]).includes(s));
  if (items.length === 0 || wrong.length > 0) {
    throw new FoyerError(
      'bad_request',
      `--${name} takes a comma-separated list of ${allowed.join(', ')}; got "${value}".`,
    );
  }
  return [...new Set(items)] as T[];
}

/** Options from the command line and the environment; null when help was asked for. */
export function parseBenchArgs(argv: string[], env: NodeJS.ProcessEnv): BenchOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        n: { type: 'string', default: '10000' },
        'bulk-n': { type: 'string', default: '100000' },
        batch: { type: 'string', default: '5000' },
        concurrency: { type: 'string', default: '16' },
        seed: { type: 'string', default: '42' },
        month: { type: 'string', default: '2024-03' },
        'query-reps': { type: 'string', default: '10' },
        reps: { type: 'string', default: '3' },
        'series-points': { type: 'string', default: '175200' },
        'series-chunk': { type: 'string' },
        'ledger-entries': { type: 'string', default: '1000000' },
        'import-scale': { type: 'string', default: '1' },
        'schedule-spaces': { type: 'string', default: '10000' },
        'database-cipher': { type: 'string' },
        stores: { type: 'string' },
        only: { type: 'string', default: WORKLOADS.join(',') },
        out: { type: 'string', default: 'bench/results' },
        'timeout-ms': { type: 'string', default: '120000' },
        profile: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (e) {
    throw new FoyerError('bad_request', `${(e as Error).message}\n\n${usage}`);
  }
  if (values.help) return null;

  const databaseUrl = env.FOYER_BENCH_DATABASE_URL || undefined;
  const stores = values.stores
    ? list('stores', values.stores, STORES)
    : databaseUrl
      ? [...STORES]
      : ['sqlite' as const];
  if (stores.includes('postgres') && !databaseUrl) {
    throw new FoyerError(
      'bad_request',
      'The postgres store needs FOYER_BENCH_DATABASE_URL (postgres://role:password@host:port/database).',
    );
  }
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new FoyerError('bad_request', 'FOYER_BENCH_DATABASE_URL must start with postgres://.');
  }
  monthRange(values.month);

  const bulkN = integer('bulk-n', values['bulk-n'], 1, 1_000_000);
  const seriesPoints = integer('series-points', values['series-points'], 1, 1_000_000);
  const options: BenchOptions = {
    n: integer('n', values.n, 1, 1_000_000),
    bulkN,
    batch: integer('batch', values.batch, 1, 100_000),
    concurrency: integer('concurrency', values.concurrency, 1, 256),
    seed: integer('seed', values.seed, 0, 2 ** 32 - 1),
    month: values.month,
    queryReps: integer('query-reps', values['query-reps'], 1, 1000),
    reps: integer('reps', values.reps, 1, 20),
    seriesPoints,
    seriesChunk:
      values['series-chunk'] === undefined
        ? seriesPoints
        : integer('series-chunk', values['series-chunk'], 1, 1_000_000),
    ledgerEntries: integer('ledger-entries', values['ledger-entries'], 1, 10_000_000),
    importScale: scale(values['import-scale']),
    scheduleSpaces: integer('schedule-spaces', values['schedule-spaces'], 1, 1_000_000),
    stores,
    only: new Set(list('only', values.only, WORKLOADS)),
    outDir: values.out,
    timeoutMs: integer('timeout-ms', values['timeout-ms'], 1000, 3_600_000),
  };
  if (databaseUrl) options.databaseUrl = databaseUrl;
  const cipher = values['database-cipher'];
  if (cipher !== undefined) {
    const allowed: readonly string[] = [...SQLITE_CIPHERS, 'none'];
    if (!allowed.includes(cipher)) {
      throw new FoyerError('bad_request', `--database-cipher takes one of ${allowed.join(', ')}; got "${cipher}".`);
    }
    options.databaseCipher = cipher;
  }
  if (values.profile) options.profileDir = values.profile;
  return options;
}
