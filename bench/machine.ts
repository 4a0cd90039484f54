/** What the figures were measured on, for the caption and the JSON file. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { round } from './stats.js';

export interface Machine {
  date: string;
  cpus: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  os: string;
  /** 1, 5 and 15-minute load averages when the run started: other work on the machine skews figures. */
  loadAverage: number[];
  commit: string;
}

function git(root: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return '';
  }
}

export function describeMachine(root: string): Machine {
  const commit = git(root, ['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = git(root, ['status', '--porcelain', '--untracked-files=no']) !== '';
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memGiB: round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverage: os.loadavg().map((x) => round(x, 2)),
    commit: dirty ? `${commit} (with uncommitted changes)` : commit,
  };
}
