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
  slotAtOrAfter,
} from './plan-next-run.js';
import type { InstalledConnector, RunOutcome, ScheduleFacts } from './schedule-facts.js';
import type { RunErrorCode } from '../run-errors.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const T = Date.parse('2026-06-15T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

const NIGHT: ConnectorSchedule = { frequency: 'daily', window: { start: '02:00', end: '06:00' } };
const WEEKLY: ConnectorSchedule = { frequency: 'weekly' };
const HOURLY: ConnectorSchedule = { frequency: 'hourly' };

const facts = (recent: RunOutcome[], attention = false): ScheduleFacts => ({ recent, attention });

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
/** Monday 0 … Sunday 6, locally. */
const localWeekday = (t: number, tz: string) => (Math.floor((t + utcOffset(t, tz)) / DAY) + 3) % 7;

const failures = (code: RunErrorCode, n: number, lastEnded: number): RunOutcome[] =>
  Array.from({ length: n }, (_, i) => ({ outcome: code, endedAt: iso(lastEnded - i * MINUTE) }));

describe('connector slots (jitter)', () => {
  it.each([
    ['Europe/Paris', '02:00', '06:00'],
    ['America/New_York', '07:00', '12:00'],
    ['Asia/Kolkata', '22:30', '04:00'],
    ['Pacific/Auckland', '00:00', '00:00'],
  ])('in %s, %s–%s: every daily slot is inside the window, the same on every call', (tz, start, end) => {
    const schedule: ConnectorSchedule = { frequency: 'daily', window: { start, end } };
    const from = Number(start.slice(0, 2)) * 60 + Number(start.slice(3));
    const to = Number(end.slice(0, 2)) * 60 + Number(end.slice(3));
    const length = (to - from + 1440) % 1440 || 1440;
    for (let i = 0; i < 300; i++) {
      const c = connector(schedule, `space-${i}`, 'energy', tz);
      const slot = slotAtOrAfter(c, T);
      expect(slot).toBeGreaterThanOrEqual(T);
      expect(slot - T).toBeLessThan(DAY + HOUR);
      expect((localMinute(slot, tz) - from + 1440) % 1440).toBeLessThan(length);
      // Deterministic: again, from any moment before it, and the next day at the same local time.
      expect(slotAtOrAfter({ ...c }, T)).toBe(slot);
      expect(slotAtOrAfter(c, Math.max(T, slot - 3 * HOUR))).toBe(slot);
      expect(localMinute(slotAtOrAfter(c, slot + 1), tz)).toBe(localMinute(slot, tz));
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
    const c = connector({ frequency: 'daily', window: { start: '03:00', end: '06:00' } });
    const before = slotAtOrAfter(c, Date.parse('2026-03-28T00:00:00Z'));
    const after = slotAtOrAfter(c, before + 1);
    expect(after - before).toBe(23 * HOUR);
    expect(localMinute(after, 'Europe/Paris')).toBe(localMinute(before, 'Europe/Paris'));
  });

  it('moves a slot that falls in the daylight-saving gap forward by the gap', () => {
    // 02:00–03:00 does not exist in Paris on 2026-03-29.
    const c = connector({ frequency: 'daily', window: { start: '02:00', end: '03:00' } });
    const usual = slotAtOrAfter(c, Date.parse('2026-03-28T00:00:00Z'));
    const gapDay = slotAtOrAfter(c, usual + 1);
    expect(localMinute(gapDay, 'Europe/Paris')).toBe(localMinute(usual, 'Europe/Paris') + 60);
    expect(iso(gapDay).slice(0, 10)).toBe('2026-03-29');
  });

  it('runs an hourly connector at one minute of every hour', () => {
    const c = connector(HOURLY);
    const first = slotAtOrAfter(c, T);
    expect(first - T).toBeLessThan(HOUR);
    expect(slotAtOrAfter(c, first)).toBe(first);
    expect(slotAtOrAfter(c, first + 1)).toBe(first + HOUR);
  });

  it('runs an hourly connector with a window every hour inside it only', () => {
    const c = connector({ frequency: 'hourly', window: { start: '08:00', end: '11:30' } });
    const slots: number[] = [];
    let t = Date.parse('2026-06-15T00:00:00+02:00');
    for (let i = 0; i < 8; i++) slots.push((t = slotAtOrAfter(c, t + (i ? 1 : 0))));
    const minutes = slots.map((s) => localMinute(s, 'Europe/Paris'));
    for (const m of minutes) expect(m >= 480 && m < 690).toBe(true);
    // Four a day (08:xx, 09:xx, 10:xx, and 11:xx when the minute is before 11:30), an hour apart.
    const perDay = minutes[3]! < 690 && minutes[3]! >= 660 ? 4 : 3;
    expect(slots[1]! - slots[0]!).toBe(HOUR);
    expect(slots[perDay]! - slots[0]!).toBe(DAY);
  });

  it('runs a weekly connector on one day of the week, at one point of its window', () => {
    const weekdays = new Set<number>();
    for (let i = 0; i < 50; i++) {
      const c = connector({ frequency: 'weekly', window: { start: '09:00', end: '17:00' } }, `space-${i}`);
      const slot = slotAtOrAfter(c, T);
      const next = slotAtOrAfter(c, slot + 1);
      expect(next - slot).toBe(7 * DAY);
      expect(slot - T).toBeLessThan(7 * DAY);
      const m = localMinute(slot, 'Europe/Paris');
      expect(m >= 540 && m < 1020).toBe(true);
      weekdays.add(localWeekday(slot, 'Europe/Paris'));
    }
    expect(weekdays.size).toBe(7);
  });
});

describe('planning the next run', () => {
  it('plans a connector that never ran at its first slot from now', () => {
    const c = connector();
    expect(planNextRun(c, facts([]), T)).toEqual({ at: slotAtOrAfter(c, T), reason: 'schedule' });
  });

  it('after a success, runs at the next slot; a run by hand before the morning slot stands in for it', () => {
    const c = connector();
    const slot = slotAtOrAfter(c, T);
    const afterSlot = planNextRun(c, facts([{ outcome: 'ok', endedAt: iso(slot + MINUTE) }]), slot + MINUTE);
    expect(afterSlot).toEqual({ at: slotAtOrAfter(c, slot + 2 * MINUTE), reason: 'schedule' });
    expect(afterSlot.at! - slot).toBeGreaterThan(22 * HOUR);

    const byHand = slot - 2 * HOUR;
    const next = planNextRun(c, facts([{ outcome: 'ok', endedAt: iso(byHand) }]), byHand);
    expect(next.at).toBe(slotAtOrAfter(c, slot + 1));
  });

  it('backs off exponentially from 5 minutes to a 6-hour cap, jittered between half and all of the delay', () => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const delays: number[] = [];
    for (let k = 1; k <= 10; k++) {
      const next = planNextRun(c, facts(failures('holder_unavailable', k, ended)), ended);
      const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (k - 1));
      expect(next.reason).toBe('retry');
      expect(next.at! - ended).toBeGreaterThanOrEqual(full / 2);
      expect(next.at! - ended).toBeLessThanOrEqual(full);
      delays.push(next.at! - ended);
    }
    expect(BACKOFF_BASE_MS).toBe(5 * MINUTE);
    expect(BACKOFF_CAP_MS).toBe(6 * HOUR);
    // The same failures give the same delays (deterministic), another connector other ones.
    const again = planNextRun(c, facts(failures('holder_unavailable', 3, ended)), ended);
    expect(again.at! - ended).toBe(delays[2]);
    const other = planNextRun(connector(WEEKLY, 'bob'), facts(failures('holder_unavailable', 3, ended)), ended);
    expect(other.at! - ended).not.toBe(delays[2]);
  });

  it.each(['quota', 'internal', 'time_limit', 'memory_limit'] as const)('backs off after %s too', (code) => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const next = planNextRun(c, facts(failures(code, 4, ended)), ended);
    expect(next.reason).toBe('retry');
    expect(next.at! - ended).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(next.at! - ended).toBeLessThanOrEqual(40 * MINUTE);
  });

  it.each(['holder_format_changed', 'cancelled'] as const)('after %s, waits for the next slot', (code) => {
    const c = connector();
    const slot = slotAtOrAfter(c, T);
    const next = planNextRun(c, facts(failures(code, 3, slot + MINUTE)), slot + MINUTE);
    expect(next).toEqual({ at: slotAtOrAfter(c, slot + 1), reason: 'schedule' });
    // A run made by hand earlier the same day and cancelled leaves that day's slot in place.
    expect(planNextRun(c, facts(failures(code, 1, slot - HOUR)), slot - HOUR).at).toBe(slot);
  });

  it('resets the back-off after a success', () => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const recent: RunOutcome[] = [
      { outcome: 'holder_unavailable', endedAt: iso(ended) },
      { outcome: 'ok', endedAt: iso(ended - HOUR) },
      ...failures('holder_unavailable', 6, ended - 2 * HOUR),
    ];
    expect(planNextRun(c, facts(recent), ended).at! - ended).toBeLessThanOrEqual(BACKOFF_BASE_MS);
  });

  it('retries at the regular slot when it comes before the back-off', () => {
    const c = connector(HOURLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const next = planNextRun(c, facts(failures('holder_unavailable', 6, ended)), ended);
    expect(next).toEqual({ at: slotAtOrAfter(c, ended + 15 * MINUTE), reason: 'schedule' });
  });

  it.each(['login_failed', 'user_action_needed', 'second_factor_needed', 'not_allowed'] as const)(
    'after %s, plans no run however long it waits while the failure stands, and runs at once when the person acted',
    (code) => {
      const c = connector();
      const failed = T;
      const recent: RunOutcome[] = [{ outcome: code, endedAt: iso(failed) }];
      for (const later of [failed, failed + DAY, failed + 60 * DAY]) {
        expect(planNextRun(c, facts(recent, true), later)).toEqual({ at: null, reason: 'attention' });
      }
      // The person saved a new credential: the runtime cleared the attention; a run at once.
      const acted = failed + 3 * DAY;
      const cleared = { recent, attention: false, actedAt: iso(acted) };
      expect(planNextRun(c, cleared, acted)).toEqual({ at: acted, reason: 'person-acted' });
      expect(planNextRun(c, cleared, acted + MINUTE)).toEqual({ at: acted, reason: 'person-acted' });
      // Without the time of the action: now.
      expect(planNextRun(c, facts(recent), acted)).toEqual({ at: acted, reason: 'person-acted' });
      // An explicit run that succeeded: back on the schedule.
      const explicit: RunOutcome = { outcome: 'ok', endedAt: iso(acted) };
      expect(planNextRun(c, facts([explicit, ...recent]), acted).reason).toBe('schedule');
    },
  );

  it('runs no earlier than the Retry-After a holder gave, after any outcome', () => {
    const c = connector(HOURLY);
    const ended = T;
    const quota: RunOutcome = { outcome: 'quota', endedAt: iso(ended), retryAfter: iso(ended + 3 * HOUR) };
    expect(planNextRun(c, facts([quota]), ended)).toEqual({ at: ended + 3 * HOUR, reason: 'retry-after' });

    const ok: RunOutcome = { outcome: 'ok', endedAt: iso(ended), retryAfter: iso(ended + 5 * HOUR) };
    expect(planNextRun(c, facts([ok]), ended).at).toBe(ended + 5 * HOUR);

    // A Retry-After sooner than the back-off changes nothing.
    const soon: RunOutcome = { outcome: 'holder_unavailable', endedAt: iso(ended), retryAfter: iso(ended + 1000) };
    const withoutIt = planNextRun(c, facts([{ outcome: 'holder_unavailable', endedAt: iso(ended) }]), ended);
    expect(planNextRun(c, facts([soon]), ended)).toEqual(withoutIt);

    // At most a week ahead.
    const far: RunOutcome = { outcome: 'quota', endedAt: iso(ended), retryAfter: iso(ended + 90 * DAY) };
    expect(planNextRun(c, facts([far]), ended).at).toBe(ended + RETRY_AFTER_MAX_MS);
  });

  it('moves a run missed by more than 5 minutes into the next hour, by the connector jitter', () => {
    const c = connector();
    const slot = slotAtOrAfter(c, T);
    const lastOk: RunOutcome = { outcome: 'ok', endedAt: iso(slot - DAY + MINUTE) };
    // Three minutes late: runs now, at its slot.
    expect(planNextRun(c, facts([lastOk]), slot + 3 * MINUTE)).toEqual({ at: slot, reason: 'schedule' });
    // Down for two days: somewhere in the next hour, the same on every plan made at that moment.
    const restart = slot + 2 * DAY;
    const late = planNextRun(c, facts([lastOk]), restart);
    expect(late.reason).toBe('catch-up');
    expect(late.at).toBeGreaterThanOrEqual(restart);
    expect(late.at).toBeLessThan(restart + CATCH_UP_SPREAD_MS);
    expect(planNextRun(c, facts([lastOk]), restart)).toEqual(late);
    const others = new Set(
      ['b', 'c', 'd', 'e'].map((s) => planNextRun(connector(NIGHT, s), facts([lastOk]), restart).at),
    );
    expect(others.size).toBe(4);
  });

  it('retries an outcome code it does not know with back-off', () => {
    const c = connector(WEEKLY);
    const ended = slotAtOrAfter(c, T) + MINUTE;
    const unknown = { outcome: 'holder_on_fire', endedAt: iso(ended) } as unknown as RunOutcome;
    const next = planNextRun(c, facts([unknown]), ended);
    expect(next.reason).toBe('retry');
    expect(next.at! - ended).toBeLessThanOrEqual(BACKOFF_BASE_MS);
  });

  it.each([
    ['endedAt', [{ outcome: 'ok' as const, endedAt: 'yesterday' }]],
    ['retryAfter', [{ outcome: 'quota' as const, endedAt: iso(T), retryAfter: 'soon' }]],
    ['retryAfter', [{ outcome: 'ok' as const, endedAt: iso(T), retryAfter: '2026-13-01T00:00:00Z' }]],
    ['actedAt', [{ outcome: 'login_failed' as const, endedAt: iso(T) }]],
  ])('rejects a history whose %s is not an instant', (field, recent) => {
    let caught: unknown;
    try {
      planNextRun(connector(), { recent, attention: false, actedAt: 'yesterday' }, T);
    } catch (e) {
      caught = e;
    }
    expect(isFoyerError(caught) && caught.code).toBe('validation_failed');
    expect(isFoyerError(caught) && caught.details).toMatchObject({ field });
  });
});
