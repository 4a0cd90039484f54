/**
 * A connector's schedule, as its manifest declares it:
 *  - `{ kind: 'daily', window: { from: '02:00', to: '06:00' } }`: once a day, at a time within
 *    the window, in the space's local time. `to` may be earlier than `from` (the window crosses
 *    midnight) or `24:00`; without a window, any time of the day.
 *  - `{ kind: 'every', hours: 6 }`: every N hours (1 to 168), at a phase of its own.
 * The manifest embeds `connectorScheduleSchema`; `parseConnectorSchedule` is for other callers.
 */
import { z } from 'zod';
import { FoyerError } from '../../core/errors.js';

const CLOCK_TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

const startTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time HH:MM, from 00:00 to 23:59');
const endTime = z.string().regex(CLOCK_TIME, 'a local time HH:MM, from 00:00 to 24:00');

export const connectorScheduleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('daily'),
      window: z
        .object({ from: startTime, to: endTime })
        .strict()
        .refine((w) => minuteOfDay(w.from) !== minuteOfDay(w.to), {
          message: 'a window must not be empty: from and to differ (00:00 to 24:00 for the whole day)',
        })
        .optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('every'),
      hours: z.number().int().min(1).max(168),
    })
    .strict(),
]);

export type ConnectorSchedule = z.infer<typeof connectorScheduleSchema>;

/** Throws `validation_failed` (details: the problems and their paths) unless `value` is a schedule. */
export function parseConnectorSchedule(value: unknown): ConnectorSchedule {
  const result = connectorScheduleSchema.safeParse(value);
  if (!result.success) {
    throw new FoyerError('validation_failed', 'The connector schedule is not valid.', {
      problems: result.error.issues.map((i) => ({ path: '/' + i.path.join('/'), message: i.message })),
    });
  }
  return result.data;
}

/** Minutes since local midnight of `HH:MM` (`24:00` is 1440). */
export function minuteOfDay(time: string): number {
  const m = CLOCK_TIME.exec(time);
  if (!m) throw new FoyerError('validation_failed', `"${time}" is not a local time HH:MM.`, { time });
  return m[1] === undefined ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/** A daily window as minutes: where it starts and how long it lasts (1 to 1440). */
export function windowMinutes(schedule: Extract<ConnectorSchedule, { kind: 'daily' }>): {
  start: number;
  length: number;
} {
  if (!schedule.window) return { start: 0, length: 1440 };
  const start = minuteOfDay(schedule.window.from);
  const end = minuteOfDay(schedule.window.to);
  const length = (((end - start) % 1440) + 1440) % 1440;
  return { start, length: length === 0 ? 1440 : length };
}
