import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { minuteOfDay, parseConnectorSchedule, windowMinutes } from './connector-schedule.js';

describe('connector schedules', () => {
  it.each([
    [{ kind: 'daily', window: { from: '02:00', to: '06:00' } }, 120, 240],
    [{ kind: 'daily', window: { from: '22:30', to: '04:00' } }, 1350, 330],
    [{ kind: 'daily', window: { from: '00:00', to: '24:00' } }, 0, 1440],
    [{ kind: 'daily' }, 0, 1440],
  ])('reads the daily window %j as a start and a length in minutes', (value, start, length) => {
    const schedule = parseConnectorSchedule(value);
    expect(schedule.kind).toBe('daily');
    if (schedule.kind === 'daily') expect(windowMinutes(schedule)).toEqual({ start, length });
  });

  it('accepts every N hours from 1 to 168', () => {
    expect(parseConnectorSchedule({ kind: 'every', hours: 1 })).toEqual({ kind: 'every', hours: 1 });
    expect(parseConnectorSchedule({ kind: 'every', hours: 168 })).toEqual({ kind: 'every', hours: 168 });
  });

  it.each([
    ['no kind', { hours: 6 }],
    ['an unknown kind', { kind: 'weekly' }],
    ['zero hours', { kind: 'every', hours: 0 }],
    ['fractional hours', { kind: 'every', hours: 1.5 }],
    ['more than a week', { kind: 'every', hours: 169 }],
    ['an hour past 23', { kind: 'daily', window: { from: '25:00', to: '06:00' } }],
    ['minutes past 59', { kind: 'daily', window: { from: '02:60', to: '06:00' } }],
    ['a start at 24:00', { kind: 'daily', window: { from: '24:00', to: '06:00' } }],
    ['an empty window', { kind: 'daily', window: { from: '06:00', to: '06:00' } }],
    ['a window without its end', { kind: 'daily', window: { from: '06:00' } }],
    ['an unknown field', { kind: 'every', hours: 6, at: '02:00' }],
    ['a string', 'daily'],
  ])('rejects %s with validation_failed', (_, value) => {
    let caught: unknown;
    try {
      parseConnectorSchedule(value);
    } catch (e) {
      caught = e;
    }
    expect(isFoyerError(caught) && caught.code).toBe('validation_failed');
  });

  it('rejects a malformed local time', () => {
    expect(() => minuteOfDay('2:00')).toThrow(/not a local time/);
    expect(minuteOfDay('24:00')).toBe(1440);
  });
});
