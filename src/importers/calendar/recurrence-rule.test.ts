import { describe, expect, it } from 'vitest';
import { parseRecurrenceRule } from './recurrence-rule.js';

describe('parseRecurrenceRule', () => {
  it('writes rules back with FREQ first, in upper case, without X- parts', () => {
    expect(parseRecurrenceRule('byday=mo,we;freq=weekly;interval=2;X-NAME=foo')).toMatchObject({
      ok: true,
      rule: 'FREQ=WEEKLY;BYDAY=MO,WE;INTERVAL=2',
    });
    expect(parseRecurrenceRule('RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20241231T235959Z;')).toMatchObject({
      ok: true,
      rule: 'FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20241231T235959Z',
    });
    expect(parseRecurrenceRule('FREQ=YEARLY;RSCALE=GREGORIAN;SKIP=FORWARD;BYMONTH=2;BYMONTHDAY=29')).toMatchObject({
      ok: true,
    });
  });

  it('says why a rule is garbage', () => {
    const reasons = [
      '',
      'BYDAY=MO',
      'FREQ=SOMETIMES',
      'FREQ=DAILY;COUNT=0',
      'FREQ=DAILY;COUNT=3;UNTIL=20240101',
      'FREQ=DAILY;BYDAY=XX',
      'FREQ=DAILY;BYMONTH=13',
      'FREQ=DAILY;UNTIL=20241345',
      'FREQ=DAILY;FREQ=WEEKLY',
      'FREQ=DAILY;WHEN=NOW',
      'FREQ=DAILY;garbage',
    ].map((rule) => {
      const parsed = parseRecurrenceRule(rule);
      return parsed.ok ? 'ok' : parsed.reason;
    });
    expect(reasons).toEqual([
      'it is empty',
      'FREQ is missing',
      'FREQ: "SOMETIMES" is not a frequency',
      'COUNT: "0" is not a positive whole number',
      'UNTIL and COUNT cannot both be given',
      'BYDAY: "XX" is not a weekday',
      'BYMONTH: "13" is not a month',
      'UNTIL: "20241345" is not a date',
      'FREQ is given twice',
      '"WHEN" is not a part of a recurrence rule',
      '"garbage" is not NAME=value',
    ]);
  });
});
