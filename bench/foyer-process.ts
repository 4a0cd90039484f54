/**
 * Foyer as the benchmark sees it: a child process started through the real CLI on a fresh data
 * folder (or a fresh PostgreSQL database), with a passphrase set by `foyer init` and a token from
 * `foyer token create`, exactly as a person would do it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { FoyerError } from '../src/core/errors.js';

export interface FoyerInstanceOptions {
  /** The command that runs the `foyer` CLI, e.g. `[process.execPath, 'bin/foyer.js']`. */
  launcher: readonly string[];
  dataDir: string;
  databaseUrl?: string;
  /** `--database-cipher` for the server (SQLite); unset: Foyer's default. */
  databaseCipher?: string;
  timeZone: string;
  /** Node flags for the server process only, e.g. `--cpu-prof`. */
  serverNodeArgs?: readonly string[];
  /** Longest wait for a CLI command or for the server to answer /api/health. */
  timeoutMs: number;
}

export interface RunningFoyer {
  pid: number;
  baseUrl: string;
  token: string;
  /** From spawning `foyer serve` to its first healthy answer. */
  startupMs: number;
  /** SIGTERM, then SIGKILL after 15 s; resolves once the process has exited. */
  stop(): Promise<void>;
}

const OUTPUT_KEPT = 4000;

/** The parent's environment without FOYER_* settings, which would otherwise leak into the run. */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NODE_ENV: 'production' };
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('FOYER_') && k !== 'NODE_ENV') env[k] = v;
  return env;
}

function storageFlags(o: FoyerInstanceOptions): string[] {
  return [
    '--data-dir',
    o.dataDir,
    '--time-zone',
    o.timeZone,
    ...(o.databaseUrl ? ['--database-url', o.databaseUrl] : []),
    ...(o.databaseCipher ? ['--database-cipher', o.databaseCipher] : []),
  ];
}

function spawnCli(o: FoyerInstanceOptions, args: string[], nodeArgs: readonly string[] = []): ChildProcess {
  const [command, ...prefix] = o.launcher;
  return spawn(command!, [...nodeArgs, ...prefix, ...args, ...storageFlags(o)], {
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Keeps the last few kilobytes a child printed, for error messages. */
function tail(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString('utf8')).slice(-OUTPUT_KEPT);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}

/** Runs one CLI command to completion and returns its standard output. */
function runCli(o: FoyerInstanceOptions, args: string[], stdin: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(o, args);
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString('utf8')));
    const output = tail(child);
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else
        reject(
          new FoyerError('unavailable', `foyer ${args.join(' ')} failed (${signal ?? `exit ${code}`}): ${output()}`),
        );
    });
    child.stdin!.end(stdin);
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function healthy(baseUrl: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/api/health', baseUrl), { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `foyer init` and `foyer token create` on the fresh storage, then `foyer serve` until healthy. */
export async function startFoyer(o: FoyerInstanceOptions): Promise<RunningFoyer> {
  await runCli(o, ['init', '--passphrase-stdin'], randomBytes(24).toString('base64url'));
  const token = (await runCli(o, ['token', 'create', '--label', 'bench'], '')).trim();
  if (!/^\S+$/.test(token)) throw new FoyerError('unavailable', 'foyer token create printed no token.');

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawnCli(o, ['serve', '--port', String(port), '--host', '127.0.0.1'], o.serverNodeArgs);
  child.stdin!.end();
  const output = tail(child);
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = signal ?? `exit ${code}`;
      resolve();
    });
  });

  while (!(await healthy(baseUrl))) {
    if (exited !== null)
      throw new FoyerError('unavailable', `foyer serve stopped during startup (${exited}): ${output()}`);
    if (performance.now() - t0 > o.timeoutMs) {
      child.kill('SIGKILL');
      throw new FoyerError(
        'unavailable',
        `foyer serve did not answer /api/health within ${o.timeoutMs} ms: ${output()}`,
      );
    }
    await sleep(50);
  }
  const startupMs = performance.now() - t0;

  return {
    pid: child.pid!,
    baseUrl,
    token,
    startupMs,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    },
  };
}
