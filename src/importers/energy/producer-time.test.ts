import { describe, expect, it } from 'vitest';
import { createLocalResolver, instantsOf, parseTimestamp, type LocalDateTime } from './producer-time.js';

const local = (text: string): LocalDateTime => {
  const t = parseTimestamp(text);
  if (t?.kind !== 'local') throw new Error(`not a local time: ${text}`);
  return t.local;
};
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('parseTimestamp', () => {
  it('reads instants with an offset as UTC instants', () => {
    expect(parseTimestamp('2024-10-27T02:30:00+01:00')).toMatchObject({
      kind: 'instant',
      ms: Date.parse('2024-10-27T01:30:00Z'),
    });
    expect(parseTimestamp('2024-10-27T02:30:00+0200')).toMatchObject({
      kind: 'instant',
      ms: Date.parse('2024-10-27T00:30:00Z'),
    });
    expect(parseTimestamp('2025-05-01T04:12:00.000Z')).toMatchObject({
      kind: 'instant',
      ms: Date.parse('2025-05-01T04:12:00Z'),
    });
  });

  it('keeps local times and days without offset as local', () => {
    expect(parseTimestamp('2024-10-27 02:30:00')).toMatchObject({
      kind: 'local',
      dateOnly: false,
      local: { hour: 2, minute: 30 },
    });
    expect(parseTimestamp('27/10/2024 02:30')).toMatchObject({
      kind: 'local',
      local: { year: 2024, month: 10, day: 27, hour: 2 },
    });
    expect(parseTimestamp('2024-03-31')).toMatchObject({ kind: 'local', dateOnly: true });
  });

  it('refuses dates and times that do not exist on any calendar', () => {
    expect(parseTimestamp('2024-02-30 00:00:00')).toBeUndefined();
    expect(parseTimestamp('2024-10-27 25:00:00')).toBeUndefined();
    expect(parseTimestamp('2024-10-27T02:30:00+15:00')).toBeUndefined();
    expect(parseTimestamp('yesterday')).toBeUndefined();
  });
});

describe('local Paris times around the changes', () => {
  it('finds two instants for a repeated autumn time, none for a skipped spring time', () => {
    expect(instantsOf(local('2024-10-27 02:30:00'), 'Europe/Paris').map(iso)).toEqual([
      '2024-10-27T00:30:00.000Z',
      '2024-10-27T01:30:00.000Z',
    ]);
    expect(instantsOf(local('2024-03-31 02:30:00'), 'Europe/Paris')).toEqual([]);
    expect(instantsOf(local('2024-03-31 03:00:00'), 'Europe/Paris').map(iso)).toEqual(['2024-03-31T01:00:00.000Z']);
  });

  it('tells repeated times apart by file order, forwards and backwards', () => {
    const forward = createLocalResolver();
    const times = ['01:30', '02:00', '02:30', '02:00', '02:30', '03:00'].map((t) => `2024-10-27 ${t}:00`);
    expect(times.map((t) => iso(forward(local(t))))).toEqual([
      '2024-10-26T23:30:00.000Z',
      '2024-10-27T00:00:00.000Z',
      '2024-10-27T00:30:00.000Z',
      '2024-10-27T01:00:00.000Z',
      '2024-10-27T01:30:00.000Z',
      '2024-10-27T02:00:00.000Z',
    ]);
    const backward = createLocalResolver();
    expect([...times].reverse().map((t) => iso(backward(local(t))))).toEqual([
      '2024-10-27T02:00:00.000Z',
      '2024-10-27T01:30:00.000Z',
      '2024-10-27T01:00:00.000Z',
      '2024-10-27T00:30:00.000Z',
      '2024-10-27T00:00:00.000Z',
      '2024-10-26T23:30:00.000Z',
    ]);
  });

  it('answers undefined for a skipped time', () => {
    expect(createLocalResolver()(local('2024-03-31 02:00:00'))).toBeUndefined();
  });
});
