/**
 * `npm run bench`: builds if needed, runs the suite on SQLite (and PostgreSQL when
 * FOYER_BENCH_DATABASE_URL is set), prints one table and writes the JSON to bench/results/.
 * Exits 1 when a run failed or an answer was wrong.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isFoyerError } from '../src/core/errors.js';
import { buildIfNeeded } from './build-if-needed.js';
import { runBenchmark } from './benchmark.js';
import { parseBenchArgs, usage } from './options.js';

const root = path.resolve(import.meta.dirname, '..');
const log = (line: string): void => void process.stderr.write(line + '\n');

async function main(): Promise<number> {
  const options = parseBenchArgs(process.argv.slice(2), process.env);
  if (!options) {
    console.log(usage);
    return 0;
  }
  buildIfNeeded(root, log);
  const result = await runBenchmark(options, {
    root,
    launcher: [process.execPath, path.join(root, 'bin/foyer.js')],
    settleMs: 2000,
    log,
  });
  process.stdout.write(result.table);
  const outDir = path.resolve(root, options.outDir);
  mkdirSync(outDir, { recursive: true });
  const json = JSON.stringify(result.record, null, 2) + '\n';
  const file = path.join(outDir, `bench-${result.record.machine.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, json);
  writeFileSync(path.join(outDir, 'latest.json'), json);
  log(`wrote ${path.relative(root, file)} and latest.json`);
  return result.ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    log(isFoyerError(e) ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exitCode = 2;
  },
);
