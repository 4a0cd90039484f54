#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the `prepare` script).
import { spawnSync } from 'node:child_process';

// `foyer import`, `import-archive` and `export` stream files of any size; V8 would otherwise let the garbage of millions of
// records grow the heap to gigabytes before collecting it. A bounded old space keeps the process's
// peak memory bounded too (docs/importers.md); the flag must be given at start, hence the re-run.
const IMPORT_HEAP_MB = 192;
const BOUNDED = ['import', 'import-archive', 'export'];
if (BOUNDED.includes(process.argv[2]) && !process.execArgv.some((a) => a.startsWith('--max-old-space-size'))) {
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, `--max-old-space-size=${IMPORT_HEAP_MB}`, ...process.argv.slice(1)],
    { stdio: 'inherit' },
  );
  process.exit(child.status ?? 1);
}
// A starting server keeps V8's young generation small until its first request (src/platform/young-generation.ts).
if (process.argv[2] === 'serve') (await import('../dist/src/platform/young-generation.js')).holdYoungGeneration();
await import('../dist/src/cli/entry.js');
