import { describe, expect, it } from 'vitest';
import type { RunError } from '../connector-records.js';
import { outcomeOfRun, scheduleFacts } from './schedule-facts.js';

const ENDED = '2026-06-15T10:00:00.000Z';
const error = (code: RunError['code'], retryAfterSeconds?: number): RunError => ({
  code,
  message: 'm',
  detail: 'd',
  retry: 'backoff',
  ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
});

describe('schedule facts from the run history', () => {
  it('reads a succeeded run as ok, a failed one as its code', () => {
    expect(outcomeOfRun({ outcome: 'succeeded', endedAt: ENDED, error: null })).toEqual({
      outcome: 'ok',
      endedAt: ENDED,
    });
    expect(outcomeOfRun({ outcome: 'failed', endedAt: ENDED, error: error('login_failed') })).toEqual({
      outcome: 'login_failed',
      endedAt: ENDED,
    });
  });

  it("counts the holder's Retry-After from the run's end", () => {
    expect(outcomeOfRun({ outcome: 'failed', endedAt: ENDED, error: error('quota', 90) })).toEqual({
      outcome: 'quota',
      endedAt: ENDED,
      retryAfter: '2026-06-15T10:01:30.000Z',
    });
  });

  it('reads a failed run without an error as internal', () => {
    expect(outcomeOfRun({ outcome: 'failed', endedAt: ENDED, error: null }).outcome).toBe('internal');
  });

  it("pauses while the installation's attention stands", () => {
    const runs = [{ outcome: 'failed' as const, endedAt: ENDED, error: error('login_failed') }];
    const attention = { code: 'login_failed' as const, since: ENDED, run: 'r1' };
    expect(scheduleFacts({ attention, actedAt: null }, runs)).toEqual({
      recent: [{ outcome: 'login_failed', endedAt: ENDED }],
      attention: true,
      actedAt: null,
    });
    const acted = '2026-06-16T08:00:00.000Z';
    expect(scheduleFacts({ attention: null, actedAt: acted }, runs)).toMatchObject({
      attention: false,
      actedAt: acted,
    });
  });
});
