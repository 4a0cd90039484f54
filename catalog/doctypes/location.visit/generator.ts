import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { usualPlaces, type UsualPlace } from '../../synthetic/places.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { MINUTE_MS, addDays, isoInstant, parisDate, parisToUtc, toParis } from '../../synthetic/time.js';

type Plan = [UsualPlace, number, number][];

/** One day's stays as [place, arrival hour, departure hour], Paris time. */
function dayPlan(rng: Rng, places: UsualPlace[], weekday: number): Plan {
  const [home, work, shop, bakery, restaurant, sport, park, doctor, family] = places as UsualPlace[] & { length: 9 };
  if (weekday === 0 || weekday === 6) {
    const outing = rng.pick([park, family, sport]) as UsualPlace;
    return [
      [home, 0, 9.5],
      [bakery as UsualPlace, 9.7, 9.9],
      [home, 10.1, 14],
      [outing, 14.5, 17.5],
      [home, 18, 24],
    ] as Plan;
  }
  const plan: Plan = [
    [home as UsualPlace, 0, 8],
    [work as UsualPlace, 8.5, 12.2],
    [rng.chance(0.5) ? (restaurant as UsualPlace) : (work as UsualPlace), 12.3, 13.3],
    [work as UsualPlace, 13.4, 17.7],
  ];
  if (rng.chance(0.1)) plan.push([doctor as UsualPlace, 18, 18.6]);
  else plan.push([shop as UsualPlace, 18.1, 18.5]);
  plan.push([home as UsualPlace, 19, 24]);
  return plan;
}

/** Up to `count` consecutive visits of the first adult within [from, to), in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const places = usualPlaces(h, rng.fork('places'));
  const out: Record<string, unknown>[] = [];
  let last: { place: UsualPlace; end: number } | null = null;
  for (let day = parisDate(fromMs); ; day = addDays(day, 1)) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    if (parisToUtc(y, m, d) >= toMs) break;
    const weekday = toParis(parisToUtc(y, m, d, 12)).weekday;
    for (const [place, arrive, leave] of dayPlan(rng, places, weekday)) {
      const jitter = () => rng.int(-8, 8) * MINUTE_MS;
      const at = (hour: number) => parisToUtc(y, m, d, Math.floor(hour), Math.round((hour % 1) * 60));
      const start = Math.max(at(arrive) + jitter(), fromMs);
      const end = Math.min(leave === 24 ? parisToUtc(y, m, d + 1) - MINUTE_MS : at(leave) + jitter(), toMs - 1);
      if (end <= start) continue;
      // A stay that goes on (overnight at home, lunch at the desk) is one visit, as timelines merge it.
      const previous = out[out.length - 1];
      if (last && previous && last.place === place && start - last.end <= 2 * MINUTE_MS * 60) {
        previous.end = isoInstant(end);
        last.end = end;
        continue;
      }
      if (out.length >= count) return out;
      out.push({
        start: isoInstant(start),
        end: isoInstant(end),
        lat: round(place.lat, 6),
        lon: round(place.lon, 6),
        radiusMetres: rng.int(15, 80),
        placeName: place.name,
        placeCategory: place.category,
        address: { street: place.street, postalCode: h.home.postalCode, city: h.home.city, country: 'FR' },
        confidence: round(rng.float(0.6, 0.99), 2),
        source: 'device',
        deviceId: h.deviceIds[0],
      });
      last = { place, end };
    }
  }
  return out;
}
