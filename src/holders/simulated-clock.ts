import type { Clock } from '../platform/clock.js';

export interface SimulatedClock extends Clock {
  /** Moves simulated time forward (e.g. one day), on top of its flow. */
  advance(ms: number): void;
}

/**
 * Simulated time for the holders: starts at `start` and flows `speed` times faster than the real
 * clock (1: real time; 86,400: a day a second; 0: stopped until advanced).
 */
export function simulatedClock(start: number, speed: number, real: Clock): SimulatedClock {
  const realStart = real.now();
  let offset = 0;
  return {
    now: () => start + offset + Math.floor((real.now() - realStart) * speed),
    advance: (ms) => {
      offset += ms;
    },
  };
}
