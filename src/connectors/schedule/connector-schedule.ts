/**
 * A connector's schedule, as its manifest declares it (`schedule` in `../manifest.ts`, which
 * validates it): a frequency, and optionally a preferred window in the space's local time.
 *  - `daily`: once a day, at a point of the window;
 *  - `weekly`: once a week, on a day of the week and at a point of the window;
 *  - `hourly`: every hour, within the window when there is one (on the hour's point of the window).
 * `end` earlier than `start` crosses midnight; `end` equal to `start`, or no window, is the whole day.
 */
import { FoyerError } from '../../core/errors.js';

export interface ConnectorSchedule {
  frequency: 'hourly' | 'daily' | 'weekly';
  window?: { start: string; end: string };
}

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes since local midnight of `HH:MM`; `validation_failed` for anything else. */
export function minuteOfDay(time: string): number {
  const m = CLOCK_TIME.exec(time);
  if (!m) throw new FoyerError('validation_failed', `"${time}" is not a local time HH:MM.`, { time });
  return Number(m[1]) * 60 + Number(m[2]);
}

/** The window as minutes: where it starts and how long it lasts (1 to 1440). */
export function windowMinutes(schedule: ConnectorSchedule): { start: number; length: number } {
  if (!schedule.window) return { start: 0, length: 1440 };
  const start = minuteOfDay(schedule.window.start);
  const length = (minuteOfDay(schedule.window.end) - start + 1440) % 1440;
  return { start, length: length === 0 ? 1440 : length };
}
