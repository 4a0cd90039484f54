import type { Household } from './household.js';
import type { Rng } from './rng.js';
import { winterness, type LocalTime } from './time.js';

const bump = (hour: number, centre: number, width: number): number => Math.exp(-(((hour - centre) / width) ** 2));

/**
 * Average household power draw in watts at a Paris local time: a base load (fridge, standby),
 * morning and evening peaks (later at weekends), electric heating that follows the season, and
 * a water heater that starts with off-peak hours. Multiplied by noise so no two days are alike.
 */
export function householdPowerW(rng: Rng, h: Household, local: LocalTime): number {
  const hour = local.hour + local.minute / 60;
  const weekend = local.weekday === 0 || local.weekday === 6;
  const winter = winterness(local);
  const people = h.adults.length + h.children.length;
  let watts = 120 + 25 * people;
  watts += (weekend ? 700 : 900) * bump(hour, weekend ? 9.5 : 7.25, 1);
  watts += (weekend ? 800 : 250) * bump(hour, 12.75, 1.1);
  watts += (1100 + 150 * people) * bump(hour, 19.75, 1.6);
  // Lighting: evenings are longer in winter.
  watts += 200 * Math.max(0, winter) * bump(hour, 18.5, 2);
  if (h.home.heating === 'electric') {
    const need = Math.max(0, winter + 0.25) * (h.home.surfaceM2 * 28);
    watts += need * (hour < 6 || hour >= 23 ? 0.7 : 1);
  }
  if (h.electricity.tariffOption !== 'base' && (hour >= 22.5 || hour < 1.5)) watts += 1800;
  return Math.max(60, Math.round(watts * Math.exp(rng.normal(0, 0.18))));
}
