import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import { offset, usualPlaces, type UsualPlace } from '../../synthetic/places.js';
import { round, type Rng } from '../../synthetic/rng.js';
import { isoInstant, toParis } from '../../synthetic/time.js';

/** Where the person is at a Paris local time: home at night, work on weekdays, elsewhere at weekends. */
function whereabouts(
  places: UsualPlace[],
  local: ReturnType<typeof toParis>,
): { from: UsualPlace; to: UsualPlace; progress: number } {
  const [home, work, shop, , restaurant, sport, park] = places as [UsualPlace, ...UsualPlace[]];
  const hour = local.hour + local.minute / 60;
  const weekend = local.weekday === 0 || local.weekday === 6;
  const stay = (p: UsualPlace | undefined) => ({ from: p ?? home, to: p ?? home, progress: 0 });
  const move = (a: UsualPlace | undefined, b: UsualPlace | undefined, start: number, end: number) => ({
    from: a ?? home,
    to: b ?? home,
    progress: (hour - start) / (end - start),
  });
  if (!weekend) {
    if (hour < 8) return stay(home);
    if (hour < 8.5) return move(home, work, 8, 8.5);
    if (hour < 12.25) return stay(work);
    if (hour < 13.25) return stay(restaurant);
    if (hour < 17.75) return stay(work);
    if (hour < 18.25) return move(work, shop, 17.75, 18.25);
    if (hour < 18.75) return stay(shop);
    if (hour < 19) return move(shop, home, 18.75, 19);
    return stay(home);
  }
  if (hour < 10) return stay(home);
  if (hour < 11.5) return stay(local.weekday === 6 ? shop : sport);
  if (hour < 14) return stay(home);
  if (hour < 17) return stay(park);
  return stay(home);
}

/** `count` points of the first adult's phone within [from, to), in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const places = usualPlaces(h, rng.fork('places'));
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const w = whereabouts(places, toParis(t));
    const moving = w.from !== w.to;
    const source = rng.weighted([
      ['gps', 4],
      ['fused', 4],
      ['wifi', 2],
      ['operator', 1],
    ] as const);
    const accuracy = {
      gps: rng.float(3, 15),
      fused: rng.float(5, 30),
      wifi: rng.float(15, 60),
      operator: rng.float(300, 2500),
    }[source];
    const lat = w.from.lat + (w.to.lat - w.from.lat) * w.progress;
    const lon = w.from.lon + (w.to.lon - w.from.lon) * w.progress;
    const p = offset(lat, lon, rng.normal(0, accuracy / 1.5), rng.normal(0, accuracy / 1.5));
    return {
      deviceId: h.deviceIds[0],
      t: isoInstant(t),
      lat: round(p.lat, 6),
      lon: round(p.lon, 6),
      accuracyMetres: Math.round(accuracy),
      ...(source === 'gps' ? { altitudeMetres: Math.round(rng.float(150, 180)) } : {}),
      ...(moving && source === 'gps' ? { speedMetresPerSecond: round(rng.float(3, 12), 1) } : {}),
      source,
      ...(source === 'operator'
        ? {}
        : { activity: moving ? rng.pick(['cycling', 'in_vehicle', 'walking'] as const) : 'still' }),
    };
  });
}
