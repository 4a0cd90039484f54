import { describe, expect, it } from 'vitest';
import type { ContentLine } from './content-line.js';
import { vtimezoneRules, type ObservanceInput } from './vtimezone.js';

const prop = (text: string): ContentLine => {
  const colon = text.indexOf(':');
  return {
    n: 1,
    group: '',
    name: text.slice(0, colon),
    params: new Map(),
    value: text.slice(colon + 1),
    skipped: false,
    truncated: false,
  };
};
const observance = (...lines: string[]): ObservanceInput => ({ n: 1, props: lines.map(prop) });
const hours = (ms: number) => ms / 3_600_000;

describe('vtimezoneRules', () => {
  it('follows yearly BYDAY rules and applies TZOFFSETTO from each onset', () => {
    const rules = vtimezoneRules(
      [
        observance(
          'DTSTART:16010325T020000',
          'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3',
          'TZOFFSETFROM:+0100',
          'TZOFFSETTO:+0200',
        ),
        observance(
          'DTSTART:16011028T030000',
          'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10',
          'TZOFFSETFROM:+0200',
          'TZOFFSETTO:+0100',
        ),
      ],
      [],
    )!;
    expect(hours(rules.offsetAt(Date.parse('2024-03-31T00:59:59Z')))).toBe(1);
    expect(hours(rules.offsetAt(Date.parse('2024-03-31T01:00:00Z')))).toBe(2);
    expect(hours(rules.offsetAt(Date.parse('2024-10-27T00:59:59Z')))).toBe(2);
    expect(hours(rules.offsetAt(Date.parse('2024-10-27T01:00:00Z')))).toBe(1);
  });

  it('stops a rule at UNTIL and after COUNT onsets, and reads a fixed offset', () => {
    // Eastern time whose summer rule ends after 2002 (UNTIL) or after two summers (COUNT).
    const eastern = (end: string) =>
      vtimezoneRules(
        [
          observance(
            'DTSTART:20000402T020000',
            `RRULE:FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;${end}`,
            'TZOFFSETFROM:-0500',
            'TZOFFSETTO:-0400',
          ),
          observance(
            'DTSTART:19991031T020000',
            'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
            'TZOFFSETFROM:-0400',
            'TZOFFSETTO:-0500',
          ),
        ],
        [],
      )!;
    const until = eastern('UNTIL=20020407T070000Z');
    expect(hours(until.offsetAt(Date.parse('2002-05-01T12:00:00Z')))).toBe(-4);
    expect(hours(until.offsetAt(Date.parse('2003-05-01T12:00:00Z')))).toBe(-5);
    const count = eastern('COUNT=2');
    expect(hours(count.offsetAt(Date.parse('2001-05-01T12:00:00Z')))).toBe(-4);
    expect(hours(count.offsetAt(Date.parse('2002-05-01T12:00:00Z')))).toBe(-5);
    const fixed = vtimezoneRules(
      [observance('DTSTART:16010101T000000', 'TZOFFSETFROM:+0530', 'TZOFFSETTO:+0530')],
      [],
    )!;
    expect(hours(fixed.offsetAt(Date.parse('2024-06-01T00:00:00Z')))).toBe(5.5);
  });

  it('reads RDATE onsets, and reports observances it cannot use', () => {
    const problems: { line: number; message: string }[] = [];
    const rules = vtimezoneRules(
      [
        observance('DTSTART:20100101T000000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0300'),
        observance('DTSTART:20140101T000000', 'RDATE:20141026T020000', 'TZOFFSETFROM:+0400', 'TZOFFSETTO:+0300'),
        observance('DTSTART:20110327T020000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0400'),
        observance('TZOFFSETTO:+0100'),
        observance('DTSTART:20000101T000000', 'RRULE:FREQ=MONTHLY;BYDAY=1SU', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100'),
      ],
      problems,
    )!;
    expect(hours(rules.offsetAt(Date.parse('2012-06-01T00:00:00Z')))).toBe(4);
    expect(hours(rules.offsetAt(Date.parse('2015-06-01T00:00:00Z')))).toBe(3);
    expect(problems.map((p) => p.message)).toEqual([
      'a time zone observance without a valid DTSTART, TZOFFSETFROM and TZOFFSETTO is ignored',
      'a time zone observance is read without its recurrence: its RRULE "FREQ=MONTHLY;BYDAY=1SU" is not a yearly rule',
    ]);
  });

  it('has no rules without a usable observance', () => {
    expect(vtimezoneRules([observance('TZNAME:X')], [])).toBeUndefined();
  });
});
