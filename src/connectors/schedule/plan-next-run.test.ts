import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { utcOffset } from '../../core/time/time-zone.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import {
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  CATCH_UP_SPREAD_MS,
  planNextRun,
  RETRY_AFTER_MAX_MS,
  SECOND_FACTOR_DEFAULT_MS,
  slotAtOrAfter,
} from './plan-next-run.js';
import type { InstalledConnector, RunErrorCode, RunOutcome } from './schedule-facts.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T = Date.parse('2026-06-15T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const NIGHT: ConnectorSchedule = { kind: 'daily', window: { from: '02:00', to: '06:00' } };
const WEEKLY: ConnectorSchedule = { kind: 'every', hours: 168 };

function connector(
  schedule: ConnectorSchedule = NIGHT,
  space = 'alice',
  connectorId = 'bank',
  timeZone = 'Europe/Paris',
): InstalledConnector {
  return { space, connectorId, schedule, timeZone };
}

/** Minutes since local midnight of an instant. */
const localMinute = (t: number, tz: string) => ((((t + utcOffset(t, tz)) % DAY) + DAY) % DAY) / MINUTE;

const failures = (code: RunErrorCode, n: number, lastEnded: number): RunOutcome[] =>
  Array.from({ length: n }, (_, i) => ({ outcome: code, endedAt: iso(lastEnded - i * MINUTE) }));

describe('connector slots (jitter)', () => {
  it.each([
    ['Europe/Paris', '02:00', '06:00'],
    ['America/New_York', '07:00', '12:00'],
    ['Asia/Kolkata', '22:30', '04:00'],
    ['Pacific/Auckland', '00:00', '24:00'],
  ])('in %s, %s–%s: every slot is inside the window, the same on every call', (tz, from, to) => {
    const schedule: ConnectorSchedule = { kind: 'daily', window: { from, to } };
    const start = Number(from.slice(0, 2)) * 60 + Number(from.slice(3));
    const end = Number(to.slice(0, 2)) * 60 + Number(to.slice(3));
    const length = (end - start + 1440) % 1440 || 1440;
    for (let i = 0; i < 300; i++) {
      const c = connector(schedule, `space-${i}`, 'energy', tz);
      const slot = slotAtOrAfter(c, T);
      expect(slot).toBeGreaterThanOrEqual(T);
      expect(slot - T).toBeLessThan(DAY + HOUR);
      const intoWindow = (localMinute(slot, tz) - start + 1440) % 1440;
      expect(intoWindow).toBeLessThan(length);
      // Deterministic: again, from any moment before it, and on the following days at the same local time.
      expect(slotAtOrAfter({ ...c }, T)).toBe(slot);
      expect(slotAtOrAfter(c, slot - 3 * HOUR > T ? slot - 3 * HOUR : T)).toBe(slot);
      const tomorrow = slotAtOrAfter(c, slot + 1);
      expect(localMinute(tomorrow, tz)).toBe(localMinute(slot, tz));
    }
  });

  it('gives distinct connectors of one space, and one connector of distinct spaces, distinct slots', () => {
    const slots = new Set<number>();
    for (const space of ['alice', 'bob', 'carol'])
      for (const id of ['bank', 'telecom', 'insurer', 'water'])
        slots.add(slotAtOrAfter(connector(NIGHT, space, id), T));
    expect(slots.size).toBe(12);
  });

  it('spreads 10,000 connectors of one window evenly: every quarter hour within 20% of the mean', () => {
    const buckets = new Array<number>(16).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const slot = slotAtOrAfter(connector(NIGHT, `space-${i}`, 'bank'), T);
      buckets[Math.floor((localMinute(slot, 'Europe/Paris') - 120) / 15)]!++;
    }
    expect(buckets.reduce((a, b) => a + b)).toBe(10_000);
    for (const n of buckets) expect(Math.abs(n - 625)).toBeLessThan(125);
  });

  it('keeps the local time across the spring daylight-saving change (a 23-hour day)', () => {
    const c = connector({ kind: 'daily', window: { from: '03:00', to: '06:00' } });
    const before = slotAtOrAfter(c, Date.parse('2026-03-28T00:00:00Z'));
    const after = slotAtOrAfter(c, before + 1);
    expect(after - before).toBe(23 * HOUR);
    expect(localMinute(after, 'Europe/Paris')).toBe(localMinute(before, 'Europe/Paris'));
  });

  it('moves a slot that falls in the daylight-saving gap forward by the gap', () => {
    // 02:00–03:00 does not exist in Paris on 2026-03-29.
    const c = connector({ kind: 'daily', window: { from: '02:00', to: '03:00' } });
    const usual = slotAtOrAfter(c, Date.parse('2026-03-28T00:00:00Z'));
    const gapDay = slotAtOrAfter(c, usual + 1);
    expect(localMinute(gapDay, 'Europe/Paris')).toBe(localMinute(usual, 'Europe/Paris') + 60);
    expect(new Date(gapDay).toISOString().slice(0, 10)).toBe('2026-03-29');
  });

  it('runs an every-N-hours connector at one phase of its cycle', () => {
    const c = connector({ kind: 'every', hours: 6 });
    const first = slotAtOrAfter(c, T);
    expect(first - T).toBeLessThan(6 * HOUR);
    expect(slotAtOrAfter(c, first)).toBe(first);
    expect(slotAtOrAfter(c, first + 1)).toBe(first + 6 * HOUR);
  });
});

describe('planning the next run', () => {
  it('plans a connector that never ran at its first slot from now', () => {
    const c = connector();
    expect(planNextRun(c, { recent: [] }, T)).toEqual({ at: slotAtOrAfter(c, T), reason: 'schedule' });
  });

  it('after a success, runs at the next slot; a run by hand before the morning slot stands in for it', () => {
    const c = connector();
    const slot = slotAtOrAfter(c, T);
    const afterSlot = planNextRun(c, { recent: [{ outcome: 'ok', endedAt: iso(slot + MINUTE) }] }, slot + MINUTE);
    expect(afterSlot).toEqual({ at: slotAtOrAfter(c, slot + 2 * MINUTE), reason: 'schedule' });
    expect(afterSlot.at! - slot).toBeGreaterThan(22 * HOUR);

    const byHand = slot - 2 * HOUR;
    const next = planNextRun(c, { recent: [{ outcome: 'ok', endedAt: iso(byHand) }] }, byHand);
    expect(next.at).toBe(slotAtOrAfter(c, slot + 1));
  });

  it('backs off exponentially from 5 minutes to a 6-hour cap, jittered between half and all of the delay', () => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const delays: number[] = [];
    for (let k = 1; k <= 10; k++) {
      const next = planNextRun(c, { recent: failures('holder_unavailable', k, ended) }, ended);
      const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (k - 1));
      expect(next.reason).toBe('retry');
      expect(next.at! - ended).toBeGreaterThanOrEqual(full / 2);
      expect(next.at! - ended).toBeLessThanOrEqual(full);
      delays.push(next.at! - ended);
    }
    expect(BACKOFF_BASE_MS).toBe(5 * MINUTE);
    expect(BACKOFF_CAP_MS).toBe(6 * HOUR);
    // The same failures give the same delays (deterministic), another connector other ones.
    const again = planNextRun(c, { recent: failures('holder_unavailable', 3, ended) }, ended);
    expect(again.at! - ended).toBe(delays[2]);
    const other = planNextRun(connector(WEEKLY, 'bob'), { recent: failures('holder_unavailable', 3, ended) }, ended);
    expect(other.at! - ended).not.toBe(delays[2]);
  });

  it.each(['holder_format_changed', 'quota', 'internal', 'time_limit', 'memory_limit'] as const)(
    'backs off after %s too',
    (code) => {
      const c = connector(WEEKLY);
      const ended = slotAtOrAfter(c, T) + MINUTE;
      const next = planNextRun(c, { recent: failures(code, 4, ended) }, ended);
      expect(next.reason).toBe('retry');
      expect(next.at! - ended).toBeGreaterThanOrEqual(20 * MINUTE);
      expect(next.at! - ended).toBeLessThanOrEqual(40 * MINUTE);
    },
  );

  it('resets the back-off after a success', () => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const recent: RunOutcome[] = [
      { outcome: 'holder_unavailable', endedAt: iso(ended) },
      { outcome: 'ok', endedAt: iso(ended - HOUR) },
      ...failures('holder_unavailable', 6, ended - 2 * HOUR),
    ];
    const next = planNextRun(c, { recent }, ended);
    expect(next.at! - ended).toBeLessThanOrEqual(BACKOFF_BASE_MS);
  });

  it('retries at the regular slot when it comes before the back-off', () => {
    const c = connector({ kind: 'every', hours: 1 });
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const next = planNextRun(c, { recent: failures('holder_unavailable', 6, ended) }, ended);
    expect(next).toEqual({ at: slotAtOrAfter(c, ended + 15 * MINUTE), reason: 'schedule' });
  });

  it.each(['login_failed', 'user_action_needed'] as const)(
    'after %s, plans no run however long it waits, until the person acts',
    (code) => {
      const c = connector();
      const failed = T;
      const recent: RunOutcome[] = [{ outcome: code, endedAt: iso(failed) }];
      for (const later of [failed, failed + DAY, failed + 60 * DAY]) {
        expect(planNextRun(c, { recent }, later)).toEqual({ at: null, reason: code });
      }
      // An action from before the failure does not count.
      expect(planNextRun(c, { recent, actedAt: iso(failed - MINUTE) }, failed + DAY).at).toBeNull();
      // A new credential: a run at once.
      const acted = failed + 3 * DAY;
      expect(planNextRun(c, { recent, actedAt: iso(acted) }, acted)).toEqual({ at: acted, reason: 'person-acted' });
      // An explicit run that succeeded: back on the schedule.
      const explicit: RunOutcome = { outcome: 'ok', endedAt: iso(acted) };
      expect(planNextRun(c, { recent: [explicit, ...recent] }, acted).reason).toBe('schedule');
      // An explicit run that failed the same way: paused again.
      const again: RunOutcome = { outcome: code, endedAt: iso(acted + MINUTE) };
      expect(planNextRun(c, { recent: [again, ...recent], actedAt: iso(acted) }, acted + HOUR).at).toBeNull();
    },
  );

  it('pauses on a second factor until it is answered or its deadline passes', () => {
    const c = connector({ kind: 'every', hours: 1 });
    const asked = T;
    const deadline = asked + 10 * MINUTE;
    const recent: RunOutcome[] = [{ outcome: 'second_factor_needed', endedAt: iso(asked), deadline: iso(deadline) }];
    const waiting = planNextRun(c, { recent }, asked);
    expect(waiting).toEqual({ at: slotAtOrAfter(c, deadline), reason: 'second-factor-expired' });
    expect(waiting.at).toBeGreaterThanOrEqual(deadline);

    const answered = asked + 3 * MINUTE;
    expect(planNextRun(c, { recent, actedAt: iso(answered) }, answered)).toEqual({
      at: answered,
      reason: 'person-acted',
    });

    const noDeadline = planNextRun(c, { recent: [{ outcome: 'second_factor_needed', endedAt: iso(asked) }] }, asked);
    expect(noDeadline.at).toBe(slotAtOrAfter(c, asked + SECOND_FACTOR_DEFAULT_MS));
  });

  it('runs no earlier than the Retry-After a holder gave, after any outcome', () => {
    const c = connector({ kind: 'every', hours: 1 });
    const ended = T;
    const quota: RunOutcome = { outcome: 'quota', endedAt: iso(ended), retryAfter: iso(ended + 3 * HOUR) };
    expect(planNextRun(c, { recent: [quota] }, ended)).toEqual({ at: ended + 3 * HOUR, reason: 'retry-after' });

    const ok: RunOutcome = { outcome: 'ok', endedAt: iso(ended), retryAfter: iso(ended + 5 * HOUR) };
    expect(planNextRun(c, { recent: [ok] }, ended).at).toBe(ended + 5 * HOUR);

    // A Retry-After sooner than the back-off changes nothing.
    const soon: RunOutcome = { outcome: 'holder_unavailable', endedAt: iso(ended), retryAfter: iso(ended + 1000) };
    const withoutIt = planNextRun(c, { recent: [{ outcome: 'holder_unavailable', endedAt: iso(ended) }] }, ended);
    expect(planNextRun(c, { recent: [soon] }, ended)).toEqual(withoutIt);

    // At most a week ahead.
    const far: RunOutcome = { outcome: 'quota', endedAt: iso(ended), retryAfter: iso(ended + 90 * DAY) };
    expect(planNextRun(c, { recent: [far] }, ended).at).toBe(ended + RETRY_AFTER_MAX_MS);
  });

  it('moves a run missed by more than 5 minutes into the next hour, by the connector jitter', () => {
    const c = connector();
    const slot = slotAtOrAfter(c, T);
    const lastOk: RunOutcome = { outcome: 'ok', endedAt: iso(slot - DAY + MINUTE) };
    // Three minutes late: runs now, at its slot.
    expect(planNextRun(c, { recent: [lastOk] }, slot + 3 * MINUTE)).toEqual({ at: slot, reason: 'schedule' });
    // Down for two days: somewhere in the next hour, the same on every plan made at that moment.
    const restart = slot + 2 * DAY;
    const late = planNextRun(c, { recent: [lastOk] }, restart);
    expect(late.reason).toBe('catch-up');
    expect(late.at).toBeGreaterThanOrEqual(restart);
    expect(late.at).toBeLessThan(restart + CATCH_UP_SPREAD_MS);
    expect(planNextRun(c, { recent: [lastOk] }, restart)).toEqual(late);
    const others = new Set(
      ['b', 'c', 'd', 'e'].map((s) => planNextRun(connector(NIGHT, s), { recent: [lastOk] }, restart).at),
    );
    expect(others.size).toBe(4);
  });

  it.each([
    ['endedAt', { recent: [{ outcome: 'ok' as const, endedAt: 'yesterday' }] }],
    ['retryAfter', { recent: [{ outcome: 'quota' as const, endedAt: iso(T), retryAfter: 'soon' }] }],
    [
      'deadline',
      { recent: [{ outcome: 'second_factor_needed' as const, endedAt: iso(T), deadline: '2026-13-01T00:00:00Z' }] },
    ],
    ['actedAt', { recent: [{ outcome: 'login_failed' as const, endedAt: iso(T) }], actedAt: 'now' }],
  ])('rejects a history whose %s is not an instant', (field, facts) => {
    let caught: unknown;
    try {
      planNextRun(connector(), facts, T);
    } catch (e) {
      caught = e;
    }
    expect(isFoyerError(caught) && caught.code).toBe('validation_failed');
    expect(isFoyerError(caught) && caught.details).toMatchObject({ field });
  });
});
