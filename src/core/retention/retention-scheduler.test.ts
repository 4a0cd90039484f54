import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { DEFAULT_SPACE } from '../spaces/space-service.js';
import { startRetentionScheduler } from './retention-scheduler.js';

const NOW = Date.parse('2026-06-15T10:00:00.000Z');
const HOUR = 3_600_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (in real time) until `check` holds; fails after 5 s. */
async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the scheduler');
    await sleep(2);
  }
}

function capturedLog(): { log: Log; errors: string[] } {
  const errors: string[] = [];
  return { log: (level, message) => void (level === 'error' && errors.push(message)), errors };
}

describe('the retention scheduler', () => {
  let f: TestFoyer | undefined;
  afterEach(async () => {
    await f?.close();
    f = undefined;
  });

  it('runs each space once per day by the clock, however often it looks, and stops', async () => {
    const clock = manualClock(NOW);
    f = await startTestFoyer({ overrides: { clock } });
    const foyer = f.foyer;
    let looks = 0;
    const runs: string[] = [];
    const scheduler = startRetentionScheduler({
      listSpaces: async () => {
        looks++;
        return foyer.spaces.list();
      },
      runIfDue: async (space) => {
        const report = await foyer.retention.runIfDue(space);
        if (report) runs.push(report.startedAt);
      },
      log: capturedLog().log,
      checkEveryMs: 3,
      firstCheckAfterMs: 0,
    });
    await until(() => looks >= 4);
    expect(runs).toEqual([new Date(NOW).toISOString()]);

    clock.advance(23 * HOUR + 59 * 60_000);
    let seen = looks;
    await until(() => looks >= seen + 4);
    expect(runs).toHaveLength(1);

    clock.advance(60_000);
    await until(() => runs.length === 2);
    expect(runs[1]).toBe(new Date(NOW + 24 * HOUR).toISOString());
    seen = looks;
    await until(() => looks >= seen + 4);
    expect(runs).toHaveLength(2);

    await scheduler.stop();
    seen = looks;
    await sleep(30);
    expect(looks).toBe(seen);
    expect((await foyer.retention.lastRun(DEFAULT_SPACE))?.startedAt).toBe(runs[1]);
  });

  it('waits for the run in progress when stopped, and starts no other space', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const started: string[] = [];
    const scheduler = startRetentionScheduler({
      listSpaces: async () => [{ id: 'a' }, { id: 'b' }],
      runIfDue: async (space) => {
        started.push(space);
        await blocked;
      },
      log: capturedLog().log,
      checkEveryMs: 1,
      firstCheckAfterMs: 0,
    });
    await until(() => started.length === 1);
    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await sleep(20);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await sleep(10);
    expect(started).toEqual(['a']);
  });

  it('logs a space whose run fails and still runs the others', async () => {
    const { log, errors } = capturedLog();
    const ran: string[] = [];
    const scheduler = startRetentionScheduler({
      listSpaces: async () => [{ id: 'broken' }, { id: 'fine' }],
      runIfDue: async (space) => {
        if (space === 'broken') throw new Error('disk full');
        ran.push(space);
      },
      log,
      checkEveryMs: 1_000,
      firstCheckAfterMs: 0,
    });
    await until(() => ran.length === 1);
    await scheduler.stop();
    expect(ran).toEqual(['fine']);
    expect(errors).toEqual(['retention: the run of space broken failed']);
  });

  it('is started by the Foyer on demand, and close() stops it before the stores close', async () => {
    const clock = manualClock(NOW);
    const { log, errors } = capturedLog();
    f = await startTestFoyer({ overrides: { clock, log } });
    const foyer = f.foyer;
    expect(await foyer.retention.lastRun(DEFAULT_SPACE)).toBeNull();
    foyer.startRetentionSchedule({ checkEveryMs: 2, firstCheckAfterMs: 0 });
    await until(async () => (await foyer.retention.lastRun(DEFAULT_SPACE)) !== null);
    await f.close();
    f = undefined;
    // A look after close would fail on the closed store, and log it.
    await sleep(30);
    expect(errors).toEqual([]);
  });
});
