/**
 * The planner: when a connector of a space runs next, from its schedule and its run history alone
 * (a pure function of its arguments, so every process and every restart computes the same plan).
 *
 * - Slots: a daily connector's slot is at a fixed point of its window, the window's length times
 *   the connector's jitter (a hash of space and connector): many connectors with the same window
 *   spread uniformly over it, and nobody's slot moves when another is installed or the process
 *   restarts. An `every N hours` connector runs at its jitter's phase of the N-hour cycle.
 * - After `ok` (failures counted so far reset): the first slot at least a quarter period after the
 *   run ended, so a run made by hand at 01:00 stands in for that morning's 03:00 slot.
 * - After a transient failure (holder unavailable or changed format, quota, internal, time or
 *   memory limit): exponential back-off, the k-th failure in a row waiting between half and all of
 *   min(6 h, 5 min × 2^(k-1)) (jittered per connector and attempt), unless the regular slot comes first.
 * - A holder's Retry-After (or quota reset) is honoured after any outcome: no run before it (at
 *   most 7 days ahead, so a wrong header cannot stop a connector for good).
 * - After `login_failed` or `user_action_needed`: no run at all until the person acts (a new
 *   credential; an explicit run, whose outcome then leads the history); then at once.
 * - After `second_factor_needed`: nothing until the person answers (then at once) or the deadline
 *   passes (then the first slot after it). Without a deadline, 15 minutes.
 * - A run missed by more than 5 minutes (the process was down or saturated) moves to a point of
 *   the next hour set by the connector's jitter, so a restart does not start everyone at once.
 */
import { FoyerError } from '../../core/errors.js';
import { dayNumber, localDay, utcOffset } from '../../core/time/time-zone.js';
import { windowMinutes } from './connector-schedule.js';
import { jitter } from './jitter.js';
import type { InstalledConnector, RunOutcome, ScheduleFacts } from './schedule-facts.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export const BACKOFF_BASE_MS = 5 * MINUTE;
export const BACKOFF_CAP_MS = 6 * HOUR;
export const RETRY_AFTER_MAX_MS = 7 * DAY;
export const SECOND_FACTOR_DEFAULT_MS = 15 * MINUTE;
export const LATE_AFTER_MS = 5 * MINUTE;
export const CATCH_UP_SPREAD_MS = HOUR;

export type NextRun =
  | {
      at: number;
      reason: 'schedule' | 'retry' | 'retry-after' | 'second-factor-expired' | 'person-acted' | 'catch-up';
    }
  /** No scheduled run until the person acts. */
  | { at: null; reason: 'login_failed' | 'user_action_needed' };

/** The instant of an ISO 8601 text; `validation_failed` naming the field otherwise. */
function instant(text: string, field: string): number {
  const t = Date.parse(text);
  if (!Number.isFinite(t)) {
    throw new FoyerError('validation_failed', `The run history's ${field} is not an instant: "${text}".`, {
      field,
      value: text,
    });
  }
  return t;
}

/** The instant of local time `msOfDay` on local day `day` (days since 1970-01-01) in `tz`. */
function localInstant(day: number, msOfDay: number, tz: string): number {
  const local = day * DAY + msOfDay;
  // Two steps settle the offset; a time in a daylight-saving gap comes out moved forward by the gap.
  const guess = local - utcOffset(local, tz);
  return local - utcOffset(guess, tz);
}

/** A quarter period: how soon after a run the next regular one may come. */
function minimumGap(c: InstalledConnector): number {
  return (c.schedule.kind === 'daily' ? DAY : c.schedule.hours * HOUR) / 4;
}

/** The connector's first regular slot at or after `t`. */
export function slotAtOrAfter(c: InstalledConnector, t: number): number {
  const phase = jitter(c.space, c.connectorId);
  const schedule = c.schedule;
  if (schedule.kind === 'every') {
    const period = schedule.hours * HOUR;
    const offset = Math.floor(phase * period);
    return offset + Math.ceil((t - offset) / period) * period;
  }
  const { start, length } = windowMinutes(schedule);
  const msOfDay = start * MINUTE + Math.floor(phase * length * MINUTE);
  // A window crossing midnight puts a day's slot on the next day: start from the day before.
  const today = dayNumber(localDay(t, c.timeZone));
  for (let day = today - 1; ; day++) {
    const slot = localInstant(day, msOfDay, c.timeZone);
    if (slot >= t) return slot;
  }
}

/** The k-th failure in a row's wait (k from 1), before the regular slot and Retry-After are considered. */
export function backoffDelay(c: InstalledConnector, k: number): number {
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(k - 1, 30));
  return Math.floor(full * (0.5 + 0.5 * jitter(c.space, c.connectorId, 'retry', k)));
}

function afterOutcome(c: InstalledConnector, last: RunOutcome, failures: number, actedAt: number | null): NextRun {
  const ended = instant(last.endedAt, 'endedAt');
  const acted = actedAt !== null && actedAt > ended;
  switch (last.outcome) {
    case 'ok':
      return { at: slotAtOrAfter(c, ended + minimumGap(c)), reason: 'schedule' };
    case 'login_failed':
    case 'user_action_needed':
      return acted ? { at: actedAt, reason: 'person-acted' } : { at: null, reason: last.outcome };
    case 'second_factor_needed': {
      if (acted) return { at: actedAt, reason: 'person-acted' };
      const deadline = last.deadline ? instant(last.deadline, 'deadline') : ended + SECOND_FACTOR_DEFAULT_MS;
      return { at: slotAtOrAfter(c, Math.max(deadline, ended)), reason: 'second-factor-expired' };
    }
    default: {
      const retry = ended + backoffDelay(c, failures);
      const regular = slotAtOrAfter(c, ended + minimumGap(c));
      return retry < regular ? { at: retry, reason: 'retry' } : { at: regular, reason: 'schedule' };
    }
  }
}

/** When the connector runs next, given its facts, planned at `now`. */
export function planNextRun(c: InstalledConnector, facts: ScheduleFacts, now: number): NextRun {
  const last = facts.recent[0];
  if (!last) return { at: slotAtOrAfter(c, now), reason: 'schedule' };
  const actedAt = facts.actedAt ? instant(facts.actedAt, 'actedAt') : null;
  let failures = 0;
  while (failures < facts.recent.length && facts.recent[failures]!.outcome !== 'ok') failures++;

  let next = afterOutcome(c, last, failures, actedAt);
  if (next.at === null) return next;
  if (last.retryAfter) {
    const ended = instant(last.endedAt, 'endedAt');
    const retryAfter = Math.min(instant(last.retryAfter, 'retryAfter'), ended + RETRY_AFTER_MAX_MS);
    if (retryAfter > next.at) next = { at: retryAfter, reason: 'retry-after' };
  }
  if (next.at < now - LATE_AFTER_MS) {
    return {
      at: now + Math.floor(jitter(c.space, c.connectorId, 'catch-up') * CATCH_UP_SPREAD_MS),
      reason: 'catch-up',
    };
  }
  return next;
}
