import { addDays, nextParisMidnight, parisDate, parisMidnight } from './time.js';

/** The Paris calendar days that lie wholly inside [fromMs, toMs), at most `count`, in order. */
export function wholeParisDays(fromMs: number, toMs: number, count: number): string[] {
  const days: string[] = [];
  let day = parisDate(nextParisMidnight(fromMs));
  while (days.length < count && parisMidnight(Date.parse(`${addDays(day, 1)}T12:00:00Z`)) <= toMs) {
    days.push(day);
    day = addDays(day, 1);
  }
  return days;
}
