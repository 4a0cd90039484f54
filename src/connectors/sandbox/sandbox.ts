/**
 * Runs one connector bundle in its own worker thread, within its time and memory limits, serving
 * its `ctx` calls with the handlers given. Resolves when the connector's `run` ended well; throws
 * a RunFailure otherwise: the connector's own error, a limit, a forbidden act, a cancellation.
 *
 * The wall-clock limit does not run while the person is being asked for a second factor (that
 * wait has its own deadline). Memory is V8's heap limit of the worker (`resourceLimits`).
 */
import { randomBytes } from 'node:crypto';
import { MessageChannel, Worker } from 'node:worker_threads';
import { CapabilityError, isConnectorErrorCode, RunFailure } from '../run-errors.js';
import { workerMessage, type CallMessage } from './protocol.js';
import { HOOKS_SOURCE, WORKER_SOURCE } from './worker-source.js';

export interface SandboxHandlers {
  /** Each call's answer, or a CapabilityError for the connector, or a RunFailure that ends the run. */
  call(op: CallMessage['op'], args: unknown): Promise<unknown>;
  cursor(json: string): void;
  progress(progress: { done: number; total?: number; message?: string }): void;
  log(text: string): void;
  /** A forbidden act the worker reported (it is stopped at once). */
  violation(what: string): void;
}

export interface SandboxOptions {
  /** The connector's bundle: one ES module exporting `run(ctx)`. */
  code: string;
  init: { startedAt: number; backfill: boolean; api: string; cursor: unknown };
  limits: { timeMs: number; memoryMb: number };
  handlers: SandboxHandlers;
  signal?: AbortSignal;
}

export async function runInSandbox(options: SandboxOptions): Promise<void> {
  const { handlers, limits } = options;
  const channel = new MessageChannel();
  // A fresh specifier per run: the only import the hooks let through.
  const specifier = `data:text/javascript;run=${randomBytes(8).toString('hex')};base64,${Buffer.from(options.code).toString('base64')}`;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    env: {},
    execArgv: [],
    argv: [],
    stdout: true,
    stderr: true,
    workerData: {
      port: channel.port2,
      specifier,
      hooks: HOOKS_SOURCE,
      init: options.init,
    },
    transferList: [channel.port2],
    resourceLimits: {
      maxOldGenerationSizeMb: limits.memoryMb,
      maxYoungGenerationSizeMb: Math.max(2, Math.min(16, Math.floor(limits.memoryMb / 8))),
      stackSizeMb: 4,
    },
  });
  // Whatever the connector prints goes nowhere (it may print a password); `ctx.log` is the way.
  worker.stdout.resume();
  worker.stderr.resume();
  const port = channel.port1;

  let settle!: (failure: RunFailure | null) => void;
  const ended = new Promise<RunFailure | null>((resolve) => (settle = resolve));
  let outcome: RunFailure | null | undefined;
  const finish = (failure: RunFailure | null) => {
    if (outcome !== undefined) return;
    outcome = failure;
    settle(failure);
  };

  // The wall clock, paused while a person is asked for a second factor.
  let remaining = limits.timeMs;
  let since = performance.now();
  let timer: NodeJS.Timeout | undefined;
  let paused = 0;
  const arm = () => {
    since = performance.now();
    timer = setTimeout(
      () =>
        finish(
          new RunFailure('time_limit', `The run was stopped after ${Math.round(limits.timeMs / 1000)} s, its limit.`),
        ),
      remaining,
    );
  };
  const pause = () => {
    if (paused++ > 0) return;
    clearTimeout(timer);
    remaining -= performance.now() - since;
  };
  const resume = () => {
    if (--paused > 0 || outcome !== undefined) return;
    arm();
  };
  arm();

  const onAbort = () => finish(new RunFailure('cancelled', 'The run was stopped before it finished.'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const reply = (message: unknown) => {
    try {
      port.postMessage(message);
    } catch {
      // the worker is gone
    }
  };

  async function serve(message: CallMessage): Promise<void> {
    const waitsForPerson = message.op === 'secondFactor';
    if (waitsForPerson) pause();
    try {
      const value = await handlers.call(message.op, message.args);
      reply({ t: 'result', id: message.id, ok: true, value });
    } catch (e) {
      if (e instanceof CapabilityError) {
        reply({
          t: 'result',
          id: message.id,
          ok: false,
          error: { code: e.code, message: e.message, retryAfterSeconds: e.retryAfterSeconds },
        });
      } else if (e instanceof RunFailure) {
        finish(e);
      } else {
        finish(new RunFailure('internal', `Foyer could not serve the connector's ${message.op} call.`));
        throw e;
      }
    } finally {
      if (waitsForPerson) resume();
    }
  }

  const serving = new Set<Promise<void>>();
  let internalError: unknown;
  const onMessage = (raw: unknown) => {
    if (outcome !== undefined) return;
    const parsed = workerMessage.safeParse(raw);
    if (!parsed.success) {
      finish(new RunFailure('internal', `The connector sent a malformed message: ${parsed.error.issues[0]?.message}`));
      return;
    }
    const message = parsed.data;
    switch (message.t) {
      case 'call': {
        const p = serve(message).catch((e: unknown) => {
          internalError = e;
        });
        serving.add(p);
        void p.finally(() => serving.delete(p));
        return;
      }
      case 'violation':
        handlers.violation(message.what);
        finish(new RunFailure('not_allowed', `Not allowed in a connector: ${message.what}.`));
        return;
      case 'cursor':
        handlers.cursor(message.json);
        return;
      case 'progress':
        handlers.progress({
          done: message.done,
          ...(typeof message.total === 'number' ? { total: message.total } : {}),
          ...(typeof message.message === 'string' ? { message: message.message } : {}),
        });
        return;
      case 'log':
        handlers.log(message.text);
        return;
      case 'done':
        finish(null);
        return;
      case 'failed': {
        const { error } = message;
        if (error.name === 'SandboxViolation') {
          finish(new RunFailure('not_allowed', error.message));
        } else if (error.name === 'ConnectorError' && isConnectorErrorCode(error.code)) {
          finish(new RunFailure(error.code, error.message, error.retryAfterSeconds));
        } else {
          finish(new RunFailure('internal', `${error.name}: ${error.message}`));
        }
        return;
      }
    }
  };
  port.on('message', onMessage);
  worker.on('error', (e: Error & { code?: string }) => {
    finish(
      e.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new RunFailure('memory_limit', `The run was stopped at its memory limit of ${limits.memoryMb} MB.`)
        : new RunFailure('internal', `The connector's worker failed: ${e.message}`),
    );
  });
  worker.on('exit', () => finish(new RunFailure('internal', 'The connector stopped without finishing its run.')));

  try {
    const failure = await ended;
    if (internalError !== undefined) throw internalError;
    if (failure) throw failure;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    port.close();
    await worker.terminate();
  }
}
