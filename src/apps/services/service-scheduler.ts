/**
 * Runs installed apps' services when they are due: a cron schedule's next minute has come since
 * the last run (or the install), the time a service asked for (`foyer.schedule`) has come, or
 * documents of a watched doctype changed (the space's changes feed moved past what was seen).
 * One pass over every space at each tick; a service runs once per pass at most, one at a time.
 */
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import type { DocumentStore } from '../../storage/document-store.js';
import type { AppsService } from '../app-service.js';
import { nextCronTime } from './cron.js';
import type { ServiceRunner, ServiceTrigger } from './service-runner.js';

export interface ServiceSchedulerDeps {
  listSpaces: () => Promise<readonly { id: string }[]>;
  store: DocumentStore;
  clock: Clock;
  apps: AppsService;
  runner: ServiceRunner;
  log: Log;
  /** Between passes (default a minute). */
  tickMs?: number;
}

const CHANGES_PAGE = 1000;

export function createServiceScheduler(deps: ServiceSchedulerDeps) {
  const { store, clock, apps, runner, log } = deps;

  /** The latest changes-feed position of a doctype after `since`, or `since` when nothing moved. */
  async function latestSeq(space: string, doctype: string, since: number): Promise<number> {
    let seq = since;
    for (;;) {
      const rows = await store.changes(space, doctype, seq, CHANGES_PAGE);
      if (rows.length === 0) return seq;
      seq = rows[rows.length - 1]!.seq;
      if (rows.length < CHANGES_PAGE) return seq;
    }
  }

  /** What makes a service due now, if anything. */
  async function due(
    space: string,
    app: string,
    installedAt: string,
    service: { name: string; triggers: readonly ServiceTrigger[] },
  ) {
    const state = await runner.state(space, app, service.name);
    const now = clock.now();
    if (state?.nextAt && Date.parse(state.nextAt) <= now)
      return { trigger: { kind: 'at' } as ServiceTrigger, seen: null };
    const since = Date.parse(state?.lastRun?.at ?? installedAt);
    for (const t of service.triggers) {
      if (t.kind !== 'schedule') continue;
      const next = nextCronTime(t.cron, since);
      if (next !== null && next <= now) return { trigger: t, seen: null };
    }
    const seen: Record<string, number> = { ...(state?.seen ?? {}) };
    let changed: ServiceTrigger | null = null;
    for (const t of service.triggers) {
      if (t.kind !== 'change') continue;
      const before = seen[t.doctype] ?? 0;
      const latest = await latestSeq(space, t.doctype, before);
      if (latest > before) {
        seen[t.doctype] = latest;
        changed ??= t;
      }
    }
    return changed ? { trigger: changed, seen } : null;
  }

  async function pass(): Promise<number> {
    let runs = 0;
    for (const { id: space } of await deps.listSpaces()) {
      for (const inst of await apps.installations(space)) {
        for (const service of inst.services) {
          try {
            const found = await due(space, inst.app, inst.installedAt, service);
            if (!found) continue;
            if (found.seen) {
              const seen = found.seen;
              // Recorded before the run: what the run itself writes is not a change it must react to.
              await runner.saveState(space, inst.app, service.name, (s) => ({ ...s, seen }));
            }
            const run = await runner.run(space, inst.app, service.name, found.trigger);
            runs++;
            if (!run.ok) log('warn', `App service ${inst.app}/${service.name} failed: ${run.error ?? ''}`);
          } catch (e) {
            log('warn', `App service ${inst.app}/${service.name} could not run.`, e);
          }
        }
      }
    }
    return runs;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return {
    /** One pass now; answers how many services ran. */
    pass: () => {
      const p = running.then(pass);
      running = p.catch(() => undefined);
      return p;
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => {
        running = running.then(pass).catch((e: unknown) => log('error', 'App services pass failed.', e));
      }, deps.tickMs ?? 60_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type ServiceScheduler = ReturnType<typeof createServiceScheduler>;
