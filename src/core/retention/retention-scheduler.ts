/**
 * Runs the retention job daily for every space: a plain timer looks every few minutes whether a
 * space's run is due (the job decides, by the Clock, from the last run it stored), so a restart
 * neither skips a day nor runs twice. The timer never keeps the process alive; stopping waits
 * for the run in progress to finish its current space.
 */
import type { Log } from '../../platform/logger.js';

export interface RetentionSchedulerDeps {
  listSpaces: () => Promise<readonly { id: string }[]>;
  /** Runs the space's job if due (see `RetentionJob.runIfDue`). */
  runIfDue: (space: string) => Promise<unknown>;
  log: Log;
  /** Real time between looks. Default 10 minutes. */
  checkEveryMs?: number;
  /** Real time before the first look, so a starting server settles first. Default 1 minute. */
  firstCheckAfterMs?: number;
}

export interface RetentionScheduler {
  /** No run starts after this; resolves once the run in progress (if any) has finished. */
  stop(): Promise<void>;
}

export function startRetentionScheduler(deps: RetentionSchedulerDeps): RetentionScheduler {
  const { listSpaces, runIfDue, log } = deps;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;

  async function look(): Promise<void> {
    for (const { id } of await listSpaces()) {
      if (stopped) return;
      try {
        await runIfDue(id);
      } catch (e) {
        // One space's failure must not keep the others' data past its time.
        log('error', `retention: the run of space ${id} failed`, e);
      }
    }
  }

  function schedule(ms: number): void {
    timer = setTimeout(() => {
      running = look()
        .catch((e) => log('error', 'retention: could not list the spaces', e))
        .finally(() => {
          running = undefined;
          if (!stopped) schedule(deps.checkEveryMs ?? 10 * 60_000);
        });
    }, ms);
    timer.unref();
  }

  schedule(deps.firstCheckAfterMs ?? 60_000);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
