/**
 * The entries of Facebook's and Instagram's "Download your information" JSON as social.post and
 * social.connection data. Strings arrive already repaired (see mojibake.ts); times are epoch
 * seconds (`timestamp`, `creation_timestamp`) or, in messages, milliseconds (`timestamp_ms`).
 * None of these entries has an id: keys are built from the time and a digest of the content,
 * which the next export gives again unchanged.
 */
import { createHash } from 'node:crypto';
import { importError } from '../import-error.js';
import { isoInstant, plausibleInstant } from '../media/instants.js';
import { isRecord, text } from '../media/json-items.js';

export type Platform = 'facebook' | 'instagram';

export interface MetaRecord {
  doctype: 'social.post' | 'social.connection';
  key: string;
  data: Record<string, unknown>;
}

export interface EntryContext {
  file: string;
  line: number;
  now: number;
}

/** A short, stable digest of the parts that make an entry what it is. */
function digest(parts: (string | undefined)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url').slice(0, 22);
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter(isRecord) : [];
}

/** Epoch seconds (or milliseconds), checked; throws naming file and line. */
function instant(value: unknown, unitMs: number, at: EntryContext): string {
  const n = typeof value === 'number' ? value * unitMs : NaN;
  return isoInstant(plausibleInstant(n, JSON.stringify(value ?? null).slice(0, 40), at.file, at.line, at.now));
}

function mediaTypeOf(uri: string, kind?: string): string {
  if (kind !== undefined) return kind;
  if (/\.(jpe?g|png|webp|heic|bmp)$/i.test(uri)) return 'photo';
  if (/\.gif$/i.test(uri)) return 'gif';
  if (/\.(mp4|mov|webm|m4v)$/i.test(uri)) return 'video';
  if (/\.(mp3|m4a|aac|ogg|opus|wav)$/i.test(uri)) return 'audio';
  return 'other';
}

interface Media {
  uri: string;
  type: string;
  title?: string;
}

function media(entry: unknown, kind?: string, title?: string): Media | undefined {
  if (!isRecord(entry)) return undefined;
  const uri = text(entry.uri, 4000);
  if (uri === undefined) return undefined;
  const caption = title ?? text(entry.description) ?? text(entry.title);
  return { uri, type: mediaTypeOf(uri, kind), ...(caption !== undefined ? { title: caption } : {}) };
}

/** Photos, links and other attachments of a Facebook post or comment. */
function attachments(entry: Record<string, unknown>): { media: Media[]; links: { url: string; title?: string }[] } {
  const out = { media: [] as Media[], links: [] as { url: string; title?: string }[] };
  for (const attachment of list(entry.attachments)) {
    for (const item of list(attachment.data)) {
      const m = media(item.media);
      if (m) out.media.push(m);
      const context = isRecord(item.external_context) ? item.external_context : undefined;
      const url = text(context?.url, 4000);
      const name = text(context?.name);
      if (url !== undefined) out.links.push(name !== undefined ? { url, title: name } : { url });
    }
  }
  return out;
}

/** Drops absent fields and empty lists, and caps lists at the schema's 1,000 items. */
function compact(data: Record<string, unknown>): Record<string, unknown> {
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete data[name];
    else if (Array.isArray(value)) data[name] = value.slice(0, 1000);
  }
  return data;
}

/** `your_posts_1.json`: `{ timestamp, data: [{ post }], attachments, title }`. */
export function facebookPost(entry: Record<string, unknown>, at: EntryContext): MetaRecord {
  const date = instant(entry.timestamp, 1000, at);
  const body = list(entry.data)
    .map((d) => text(d.post, 200_000))
    .find((p) => p !== undefined);
  const { media: files, links } = attachments(entry);
  const key = `facebook|post|${date}|${digest([body, ...files.map((m) => m.uri), ...links.map((l) => l.url)])}`;
  return {
    doctype: 'social.post',
    key,
    data: compact({
      platform: 'facebook',
      kind: 'post',
      date,
      text: body,
      title: text(entry.title, 2000),
      links,
      media: files,
    }),
  };
}

/** `comments.json` entries: `{ timestamp, data: [{ comment: { comment, author } }], title }`. */
export function facebookComment(entry: Record<string, unknown>, at: EntryContext): MetaRecord {
  const comment = list(entry.data)
    .map((d) => d.comment)
    .find(isRecord);
  const date = instant(entry.timestamp ?? comment?.timestamp, 1000, at);
  const body = text(comment?.comment, 200_000);
  const author = text(comment?.author, 500);
  const { media: files, links } = attachments(entry);
  return {
    doctype: 'social.post',
    key: `facebook|comment|${date}|${digest([author, body, ...files.map((m) => m.uri)])}`,
    data: compact({
      platform: 'facebook',
      kind: 'comment',
      date,
      text: body,
      title: text(entry.title, 2000),
      author,
      links,
      media: files,
    }),
  };
}

/** `posts_1.json`: `{ media: [{ uri, creation_timestamp, title }], title?, creation_timestamp? }`. */
export function instagramPost(entry: Record<string, unknown>, at: EntryContext): MetaRecord | undefined {
  const items = list(entry.media);
  const first = items[0];
  if (first === undefined) return undefined;
  const date = instant(entry.creation_timestamp ?? first.creation_timestamp, 1000, at);
  // A single photo carries the caption itself; a carousel carries it at the top.
  const caption = text(entry.title, 200_000) ?? (items.length === 1 ? text(first.title, 200_000) : undefined);
  const files = items.map((m) => media({ uri: m.uri }, undefined, items.length > 1 ? text(m.title) : undefined));
  const present = files.filter((m): m is Media => m !== undefined);
  return {
    doctype: 'social.post',
    key: `instagram|post|${date}|${digest([present[0]?.uri, caption])}`,
    data: compact({ platform: 'instagram', kind: 'post', date, text: caption, media: present }),
  };
}

/** `post_comments_1.json`: `{ string_map_data: { Comment: { value }, "Media Owner": { value }, Time: { timestamp } } }`. */
export function instagramComment(entry: Record<string, unknown>, at: EntryContext): MetaRecord | undefined {
  const fields = isRecord(entry.string_map_data) ? entry.string_map_data : {};
  const value = (name: string) => (isRecord(fields[name]) ? fields[name] : undefined);
  const body = text(value('Comment')?.value, 200_000);
  if (body === undefined) return undefined;
  const date = instant(value('Time')?.timestamp, 1000, at);
  const owner = text(value('Media Owner')?.value, 500);
  return {
    doctype: 'social.post',
    key: `instagram|comment|${date}|${digest([owner, body])}`,
    data: compact({ platform: 'instagram', kind: 'comment', date, text: body, inReplyToAuthor: owner }),
  };
}

export interface Conversation {
  platform: Platform;
  id: string | undefined;
  title: string | undefined;
  participants: string[];
}

const MESSAGE_MEDIA: [string, string][] = [
  ['photos', 'photo'],
  ['videos', 'video'],
  ['audio_files', 'audio'],
  ['gifs', 'gif'],
  ['files', 'file'],
];

/**
 * `message_1.json`'s messages: `{ sender_name, timestamp_ms, content, photos, videos, share,
 * reactions, is_unsent }`. Undefined for a message that holds nothing (unsent, or an event
 * without text or attachment).
 */
export function metaMessage(
  entry: Record<string, unknown>,
  conversation: Conversation,
  at: EntryContext,
): MetaRecord | undefined {
  if (entry.is_unsent === true) return undefined;
  const body = text(entry.content, 200_000);
  const files: Media[] = [];
  for (const [field, kind] of MESSAGE_MEDIA) {
    for (const item of list(entry[field])) {
      const m = media(item, kind);
      if (m) files.push(m);
    }
  }
  const sticker = media(entry.sticker, 'other');
  if (sticker) files.push(sticker);
  const share = isRecord(entry.share) ? entry.share : undefined;
  const link = text(share?.link, 4000);
  const shareText = text(share?.share_text);
  const links = link !== undefined ? [shareText !== undefined ? { url: link, title: shareText } : { url: link }] : [];
  if (body === undefined && files.length === 0 && links.length === 0) return undefined;
  const date = instant(entry.timestamp_ms, 1, at);
  const author = text(entry.sender_name, 500);
  const reactions = list(entry.reactions).map((r) => ({ reaction: r.reaction, actor: r.actor }));
  const key = `${conversation.platform}|message|${date}|${digest([author, body, ...files.map((m) => m.uri), link])}`;
  return {
    doctype: 'social.post',
    key,
    data: compact({
      platform: conversation.platform,
      kind: 'message',
      date,
      text: body,
      author,
      conversationId: conversation.id,
      conversationTitle: conversation.title,
      participants: conversation.participants,
      links,
      media: files,
      ...(reactions.length > 0 ? { extra: { reactions } } : {}),
    }),
  };
}

export type Relation = 'friend' | 'follower' | 'following' | 'blocked';

/** Facebook's `{ name, timestamp }` (friends, follows). Undefined without a name. */
export function facebookConnection(
  entry: Record<string, unknown>,
  relation: Relation,
  at: EntryContext,
): MetaRecord | undefined {
  const name = text(entry.name, 500);
  if (name === undefined) return undefined;
  // Facebook writes 0 where it does not know when a friendship started.
  const since = entry.timestamp === 0 || entry.timestamp === undefined ? undefined : instant(entry.timestamp, 1000, at);
  return {
    doctype: 'social.connection',
    key: `facebook|${relation}|${name}`,
    data: compact({ platform: 'facebook', relation, name, since }),
  };
}

/** Instagram's `{ title, string_list_data: [{ href, value, timestamp }] }`. Undefined without a handle. */
export function instagramConnection(
  entry: Record<string, unknown>,
  relation: Relation,
  at: EntryContext,
): MetaRecord | undefined {
  const item = list(entry.string_list_data)[0] ?? {};
  const url = text(item.href, 4000);
  const handle =
    text(item.value, 500) ??
    text(entry.title, 500) ??
    (url !== undefined ? /instagram\.com\/(?:_u\/)?([^/?#]+)/.exec(url)?.[1] : undefined);
  if (handle === undefined) return undefined;
  const since = item.timestamp === 0 || item.timestamp === undefined ? undefined : instant(item.timestamp, 1000, at);
  return {
    doctype: 'social.connection',
    key: `instagram|${relation}|${handle}`,
    data: compact({ platform: 'instagram', relation, handle, url, since }),
  };
}

/** Throws the error of an entry that is not an object where the file's shape wants one. */
export function notAnEntry(at: EntryContext): never {
  throw importError(at.file, 'an entry of the list is not an object.', at.line);
}
