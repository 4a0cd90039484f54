/**
 * The planner: when a connector of a space runs next, from its schedule and its run history alone
 * (a pure function of its arguments, so every process and every restart computes the same plan).
 *
 * - Slots: a connector's slot is at a fixed point of its window, the window's length times the
 *   connector's phase in [0, 1): its jitter (a hash of space and connector), or the stratified
 *   phase the scheduler gives it (`spread-phases.ts`). A weekly connector's phase also picks its
 *   day of the week, an hourly one's its minute of the hour. Many connectors with the same window
 *   spread uniformly over it, and a restart moves nobody's slot.
 * - After `ok`: the first slot at least a quarter period after the run ended (6 h for a daily
 *   connector), so a run made by hand at 01:00 stands in for that morning's 03:00 slot.
 * - After a failure, the retry rule of its code (`RUN_ERRORS` in `../run-errors.ts`):
 *   - `backoff` (holder unavailable, quota, internal, time or memory limit): the k-th failure in
 *     a row waits between half and all of min(6 h, 5 min × 2^(k-1)), jittered per connector and
 *     attempt, unless the regular slot comes first. A success resets the count.
 *   - `next` (changed format, cancelled): the first slot after the run ended.
 *   - `person` (login failed, user action needed, second factor unanswered, not allowed): no run
 *     while the installation's `attention` stands; once the person has acted (the runtime clears
 *     it and stamps `actedAt`), at once.
 * - A holder's Retry-After (or quota reset) is honoured after any outcome: no run before it (at
 *   most 7 days ahead, so a wrong header cannot stop a connector for good).
 * - A run missed by more than 5 minutes (the process was down or saturated) moves to a point of
 *   the next hour set by the connector's jitter, so a restart does not start everyone at once.
 */
import { FoyerError } from '../../core/errors.js';
import { dayNumber, localDay, utcOffset } from '../../core/time/time-zone.js';
import { RUN_ERRORS, type RetryRule } from '../run-errors.js';
import { windowMinutes } from './connector-schedule.js';
import { jitter } from './jitter.js';
import type { InstalledConnector, RunOutcome, ScheduleFacts } from './schedule-facts.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const PERIOD = { hourly: HOUR, daily: DAY, weekly: 7 * DAY } as const;

export const BACKOFF_BASE_MS = 5 * MINUTE;
export const BACKOFF_CAP_MS = 6 * HOUR;
export const RETRY_AFTER_MAX_MS = 7 * DAY;
export const LATE_AFTER_MS = 5 * MINUTE;
export const CATCH_UP_SPREAD_MS = HOUR;

export type NextRun =
  | { at: number; reason: 'schedule' | 'retry' | 'retry-after' | 'person-acted' | 'catch-up' }
  /** No scheduled run until the person acts. */
  | { at: null; reason: 'attention' };

type Planned = Extract<NextRun, { at: number }>;

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

/** The connector's first regular slot at or after `t`. */
export function slotAtOrAfter(c: InstalledConnector, t: number): number {
  const phase = c.phase ?? jitter(c.space, c.connectorId);
  const { frequency, window } = c.schedule;
  if (frequency === 'hourly' && !window) {
    const offset = Math.floor(phase * HOUR);
    return offset + Math.ceil((t - offset) / HOUR) * HOUR;
  }
  // A weekly connector's phase picks its day of the week (Monday 0 … Sunday 6), then its point of the window.
  const weekday = frequency === 'weekly' ? Math.min(6, Math.floor(phase * 7)) : null;
  const within = weekday === null ? phase : phase * 7 - weekday;
  const { start, length } = windowMinutes(c.schedule);
  const span = length * MINUTE;
  // Where in the window the slots fall: one point, or one an hour (from a point of the first hour).
  const offsets: number[] = [];
  if (frequency === 'hourly') {
    for (let o = Math.floor(within * Math.min(HOUR, span)); o < span; o += HOUR) offsets.push(start * MINUTE + o);
  } else {
    offsets.push(start * MINUTE + Math.floor(within * span));
  }
  // A window crossing midnight puts a day's slot on the next day: start from the day before.
  for (let day = dayNumber(localDay(t, c.timeZone)) - 1; ; day++) {
    // 1970-01-01 (day 0) was a Thursday.
    if (weekday !== null && (((day + 3) % 7) + 7) % 7 !== weekday) continue;
    for (const msOfDay of offsets) {
      const slot = localInstant(day, msOfDay, c.timeZone);
      if (slot >= t) return slot;
    }
  }
}

/** The k-th failure in a row's wait (k from 1), before the regular slot and Retry-After are considered. */
export function backoffDelay(c: InstalledConnector, k: number): number {
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(k - 1, 30));
  return Math.floor(full * (0.5 + 0.5 * jitter(c.space, c.connectorId, 'retry', k)));
}

/** The retry rule of an outcome's code; a code this build does not know is retried with back-off. */
function ruleOf(outcome: RunOutcome['outcome']): RetryRule | 'ok' {
  if (outcome === 'ok') return 'ok';
  return (RUN_ERRORS as Partial<Record<string, { retry: RetryRule }>>)[outcome]?.retry ?? 'backoff';
}

function afterOutcome(c: InstalledConnector, facts: ScheduleFacts, failures: number, now: number): Planned {
  const last = facts.recent[0]!;
  const ended = instant(last.endedAt, 'endedAt');
  switch (ruleOf(last.outcome)) {
    case 'ok':
      return { at: slotAtOrAfter(c, ended + PERIOD[c.schedule.frequency] / 4), reason: 'schedule' };
    case 'person': {
      // The runtime cleared the attention: when the person acted (or now, when it does not say).
      const acted = facts.actedAt ? instant(facts.actedAt, 'actedAt') : now;
      return { at: Math.max(ended, acted), reason: 'person-acted' };
    }
    case 'next':
      return { at: slotAtOrAfter(c, ended + 1), reason: 'schedule' };
    case 'backoff': {
      const retry = ended + backoffDelay(c, failures);
      const regular = slotAtOrAfter(c, ended + PERIOD[c.schedule.frequency] / 4);
      return retry < regular ? { at: retry, reason: 'retry' } : { at: regular, reason: 'schedule' };
    }
  }
}

/** When the connector runs next, given its facts, planned at `now`. */
export function planNextRun(c: InstalledConnector, facts: ScheduleFacts, now: number): NextRun {
  if (facts.attention) return { at: null, reason: 'attention' };
  const last = facts.recent[0];
  if (!last) return { at: slotAtOrAfter(c, now), reason: 'schedule' };
  let failures = 0;
  while (failures < facts.recent.length && facts.recent[failures]!.outcome !== 'ok') failures++;

  let next: Planned = afterOutcome(c, facts, failures, now);
  if (last.retryAfter) {
    const ended = instant(last.endedAt, 'endedAt');
    const retryAfter = Math.min(instant(last.retryAfter, 'retryAfter'), ended + RETRY_AFTER_MAX_MS);
    if (retryAfter > next.at) next = { at: retryAfter, reason: 'retry-after' };
  }
  if (next.at < now - LATE_AFTER_MS) {
    const at = now + Math.floor(jitter(c.space, c.connectorId, 'catch-up') * CATCH_UP_SPREAD_MS);
    return { at, reason: 'catch-up' };
  }
  return next;
}
