import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import type { RunRecord } from '../connector-records.js';
import { startConnectorHarness, type ConnectorHarness } from '../testing/connector-harness.js';
import { jsonBody } from '../../testing/json-body.js';

/** Polls (real time) until `check` holds, for what a timer does in the background. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the connector schedule of a serving Foyer', () => {
  let h: ConnectorHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs an installed connector at its slot in the window, as the schedule, and not again that day', async () => {
    // 2026-03-10 04:00 in Paris: before the test connector's 06:30-09:00 window.
    const clock = manualClock(Date.UTC(2026, 2, 10, 3, 0));
    h = await startConnectorHarness({ overrides: { clock } });
    await h.install('test-login');
    const scheduler = h.f.foyer.startConnectorSchedule({ checkEveryMs: 20, firstCheckAfterMs: 0 });
    const runs = async () =>
      (await jsonBody(await h!.f.request('/api/connectors/test-login/runs'))).runs as RunRecord[];

    const [plan] = await eventually(async () => (scheduler.planned().length > 0 ? scheduler.planned() : undefined));
    expect(plan).toMatchObject({ space: 'default', connectorId: 'test-login', running: false });
    const at = plan!.next.at!;
    // Inside the window, in Paris time (UTC+1 in March before the change).
    expect(at).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 10, 5, 30));
    expect(at).toBeLessThan(Date.UTC(2026, 2, 10, 8, 0));
    await new Promise((r) => setTimeout(r, 200));
    expect(await runs()).toEqual([]);

    clock.set(at + 1000);
    const [run] = await eventually(async () => {
      const found = await runs();
      return found.length > 0 && found[0]!.outcome !== undefined ? found : undefined;
    });
    expect(run).toMatchObject({ trigger: 'schedule', outcome: 'succeeded' });
    expect(await h.documents('bill')).toHaveLength(3);

    // The next plan is the next day's slot, not another run now.
    clock.set(at + 60 * 60_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(await runs()).toHaveLength(1);
    const next = scheduler.planned()[0]!;
    expect(next.next.at).toBeGreaterThan(Date.UTC(2026, 2, 11, 5, 0));
  });
});
