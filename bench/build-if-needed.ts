/** `npm run bench` measures the compiled server: rebuild `dist/` when a source file is newer. */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { FoyerError } from '../src/core/errors.js';

/** Latest modification time of the compiled sources under `dir` (tests and test helpers excluded). */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'testing' && entry.name !== 'node_modules') newest = Math.max(newest, newestSource(p));
    } else if (entry.name.endsWith('.ts') && !/\.(test|contract)\.ts$/.test(entry.name)) {
      newest = Math.max(newest, statSync(p).mtimeMs);
    }
  }
  return newest;
}

/** True when `dist/` is missing or older than a source file, i.e. when a build is needed. */
export function buildIsStale(root: string): boolean {
  const entry = path.join(root, 'dist/src/cli/main.js');
  if (!existsSync(entry)) return true;
  const built = statSync(entry).mtimeMs;
  return Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'catalog'))) > built;
}

export function buildIfNeeded(root: string, log: (line: string) => void): void {
  if (!buildIsStale(root)) return;
  log('dist/ is older than the sources: npm run build');
  // The compiler's output goes to stderr, so that stdout holds only the table.
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0)
    throw new FoyerError(
      'internal',
      `npm run build failed (${r.error?.message ?? `exit ${r.status}`}): fix the build first.`,
    );
}
