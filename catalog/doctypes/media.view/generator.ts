import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const films = [
  { title: 'Le Comte de Monte-Cristo', minutes: 178 },
  { title: 'Anatomie d’une chute', minutes: 151 },
  { title: 'Le Règne animal', minutes: 128 },
] as const;

const series = [
  { title: 'Lupin', seasonWord: 'Partie', episodeWord: 'Chapitre', minutes: 46 },
  { title: 'Dix pour cent', seasonWord: 'Saison', episodeWord: 'Épisode', minutes: 52 },
] as const;

const devices = ['Samsung 2020 UHD TV', 'Chrome PC (Cadmium)', 'Apple iPad Air 4th Gen (Wi-Fi)'];

/** `count` evening sessions within [from, to), in time order: episodes, films, some trailers. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const profiles = [h.adults[0].givenName, h.adults[1].givenName];
  const starts = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return starts.map((start) => {
    const base = { platform: 'netflix', profile: rng.pick(profiles), device: rng.pick(devices), country: 'FR' };
    const kind = rng.weighted([
      ['episode', 6],
      ['movie', 2],
      ['trailer', 2],
    ] as const);
    if (kind === 'trailer') {
      const seconds = rng.int(5, 90);
      return {
        ...base,
        title: `${rng.pick(series).title} : Saison 1 (Bande-annonce)`,
        supplementalType: 'trailer',
        start: isoInstant(start),
        end: isoInstant(start + seconds * 1000),
        durationSeconds: seconds,
        positionSeconds: seconds,
        latestView: true,
        autoplayed: true,
      };
    }
    if (kind === 'movie') {
      const film = rng.pick(films);
      const seconds = rng.chance(0.7) ? film.minutes * 60 - rng.int(0, 300) : rng.int(600, film.minutes * 60);
      return {
        ...base,
        title: film.title,
        contentType: 'movie',
        start: isoInstant(start),
        end: isoInstant(start + seconds * 1000),
        durationSeconds: seconds,
        positionSeconds: seconds,
        latestView: true,
        autoplayed: false,
      };
    }
    const show = rng.pick(series);
    const season = rng.int(1, 3);
    const episode = rng.int(1, 8);
    const episodeTitle = `${show.episodeWord} ${episode}`;
    const seconds = rng.int(300, show.minutes * 60);
    return {
      ...base,
      title: `${show.title}: ${show.seasonWord} ${season}: ${episodeTitle}`,
      contentType: 'episode',
      seriesTitle: show.title,
      seasonLabel: `${show.seasonWord} ${season}`,
      season,
      episodeTitle,
      start: isoInstant(start),
      end: isoInstant(start + seconds * 1000),
      durationSeconds: seconds,
      positionSeconds: seconds,
      latestView: rng.chance(0.7),
      autoplayed: rng.chance(0.3),
    };
  });
}
