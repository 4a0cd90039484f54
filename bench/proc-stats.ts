/**
 * Memory and CPU of the server process, read from /proc (Linux): VmRSS (now), VmHWM (peak since
 * start, what `/usr/bin/time -v` calls maximum resident set size) and utime + stime.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { round } from './stats.js';

export interface ProcStats {
  rssMiB: number;
  peakRssMiB: number;
  cpuMs: number;
}

/** Kernel clock ticks per second, for the CPU times in /proc/<pid>/stat. */
export function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
}

/** Null when the process is gone or /proc is not there. */
export function readProcStats(pid: number, ticksPerSecond: number): ProcStats | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return {
      rssMiB: round(kib('VmRSS') / 1024),
      peakRssMiB: round(kib('VmHWM') / 1024),
      cpuMs: Math.round((ticks * 1000) / ticksPerSecond),
    };
  } catch {
    return null;
  }
}
