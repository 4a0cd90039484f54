import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { addDays, isoInstant, parisDate, parisToUtc, toParis } from '../../synthetic/time.js';

const timed = [
  { title: 'Réunion d’équipe', calendar: 'Travail', hour: 9.5, minutes: 60, location: 'Salle Jupiter' },
  { title: 'Point projet', calendar: 'Travail', hour: 14, minutes: 30, location: 'Visio' },
  { title: 'Rendez-vous médecin', calendar: 'Personnel', hour: 18, minutes: 30, location: 'Cabinet médical du Parc' },
  { title: 'Dîner chez Marie et Jean', calendar: 'Famille', hour: 20, minutes: 180, location: '' },
  { title: 'Piscine', calendar: 'Personnel', hour: 19, minutes: 60, location: 'Piscine municipale' },
  {
    title: 'Réunion parents-professeurs',
    calendar: 'Famille',
    hour: 18.5,
    minutes: 90,
    location: 'École élémentaire Jean Moulin',
  },
  { title: 'Contrôle technique voiture', calendar: 'Personnel', hour: 10, minutes: 60, location: 'Garage du Centre' },
] as const;

/** `count` events of the household's calendars starting within [from, to), in day order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const me = h.adults[0];
  const days = Array.from({ length: count }, () => parisDate(fromMs + Math.floor(rng.next() * (toMs - fromMs)))).sort();
  return days.map((day) => {
    const uid = `${day.replaceAll('-', '')}-${rng.hex(12)}@foyer.example`;
    if (rng.chance(0.15)) {
      const person = rng.pick([...h.adults, ...h.children]);
      return {
        uid,
        title: rng.chance(0.5) ? `Anniversaire ${person.givenName}` : 'Congés',
        allDay: true,
        start: day,
        end: addDays(day, 1),
        timeZone: 'Europe/Paris',
        busy: false,
        calendar: 'Famille',
      };
    }
    const e = rng.pick(timed);
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    const start = Math.min(Math.max(parisToUtc(y, m, d, Math.floor(e.hour), (e.hour % 1) * 60), fromMs), toMs - 1);
    const weekly = e.title === 'Piscine' || e.title === 'Réunion d’équipe';
    const work = e.calendar === 'Travail';
    return {
      uid,
      title: e.title,
      start: isoInstant(start),
      end: isoInstant(start + e.minutes * 60_000),
      timeZone: 'Europe/Paris',
      ...(e.location ? { location: e.location } : {}),
      status: rng.chance(0.9) ? 'confirmed' : 'tentative',
      busy: true,
      ...(weekly
        ? { recurrence: `FREQ=WEEKLY;BYDAY=${['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'][toParis(start).weekday]}` }
        : {}),
      calendar: e.calendar,
      ...(work
        ? {
            organizer: { name: 'Claire Morin', email: 'claire.morin@acme.example' },
            attendees: [
              {
                name: `${me.givenName} ${me.familyName}`,
                email: me.email,
                status: rng.pick(['accepted', 'tentative', 'needs_action'] as const),
              },
              { name: 'Karim Benali', email: 'karim.benali@acme.example', status: 'accepted' },
            ],
          }
        : {}),
      reminderMinutes: [rng.pick([10, 30, 60, 1440])],
    };
  });
}
