import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { DAY_MS, isoInstant, parisToUtc, toParis } from '../../synthetic/time.js';

const films = [
  { title: 'Le Comte de Monte-Cristo', genre: 'aventure', runtime: 178, rating: '12' },
  { title: 'Anatomie d’une chute', genre: 'drame', runtime: 151, rating: '12' },
  { title: 'Un p’tit truc en plus', genre: 'comédie', runtime: 99, rating: 'all' },
  { title: 'Le Règne animal', genre: 'fantastique', runtime: 128, rating: '12' },
  { title: 'Astérix et Obélix : L’Empire du milieu', genre: 'comédie', runtime: 111, rating: 'all' },
  { title: 'Wish : Asha et la bonne étoile', genre: 'animation', runtime: 95, rating: 'all' },
  { title: 'Les Trois Mousquetaires : Milady', genre: 'aventure', runtime: 115, rating: '12' },
  { title: 'Dune : Deuxième partie', genre: 'science-fiction', runtime: 166, rating: '12' },
] as const;

/** `count` evening rentals (and a few purchases and episodes) on the household's box, in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const times = Array.from({ length: count }, () => {
    const l = toParis(fromMs + Math.floor(rng.next() * (toMs - fromMs)));
    const at = parisToUtc(
      l.year,
      l.month,
      l.day,
      rng.weighted([
        [14, 1],
        [17, 1],
        [20, 4],
        [21, 5],
        [22, 2],
      ] as const),
      rng.int(0, 59),
    );
    return Math.min(Math.max(at, fromMs), toMs - 1);
  }).sort((a, b) => a - b);
  return times.map((t) => {
    const base = { vendor: h.telecom.vendor, lineNumber: h.telecom.boxNumber, date: isoInstant(t), currency: 'EUR' };
    if (rng.chance(0.15)) {
      return {
        ...base,
        title: `Épisode ${rng.int(1, 8)}`,
        contentType: 'episode',
        seriesTitle: rng.pick(['Les Gouttes de Dieu', 'Lupin', 'Dix pour cent']),
        season: rng.int(1, 3),
        episode: rng.int(1, 8),
        transaction: 'purchase',
        amount: 2.99,
        runtimeMinutes: rng.int(42, 58),
        quality: 'hd',
        ageRating: '12',
      };
    }
    const film = rng.pick(films);
    const quality = rng.weighted([
      ['hd', 8],
      ['uhd', 2],
    ] as const);
    return {
      ...base,
      title: film.title,
      contentType: 'movie',
      genre: film.genre,
      transaction: 'rental',
      amount: quality === 'uhd' ? 5.99 : 4.99,
      availableUntil: isoInstant(t + 2 * DAY_MS),
      runtimeMinutes: film.runtime,
      quality,
      ageRating: film.rating,
    };
  });
}
