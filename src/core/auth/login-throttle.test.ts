import { describe, it, expect } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { FoyerError } from '../errors.js';
import { createLoginThrottle } from './login-throttle.js';
import type { LoginThrottle } from './login-throttle.js';

const minute = 60_000;

/** The seconds to wait if `begin` refuses, or null if it lets the attempt through. */
function attempt(throttle: LoginThrottle, space: string, ip: string): number | null {
  try {
    throttle.begin(space, ip);
    return null;
  } catch (e) {
    if (e instanceof FoyerError && e.code === 'too_many_requests') {
      return (e.details as { retryAfterSeconds: number }).retryAfterSeconds;
    }
    throw e;
  }
}

function fail(throttle: LoginThrottle, space: string, ip: string, times: number): void {
  for (let i = 0; i < times; i++) expect(attempt(throttle, space, ip)).toBeNull();
}

describe('login throttle', () => {
  it('lets five failures through, then makes the sixth attempt wait a second', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 5);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
    clock.advance(999);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
    clock.advance(1);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
  });

  it('doubles the delay after each further failure', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 5);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const wait = attempt(throttle, 'alice', '10.0.0.1');
      expect(wait).not.toBeNull();
      waits.push(wait!);
      clock.advance(wait! * 1000);
      expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
    }
    expect(waits).toEqual([1, 2, 4, 8, 16]);
  });

  it('caps the delay at fifteen minutes', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock, spaceFailureCeiling: 1000 });
    fail(throttle, 'alice', '10.0.0.1', 5);
    let wait = 0;
    for (let i = 0; i < 40; i++) {
      wait = attempt(throttle, 'alice', '10.0.0.1')!;
      clock.advance(wait * 1000);
      expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
    }
    expect(wait).toBe(15 * 60);
  });

  it('refuses without counting the refused attempt as a failure', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 5);
    for (let i = 0; i < 10; i++) expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
    clock.advance(1000);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
    // The sixth failure set a two-second delay, not one grown by the refusals.
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(2);
  });

  it('forgets an address that keeps quiet for fifteen minutes after its last delay', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 5);
    clock.advance(1000);
    fail(throttle, 'alice', '10.0.0.1', 1);
    // Sixth failure: two seconds of delay, then the fifteen-minute quiet window.
    clock.advance(2000 + 15 * minute - 1);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(4);

    clock.advance(4000 + 15 * minute);
    fail(throttle, 'alice', '10.0.0.1', 5);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
  });

  it('resets an address after a successful login', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 4);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
    throttle.succeeded('alice', '10.0.0.1');
    fail(throttle, 'alice', '10.0.0.1', 5);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
  });

  it('counts concurrent attempts that have not finished yet', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    // Five attempts begin while the hash runs; none has reported its outcome.
    fail(throttle, 'alice', '10.0.0.1', 5);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
  });

  it('keeps addresses and spaces apart', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    fail(throttle, 'alice', '10.0.0.1', 5);
    expect(attempt(throttle, 'alice', '10.0.0.1')).toBe(1);
    expect(attempt(throttle, 'alice', '10.0.0.2')).toBeNull();
    expect(attempt(throttle, 'bob', '10.0.0.1')).toBeNull();
  });

  it('refuses every address once a space has had fifty failures in fifteen minutes', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock });
    for (let i = 0; i < 50; i++) {
      expect(attempt(throttle, 'alice', `10.0.1.${i}`)).toBeNull();
      clock.advance(1000);
    }
    // The first failure was 50 s ago; the window closes 15 min after it.
    expect(attempt(throttle, 'alice', '192.168.0.1')).toBe(15 * 60 - 50);
    expect(attempt(throttle, 'bob', '192.168.0.1')).toBeNull();
    clock.advance((15 * 60 - 50) * 1000);
    expect(attempt(throttle, 'alice', '192.168.0.1')).toBeNull();
    // Only the oldest failure left the window: the next one waits for the second oldest.
    expect(attempt(throttle, 'alice', '192.168.0.2')).toBe(1);
  });

  it('does not count successful logins towards the space ceiling', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock, spaceFailureCeiling: 3 });
    for (let i = 0; i < 10; i++) {
      expect(attempt(throttle, 'alice', '10.0.0.1')).toBeNull();
      throttle.succeeded('alice', '10.0.0.1');
    }
    fail(throttle, 'alice', '10.0.0.2', 3);
    expect(attempt(throttle, 'alice', '10.0.0.3')).toBe(15 * 60);
  });

  it('keeps its memory bounded under many addresses', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock, maxTrackedIps: 100, maxTrackedSpaces: 10, spaceFailureCeiling: 1e6 });
    for (let i = 0; i < 5000; i++) {
      attempt(throttle, `space-${i % 20}`, `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    }
    expect(throttle.trackedEntries()).toBeLessThanOrEqual(110);
    expect(throttle.trackedEntries()).toBeGreaterThan(50);
  });

  it('forgets expired entries before live ones when full', () => {
    const clock = manualClock();
    const throttle = createLoginThrottle({ clock, maxTrackedIps: 10, spaceFailureCeiling: 1e6 });
    for (let i = 0; i < 9; i++) attempt(throttle, 'alice', `10.0.0.${i}`);
    clock.advance(16 * minute);
    fail(throttle, 'alice', '10.9.9.9', 5);
    // Filling the table again pushes out the nine expired entries, not the locked-out address.
    for (let i = 0; i < 9; i++) attempt(throttle, 'alice', `10.0.1.${i}`);
    expect(attempt(throttle, 'alice', '10.9.9.9')).toBe(1);
  });
});
