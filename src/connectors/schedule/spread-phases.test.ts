import { describe, expect, it } from 'vitest';
import type { ConnectorSchedule } from './connector-schedule.js';
import { jitter } from './jitter.js';
import { slotAtOrAfter } from './plan-next-run.js';
import type { InstalledConnector } from './schedule-facts.js';
import { phaseKey, spreadPhases } from './spread-phases.js';

const NIGHT: ConnectorSchedule = { frequency: 'daily', window: { start: '02:00', end: '06:00' } };
const T = Date.parse('2026-06-15T10:00:00.000Z');

const fleet = (n: number, schedule = NIGHT, timeZone = 'Europe/Paris', from = 0): InstalledConnector[] =>
  Array.from({ length: n }, (_, i) => ({ space: `space-${from + i}`, connectorId: 'bank', schedule, timeZone }));

describe('stratified phases', () => {
  it('leaves a lone connector its plain hash', () => {
    const [c] = fleet(1);
    expect(spreadPhases([c!]).get(phaseKey(c!))).toBe(jitter(c!.space, c!.connectorId));
  });

  it('gives each of n connectors of a group its own n-th of the period', () => {
    const phases = [...spreadPhases(fleet(1000)).values()];
    const strata = new Set(phases.map((p) => Math.floor(p * 1000)));
    expect(strata.size).toBe(1000);
    for (const p of phases) expect(p >= 0 && p < 1).toBe(true);
  });

  it('gives the same phases for the same connectors, in whatever order they are listed', () => {
    const list = [...fleet(300), ...fleet(300, NIGHT, 'Asia/Tokyo', 300)];
    const a = spreadPhases(list);
    const b = spreadPhases([...list].reverse());
    expect([...b.entries()].sort()).toEqual([...a.entries()].sort());
  });

  it('moves the others by at most a stratum when one more connector is installed', () => {
    const before = spreadPhases(fleet(500));
    const after = spreadPhases(fleet(501));
    for (const [key, phase] of before) expect(Math.abs(after.get(key)! - phase)).toBeLessThan(2 / 500);
  });

  it('spreads groups of different windows or time zones each over their own period', () => {
    const paris = fleet(400);
    const tokyo = fleet(400, NIGHT, 'Asia/Tokyo', 400);
    const weekly = fleet(400, { frequency: 'weekly' }, 'Europe/Paris', 800);
    const phases = spreadPhases([...paris, ...tokyo, ...weekly]);
    for (const group of [paris, tokyo, weekly]) {
      const strata = new Set(group.map((c) => Math.floor(phases.get(phaseKey(c))! * 400)));
      expect(strata.size).toBe(400);
    }
  });

  it('puts 10,000 connectors of one 4-hour window at most 43 in any minute (the mean is 41.7)', () => {
    const list = fleet(10_000);
    const phases = spreadPhases(list);
    const perMinute = new Map<number, number>();
    for (const c of list) {
      const minute = Math.floor(slotAtOrAfter({ ...c, phase: phases.get(phaseKey(c))! }, T) / 60_000);
      perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
    }
    expect(perMinute.size).toBe(240);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(43);
    expect(Math.min(...perMinute.values())).toBeGreaterThanOrEqual(40);
  });
});
