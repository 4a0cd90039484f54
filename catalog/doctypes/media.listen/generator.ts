import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const tracks = [
  { title: 'La Javanaise', artist: 'Serge Gainsbourg', album: 'Gainsbourg Percussions', seconds: 148 },
  { title: 'Ne me quitte pas', artist: 'Jacques Brel', album: 'La Valse à mille temps', seconds: 219 },
  { title: 'Alors on danse', artist: 'Stromae', album: 'Cheese', seconds: 207 },
  { title: 'Tout oublier', artist: 'Angèle', album: 'Brol', seconds: 201 },
  { title: 'Nuit incolore', artist: 'Hoshi', album: 'Sommeil levant', seconds: 186 },
  { title: 'Dernière danse', artist: 'Indila', album: 'Mini World', seconds: 215 },
  { title: 'Petite Marie', artist: 'Francis Cabrel', album: 'Les Murs de poussière', seconds: 196 },
] as const;

const episodes = [
  { title: 'Les ondes gravitationnelles', show: 'La Méthode scientifique', seconds: 3480 },
  { title: 'Le pain, toute une histoire', show: 'Affaires sensibles', seconds: 3120 },
] as const;

const devices = ['Android OS 14 API 34 (Google, Pixel 8)', 'iOS 17.4 (iPhone15,2)', 'web_player windows 10;chrome'];

/** `count` plays within [from, to), in time order: mostly tracks, some podcast episodes. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const ends = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  // One identifier per track or episode, as the service keeps it.
  const trackUris = tracks.map(() => `spotify:track:${rng.hex(22)}`);
  const episodeUris = episodes.map(() => `spotify:episode:${rng.hex(22)}`);
  return ends.map((end) => {
    const episode = rng.chance(0.1);
    const index = rng.int(0, (episode ? episodes.length : tracks.length) - 1);
    const item = episode ? episodes[index]! : tracks[index]!;
    const skipped = !episode && rng.chance(0.2);
    const played = skipped ? rng.int(3, 40) : rng.chance(0.8) ? item.seconds : rng.int(20, item.seconds);
    return {
      platform: 'spotify',
      kind: episode ? 'episode' : 'track',
      title: item.title,
      ...('artist' in item ? { artist: item.artist, album: item.album } : { show: item.show }),
      start: isoInstant(end - played * 1000),
      end: isoInstant(end),
      durationSeconds: played,
      uri: (episode ? episodeUris : trackUris)[index],
      device: rng.pick(devices),
      country: 'FR',
      reasonStart: rng.pick(['trackdone', 'clickrow', 'fwdbtn']),
      reasonEnd: skipped ? 'fwdbtn' : 'trackdone',
      shuffle: rng.chance(0.4),
      skipped,
      offline: rng.chance(0.05),
      privateSession: false,
    };
  });
}
