import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { minuteOfDay, windowMinutes } from './connector-schedule.js';

describe('connector schedule windows', () => {
  it.each([
    [{ start: '02:00', end: '06:00' }, 120, 240],
    [{ start: '22:30', end: '04:00' }, 1350, 330],
    [{ start: '07:15', end: '07:15' }, 435, 1440],
    [{ start: '00:00', end: '23:59' }, 0, 1439],
  ])('reads the window %j as a start and a length in minutes', (window, start, length) => {
    expect(windowMinutes({ frequency: 'daily', window })).toEqual({ start, length });
  });

  it('takes no window as the whole day', () => {
    expect(windowMinutes({ frequency: 'weekly' })).toEqual({ start: 0, length: 1440 });
  });

  it.each(['2:00', '24:00', '12:60', '12h30', ''])('rejects the local time "%s" with validation_failed', (time) => {
    let caught: unknown;
    try {
      windowMinutes({ frequency: 'daily', window: { start: '02:00', end: time } });
    } catch (e) {
      caught = e;
    }
    expect(isFoyerError(caught) && caught.code).toBe('validation_failed');
    expect(() => minuteOfDay(time)).toThrow(/not a local time/);
  });
});
