/**
 * The code a connector's worker thread starts with, as text (the worker is started with `eval`,
 * `env: {}` and no `execArgv`, so it owes nothing to how the parent was launched). In order it:
 *  1. registers module hooks that refuse every import but the connector's own bundle (`node:fs`,
 *     `file:` URLs, anything): each refused one becomes a module that reports it and throws;
 *  2. makes the dangerous built-in modules' functions throw (a second line behind the hooks), and
 *     the globals and `process` methods that reach out (fetch, sockets, bindings) throw on access,
 *     each attempt reported to the parent, which stops the run;
 *  3. builds `ctx`, whose every capability is a message to the parent over a MessagePort;
 *  4. imports the connector's bundle and awaits `run(ctx)`.
 * Written as plain JavaScript text on purpose: a compiled function's `toString()` could name
 * helpers the bundler injected, which do not exist in the worker.
 */

export const HOOKS_SOURCE = String.raw`
let allowed;
export function initialize(data) {
  allowed = data.specifier;
}
// A refused import becomes a module that reports itself when the worker evaluates it: the report
// then reaches the parent on the worker's own channel, before anything the connector does next.
export async function resolve(specifier, context, next) {
  if (specifier === allowed) return next(specifier, context);
  const what = JSON.stringify('import ' + String(specifier).slice(0, 200));
  // Throws even if the connector tampered with the reporter: the import fails either way.
  const source = 'globalThis[Symbol.for("foyer.sandbox.denied")](' + what + '); throw new Error("Not allowed");';
  return { url: 'data:text/javascript,' + encodeURIComponent(source), shortCircuit: true };
}
`;

export const WORKER_SOURCE = String.raw`
'use strict';
const { workerData } = require('node:worker_threads');
const { register, syncBuiltinESMExports } = require('node:module');
const { port, specifier, hooks, init } = workerData;

register('data:text/javascript,' + encodeURIComponent(hooks), { data: { specifier } });

const post = (message) => {
  try { port.postMessage(message); } catch {}
};
function violation(what) {
  post({ t: 'violation', what });
  const error = new Error('Not allowed in a connector: ' + what);
  error.name = 'SandboxViolation';
  return error;
}

Object.defineProperty(globalThis, Symbol.for('foyer.sandbox.denied'), {
  configurable: false,
  writable: false,
  enumerable: false,
  value: (what) => { throw violation(String(what)); },
});

// What each module may not do: '*' for every function of it. Only modules Node's own machinery
// does not call after start-up are patched whole (v8's deserialize, for one, carries the module
// hooks' errors, and vm and worker_threads serve the loader): the hooks keep the rest out.
const DENIED = {
  fs: '*', 'fs/promises': '*', net: '*', tls: '*', http: '*', https: '*', http2: '*', dgram: '*',
  dns: '*', 'dns/promises': '*', child_process: '*', cluster: '*', inspector: '*', os: '*',
  worker_threads: ['Worker'],
  v8: ['writeHeapSnapshot', 'getHeapSnapshot', 'setFlagsFromString', 'setHeapSnapshotNearHeapLimit'],
};
// All loaded first: loading one may use another's functions.
const loaded = Object.keys(DENIED).map((name) => {
  try { return [name, require('node:' + name)]; } catch { return [name, null]; }
});
for (const [name, exported] of loaded) {
  if (exported === null) continue;
  const keys = DENIED[name] === '*' ? Object.getOwnPropertyNames(exported) : DENIED[name];
  for (const key of keys) {
    let value;
    try { value = exported[key]; } catch { continue; }
    if (typeof value !== 'function') continue;
    try { exported[key] = function denied() { throw violation(name + '.' + key); }; } catch {}
  }
}
syncBuiltinESMExports();

const deny = (target, key, what) => {
  try {
    Object.defineProperty(target, key, {
      configurable: false,
      get() { throw violation(what); },
      set() { throw violation(what); },
    });
  } catch {}
};
for (const key of ['fetch', 'WebSocket', 'EventSource', 'XMLHttpRequest', 'BroadcastChannel', 'Worker',
  'SharedWorker', 'WebAssembly']) deny(globalThis, key, 'global ' + key);
for (const key of ['binding', '_linkedBinding', 'dlopen', 'getBuiltinModule', 'report', 'chdir', 'kill',
  'abort', 'setuid', 'setgid', 'setgroups', 'initgroups', 'mainModule', 'openStdin', 'loadEnvFile',
  'permission']) deny(process, key, 'process.' + key);

const text = (args) => args.map((a) => {
  if (typeof a === 'string') return a;
  if (a instanceof Error) return a.name + ': ' + a.message;
  try { return JSON.stringify(a); } catch { return String(a); }
}).join(' ');
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
  console[level] = (...args) => post({ t: 'log', text: text(args).slice(0, 2000) });
}

function connectorError(e) {
  const error = new Error(e.message);
  error.name = 'ConnectorError';
  error.code = e.code;
  if (e.retryAfterSeconds !== undefined) error.retryAfterSeconds = e.retryAfterSeconds;
  return error;
}

let nextId = 1;
const pending = new Map();
const inflight = new Set();
port.on('message', (m) => {
  if (!m || m.t !== 'result') return;
  const waiting = pending.get(m.id);
  if (!waiting) return;
  pending.delete(m.id);
  if (m.ok) waiting.resolve(m.value);
  else waiting.reject(connectorError(m.error));
});
function call(op, args) {
  const promise = new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    try {
      port.postMessage({ t: 'call', id, op, args });
    } catch (e) {
      pending.delete(id);
      reject(e);
    }
  });
  inflight.add(promise);
  const done = () => inflight.delete(promise);
  promise.then(done, done);
  return promise;
}

const BATCH = 500;
let batch = null;
function flush() {
  if (batch === null) return;
  const sending = batch;
  batch = null;
  call('upsert', { records: sending.records }).then(sending.resolve, sending.reject);
}

let cursor = init.cursor;
const ctx = Object.freeze({
  startedAt: init.startedAt,
  backfill: init.backfill,
  api: init.api,
  async fetch(url, options = {}) {
    const answer = await call('fetch', { url: String(url), init: options });
    const body = answer.body;
    return Object.freeze({
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      headers: Object.freeze({ ...answer.headers }),
      text: () => body,
      json: () => {
        try {
          return JSON.parse(body);
        } catch {
          throw connectorError({ code: 'holder_format_changed', message: 'The answer of ' + String(url).split('?')[0] + ' is not JSON.' });
        }
      },
    });
  },
  upsert(doctype, key, data) {
    if (batch === null) {
      let resolve, reject;
      const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
      // Nobody may await it; its failure is the run's anyway (the parent stops the run).
      promise.catch(() => {});
      batch = { records: [], promise, resolve, reject };
      setImmediate(flush);
    }
    const current = batch;
    current.records.push({ doctype, key, data });
    if (current.records.length >= BATCH) flush();
    return current.promise;
  },
  points(doctype, points) {
    return call('points', { doctype, points });
  },
  file(request) {
    const r = request || {};
    const args = { key: r.key, url: String(r.url), name: r.name };
    for (const k of ['headers', 'contentType', 'folder', 'timeoutMs']) if (r[k] !== undefined) args[k] = r[k];
    return call('file', args);
  },
  cursor: Object.freeze({
    get: () => (cursor === undefined ? null : JSON.parse(JSON.stringify(cursor))),
    set(value) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError('ctx.cursor.set: the cursor must be JSON.');
      cursor = JSON.parse(json);
      post({ t: 'cursor', json });
    },
  }),
  credentials: () => call('credentials', {}),
  progress(p) {
    post({ t: 'progress', done: Number(p && p.done), total: p && p.total, message: p && p.message });
  },
  askSecondFactor: (question) => call('secondFactor', { prompt: question && question.prompt, deadline: question && question.deadline }),
  log(message) {
    post({ t: 'log', text: String(message).slice(0, 2000) });
  },
});

let finished = false;
function describe(e) {
  try {
    if (e && typeof e === 'object') {
      return {
        name: String(e.name || 'Error').slice(0, 100),
        code: typeof e.code === 'string' ? e.code.slice(0, 100) : undefined,
        message: String(e.message || '').slice(0, 2000),
        retryAfterSeconds: typeof e.retryAfterSeconds === 'number' ? e.retryAfterSeconds : undefined,
      };
    }
    return { name: 'Error', message: String(e).slice(0, 2000) };
  } catch {
    return { name: 'Error', message: 'unreadable error' };
  }
}
function fail(e) {
  if (finished) return;
  finished = true;
  post({ t: 'failed', error: describe(e) });
}
process.on('unhandledRejection', fail);
process.on('uncaughtException', fail);

(async () => {
  const connector = await import(specifier);
  if (typeof connector.run !== 'function') throw new Error('The connector module exports no run(ctx) function.');
  await connector.run(ctx);
  flush();
  while (inflight.size > 0) await Promise.all([...inflight]);
})().then(() => {
  if (finished) return;
  finished = true;
  post({ t: 'done' });
}, fail);
`;
