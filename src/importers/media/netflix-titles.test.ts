import { describe, expect, it } from 'vitest';
import { episodeOf } from './netflix-titles.js';

describe('episodeOf', () => {
  it('reads series, season and episode in English and French, with the French " : "', () => {
    expect(episodeOf('Sweet Tooth: Season 1: Big Man (Episode 8)')).toEqual({
      seriesTitle: 'Sweet Tooth',
      seasonLabel: 'Season 1',
      season: 1,
      episodeTitle: 'Big Man',
      episode: 8,
    });
    expect(episodeOf('Friends: Saison 3: Celui qui courait deux lièvres (Épisode 20)')).toMatchObject({
      seriesTitle: 'Friends',
      season: 3,
      episodeTitle: 'Celui qui courait deux lièvres',
      episode: 20,
    });
    expect(episodeOf('Génération 56k : Saison 1 : Épisode 3')).toMatchObject({
      seriesTitle: 'Génération 56k',
      seasonLabel: 'Saison 1',
      episodeTitle: 'Épisode 3',
    });
  });

  it('keeps colons that belong to the series or episode title', () => {
    expect(episodeOf('Star Wars: The Clone Wars: Season 7: Old Friends Not Forgotten (Episode 9)')).toMatchObject({
      seriesTitle: 'Star Wars: The Clone Wars',
      season: 7,
      episodeTitle: 'Old Friends Not Forgotten',
    });
    expect(episodeOf('Lupin: Partie 1: Chapitre 1: Le mystère')).toMatchObject({
      seriesTitle: 'Lupin',
      seasonLabel: 'Partie 1',
      episodeTitle: 'Chapitre 1: Le mystère',
    });
  });

  it('reads a labelled season without a number', () => {
    expect(episodeOf('The Queen’s Gambit: Limited Series: Openings (Episode 1)')).toEqual({
      seriesTitle: 'The Queen’s Gambit',
      seasonLabel: 'Limited Series',
      episodeTitle: 'Openings',
      episode: 1,
    });
  });

  it('leaves films and other titles alone', () => {
    expect(episodeOf('Black Mirror: Bandersnatch')).toBeUndefined();
    expect(episodeOf('Mission: Impossible – Dead Reckoning Part One')).toBeUndefined();
    expect(episodeOf('Star Wars: Episode IV: A New Hope')).toBeUndefined();
    expect(episodeOf('Le Grand Bain')).toBeUndefined();
  });
});
