/**
 * A direct message of the X (Twitter) archive (`direct-messages.js`,
 * `direct-messages-group.js`) as a social.post: `{ "messageCreate": { id, senderId, recipientId
 * (one-to-one only), text, createdAt (ISO 8601), urls: [{ url, expanded, display }], mediaUrls } }`
 * inside `{ "dmConversation": { conversationId, messages } }`. Other events of a conversation
 * (reactions, joins, renames) are not messages and are left out.
 */
import { isoInstant, parseUtcText, plausibleInstant } from '../media/instants.js';
import { isRecord, text } from '../media/json-items.js';
import type { TweetRecord } from './x-tweets.js';
import { unescapeTwitterText } from './x-tweets.js';

function mediaType(uri: string): string {
  if (/dm_gif|\.gif(\?|$)/i.test(uri)) return 'gif';
  if (/dm_video|\.mp4(\?|$)/i.test(uri)) return 'video';
  return 'photo';
}

/**
 * The social.post of one event of a conversation; undefined for an event that is not a message
 * or has no id. Throws on an absurd date.
 */
export function directMessage(
  event: Record<string, unknown>,
  conversationId: string | undefined,
  file: string,
  line: number,
  now: number,
): TweetRecord | undefined {
  const message = event.messageCreate;
  if (!isRecord(message)) return undefined;
  const id = text(message.id, 200);
  if (id === undefined) return undefined;
  const created = typeof message.createdAt === 'string' ? message.createdAt : JSON.stringify(message.createdAt ?? null);
  const date = plausibleInstant(parseUtcText(created), created.slice(0, 40), file, line, now);
  const sender = text(message.senderId, 200);
  const recipient = text(message.recipientId, 200);
  const body = typeof message.text === 'string' ? unescapeTwitterText(message.text).slice(0, 200_000) : '';
  const links = (Array.isArray(message.urls) ? message.urls.filter(isRecord) : [])
    .map((u) => ({ url: text(u.expanded, 4000) ?? text(u.url, 4000), title: text(u.display) }))
    .filter((l): l is { url: string; title: string | undefined } => l.url !== undefined)
    .map((l) => (l.title === undefined ? { url: l.url } : l))
    .slice(0, 1000);
  const media = (Array.isArray(message.mediaUrls) ? message.mediaUrls : [])
    .map((u) => text(u, 4000))
    .filter((u): u is string => u !== undefined)
    .map((uri) => ({ uri, type: mediaType(uri) }))
    .slice(0, 1000);
  // X names a one-to-one conversation by its two account ids, lowest first.
  const conversation =
    conversationId ??
    (sender !== undefined && recipient !== undefined
      ? [sender, recipient]
          // Numeric order of digit strings: shorter first, then character by character.
          .sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
          .join('-')
      : undefined);
  const data: Record<string, unknown> = {
    platform: 'twitter',
    kind: 'message',
    id,
    date: isoInstant(date),
    ...(body !== '' ? { text: body } : {}),
    ...(sender !== undefined ? { authorId: sender } : {}),
    ...(recipient !== undefined ? { recipientIds: [recipient] } : {}),
    ...(conversation !== undefined ? { conversationId: conversation.slice(0, 500) } : {}),
    ...(links.length > 0 ? { links } : {}),
    ...(media.length > 0 ? { media } : {}),
  };
  return { key: `twitter|dm|${id}`, data };
}
