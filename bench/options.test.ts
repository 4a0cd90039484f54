import { describe, expect, it } from 'vitest';
import { parseBenchArgs } from './options.js';

const PG = { FOYER_BENCH_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' };

describe('benchmark options', () => {
  it('defaults to the issue sizes on SQLite alone', () => {
    const o = parseBenchArgs([], {})!;
    expect(o).toMatchObject({
      n: 10_000,
      bulkN: 100_000,
      batch: 5000,
      concurrency: 16,
      seed: 42,
      month: '2024-03',
      reps: 3,
      queryReps: 10,
    });
    expect(o.seriesPoints).toBe(175_200);
    expect(o.seriesChunk).toBe(175_200);
    expect(o.stores).toEqual(['sqlite']);
    expect([...o.only]).toEqual([
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
    ]);
    expect(o.importScale).toBe(1);
    expect(o.scheduleSpaces).toBe(10_000);
    expect(o.ledgerEntries).toBe(1_000_000);
    expect(o.databaseUrl).toBeUndefined();
  });

  it('adds PostgreSQL when FOYER_BENCH_DATABASE_URL is set, and takes explicit choices', () => {
    expect(parseBenchArgs([], PG)!.stores).toEqual(['sqlite', 'postgres']);
    const o = parseBenchArgs(
      ['--stores', 'postgres', '--only', 'W1,W3', '--n', '200', '--series-chunk', '1000', '--concurrency', '4'],
      PG,
    )!;
    expect(o.stores).toEqual(['postgres']);
    expect([...o.only]).toEqual(['W1', 'W3']);
    expect(o).toMatchObject({ n: 200, seriesChunk: 1000, concurrency: 4, databaseUrl: PG.FOYER_BENCH_DATABASE_URL });
    expect(parseBenchArgs(['--profile', '/tmp/prof'], {})!.profileDir).toBe('/tmp/prof');
  });

  it('returns null for --help', () => {
    expect(parseBenchArgs(['--help'], {})).toBeNull();
  });

  it('refuses the postgres store without a database URL, and a URL that is not postgres://', () => {
    expect(() => parseBenchArgs(['--stores', 'postgres'], {})).toThrow(/FOYER_BENCH_DATABASE_URL/);
    expect(() => parseBenchArgs([], { FOYER_BENCH_DATABASE_URL: 'mysql://x' })).toThrow(/postgres:\/\//);
  });

  it('runs the SQLite servers with the cipher asked for, and refuses one Foyer does not know', () => {
    expect(parseBenchArgs([], {})!.databaseCipher).toBeUndefined();
    expect(parseBenchArgs(['--database-cipher', 'none'], {})!.databaseCipher).toBe('none');
    expect(parseBenchArgs(['--database-cipher', 'chacha20'], {})!.databaseCipher).toBe('chacha20');
    expect(() => parseBenchArgs(['--database-cipher', 'rot13'], {})).toThrow(/--database-cipher/);
  });

  it('refuses unknown stores, workloads and flags', () => {
    expect(() => parseBenchArgs(['--stores', 'sqlite,mongo'], {})).toThrow(/--stores/);
    expect(() => parseBenchArgs(['--only', 'W9'], {})).toThrow(/--only/);
    expect(() => parseBenchArgs(['--only', ','], {})).toThrow(/--only/);
    expect(() => parseBenchArgs(['--fast'], {})).toThrow(/Unknown option/);
    expect(() => parseBenchArgs(['extra'], {})).toThrow();
  });

  it('refuses sizes that are not whole numbers in range, and a bad month', () => {
    for (const args of [
      ['--n', '0'],
      ['--n', 'ten'],
      ['--n', '1.5'],
      ['--batch', '100001'],
      ['--concurrency', '0'],
      ['--reps', '21'],
      ['--series-points=-3'],
      ['--timeout-ms', '5'],
      ['--ledger-entries', '0'],
      ['--ledger-entries', '1e6'],
      ['--schedule-spaces', '0'],
      ['--schedule-spaces', '2000000'],
    ]) {
      expect(() => parseBenchArgs(args, {}), args.join(' ')).toThrow(/must be a whole number/);
    }
    expect(() => parseBenchArgs(['--month', '2024-13'], {})).toThrow(/YYYY-MM/);
  });
});
