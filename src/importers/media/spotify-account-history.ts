/**
 * Spotify's streaming history from the "Account data" download: `StreamingHistory_music_0.json`,
 * `StreamingHistory_podcast_0.json` and the older `StreamingHistory0.json`. One JSON array of
 * `{ endTime: "2024-03-09 19:45", artistName, trackName, msPlayed }` (podcasts: `podcastName`,
 * `episodeName`), the end time in UTC to the minute, covering the last year.
 *
 * Natural key: the end minute, artist (or show), title and time played. This history has no track
 * identifier; the time played tells apart two plays of one track that end in the same minute.
 */
import type { ImportRecord, ImportSample, Importer, ParseContext } from '../importer.js';
import { isoInstant, parseUtcText, plausibleInstant } from './instants.js';
import { text } from './json-items.js';
import { LISTEN, msPlayed, SPOTIFY, spotifyHistoryImporter } from './spotify-plays.js';

export const spotifyAccountHistoryImporter: Importer = spotifyHistoryImporter({
  id: 'spotify-account-history',
  title: 'Spotify streaming history (account data, StreamingHistory*.json)',
  detect,
  toListen,
});

function detect(sample: ImportSample): number {
  const head = sample.text.slice(0, 4096);
  if (!/^\s*\[\s*\{/.test(head)) return 0;
  const first = head.slice(0, head.indexOf('}') === -1 ? undefined : head.indexOf('}'));
  if (!/"endTime"\s*:\s*"\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(first) || !/"msPlayed"\s*:/.test(first)) return 0;
  return /"(trackName|episodeName)"\s*:/.test(first) ? 0.95 : 0.6;
}

function toListen(
  item: Record<string, unknown>,
  file: string,
  line: number,
  ctx: ParseContext,
): ImportRecord | undefined {
  const written = typeof item.endTime === 'string' ? item.endTime : JSON.stringify(item.endTime ?? null);
  const end = plausibleInstant(parseUtcText(written), written, file, line, ctx.now);
  const ms = msPlayed(item.msPlayed, file, line);
  const track = text(item.trackName);
  const episode = text(item.episodeName);
  const title = track ?? episode;
  if (title === undefined) {
    ctx.warn({ line, message: 'a play without a track or episode name is skipped.' });
    return undefined;
  }
  const artist = track !== undefined ? text(item.artistName) : undefined;
  const show = track === undefined ? text(item.podcastName) : undefined;
  const data: Record<string, unknown> = {
    platform: SPOTIFY,
    kind: track !== undefined ? 'track' : 'episode',
    title,
    ...(artist !== undefined ? { artist } : {}),
    ...(show !== undefined ? { show } : {}),
    start: isoInstant(end - ms),
    end: isoInstant(end),
    durationSeconds: ms / 1000,
  };
  const key = `spotify|${isoInstant(end)}|${artist ?? show ?? ''}|${title}|${ms}`;
  return { kind: 'document', doctype: LISTEN, key, data, line };
}
