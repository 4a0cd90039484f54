import { describe, expect, it } from 'vitest';
import { ConnectorError, type FetchResponse } from '../sdk.js';
import { judge, retryAfterSeconds } from './kit-calls.js';

const NOW = Date.UTC(2026, 2, 10, 12);

const answer = (status: number, body: unknown = {}, headers: Record<string, string> = {}): FetchResponse => {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { status, ok: status < 300, headers, text: () => text, json: () => JSON.parse(text) as unknown };
};

function judged(res: FetchResponse): ConnectorError | null {
  try {
    judge(res, 'bill', NOW);
    return null;
  } catch (e) {
    return e as ConnectorError;
  }
}

describe('Holder Kit answers in Foyer’s error taxonomy', () => {
  it('lets a 200 through', () => {
    expect(judged(answer(200))).toBe(null);
  });

  it.each([
    [401, { error: 'invalid_token' }, 'login_failed', 'bill: the holder answered 401 invalid_token'],
    [403, { error: 'insufficient_scope' }, 'user_action_needed', 'does not cover it any more'],
    [500, { error: 'server_error' }, 'holder_unavailable', 'answered 500 server_error'],
    [504, 'gateway timeout', 'holder_unavailable', 'answered 504.'],
    [400, { error: 'invalid_cursor' }, 'holder_format_changed', 'answered 400 invalid_cursor'],
    [404, { error: 'unknown_doctype' }, 'holder_format_changed', 'answered 404 unknown_doctype'],
    [302, '', 'holder_format_changed', 'answered 302'],
  ])('maps %i %j to %s', (status, body, code, message) => {
    const error = judged(answer(status, body));
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code });
    expect(error!.message).toContain(message);
  });

  it('maps a 429 to quota with the Retry-After, in seconds or as a date', () => {
    expect(judged(answer(429, { error: 'rate_limited' }, { 'retry-after': '120' }))).toMatchObject({
      code: 'quota',
      retryAfterSeconds: 120,
    });
    const date = new Date(NOW + 90_000).toUTCString();
    expect(judged(answer(429, {}, { 'retry-after': date }))).toMatchObject({ code: 'quota', retryAfterSeconds: 90 });
    expect(judged(answer(429, {}, {}))!.retryAfterSeconds).toBeUndefined();
  });

  it('reads Retry-After as delay-seconds or an HTTP date, and ignores anything else', () => {
    expect(retryAfterSeconds(' 30 ', NOW)).toBe(30);
    expect(retryAfterSeconds(new Date(NOW - 5000).toUTCString(), NOW)).toBe(1);
    expect(retryAfterSeconds('soon', NOW)).toBeUndefined();
    expect(retryAfterSeconds('-5', NOW)).toBeUndefined();
    expect(retryAfterSeconds(undefined, NOW)).toBeUndefined();
  });
});
