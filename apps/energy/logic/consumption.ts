import type { ElectricityDay, GasDay } from './types.js';

export type Season = 'winter' | 'spring' | 'summer' | 'autumn';

export interface Total {
  /** A day, a month (YYYY-MM) or a season key (e.g. 2024-25-winter, 2025-summer). */
  key: string;
  kwh: number;
  /** Days with a reading: a month with 30 of 31 days is not comparable as is. */
  days: number;
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

/** Kilowatt-hours per day; several delivery points of one energy are added up. */
export function byDay(readings: readonly (ElectricityDay | GasDay)[]): Total[] {
  return group(readings, (r) => r.date);
}

export function byMonth(readings: readonly (ElectricityDay | GasDay)[]): Total[] {
  return group(readings, (r) => r.date.slice(0, 7));
}

/**
 * Meteorological seasons: winter is December to February and is named by both its years (the
 * December of 2024 and the January of 2025 are the same winter, 2024-25-winter).
 */
export function seasonOf(day: string): { key: string; season: Season } {
  const year = Number(day.slice(0, 4));
  const month = Number(day.slice(5, 7));
  if (month === 12) return { key: `${year}-${String((year + 1) % 100).padStart(2, '0')}-winter`, season: 'winter' };
  if (month <= 2) return { key: `${year - 1}-${String(year % 100).padStart(2, '0')}-winter`, season: 'winter' };
  const season: Season = month <= 5 ? 'spring' : month <= 8 ? 'summer' : 'autumn';
  return { key: `${year}-${season}`, season };
}

export function bySeason(readings: readonly (ElectricityDay | GasDay)[]): (Total & { season: Season })[] {
  return group(readings, (r) => seasonOf(r.date).key).map((t) => ({
    ...t,
    season: t.key.slice(t.key.lastIndexOf('-') + 1) as Season,
  }));
}

/** Mean kWh per day of each season over every year given: how much winter weighs. */
export function seasonalMeans(readings: readonly (ElectricityDay | GasDay)[]): Record<Season, number> {
  const sums: Record<Season, { kwh: number; days: number }> = {
    winter: { kwh: 0, days: 0 },
    spring: { kwh: 0, days: 0 },
    summer: { kwh: 0, days: 0 },
    autumn: { kwh: 0, days: 0 },
  };
  for (const t of byDay(readings)) {
    const s = sums[seasonOf(t.key).season];
    s.kwh += t.kwh;
    s.days += 1;
  }
  const mean = (s: { kwh: number; days: number }): number => (s.days > 0 ? round3(s.kwh / s.days) : 0);
  return { winter: mean(sums.winter), spring: mean(sums.spring), summer: mean(sums.summer), autumn: mean(sums.autumn) };
}

function group(readings: readonly (ElectricityDay | GasDay)[], keyOf: (r: ElectricityDay | GasDay) => string): Total[] {
  const totals = new Map<string, { key: string; kwh: number; dates: Set<string>; first: string }>();
  for (const r of readings) {
    if (!Number.isFinite(r.energyKwh)) continue;
    const key = keyOf(r);
    let t = totals.get(key);
    if (!t) totals.set(key, (t = { key, kwh: 0, dates: new Set(), first: r.date }));
    t.kwh += r.energyKwh;
    t.dates.add(r.date);
    if (r.date < t.first) t.first = r.date;
  }
  // In time order: season keys do not sort as text.
  return [...totals.values()]
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0))
    .map((t) => ({ key: t.key, kwh: round3(t.kwh), days: t.dates.size }));
}
