import { Rng } from '../../../catalog/synthetic/rng.js';
import type { GenContext } from './context.js';
import type { ProfileId } from './customers.js';
import { dayNumber, dayString } from './days.js';

export interface Holiday {
  start: string;
  days: number;
  place: { name: string; lat: number; lon: number; country: string; city: string };
}

const holidayPlaces: Record<ProfileId, Holiday['place']> = {
  family: { name: 'Location de vacances', lat: 47.2802, lon: -2.3908, country: 'FR', city: 'La Baule' },
  student: { name: 'Chez les parents', lat: 47.4698, lon: -0.5593, country: 'FR', city: 'Angers' },
  retirees: { name: 'Hôtel Miramar', lat: 42.2625, lon: 3.1766, country: 'ES', city: 'Roses' },
  'single-parent': { name: 'Camping des Dunes', lat: 46.3469, lon: -1.4325, country: 'FR', city: 'La Tranche-sur-Mer' },
};

/**
 * One absence a year per customer, drawn per (customer, year): summer by the sea for families,
 * August at the parents' for the student, June or September in Spain for the retired. While away
 * the home draws standby power and little water, and cards and phones follow the customer.
 */
export function holidayOf(ctx: GenContext, year: number): Holiday {
  return ctx.memo(`holiday:${year}`, () => {
    const rng = new Rng(`${ctx.seed}|${ctx.customer.id}|life|holiday|${year}`);
    const profile = ctx.customer.profile;
    const [from, spread, days] =
      profile === 'student'
        ? [`${year}-07-28`, 8, 21]
        : profile === 'retirees'
          ? rng.chance(0.5)
            ? [`${year}-06-01`, 20, 10]
            : [`${year}-09-05`, 15, 10]
          : [`${year}-07-08`, 25, 14];
    return { start: dayString(dayNumber(from) + rng.int(0, spread)), days, place: holidayPlaces[profile] };
  });
}

export function awayOn(ctx: GenContext, day: string): Holiday | undefined {
  const h = holidayOf(ctx, Number(day.slice(0, 4)));
  const n = dayNumber(day) - dayNumber(h.start);
  return n >= 0 && n < h.days ? h : undefined;
}
