/**
 * The real CLI in a child process, for the workloads that measure it whole: wall time from spawn to
 * exit (start-up and opening the stores included) and the peak RSS (VmHWM) of the child and its
 * descendants, read from /proc while it runs.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { clockTicksPerSecond, readProcStats } from './proc-stats.js';
import { round } from './stats.js';

/** A process and its descendants, from /proc (Linux). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const task of readdirSync(`/proc/${out[i]}/task`)) {
        const children = readFileSync(`/proc/${out[i]}/task/${task}/children`, 'utf8').trim();
        if (children) out.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export interface ChildRun {
  code: number | null;
  out: string;
  err: string;
  seconds: number;
  peakRssMiB: number | null;
  /** CPU time (user + system) of the process tree, as last seen before it exited: less sensitive to a loaded machine than wall time. */
  cpuSeconds: number;
}

export async function runChild(launcher: readonly string[], args: string[], timeoutMs: number): Promise<ChildRun> {
  const ticks = clockTicksPerSecond();
  const [command, ...prefix] = launcher;
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FOYER_')) env[k] = v;
  const started = performance.now();
  const child = spawn(command!, [...prefix, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-4000)));
  let peak: number | null = null;
  /** CPU time of each process of the tree, as last seen (their sum is the run's CPU time). */
  const cpu = new Map<number, number>();
  const poll = setInterval(() => {
    // `foyer import` runs again as a child of its own (to set its heap size): watch the tree.
    for (const pid of processTree(child.pid!)) {
      const s = readProcStats(pid, ticks);
      // A process that has exited but not been reaped shows no memory lines (NaN).
      if (s && Number.isFinite(s.peakRssMiB)) peak = Math.max(peak ?? 0, s.peakRssMiB);
      if (s) cpu.set(pid, s.cpuMs);
    }
  }, 10);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  clearInterval(poll);
  clearTimeout(timer);
  const cpuSeconds = round([...cpu.values()].reduce((a, b) => a + b, 0) / 1000);
  return { code, out, err, seconds: round((performance.now() - started) / 1000), peakRssMiB: peak, cpuSeconds };
}
