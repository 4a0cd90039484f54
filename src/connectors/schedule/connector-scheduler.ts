/**
 * Runs the installed connectors of every space when their plan says (see `plan-next-run.ts`).
 * A plain timer looks every few seconds which runs are due by the Clock and starts them, at most
 * `concurrency` at once, never two of the same (space, connector): in this process a connector
 * in flight is not started again, and across processes each run first takes the connector's
 * lease (`connector-leases.ts`).
 *
 * Connectors sharing a schedule and a time zone are spread evenly over their window (stratified
 * jitter, `spread-phases.ts`), recomputed at each plan of everything.
 *
 * Nothing of the plan is stored: it is recomputed from the run history (`facts`), so a restart
 * finds the same slots. Plans are kept in memory, made at the first look, again for everything
 * every `refreshEveryMs` (what changed since: runs made by other processes, new or removed
 * connectors), and at once for one connector when `changed` is called (the person acted). Just
 * before a run, the facts are read again under the lease: if a run ended meanwhile (another
 * process, or a run made by hand), the plan is redone and the run may not be due any more.
 *
 * The timer never keeps the process alive; stopping waits for the runs in flight.
 */
import { isFoyerError } from '../../core/errors.js';
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import type { ConnectorLeases } from './connector-leases.js';
import { backoffDelay, planNextRun, type NextRun } from './plan-next-run.js';
import type { InstalledConnector, RunOutcome, ScheduleFacts } from './schedule-facts.js';
import { phaseKey, spreadPhases } from './spread-phases.js';

export interface ConnectorSchedulerDeps {
  clock: Clock;
  /** The installed connectors of every space, or of one. */
  listInstalled: (space?: string) => Promise<readonly InstalledConnector[]>;
  /** The run history's facts about one connector (recent outcomes, newest first; whether it waits for the person). */
  facts: (space: string, connectorId: string) => Promise<ScheduleFacts>;
  /** The runtime's run: it records its outcome in the run history, which `facts` then reads. */
  run: (space: string, connectorId: string) => Promise<unknown>;
  leases: ConnectorLeases;
  log: Log;
  /** Runs at once in this process. Default 2 (a small box). */
  concurrency?: number;
  /**
   * How long a run's lease lasts, by the Clock: longer than any run (the manifests' time limit is
   * at most an hour, plus up to 10 minutes waiting for a second factor). Default 75 minutes.
   */
  leaseMs?: number;
  /** Clock time between two plans of everything. Default 1 hour. */
  refreshEveryMs?: number;
  /** Real time between looks. Default 15 seconds. */
  checkEveryMs?: number;
  /** Real time before the first look, so a starting server settles first. Default 1 minute. */
  firstCheckAfterMs?: number;
}

export interface PlannedRun {
  space: string;
  connectorId: string;
  next: NextRun;
  running: boolean;
}

export interface ConnectorScheduler {
  /** Plans one connector again now (the person acted on it, it was installed or removed) and starts it if due. */
  changed(space: string, connectorId: string): Promise<void>;
  /** The current plans (status pages, tests). */
  planned(): PlannedRun[];
  /** No run starts after this; resolves once the runs in flight have finished. */
  stop(): Promise<void>;
}

/** When the runtime refuses a run because one is in progress, the wait before trying again. */
export const RUNNING_ELSEWHERE_RECHECK_MS = 5 * 60_000;

interface Entry {
  c: InstalledConnector;
  next: NextRun;
  /** What the plan was made from: the newest outcome, whether it waited for the person, their last action. */
  basis: string;
  /** Runs that ended without the runtime recording an outcome (its own failure), counted as failures. */
  unrecorded: number;
  running: boolean;
  removed: boolean;
}

const basisOf = (f: ScheduleFacts) => JSON.stringify([f.recent[0] ?? null, f.attention, f.actedAt ?? null]);
const sameInstall = (a: InstalledConnector, b: InstalledConnector) =>
  a.timeZone === b.timeZone && JSON.stringify(a.schedule) === JSON.stringify(b.schedule);

export function startConnectorScheduler(deps: ConnectorSchedulerDeps): ConnectorScheduler {
  const { clock, log, leases } = deps;
  const concurrency = deps.concurrency ?? 2;
  const leaseMs = deps.leaseMs ?? 75 * 60_000;
  const refreshEveryMs = deps.refreshEveryMs ?? 3_600_000;
  const entries = new Map<string, Entry>();
  const inFlight = new Set<Promise<void>>();
  let lastRefresh = Number.NEGATIVE_INFINITY;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let looking: Promise<void> | undefined;

  /** (Re)plans from facts; `unrecorded` failures the history does not show count as internal errors. */
  function plan(e: Entry, facts: ScheduleFacts, now: number): void {
    const basis = basisOf(facts);
    if (basis !== e.basis) e.unrecorded = 0;
    e.basis = basis;
    const missing: RunOutcome[] = Array.from({ length: e.unrecorded }, () => ({
      outcome: 'internal',
      endedAt: new Date(now).toISOString(),
    }));
    e.next = planNextRun(e.c, missing.length ? { ...facts, recent: [...missing, ...facts.recent] } : facts, now);
  }

  async function planOne(c: InstalledConnector, now: number): Promise<void> {
    const key = phaseKey(c);
    const facts = await deps.facts(c.space, c.connectorId);
    let e = entries.get(key);
    // Running: planned again when its run ends. Nothing changed: the plan stands (a new phase applies from the next one).
    if (e && (e.running || (sameInstall(e.c, c) && e.basis === basisOf(facts)))) {
      e.c = c;
      return;
    }
    e = { c, next: { at: null, reason: 'attention' }, basis: '', unrecorded: 0, running: false, removed: false };
    plan(e, facts, now);
    entries.set(key, e);
  }

  async function refresh(now: number): Promise<void> {
    const installed = await deps.listInstalled();
    const phases = spreadPhases(installed);
    const keep = new Set(installed.map((c) => phaseKey(c)));
    for (const [key, e] of entries) {
      if (keep.has(key)) continue;
      if (e.running) e.removed = true;
      else entries.delete(key);
    }
    for (const c of installed) {
      if (stopped) return;
      try {
        await planOne({ ...c, phase: phases.get(phaseKey(c)) }, now);
      } catch (e) {
        // One connector's unreadable history must not keep the others from running.
        log('error', `connectors: cannot plan ${c.connectorId} of space ${c.space}`, e);
      }
    }
    lastRefresh = now;
  }

  async function runOne(e: Entry): Promise<void> {
    const { space, connectorId } = e.c;
    const took = await leases.take(space, connectorId, leaseMs);
    if (!took.taken) {
      // Another process runs it: look again when its lease ends (the history will say how it went).
      if (e.next.at !== null) e.next = { ...e.next, at: Math.max(took.until, e.next.at) };
      return;
    }
    try {
      const before = await deps.facts(space, connectorId);
      if (basisOf(before) !== e.basis) {
        plan(e, before, clock.now());
        if (e.next.at === null || e.next.at > clock.now()) return;
      }
      log('debug', `connectors: scheduled run of ${connectorId} in space ${space} (${e.next.reason})`);
      try {
        await deps.run(space, connectorId);
      } catch (err) {
        if (isFoyerError(err) && err.code === 'conflict') {
          // The runtime says a run is in progress (the person's, started by hand): look again later.
          if (e.next.at !== null) e.next = { ...e.next, at: clock.now() + RUNNING_ELSEWHERE_RECHECK_MS };
          return;
        }
        log('error', `connectors: the run of ${connectorId} in space ${space} failed outside its history`, err);
      }
      const after = await deps.facts(space, connectorId);
      if (basisOf(after) === e.basis) e.unrecorded++;
      plan(e, after, clock.now());
    } finally {
      await leases.release(took.lease);
    }
  }

  function launch(e: Entry): void {
    e.running = true;
    const p: Promise<void> = runOne(e)
      .catch((err) => {
        // The store failed (lease or history): try again after a back-off rather than at once.
        e.unrecorded++;
        e.next = { at: clock.now() + backoffDelay(e.c, e.unrecorded), reason: 'retry' };
        log('error', `connectors: could not schedule ${e.c.connectorId} of space ${e.c.space}`, err);
      })
      .finally(() => {
        e.running = false;
        inFlight.delete(p);
        if (e.removed) entries.delete(phaseKey(e.c));
        startDue();
      });
    inFlight.add(p);
  }

  /** Starts the due runs, earliest first, while there is room. */
  function startDue(): void {
    if (stopped || inFlight.size >= concurrency) return;
    const now = clock.now();
    const due: Entry[] = [];
    for (const e of entries.values()) if (!e.running && e.next.at !== null && e.next.at <= now) due.push(e);
    due.sort((a, b) => a.next.at! - b.next.at!);
    for (const e of due) {
      if (inFlight.size >= concurrency) break;
      launch(e);
    }
  }

  async function look(): Promise<void> {
    const now = clock.now();
    if (now - lastRefresh >= refreshEveryMs) await refresh(now);
    startDue();
  }

  function schedule(ms: number): void {
    timer = setTimeout(() => {
      looking = look()
        .catch((e) => log('error', 'connectors: could not list the installed connectors', e))
        .finally(() => {
          looking = undefined;
          if (!stopped) schedule(deps.checkEveryMs ?? 15_000);
        });
    }, ms);
    timer.unref();
  }

  schedule(deps.firstCheckAfterMs ?? 60_000);
  return {
    async changed(space, connectorId) {
      const found = (await deps.listInstalled(space)).find((x) => x.connectorId === connectorId);
      const key = phaseKey({ space, connectorId });
      const e = entries.get(key);
      // Its stratified phase comes with the next plan of everything; until then, the one it had (or its hash).
      const c = found && { ...found, phase: e?.c.phase };
      if (!c) {
        if (e?.running) e.removed = true;
        else entries.delete(key);
        return;
      }
      if (e && !e.running) e.basis = ''; // plan again even if the facts look the same
      await planOne(c, clock.now());
      startDue();
    },
    planned() {
      return [...entries.values()].map((e) => ({
        space: e.c.space,
        connectorId: e.c.connectorId,
        next: e.next,
        running: e.running,
      }));
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await looking;
      await Promise.all(inFlight);
    },
  };
}
