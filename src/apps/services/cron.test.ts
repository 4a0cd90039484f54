import { describe, expect, it } from 'vitest';
import { nextCronTime } from './cron.js';

const at = (iso: string) => Date.parse(iso);
const next = (cron: string, after: string) => {
  const t = nextCronTime(cron, at(after));
  return t === null ? null : new Date(t).toISOString();
};

describe('cron schedules', () => {
  it('finds the next minute of a daily schedule, strictly after', () => {
    expect(next('0 7 * * *', '2025-03-11T06:59:30Z')).toBe('2025-03-11T07:00:00.000Z');
    expect(next('0 7 * * *', '2025-03-11T07:00:00Z')).toBe('2025-03-12T07:00:00.000Z');
  });

  it('handles steps, ranges, lists and months', () => {
    expect(next('*/15 * * * *', '2025-03-11T10:07:00Z')).toBe('2025-03-11T10:15:00.000Z');
    expect(next('30 8-9 * * *', '2025-03-11T08:31:00Z')).toBe('2025-03-11T09:30:00.000Z');
    expect(next('0 0 1 1,7 *', '2025-03-11T00:00:00Z')).toBe('2025-07-01T00:00:00.000Z');
  });

  it('matches weekdays (Sunday as 0 or 7) and either day field when both are set', () => {
    expect(next('0 9 * * 1-5', '2025-03-08T12:00:00Z')).toBe('2025-03-10T09:00:00.000Z');
    expect(next('0 9 * * 7', '2025-03-10T12:00:00Z')).toBe('2025-03-16T09:00:00.000Z');
    expect(next('0 9 13 * 6', '2025-03-10T12:00:00Z')).toBe('2025-03-13T09:00:00.000Z');
  });

  it('answers null for a date that never comes', () => {
    expect(next('0 0 31 2 *', '2025-01-01T00:00:00Z')).toBeNull();
  });
});
