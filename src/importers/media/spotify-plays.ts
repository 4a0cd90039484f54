/**
 * What Spotify's two streaming histories share: the check of the time played and the shape of a
 * `media.listen` document. See docs/importers/media-social.md.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ParseContext } from '../importer.js';
import { rootArrayObjects } from './json-items.js';

/** A play longer than a day is no play: a corrupt number (or one in the wrong unit). */
const MAX_MS_PLAYED = 86_400_000;

export const SPOTIFY = 'spotify';
export const LISTEN = 'media.listen';

export interface SpotifyHistoryFormat {
  id: string;
  title: string;
  detect(sample: ImportSample): number;
  /** The record of one play, or undefined for a play to skip (warned by the function). */
  toListen(item: Record<string, unknown>, file: string, line: number, ctx: ParseContext): ImportRecord | undefined;
}

/** An importer of one of Spotify's histories: a JSON array of plays, streamed. */
export function spotifyHistoryImporter(format: SpotifyHistoryFormat): Importer {
  return {
    id: format.id,
    title: format.title,
    doctypes: [LISTEN],
    detect: format.detect,
    async *parse(source, ctx) {
      for await (const { value, line } of rootArrayObjects(source, 'plays')) {
        const record = format.toListen(value, source.name, line, ctx);
        if (record) yield record;
      }
    },
  };
}

/** `msPlayed` / `ms_played`, checked; throws naming the file and line. */
export function msPlayed(value: unknown, file: string, line: number): number {
  const ms = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof ms !== 'number' || !Number.isInteger(ms)) {
    throw importError(file, `the time played ${JSON.stringify(value)} is not a number of milliseconds.`, line);
  }
  if (ms < 0 || ms > MAX_MS_PLAYED) {
    throw importError(file, `the time played (${ms} ms) is absurd (negative or more than a day).`, line);
  }
  return ms;
}

/** Spotify's "ZZ" (and anything else that is not a country code) says nothing. */
export function countryCode(value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Z]{2}$/.test(value) && value !== 'ZZ' ? value : undefined;
}
