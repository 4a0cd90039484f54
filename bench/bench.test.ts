/**
 * The benchmark end to end at tiny sizes against SQLite: real Foyer processes started through the
 * CLI (from the TypeScript sources), real requests. It checks that the suite runs, answers right
 * and prints every row; speed is the benchmark's business, not this test's.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBenchmark } from './benchmark.js';
import { parseBenchArgs } from './options.js';
import { tableRows } from './report.js';
import { SYNC_CONNECTORS } from './sync-bench.js';

const root = path.resolve(import.meta.dirname, '..');
const launcher = [process.execPath, '--import', 'tsx', path.join(root, 'src/cli/entry.ts')];

describe('npm run bench, quick mode', () => {
  it('runs every workload against SQLite, checks every answer and prints every row', { timeout: 300_000 }, async () => {
    const options = parseBenchArgs(
      [
        '--n',
        '200',
        '--bulk-n',
        '2000',
        '--batch',
        '500',
        '--series-points',
        String(48 * 40),
        '--reps',
        '1',
        '--query-reps',
        '2',
        '--ledger-entries',
        '3000',
        '--import-scale',
        '0.0005',
        '--schedule-spaces',
        '200',
        '--stores',
        'sqlite',
      ],
      {},
    )!;
    const lines: string[] = [];
    const { table, record, ok } = await runBenchmark(options, {
      root,
      launcher,
      settleMs: 200,
      log: (l) => lines.push(l),
    });

    expect(record.failedChecks).toEqual([]);
    expect(ok).toBe(true);
    const run = record.runs[0]!;
    expect(run.error).toBeUndefined();
    expect(run.oneByOne?.W1).toMatchObject({ n: 200, errors: 0 });
    expect(run.oneByOne?.W2).toMatchObject({ n: 200, errors: 0 });
    expect(run.oneByOne?.W3?.expected).toBeGreaterThan(0);
    expect(run.oneByOne?.W3).toMatchObject({ got: run.oneByOne?.W3?.expected, wrongAnswers: 0, warmRuns: 2 });
    expect(run.bulk?.W4).toMatchObject({ n: 2000, requests: 4 });
    expect(run.bulk?.W3?.expected).toBeGreaterThan(run.oneByOne!.W3!.expected);
    expect(run.bulk?.W3).toMatchObject({ got: run.bulk?.W3?.expected, wrongAnswers: 0 });
    expect(run.bulk?.seriesAppend).toMatchObject({ points: 1920, requests: 1 });
    expect(run.bulk?.seriesDay).toMatchObject({ got: 40, expected: 40, problems: [] });
    expect(run.bulk?.seriesMonth).toMatchObject({ got: 2, expected: 2, problems: [] });
    for (const phase of [run.oneByOne!, run.bulk!]) {
      expect(phase.idle?.rssMiB).toBeGreaterThan(0);
      expect(phase.end!.peakRssMiB).toBeGreaterThanOrEqual(phase.idle!.rssMiB);
    }
    expect(run.oneByOne?.W1?.serverCpuMsPerDoc).toBeGreaterThan(0);
    expect(run.ledger).toMatchObject({ entries: 3000, intact: true });
    expect(run.ledger!.batchedPerS).toBeGreaterThan(0);
    expect(run.ledger!.singlePerS).toBeGreaterThan(0);
    expect(run.imports?.map((i) => [i.name, i.ok, i.problem])).toEqual([
      ['OFX bank statement', true, undefined],
      ['bank CSV', true, undefined],
      ['Google Records.json', true, undefined],
      ['Apple Health export.xml', true, undefined],
    ]);
    for (const i of run.imports!) expect(i.peakRssMiB).toBeGreaterThan(0);
    expect(run.schedule).toMatchObject({ spaces: 200, connectors: 1200, problems: [] });
    expect(run.schedule!.runs).toBeGreaterThan(200 * 5);
    expect(run.schedule!.ratio).toBeGreaterThan(1);

    // The household's sync at full size (three years is the household's), checked against its records.
    expect(run.sync).toMatchObject({ customer: 'family', connectors: 7, problems: [] });
    expect(run.sync!.writtenSequential).toBe(run.sync!.expectedFirst);
    expect(run.sync!.writtenConcurrent).toBe(run.sync!.expectedFirst);
    expect(run.sync!.expectedFirst).toBeGreaterThan(50_000);
    expect(run.sync!.writtenNextDay).toBeGreaterThanOrEqual(run.sync!.expectedNextDay);
    expect(run.sync!.perConnector.map((c) => c.connector)).toEqual([...SYNC_CONNECTORS]);

    for (const row of tableRows(options)) {
      const line = table.split('\n').find((l) => l.startsWith(`| ${row.label} |`));
      expect(line, row.label).toBeDefined();
      expect(line!.split('|')[2]!.trim(), row.label).not.toBe('–');
    }
    expect(table).toMatch(/\| W3 among 200: documents \(expected\) \| (\d+) \(\1\) \|/);
    expect(table).toContain('| series per day: buckets (expected) | 40 (40) |');
    expect(table).toContain('All answers checked: correct.');
    expect(lines.some((l) => l.startsWith('  W1 '))).toBe(true);
  });
});
