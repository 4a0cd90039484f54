/**
 * Netflix writes an episode's title as `Series: Season label: Episode title (Episode 3)`, in the
 * profile's language and typography (`Génération 56k : Saison 1`, `Friends: Saison 3: … (Épisode
 * 20)`, `Lupin: Partie 1: Chapitre 1`, `Love, Death & Robots: Volume 1: …`). A title reads as an
 * episode only when a segment before the last one is a season label: a film such as
 * `Black Mirror: Bandersnatch` or `Mission: Impossible` stays a plain title.
 */

export interface EpisodeTitle {
  seriesTitle: string;
  seasonLabel: string;
  season?: number;
  episodeTitle: string;
  episode?: number;
}

/** Season labels in the languages Netflix profiles use most in Europe and the Americas. */
const SEASON_LABEL =
  /^(?:season|saison|staffel|temporada|stagione|seizoen|sezon|s[äe]song|series|part|partie|parte|teil|deel|volume|vol\.|chapter|book|livre|collection|limited series|mini-?series|minis[ée]rie|s[ée]rie limit[ée]e|miniserie|serie limitada)\b/i;

const EPISODE_NUMBER =
  /\s*\((?:episode|épisode|episodio|episódio|folge|aflevering|odcinek|avsnitt|jakso|epizód)\s+(\d{1,5})\)$/i;

/** The separators between segments: `: ` and the French ` : `. */
const SEPARATOR = /\s?:\s/g;

export function episodeOf(title: string): EpisodeTitle | undefined {
  const cuts = [...title.matchAll(SEPARATOR)].map((m) => ({ at: m.index, end: m.index + m[0].length }));
  if (cuts.length < 2) return undefined;
  const segment = (i: number) => title.slice(i === 0 ? 0 : cuts[i - 1]!.end, i < cuts.length ? cuts[i]!.at : undefined);
  // The season label is the last segment before the episode title that reads as one.
  for (let i = cuts.length - 1; i >= 1; i--) {
    const label = segment(i).trim();
    if (label.length > 200 || !SEASON_LABEL.test(label)) continue;
    const seriesTitle = title.slice(0, cuts[i - 1]!.at).trim();
    let episodeTitle = title.slice(cuts[i]!.end).trim();
    if (seriesTitle === '' || episodeTitle === '') return undefined;
    const number = EPISODE_NUMBER.exec(episodeTitle);
    if (number) episodeTitle = episodeTitle.slice(0, number.index).trim() || episodeTitle;
    const seasonNumber = /\d{1,4}/.exec(label)?.[0];
    return {
      seriesTitle,
      seasonLabel: label,
      ...(seasonNumber !== undefined ? { season: Number(seasonNumber) } : {}),
      episodeTitle,
      ...(number ? { episode: Number(number[1]) } : {}),
    };
  }
  return undefined;
}
