/**
 * Spotify's extended streaming history: `Streaming_History_Audio_2023-2024_3.json` (and
 * `Streaming_History_Video_*.json`), formerly `endsong_0.json`. One JSON array of plays for the
 * account's whole life: `ts` (when the play ended, UTC), `ms_played`, track fields
 * (`master_metadata_*`, `spotify_track_uri`), podcast fields (`episode_name`,
 * `episode_show_name`, `spotify_episode_uri`), audiobook fields, `platform`, `conn_country`,
 * `reason_start`/`reason_end`, `shuffle`, `skipped`, `offline`, `incognito_mode`.
 *
 * Not kept: `ip_addr` / `ip_addr_decrypted` and `user_agent_decrypted` (where the person was and
 * what identifies their device; see docs/importers/media-social.md).
 *
 * Natural key: the end instant and the played item's URI (artist and title when there is none).
 */
import type { ImportRecord, ImportSample, Importer, ParseContext } from '../importer.js';
import { isoInstant, parseUtcText, plausibleInstant } from './instants.js';
import { text } from './json-items.js';
import { countryCode, LISTEN, msPlayed, SPOTIFY, spotifyHistoryImporter } from './spotify-plays.js';

export const spotifyExtendedHistoryImporter: Importer = spotifyHistoryImporter({
  id: 'spotify-extended-history',
  title: 'Spotify extended streaming history (Streaming_History_Audio_*.json, endsong_*.json)',
  detect,
  toListen,
});

function detect(sample: ImportSample): number {
  const head = sample.text.slice(0, 8192);
  if (!/^\s*\[\s*\{/.test(head)) return 0;
  if (!/"ts"\s*:\s*"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(head) || !/"ms_played"\s*:/.test(head)) return 0;
  return /"(master_metadata_track_name|spotify_track_uri|spotify_episode_uri|episode_name)"\s*:/.test(head)
    ? 0.95
    : 0.6;
}

/** What was played: a track, a podcast episode or an audiobook chapter, whichever the play names. */
function playedItem(item: Record<string, unknown>): Record<string, unknown> | undefined {
  const track = text(item.master_metadata_track_name);
  if (track !== undefined) {
    return {
      kind: 'track',
      title: track,
      artist: text(item.master_metadata_album_artist_name),
      album: text(item.master_metadata_album_album_name),
      uri: text(item.spotify_track_uri, 500),
    };
  }
  const episode = text(item.episode_name);
  if (episode !== undefined) {
    return {
      kind: 'episode',
      title: episode,
      show: text(item.episode_show_name),
      uri: text(item.spotify_episode_uri, 500),
    };
  }
  const chapter = text(item.audiobook_chapter_title) ?? text(item.audiobook_title);
  if (chapter !== undefined) {
    return {
      kind: 'audiobook',
      title: chapter,
      show: text(item.audiobook_title),
      uri: text(item.audiobook_chapter_uri, 500) ?? text(item.audiobook_uri, 500),
    };
  }
  return undefined;
}

function toListen(
  item: Record<string, unknown>,
  file: string,
  line: number,
  ctx: ParseContext,
): ImportRecord | undefined {
  const written = typeof item.ts === 'string' ? item.ts : JSON.stringify(item.ts ?? null);
  const end = plausibleInstant(parseUtcText(written), written, file, line, ctx.now);
  const ms = msPlayed(item.ms_played, file, line);
  const played = playedItem(item);
  if (played === undefined) {
    // Spotify writes such plays with every name empty (local files, items since withdrawn).
    ctx.warn({ line, message: 'a play without a track, episode or audiobook name is skipped.' });
    return undefined;
  }
  const flags = {
    shuffle: item.shuffle,
    skipped: item.skipped,
    offline: item.offline,
    privateSession: item.incognito_mode,
  };
  const data: Record<string, unknown> = {
    platform: SPOTIFY,
    account: text(item.username, 200),
    ...played,
    start: isoInstant(end - ms),
    end: isoInstant(end),
    durationSeconds: ms / 1000,
    device: text(item.platform, 500),
    country: countryCode(item.conn_country),
    reasonStart: text(item.reason_start, 100),
    reasonEnd: text(item.reason_end, 100),
  };
  for (const [name, value] of Object.entries(flags)) if (typeof value === 'boolean') data[name] = value;
  if (item.offline_timestamp !== undefined && item.offline_timestamp !== null) {
    data.extra = { offlineTimestamp: item.offline_timestamp };
  }
  for (const name of Object.keys(data)) if (data[name] === undefined) delete data[name];
  const what =
    typeof played.uri === 'string'
      ? played.uri
      : `${String(played.artist ?? played.show ?? '')}|${String(played.title)}`;
  return { kind: 'document', doctype: LISTEN, key: `spotify|${isoInstant(end)}|${what}`, data, line };
}
