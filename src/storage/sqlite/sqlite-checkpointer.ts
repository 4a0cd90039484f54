/**
 * WAL checkpoints off the event loop. With SQLite's automatic checkpoints, every ~1,000 pages one
 * unlucky commit copies the WAL into the database and fsyncs it, on the thread that serves
 * requests: measured here, a 10 to 50 ms stall every few hundred writes and a third of the write
 * throughput. Space databases therefore run with a very high `wal_autocheckpoint` (a safety net
 * only), and this worker thread, with connections of its own, runs PASSIVE checkpoints on the
 * files written since its previous round. PASSIVE never blocks writers or readers.
 *
 * The worker starts on the first write and stops after a quiet minute, so an idle Foyer does not
 * pay for it.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface Checkpointer {
  /**
   * A commit went to this file: checkpoint it in the next round. `unlock`: the pragmas that open
   * an encrypted file (sqlite-cipher.ts), run by the worker on its own connection.
   */
  written(file: string, unlock?: readonly string[]): void;
  /** Closes the worker's connection to this file (before the file is deleted). */
  forget(file: string): Promise<void>;
  close(): Promise<void>;
}

/** Plain JavaScript: it runs as is in the worker, whether Foyer runs compiled or from sources. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const open = new Map();
function connection(file, unlock) {
  let db = open.get(file);
  if (db) { open.delete(file); open.set(file, db); return db; }
  db = new Database(file, { fileMustExist: true });
  for (const pragma of unlock ?? []) db.pragma(pragma);
  db.pragma('busy_timeout = 50');
  open.set(file, db);
  for (const [oldest, old] of open) { if (open.size <= workerData.maxOpen) break; open.delete(oldest); old.close(); }
  return db;
}
function close(file) { const db = open.get(file); if (db) { open.delete(file); db.close(); } }
parentPort.on('message', (m) => {
  if (m.kind === 'checkpoint') {
    for (const file of m.files) {
      // A busy or vanished file is simply tried again at its next write.
      try { connection(file, m.unlock[file]).pragma('wal_checkpoint(PASSIVE)'); } catch { close(file); }
    }
    for (const file of m.quiet) {
      // Writes have stopped: empty the WAL file, so a burst does not leave it large on disk.
      try { connection(file, m.unlock[file]).pragma('wal_checkpoint(TRUNCATE)'); } catch { close(file); }
    }
  } else if (m.kind === 'forget') {
    close(m.file);
  } else if (m.kind === 'close') {
    for (const file of [...open.keys()]) close(file);
  }
  parentPort.postMessage({ id: m.id });
});
`;

export interface CheckpointerOptions {
  /** Time between rounds. Default 200 ms. */
  intervalMs?: number;
  /** The worker stops after this long without writes. Default 60 s. */
  idleStopMs?: number;
  /** A file not written for this long gets its WAL emptied (TRUNCATE). Default 1 s. */
  quietMs?: number;
  /** Connections the worker keeps open. Default 64. */
  maxOpen?: number;
}

export function createCheckpointer(options: CheckpointerOptions = {}): Checkpointer {
  const intervalMs = options.intervalMs ?? 200;
  const idleStopMs = options.idleStopMs ?? 60_000;
  const quietMs = options.quietMs ?? 1_000;
  const driver = createRequire(import.meta.url).resolve('better-sqlite3-multiple-ciphers');
  const dirty = new Set<string>();
  /** Files written since their last TRUNCATE, with the time of their last write. */
  const unsettled = new Map<string, number>();
  /** The unlock pragmas of encrypted files, sent along with each round that names them. */
  const unlocks = new Map<string, readonly string[]>();
  const waiting = new Map<number, () => void>();
  let worker: Worker | null = null;
  let timer: NodeJS.Timeout | null = null;
  let lastWrite = 0;
  let nextId = 0;
  let inFlight = false;

  function start(): Worker {
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, maxOpen: options.maxOpen ?? 64 } });
    w.on('message', (m: { id: number }) => {
      waiting.get(m.id)?.();
      waiting.delete(m.id);
    });
    // A crashed worker is replaced at the next write; the autocheckpoint safety net still holds.
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (worker === w) worker = null;
      for (const done of waiting.values()) done();
      waiting.clear();
    });
    w.unref();
    return w;
  }

  /** The worker is unref'd so it never keeps Foyer alive, except while an answer is awaited. */
  function send(message: Record<string, unknown>): Promise<void> {
    const w = worker;
    if (!w) return Promise.resolve();
    const id = nextId++;
    w.ref();
    return new Promise((resolve) => {
      waiting.set(id, () => {
        if (waiting.size <= 1) w.unref();
        resolve();
      });
      w.postMessage({ ...message, id });
    });
  }

  async function round(): Promise<void> {
    if (inFlight) return;
    const now = Date.now();
    const quiet = [...unsettled].filter(([file, at]) => now - at >= quietMs && !dirty.has(file)).map(([file]) => file);
    if (dirty.size === 0 && quiet.length === 0) {
      if (now - lastWrite > idleStopMs) await stop();
      return;
    }
    inFlight = true;
    const files = [...dirty];
    dirty.clear();
    for (const file of quiet) unsettled.delete(file);
    const unlock: Record<string, readonly string[]> = {};
    for (const file of [...files, ...quiet]) {
      const pragmas = unlocks.get(file);
      if (pragmas) unlock[file] = pragmas;
    }
    try {
      await send({ kind: 'checkpoint', files, quiet, unlock });
    } finally {
      inFlight = false;
    }
  }

  async function stop(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = null;
    const w = worker;
    worker = null;
    if (w) await w.terminate();
  }

  return {
    written(file, unlock) {
      if (unlock) unlocks.set(file, unlock);
      dirty.add(file);
      lastWrite = Date.now();
      unsettled.set(file, lastWrite);
      worker ??= start();
      if (!timer) {
        timer = setInterval(() => void round(), intervalMs);
        timer.unref();
      }
    },
    async forget(file) {
      unlocks.delete(file);
      dirty.delete(file);
      unsettled.delete(file);
      await send({ kind: 'forget', file });
    },
    async close() {
      dirty.clear();
      unsettled.clear();
      unlocks.clear();
      await send({ kind: 'close' });
      await stop();
    },
  };
}
