/**
 * Facebook's and Instagram's "Download your information" in JSON: the files a person wants back
 * from them. Facebook: posts (`your_posts_1.json`), comments (`comments.json`), friends
 * (`your_friends.json`, `friends.json`) and follows (`who_you've_followed.json`); Instagram: posts
 * (`posts_1.json`), comments (`post_comments_1.json`), followers (`followers_1.json`), following,
 * blocked; both: messages (`messages/inbox/<thread>/message_1.json`). Each file is recognised by
 * its shape, never its name.
 *
 * Quirks handled: text is "mojibake" (each UTF-8 byte escaped as its own code point, "é" as
 * `\u00c3\u00a9`), repaired; times are epoch seconds (messages: milliseconds); a friendship's
 * time may be 0 (unknown). A message file is read twice: once for the conversation's title and
 * path, which may come after the messages, then for the messages, so memory stays bounded.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { jsonValues, type JsonPath } from '../json/json-stream.js';
import { isRecord, text } from '../media/json-items.js';
import {
  type Conversation,
  type EntryContext,
  facebookComment,
  facebookConnection,
  facebookPost,
  instagramComment,
  instagramConnection,
  instagramPost,
  type MetaRecord,
  metaMessage,
} from './meta-records.js';
import { repairStrings } from './mojibake.js';

type EntryReader = (entry: Record<string, unknown>, at: EntryContext) => MetaRecord | undefined;

/** A top-level key holding a list, and how to read its entries. */
const LISTS: Record<string, { read: EntryReader; what: string }> = {
  comments_v2: { read: facebookComment, what: 'comment' },
  comments: { read: facebookComment, what: 'comment' },
  friends_v2: { read: (e, at) => facebookConnection(e, 'friend', at), what: 'friend' },
  friends: { read: (e, at) => facebookConnection(e, 'friend', at), what: 'friend' },
  following_v3: { read: (e, at) => facebookConnection(e, 'following', at), what: 'account followed' },
  following_v2: { read: (e, at) => facebookConnection(e, 'following', at), what: 'account followed' },
  relationships_following: { read: (e, at) => instagramConnection(e, 'following', at), what: 'account followed' },
  relationships_followers: { read: (e, at) => instagramConnection(e, 'follower', at), what: 'follower' },
  relationships_blocked_users: { read: (e, at) => instagramConnection(e, 'blocked', at), what: 'blocked account' },
};

const CONVERSATION_FIELDS = new Set(['participants', 'title', 'thread_path']);

export const metaDyiImporter: Importer = {
  id: 'meta-dyi',
  title: 'Facebook / Instagram "Download your information" JSON (posts, comments, messages, friends, followers)',
  doctypes: ['social.post', 'social.connection'],
  detect,
  parse,
};

function detect(sample: ImportSample): number {
  const head = sample.text.slice(0, 8192);
  if (/^\s*\{/.test(head)) {
    if (/"participants"\s*:\s*\[/.test(head) && /"(sender_name|timestamp_ms)"\s*:/.test(head)) return 0.95;
    const first = /^\s*\{\s*"([A-Za-z0-9_]+)"\s*:\s*\[/.exec(head)?.[1];
    if (first === undefined || !(first in LISTS)) return 0;
    // The unversioned names of older exports are common words: their entries must look like Meta's too.
    if (first === 'comments' || first === 'friends') return /"timestamp"\s*:\s*\d{9,10}\b/.test(head) ? 0.8 : 0;
    return 0.95;
  }
  if (!/^\s*\[\s*\{/.test(head)) return 0;
  if (/"string_list_data"\s*:\s*\[/.test(head) && /"href"\s*:/.test(head)) return 0.9;
  if (/"string_map_data"\s*:\s*\{/.test(head) && /"Comment"\s*:/.test(head)) return 0.9;
  if (/^\s*\[\s*\{\s*"media"\s*:\s*\[/.test(head) && /"creation_timestamp"\s*:\s*\d/.test(head)) return 0.9;
  if (/^\s*\[\s*\{\s*"timestamp"\s*:\s*\d{9,10}\s*,/.test(head) && /"(data|attachments)"\s*:\s*\[/.test(head))
    return 0.85;
  return 0;
}

/** An entry of a top-level array, read by its shape. */
function arrayEntry(entry: Record<string, unknown>, at: EntryContext): MetaRecord | undefined | 'unknown' {
  if ('string_list_data' in entry) return instagramConnection(entry, 'follower', at);
  if ('string_map_data' in entry) return instagramComment(entry, at);
  if (Array.isArray(entry.media)) return instagramPost(entry, at);
  if ('timestamp' in entry) return facebookPost(entry, at);
  return 'unknown';
}

const record = (r: MetaRecord, line: number): ImportRecord => ({
  kind: 'document',
  doctype: r.doctype,
  key: r.key,
  data: r.data,
  line,
});

async function* parse(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  let root: 'array' | 'object' | undefined;
  let sawList = false;
  let sawMessages = false;
  const conversation: Record<string, unknown> = {};
  const select = (path: JsonPath, kind: string) => {
    if (path.length === 0) {
      if (kind === 'scalar') throw importError(source.name, 'the file holds a single value, not an export.', 1);
      root = kind === 'array' ? 'array' : 'object';
      return 'descend' as const;
    }
    if (root === 'array') return path.length === 1 ? ('value' as const) : ('skip' as const);
    const key = String(path[0]);
    if (path.length === 1) {
      if (key === 'messages') sawMessages = true;
      if (CONVERSATION_FIELDS.has(key)) return 'value' as const;
      return key in LISTS && kind === 'array' ? ('descend' as const) : ('skip' as const);
    }
    return path.length === 2 && key in LISTS ? ('value' as const) : ('skip' as const);
  };
  for await (const batch of jsonValues(source, { select })) {
    for (const { path, value, line } of batch) {
      const at = { file: source.name, line, now: ctx.now };
      const entry = repairStrings(value);
      if (root === 'object' && path.length === 1) {
        conversation[String(path[0])] = entry;
        continue;
      }
      if (!isRecord(entry)) throw importError(source.name, 'an entry of the list is not an object.', line);
      if (root === 'array') {
        const r = arrayEntry(entry, at);
        if (r === 'unknown') ctx.warn({ line, message: 'an entry of a shape Foyer does not know is skipped.' });
        else if (r === undefined) ctx.warn({ line, message: 'an entry without a date, text or name is skipped.' });
        else yield record(r, line);
        continue;
      }
      sawList = true;
      const list = LISTS[String(path[0])]!;
      const r = list.read(entry, at);
      if (r === undefined) ctx.warn({ line, message: `a ${list.what} without a name is skipped.` });
      else yield record(r, line);
    }
  }
  if (root === 'object' && sawMessages) yield* messages(source, conversationOf(conversation), ctx);
  else if (root === 'object' && !sawList) {
    throw importError(
      source.name,
      'this JSON holds none of the posts, comments, messages or connections Foyer imports.',
    );
  }
}

/**
 * The conversation a message file describes. Instagram's thread paths end in the other account's
 * numeric id (`inbox/anasouza_17841400000000000`), Facebook's in a mixed-case code
 * (`inbox/marcdupont_Zs11Uy-bpw`): that is the only difference between the two files.
 */
function conversationOf(fields: Record<string, unknown>): Conversation {
  const id = text(fields.thread_path, 500);
  const participants = (Array.isArray(fields.participants) ? fields.participants : [])
    .map((p) => (isRecord(p) ? text(p.name, 500) : undefined))
    .filter((n): n is string => n !== undefined)
    .slice(0, 1000);
  return {
    platform: id !== undefined && /instagram|_\d{9,}$/i.test(id) ? 'instagram' : 'facebook',
    id,
    title: text(fields.title),
    participants,
  };
}

async function* messages(
  source: ImportSource,
  conversation: Conversation,
  ctx: ParseContext,
): AsyncIterable<ImportRecord> {
  const select = (path: JsonPath, kind: string) => {
    if (path.length === 0) return 'descend' as const;
    if (path.length === 1) return path[0] === 'messages' && kind === 'array' ? ('descend' as const) : ('skip' as const);
    return path.length === 2 ? ('value' as const) : ('skip' as const);
  };
  for await (const batch of jsonValues(source, { select })) {
    for (const { value, line } of batch) {
      const entry = repairStrings(value);
      if (!isRecord(entry)) throw importError(source.name, 'a message is not an object.', line);
      const r = metaMessage(entry, conversation, { file: source.name, line, now: ctx.now });
      if (r !== undefined) yield record(r, line);
    }
  }
}
