import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FoyerError } from '../../core/errors.js';
import { manualClock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { createSqliteDocumentStore } from '../../storage/sqlite/sqlite-document-store.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import { createConnectorLeases } from './connector-leases.js';
import {
  RUNNING_ELSEWHERE_RECHECK_MS,
  startConnectorScheduler,
  type ConnectorScheduler,
  type ConnectorSchedulerDeps,
} from './connector-scheduler.js';
import { slotAtOrAfter } from './plan-next-run.js';
import type { InstalledConnector, RunOutcome, ScheduleFacts } from './schedule-facts.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T = Date.parse('2026-06-15T10:00:00.000Z');
const SPACE = 'alice';
const HOURLY: ConnectorSchedule = { frequency: 'hourly' };
const SIX = ['bank', 'telecom', 'insurer', 'water', 'gas', 'retailer'];
const iso = (ms: number) => new Date(ms).toISOString();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (in real time) until `check` holds; fails after 5 s. */
async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the scheduler');
    await sleep(2);
  }
}

/**
 * A stand-in for the connector runtime: installed connectors, a run history per connector (newest
 * first) and a `run` that records the outcome `outcomeOf` decides, once `gate` (if any) opens.
 */
function fakeRuntime(clock: { now(): number }, installed: InstalledConnector[]) {
  const history = new Map<string, RunOutcome[]>();
  /** Installations waiting for the person (the runtime sets it after a login failure and the like). */
  const attention = new Set<string>();
  const acted = new Map<string, string>();
  const runs: { connectorId: string; at: number }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const rt = {
    installed,
    runs,
    get maxInFlight() {
      return maxInFlight;
    },
    gate: null as Promise<void> | null,
    /** Runs wait until the function returned is called. */
    hold(): () => void {
      let open!: () => void;
      rt.gate = new Promise((resolve) => (open = resolve));
      return open;
    },
    outcomeOf: (_connectorId: string): Omit<RunOutcome, 'endedAt'> | Error => ({ outcome: 'ok' }),
    record(connectorId: string, outcome: RunOutcome) {
      history.set(connectorId, [outcome, ...(history.get(connectorId) ?? [])]);
    },
    /** The person acted (a new credential): the runtime clears the attention. */
    act(connectorId: string) {
      attention.delete(connectorId);
      acted.set(connectorId, iso(clock.now()));
    },
    deps: {
      listInstalled: async (space?: string) => installed.filter((c) => space === undefined || c.space === space),
      facts: async (_space: string, connectorId: string): Promise<ScheduleFacts> => ({
        recent: history.get(connectorId) ?? [],
        attention: attention.has(connectorId),
        actedAt: acted.get(connectorId) ?? null,
      }),
      run: async (_space: string, connectorId: string) => {
        runs.push({ connectorId, at: clock.now() });
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        try {
          if (rt.gate) await rt.gate;
          const outcome = rt.outcomeOf(connectorId);
          if (outcome instanceof Error) throw outcome;
          rt.record(connectorId, { ...outcome, endedAt: iso(clock.now()) });
          if (outcome.outcome === 'login_failed') attention.add(connectorId);
        } finally {
          inFlight--;
        }
      },
    },
  };
  return rt;
}

const connector = (connectorId: string, schedule: ConnectorSchedule = HOURLY): InstalledConnector => ({
  space: SPACE,
  connectorId,
  schedule,
  timeZone: 'Europe/Paris',
});

function capturedLog(): { log: Log; errors: string[] } {
  const errors: string[] = [];
  return { log: (level, message) => void (level === 'error' && errors.push(message)), errors };
}

describe('the connector scheduler', () => {
  let dir: string;
  let store: DocumentStore;
  const started: ConnectorScheduler[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'foyer-scheduler-'));
    store = createSqliteDocumentStore({ dataDir: dir });
    await store.createSpace({ id: SPACE, hosts: [], timeZone: 'Europe/Paris', createdAt: new Date(T).toISOString() });
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.stop()));
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  function start(
    clock: ReturnType<typeof manualClock>,
    rt: ReturnType<typeof fakeRuntime>,
    options: Partial<ConnectorSchedulerDeps> & { holder?: string } = {},
  ): ConnectorScheduler {
    const scheduler = startConnectorScheduler({
      clock,
      leases: createConnectorLeases({ store, clock, holder: options.holder ?? 'process-a' }),
      log: capturedLog().log,
      checkEveryMs: 2,
      firstCheckAfterMs: 0,
      ...rt.deps,
      ...options,
    });
    started.push(scheduler);
    return scheduler;
  }

  /** Lets the scheduler look a few times at the current clock. */
  const settle = () => sleep(40);

  it('runs a connector at its slot by the clock, not before, once, and plans the next slot', async () => {
    const clock = manualClock(T);
    const bank = connector('bank');
    const rt = fakeRuntime(clock, [bank]);
    const scheduler = start(clock, rt);
    const slot = slotAtOrAfter(bank, T);
    await until(() => scheduler.planned().length === 1);
    expect(scheduler.planned()[0]!.next).toEqual({ at: slot, reason: 'schedule' });

    clock.set(slot - 1);
    await settle();
    expect(rt.runs).toEqual([]);
    clock.set(slot);
    await until(() => rt.runs.length === 1);
    await settle();
    expect(rt.runs).toEqual([{ connectorId: 'bank', at: slot }]);
    expect(scheduler.planned()[0]!.next).toEqual({ at: slot + HOUR, reason: 'schedule' });
  });

  it('runs at most `concurrency` connectors at once, and all of them in the end', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(
      clock,
      SIX.map((id) => connector(id)),
    );
    const open = rt.hold();
    const scheduler = start(clock, rt, { concurrency: 2 });
    await until(() => scheduler.planned().length === 6);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 2);
    await settle();
    expect(rt.runs).toHaveLength(2);
    open();
    await until(() => rt.runs.length === 6);
    expect(rt.maxInFlight).toBe(2);
    expect(new Set(rt.runs.map((r) => r.connectorId))).toEqual(new Set(SIX));
  });

  it('spreads connectors sharing a schedule evenly over their period, one per stratum', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(
      clock,
      SIX.map((id) => connector(id)),
    );
    const scheduler = start(clock, rt);
    await until(() => scheduler.planned().length === 6);
    const minutes = scheduler.planned().map((p) => Math.floor(((p.next.at! - T) % HOUR) / (10 * MINUTE)));
    expect(new Set(minutes).size).toBe(6);
    for (const p of scheduler.planned()) expect(p.next.at! - T).toBeLessThan(HOUR);
  });

  it('never starts a connector again while its run is in flight, though it is due again', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank')]);
    const open = rt.hold();
    const scheduler = start(clock, rt, { concurrency: 4 });
    await until(() => scheduler.planned().length === 1);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 1);
    clock.advance(3 * HOUR);
    await settle();
    expect(rt.runs).toHaveLength(1);
    expect(scheduler.planned()[0]!.running).toBe(true);
    open();
    await until(() => !scheduler.planned()[0]!.running);
    expect(rt.runs).toHaveLength(1);
  });

  it('runs each due connector once when two processes schedule the same spaces', async () => {
    const clock = manualClock(T);
    const ids = ['bank', 'telecom', 'insurer', 'water'];
    const rt = fakeRuntime(
      clock,
      ids.map((id) => connector(id)),
    );
    const open = rt.hold();
    const a = start(clock, rt, { holder: 'process-a', concurrency: 4 });
    const b = start(clock, rt, { holder: 'process-b', concurrency: 4 });
    await until(() => a.planned().length === 4 && b.planned().length === 4);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 4);
    await settle();
    open();
    await settle();
    expect(rt.runs.map((r) => r.connectorId).sort()).toEqual([...ids].sort());
    expect(rt.maxInFlight).toBe(4);
  });

  it('takes over the lease of a process that died, once it lapses', async () => {
    const clock = manualClock(T);
    const bank = connector('bank');
    const rt = fakeRuntime(clock, [bank]);
    const slot = slotAtOrAfter(bank, T);
    clock.set(slot);
    // A process took the lease at the slot and died without giving it back.
    const dead = createConnectorLeases({ store, clock, holder: 'dead-process' });
    expect((await dead.take(SPACE, 'bank', 30 * MINUTE)).taken).toBe(true);
    rt.record('bank', { outcome: 'ok', endedAt: iso(slot - HOUR) });
    const scheduler = start(clock, rt, { leaseMs: 30 * MINUTE });
    await until(() => scheduler.planned()[0]?.next.at === slot + 30 * MINUTE);
    expect(rt.runs).toEqual([]);
    clock.set(slot + 30 * MINUTE - 1);
    await settle();
    expect(rt.runs).toEqual([]);
    clock.set(slot + 30 * MINUTE);
    await until(() => rt.runs.length === 1);
  });

  it('after a login failure runs nothing until the person acts, then runs at once', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank')]);
    rt.outcomeOf = () => ({ outcome: 'login_failed' });
    const scheduler = start(clock, rt);
    await until(() => scheduler.planned().length === 1);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 1);
    await until(() => scheduler.planned()[0]!.next.at === null);
    expect(scheduler.planned()[0]!.next.reason).toBe('attention');
    for (let day = 0; day < 3; day++) {
      clock.advance(DAY);
      await settle();
    }
    expect(rt.runs).toHaveLength(1);

    rt.outcomeOf = () => ({ outcome: 'ok' });
    rt.act('bank'); // a new credential
    await scheduler.changed(SPACE, 'bank');
    await until(() => rt.runs.length === 2);
    expect(rt.runs[1]!.at).toBe(clock.now());
    await until(() => scheduler.planned()[0]!.next.reason === 'schedule');
  });

  it("waits for the holder's Retry-After", async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank')]);
    rt.outcomeOf = () => ({ outcome: 'quota', retryAfter: iso(clock.now() + 3 * HOUR) });
    const scheduler = start(clock, rt);
    await until(() => scheduler.planned().length === 1);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 1);
    const first = rt.runs[0]!.at;
    rt.outcomeOf = () => ({ outcome: 'ok' });
    clock.set(first + 3 * HOUR - 1);
    await settle();
    expect(rt.runs).toHaveLength(1);
    clock.set(first + 3 * HOUR);
    await until(() => rt.runs.length === 2);
  });

  it('backs off after failures, and a runtime that throws is logged and backed off, not rerun at once', async () => {
    const clock = manualClock(T);
    const weekly = connector('bank', { frequency: 'weekly' });
    const rt = fakeRuntime(clock, [weekly]);
    const { log, errors } = capturedLog();
    rt.outcomeOf = () => ({ outcome: 'holder_unavailable' });
    const scheduler = start(clock, rt, { log });
    await until(() => scheduler.planned().length === 1);
    clock.set(slotAtOrAfter(weekly, T));
    await until(() => rt.runs.length === 1);
    await until(() => scheduler.planned()[0]!.next.reason === 'retry');
    const firstRetry = scheduler.planned()[0]!.next.at! - rt.runs[0]!.at;
    expect(firstRetry).toBeGreaterThanOrEqual(2.5 * MINUTE);
    expect(firstRetry).toBeLessThanOrEqual(5 * MINUTE);

    rt.outcomeOf = () => new Error('worker crashed');
    clock.advance(firstRetry);
    await until(() => rt.runs.length === 2);
    await until(() => !scheduler.planned()[0]!.running);
    const secondRetry = scheduler.planned()[0]!.next.at! - rt.runs[1]!.at;
    expect(secondRetry).toBeGreaterThanOrEqual(5 * MINUTE);
    expect(secondRetry).toBeLessThanOrEqual(10 * MINUTE);
    await settle();
    expect(rt.runs).toHaveLength(2);
    expect(errors).toEqual(['connectors: the run of bank in space alice failed outside its history']);
  });

  it('tries again 5 minutes later when the runtime says a run is in progress (started by hand)', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank')]);
    const { log, errors } = capturedLog();
    rt.outcomeOf = () => new FoyerError('conflict', 'Bank is already running.');
    const scheduler = start(clock, rt, { log });
    await until(() => scheduler.planned().length === 1);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 1);
    await until(() => scheduler.planned()[0]!.next.at === clock.now() + RUNNING_ELSEWHERE_RECHECK_MS);
    rt.outcomeOf = () => ({ outcome: 'ok' });
    clock.advance(RUNNING_ELSEWHERE_RECHECK_MS);
    await until(() => rt.runs.length === 2);
    expect(errors).toEqual([]);
  });

  it('skips a due run when a run ended meanwhile (by hand, or by another process)', async () => {
    const clock = manualClock(T);
    const bank = connector('bank');
    const rt = fakeRuntime(clock, [bank]);
    const scheduler = start(clock, rt);
    await until(() => scheduler.planned().length === 1);
    const slot = slotAtOrAfter(bank, T);
    rt.record('bank', { outcome: 'ok', endedAt: iso(slot - MINUTE) });
    clock.set(slot);
    await until(() => scheduler.planned()[0]!.next.at === slot + HOUR);
    expect(rt.runs).toEqual([]);
  });

  it('finds the same plan after a restart, and does not run again what just ran', async () => {
    const clock = manualClock(T);
    const bank = connector('bank', { frequency: 'daily', window: { start: '02:00', end: '06:00' } });
    const rt = fakeRuntime(clock, [bank]);
    const first = start(clock, rt);
    await until(() => first.planned().length === 1);
    clock.set(first.planned()[0]!.next.at!);
    await until(() => rt.runs.length === 1);
    await until(() => first.planned()[0]!.next.at! > clock.now());
    const plan = first.planned()[0]!.next;
    await first.stop();

    clock.advance(5 * MINUTE);
    const second = start(clock, rt);
    await until(() => second.planned().length === 1);
    expect(second.planned()[0]!.next).toEqual(plan);
    await settle();
    expect(rt.runs).toHaveLength(1);
  });

  it('plans connectors installed later when told, and forgets removed ones', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank')]);
    const scheduler = start(clock, rt);
    await until(() => scheduler.planned().length === 1);
    rt.installed.push(connector('water'));
    await scheduler.changed(SPACE, 'water');
    expect(scheduler.planned().map((p) => p.connectorId)).toEqual(['bank', 'water']);
    rt.installed.splice(0, 1);
    await scheduler.changed(SPACE, 'bank');
    expect(scheduler.planned().map((p) => p.connectorId)).toEqual(['water']);
  });

  it('waits for the runs in flight when stopped, and starts no other', async () => {
    const clock = manualClock(T);
    const rt = fakeRuntime(clock, [connector('bank'), connector('water')]);
    const open = rt.hold();
    const scheduler = start(clock, rt, { concurrency: 1 });
    await until(() => scheduler.planned().length === 2);
    clock.advance(HOUR);
    await until(() => rt.runs.length === 1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    open();
    await stopping;
    await settle();
    expect(rt.runs).toHaveLength(1);
  });
});
