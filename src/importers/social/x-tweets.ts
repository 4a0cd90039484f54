/**
 * A tweet of the X (Twitter) archive (`tweets.js`, `deleted-tweets.js`, older `tweet.js`) as a
 * social.post. The archive's tweet is the API's v1.1 shape with numbers written as strings:
 * `id_str`, `created_at` ("Wed Oct 10 20:19:24 +0000 2018"), `full_text` (HTML-escaped `&amp;`,
 * `&lt;`, `&gt;`), `entities` (urls, user_mentions, hashtags), `extended_entities.media`,
 * `in_reply_to_status_id_str`, `in_reply_to_screen_name`, `favorite_count`, `retweet_count`,
 * `lang`, `source` (an HTML link naming the app).
 */
import { isoInstant, parseUtcText, plausibleInstant } from '../media/instants.js';
import { isRecord, text } from '../media/json-items.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TWITTER_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2}) (\d{4})$/;

/** `Wed Oct 10 20:19:24 +0000 2018` in ms, or NaN. */
export function parseTwitterDate(value: string): number {
  const m = TWITTER_DATE.exec(value.trim());
  if (!m) return NaN;
  const month = MONTHS.indexOf(m[1]!);
  const [day, hour, minute, second, year] = [m[2], m[3], m[4], m[5], m[9]].map(Number) as number[];
  if (month < 0 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 59) return NaN;
  const wall = Date.UTC(year!, month, day!, hour!, minute!, second!);
  if (new Date(wall).getUTCDate() !== day) return NaN;
  const offset = (Number(m[7]) * 60 + Number(m[8])) * 60_000;
  return m[6] === '+' ? wall - offset : wall + offset;
}

/** The archive's own escaping: `&lt;`, `&gt;` and `&amp;` (last, so `&amp;lt;` stays `&lt;`). */
export function unescapeTwitterText(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** A count the archive writes as a string ("12") or a number. */
export function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

function strings(values: (string | undefined)[]): string[] | undefined {
  const out = values.filter((v): v is string => v !== undefined).slice(0, 1000);
  return out.length > 0 ? out : undefined;
}

const MEDIA_TYPES: Record<string, string> = { photo: 'photo', video: 'video', animated_gif: 'gif' };

/** A video's best MP4, else the media's own address (a photo, or a video's still). */
function mediaUri(media: Record<string, unknown>): string | undefined {
  const variants = isRecord(media.video_info) ? list(media.video_info.variants) : [];
  const mp4 = variants
    .filter((v) => v.content_type === 'video/mp4' && typeof v.url === 'string')
    .sort((a, b) => (count(b.bitrate) ?? 0) - (count(a.bitrate) ?? 0))[0];
  return text(mp4?.url, 4000) ?? text(media.media_url_https, 4000) ?? text(media.media_url, 4000);
}

export interface TweetRecord {
  key: string;
  data: Record<string, unknown>;
}

/**
 * The social.post of one archive entry (`{ "tweet": {…} }`, or the tweet itself in 2019
 * archives). Undefined when it has no id (warned by the caller); throws on an absurd date.
 */
export function tweetPost(
  entry: Record<string, unknown>,
  file: string,
  line: number,
  now: number,
): TweetRecord | undefined {
  const tweet = isRecord(entry.tweet) ? entry.tweet : entry;
  const id = text(tweet.id_str, 200) ?? (typeof tweet.id === 'string' ? text(tweet.id, 200) : undefined);
  if (id === undefined || !/^\d+$/.test(id)) return undefined;
  const created = typeof tweet.created_at === 'string' ? tweet.created_at : JSON.stringify(tweet.created_at ?? null);
  const date = plausibleInstant(parseTwitterDate(created), created, file, line, now);
  const fullText = typeof tweet.full_text === 'string' ? tweet.full_text : tweet.text;
  const body = typeof fullText === 'string' ? unescapeTwitterText(fullText).slice(0, 200_000) : undefined;
  const replyTo = text(tweet.in_reply_to_status_id_str, 200) ?? text(tweet.in_reply_to_status_id, 200);
  const entities = isRecord(tweet.entities) ? tweet.entities : {};
  const extended = isRecord(tweet.extended_entities) ? tweet.extended_entities : {};
  const links = list(entities.urls)
    .map((u) => ({ url: text(u.expanded_url, 4000) ?? text(u.url, 4000), title: text(u.display_url) }))
    .filter((l): l is { url: string; title: string | undefined } => l.url !== undefined)
    .map((l) => (l.title === undefined ? { url: l.url } : l));
  const media = list(extended.media ?? entities.media)
    .map((m) => ({ uri: mediaUri(m), type: MEDIA_TYPES[String(m.type)] ?? 'other' }))
    .filter((m): m is { uri: string; type: string } => m.uri !== undefined);
  const client = typeof tweet.source === 'string' ? text(tweet.source.replace(/<[^>]*>/g, ''), 500) : undefined;
  const language = text(tweet.lang, 35);
  const deleted = typeof tweet.deleted_at === 'string' ? tweet.deleted_at : undefined;
  const data: Record<string, unknown> = {
    platform: 'twitter',
    kind: body?.startsWith('RT @') ? 'repost' : replyTo !== undefined ? 'reply' : 'post',
    id,
    date: isoInstant(date),
    text: body === '' ? undefined : body,
    inReplyToId: replyTo,
    inReplyToAuthor: text(tweet.in_reply_to_screen_name, 500),
    links: links.length > 0 ? links.slice(0, 1000) : undefined,
    media: media.length > 0 ? media.slice(0, 1000) : undefined,
    mentions: strings(list(entities.user_mentions).map((m) => text(m.screen_name, 500))),
    hashtags: strings(list(entities.hashtags).map((h) => text(h.text, 500))),
    url: `https://twitter.com/i/web/status/${id}`,
    language: language === 'und' ? undefined : language,
    client,
    likeCount: count(tweet.favorite_count),
    repostCount: count(tweet.retweet_count),
  };
  if (deleted !== undefined) {
    // Written like created_at; an ISO 8601 instant is read too.
    const at = Number.isNaN(parseTwitterDate(deleted)) ? parseUtcText(deleted) : parseTwitterDate(deleted);
    data.deletedAt = isoInstant(plausibleInstant(at, deleted.slice(0, 40), file, line, now));
  }
  for (const name of Object.keys(data)) if (data[name] === undefined) delete data[name];
  return { key: `twitter|tweet|${id}`, data };
}
