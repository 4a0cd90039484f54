#!/usr/bin/env node
// `npm test`: typecheck, lint, then every test (vitest), ending with the line CI reads:
// "N passed, N failed". Typecheck, lint and format count as one test each.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
let passed = 0;
let failed = 0;

function step(label, command, args) {
  process.stdout.write(`\n== ${label}: ${command} ${args.join(' ')}\n`);
  const r = spawnSync(bin(command), args, { stdio: 'inherit' });
  return r.status === 0;
}

for (const [label, command, args] of [
  ['typecheck', 'tsc', ['-p', 'tsconfig.json', '--noEmit']],
  ['typecheck web', 'tsc', ['-p', 'web/tsconfig.json']],
  ['typecheck apps', 'tsc', ['-p', 'apps/tsconfig.json']],
  ['lint', 'eslint', ['.', '--max-warnings', '0']],
  ['format', 'prettier', ['--check', '.', '--log-level', 'warn']],
]) {
  if (step(label, command, args)) passed++;
  else {
    failed++;
    console.log(`${label} FAILED`);
  }
}

const report = '.test-results.json';
rmSync(report, { force: true });
const extra = process.argv.slice(2);
step('tests', 'vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...extra]);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  // A file that fails to load has no test results but must still count as a failure.
  const broken = r.testResults.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
  for (const f of broken) console.log(`failed to run: ${f.name}: ${(f.message ?? '').split('\n')[0]}`);
  failed += broken.length;
  if (r.numPendingTests || r.numTodoTests)
    console.log(`skipped or todo tests: ${r.numPendingTests + r.numTodoTests} (not allowed)`);
  failed += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
} else {
  console.log('vitest produced no report');
  failed++;
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
