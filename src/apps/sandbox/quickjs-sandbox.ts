/**
 * Runs an app service's code in QuickJS compiled to WebAssembly: no network, no file system, no
 * Node, no timers; only the host functions given (`foyer.*`). A memory limit (the runtime's
 * allocator refuses past it) and a deadline (an interrupt handler stops running code, and the
 * run as a whole is abandoned past it) bound every run. Values cross as JSON text only.
 * The interrupt is checked between operations: one very long native operation (a huge
 * allocation near the memory limit) can overrun the deadline by a few seconds before it stops.
 */
import type { QuickJSContext, QuickJSHandle, QuickJSRuntime } from 'quickjs-emscripten';

export interface SandboxLimits {
  timeoutMs: number;
  memoryBytes: number;
}

/** Host functions: each takes JSON-able arguments and answers a JSON-able value (or throws). */
export type HostFunctions = Record<string, (...args: unknown[]) => Promise<unknown>>;

export interface SandboxResult {
  ok: boolean;
  /** Why the run failed: `timeout`, `memory`, or the error the code threw (name: message). */
  error?: string;
  logs: string[];
  durationMs: number;
}

/** The global `foyer`, built inside the sandbox on the host's JSON bridge. */
const PRELUDE = (names: readonly string[], trigger: string) => `
(() => {
  const host = globalThis.__host;
  const log = globalThis.__log;
  delete globalThis.__host;
  delete globalThis.__log;
  globalThis.foyer = Object.freeze({
    ${[
      ...names.map((n) => `${n}: async (...args) => JSON.parse(await host.${n}(JSON.stringify(args)))`),
      `log: (...values) => log(values.map((v) => typeof v === 'string' ? v : JSON.stringify(v)).join(' '))`,
      `trigger: Object.freeze(${trigger})`,
    ].join(',\n    ')}
  });
})();
`;

const MAX_LOGS = 200;

export async function runInSandbox(input: {
  /** A script (an IIFE bundle) that sets `globalThis.__service` to a module whose default export is the run function. */
  code: string;
  host: HostFunctions;
  trigger: unknown;
  limits: SandboxLimits;
}): Promise<SandboxResult> {
  const started = Date.now();
  const deadline = started + input.limits.timeoutMs;
  const logs: string[] = [];
  const { newQuickJSWASMModule, shouldInterruptAfterDeadline } = await import('quickjs-emscripten');
  // A module of its own per run (~15 ms): a run that ends the WebAssembly instance (an abort
  // after running out of memory) cannot leave a broken one to the next.
  const quickjs = await newQuickJSWASMModule();
  const runtime: QuickJSRuntime = quickjs.newRuntime();
  runtime.setMemoryLimit(input.limits.memoryBytes);
  runtime.setMaxStackSize(512 * 1024);
  runtime.setInterruptHandler(shouldInterruptAfterDeadline(deadline));
  const vm: QuickJSContext = runtime.newContext();
  let disposed = false;
  let abandoned = false;
  const done = (ok: boolean, error?: string): SandboxResult => ({
    ok,
    ...(error !== undefined ? { error } : {}),
    logs,
    durationMs: Date.now() - started,
  });

  try {
    const host = vm.newObject();
    for (const [name, fn] of Object.entries(input.host)) {
      const handle = vm.newFunction(name, (argsHandle: QuickJSHandle) => {
        const promise = vm.newPromise();
        const args = JSON.parse(vm.getString(argsHandle)) as unknown[];
        fn(...args).then(
          (value) => {
            if (disposed) return;
            const text = vm.newString(JSON.stringify(value ?? null));
            promise.resolve(text);
            text.dispose();
          },
          (e: unknown) => {
            if (disposed) return;
            const err = vm.newError({ name: (e as { code?: string }).code ?? 'Error', message: (e as Error).message });
            promise.reject(err);
            err.dispose();
          },
        );
        void promise.settled.then(() => {
          if (!disposed) runtime.executePendingJobs();
        });
        return promise.handle;
      });
      vm.setProp(host, name, handle);
      handle.dispose();
    }
    vm.setProp(vm.global, '__host', host);
    host.dispose();
    const log = vm.newFunction('__log', (text: QuickJSHandle) => {
      if (logs.length < MAX_LOGS) logs.push(vm.getString(text).slice(0, 2000));
    });
    vm.setProp(vm.global, '__log', log);
    log.dispose();

    const steps = [
      PRELUDE(Object.keys(input.host), JSON.stringify(input.trigger)),
      input.code,
      `if (typeof globalThis.__service?.default !== 'function') throw new TypeError('the service has no default export function');`,
    ];
    for (const step of steps) {
      const result = vm.evalCode(step, 'service.js');
      if (result.error) {
        const error = describe(vm, result.error, deadline);
        result.error.dispose();
        return done(false, error);
      }
      result.value.dispose();
    }
    const call = vm.evalCode('globalThis.__service.default()');
    if (call.error) {
      const error = describe(vm, call.error, deadline);
      call.error.dispose();
      return done(false, error);
    }
    const settled = vm.resolvePromise(call.value);
    call.value.dispose();
    runtime.executePendingJobs();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const outcome = await Promise.race([settled, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // Its promises still wait on the host: QuickJS would assert (and print) on freeing a runtime
      // with live objects. The instance is this run's own, so it is left to the garbage collector.
      abandoned = true;
      return done(false, 'timeout');
    }
    if (outcome.error) {
      const error = describe(vm, outcome.error, deadline);
      outcome.error.dispose();
      return done(false, error);
    }
    outcome.value.dispose();
    return done(true);
  } catch (e) {
    return done(false, /out of memory/i.test(String(e)) ? 'memory' : `internal: ${(e as Error).message}`);
  } finally {
    disposed = true;
    if (!abandoned)
      try {
        vm.dispose();
        runtime.dispose();
      } catch {
        // A runtime stopped mid-allocation may refuse a clean disposal; it is garbage either way.
      }
  }
}

function describe(vm: QuickJSContext, handle: QuickJSHandle, deadline: number): string {
  const error = vm.dump(handle) as { name?: string; message?: string } | string;
  const name = typeof error === 'object' && error ? error.name : undefined;
  const message = typeof error === 'object' && error ? error.message : String(error);
  if (name === 'InternalError' && /interrupted/i.test(message ?? '')) return 'timeout';
  if (/out of memory/i.test(message ?? '') || (name === 'InternalError' && /memory/i.test(message ?? ''))) {
    return 'memory';
  }
  if (Date.now() > deadline) return 'timeout';
  return `${name ?? 'Error'}: ${message ?? ''}`.slice(0, 500);
}
