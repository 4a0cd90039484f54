import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './package-root.js';

// V8 flags are process-wide: the check runs in a child process of its own.
function youngGenerationSizes(): { before: number; held: number; released: number } {
  const script = `
    import v8 from 'node:v8';
    import { holdYoungGeneration, releaseYoungGeneration } from './src/platform/young-generation.ts';
    const young = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
    // Objects that survive scavenges, as a server's start-up makes them.
    const keep = [];
    const survive = () => { for (let i = 0; i < 300_000; i++) keep.push({ i, s: 'x' + i }); };
    holdYoungGeneration();
    const before = young();
    survive();
    const held = young();
    releaseYoungGeneration();
    survive();
    console.log(JSON.stringify({ before, held, released: young() }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: packageRoot(),
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (r.status !== 0) throw new Error(`the child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { before: number; held: number; released: number };
}

describe('young generation while starting', () => {
  it('stays at its initial size while held, and grows again once released', () => {
    const { before, held, released } = youngGenerationSizes();
    expect(held).toBe(before);
    expect(released).toBeGreaterThanOrEqual(4 * held);
  });
});
