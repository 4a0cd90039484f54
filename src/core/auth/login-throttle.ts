/**
 * Slows down passphrase guessing. Two counters:
 *  - per (space, ip): the first few failures are free, then each further attempt must wait
 *    a delay that doubles with every failure (1 s, 2 s, 4 s, ... capped), measured from the last
 *    failure; the record is forgotten after a quiet window following the last delay;
 *  - per space, across ips: at most `spaceFailureCeiling` failures within a window, against
 *    guessing spread over many addresses. Its cost is that the owner must wait too while it trips.
 *
 * An attempt counts as a failure from the moment it begins (`begin`) until it is known to have
 * succeeded (`succeeded`), so a burst of concurrent guesses cannot all slip past the check while
 * the slow hash runs. State is in memory, per process, bounded in size.
 */
import { FoyerError } from '../errors.js';
import type { Clock } from '../../platform/clock.js';

export interface LoginThrottleOptions {
  clock: Clock;
  /** Failures from one ip before delays start. Default 5. */
  freeFailures?: number;
  /** Default 15 minutes. */
  windowMs?: number;
  /** Delay after the last free failure, doubled for each failure after it. Default 1 s. */
  baseDelayMs?: number;
  /** Default 15 minutes. */
  maxDelayMs?: number;
  /** Failures per space within `windowMs`, all ips together. Default 50. */
  spaceFailureCeiling?: number;
  /** Most (space, ip) pairs remembered; the least recently failing are forgotten first. Default 10,000. */
  maxTrackedIps?: number;
  /** Most spaces remembered. Default 10,000. */
  maxTrackedSpaces?: number;
}

export interface LoginThrottle {
  /**
   * Call before checking a passphrase. Throws a `too_many_requests` FoyerError with
   * `details.retryAfterSeconds` when this attempt must wait; otherwise counts it as a failure.
   */
  begin(space: string, ip: string): void;
  /** The attempt was right: forgets this ip's failures and takes the attempt off the space's count. */
  succeeded(space: string, ip: string): void;
  /** How many entries are held in memory (for tests and metrics). */
  trackedEntries(): number;
}

interface IpRecord {
  failures: number;
  lastFailureAt: number;
}

/** The space's most recent failure times, oldest first, at most `spaceFailureCeiling` of them. */
type SpaceRecord = number[];

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const {
    clock,
    freeFailures = 5,
    windowMs = 15 * 60_000,
    baseDelayMs = 1000,
    maxDelayMs = 15 * 60_000,
    spaceFailureCeiling = 50,
    maxTrackedIps = 10_000,
    maxTrackedSpaces = 10_000,
  } = options;

  const ips = new Map<string, IpRecord>();
  const spaces = new Map<string, SpaceRecord>();

  const ipKey = (space: string, ip: string) => `${space} ${ip}`;

  function delayAfter(failures: number): number {
    if (failures < freeFailures) return 0;
    // Past 2^30 the product overflows any sensible cap anyway.
    const exponent = Math.min(failures - freeFailures, 30);
    return Math.min(baseDelayMs * 2 ** exponent, maxDelayMs);
  }

  const ipExpired = (r: IpRecord, now: number) => now >= r.lastFailureAt + delayAfter(r.failures) + windowMs;
  const spaceExpired = (r: SpaceRecord, now: number) => r.length === 0 || now >= r[r.length - 1]! + windowMs;

  /** Map insertion order is recency order: re-inserting moves an entry to the end. */
  function touch<V>(map: Map<string, V>, key: string, value: V, max: number, expired: (v: V) => boolean): void {
    map.delete(key);
    if (map.size >= max) {
      for (const [k, v] of map) if (expired(v)) map.delete(k);
      // Still full of live entries: drop the oldest tenth at once so this sweep stays rare.
      if (map.size >= max) {
        let drop = Math.max(1, Math.floor(max / 10));
        for (const k of map.keys()) {
          if (drop-- === 0) break;
          map.delete(k);
        }
      }
    }
    map.set(key, value);
  }

  function refuse(waitMs: number, message: string): never {
    throw new FoyerError('too_many_requests', message, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
  }

  return {
    begin(space, ip) {
      const now = clock.now();
      const key = ipKey(space, ip);

      let record = ips.get(key);
      if (record && ipExpired(record, now)) record = undefined;
      if (record) {
        const readyAt = record.lastFailureAt + delayAfter(record.failures);
        if (now < readyAt) refuse(readyAt - now, 'Too many failed logins from this address; try again later.');
      }

      let recent = spaces.get(space);
      if (recent && spaceExpired(recent, now)) recent = undefined;
      if (recent && recent.length >= spaceFailureCeiling) {
        const readyAt = recent[0]! + windowMs;
        if (now < readyAt) refuse(readyAt - now, 'Too many failed logins on this space; try again later.');
      }

      const updated = { failures: (record?.failures ?? 0) + 1, lastFailureAt: now };
      touch(ips, key, updated, maxTrackedIps, (r) => ipExpired(r, now));

      const times = recent ?? [];
      times.push(now);
      if (times.length > spaceFailureCeiling) times.shift();
      touch(spaces, space, times, maxTrackedSpaces, (r) => spaceExpired(r, now));
    },

    succeeded(space, ip) {
      ips.delete(ipKey(space, ip));
      const times = spaces.get(space);
      if (times) {
        times.pop();
        if (times.length === 0) spaces.delete(space);
      }
    },

    trackedEntries: () => ips.size + spaces.size,
  };
}
