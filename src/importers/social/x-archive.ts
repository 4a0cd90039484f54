/**
 * The data files of an X (Twitter) archive ("Download an archive of your data"), each a
 * JavaScript assignment of JSON (`window.YTD.<name>.part<N> = [ … ]`): tweets (`tweets.js`,
 * `tweet.js` before 2020, `deleted-tweets.js`), direct messages (`direct-messages.js`,
 * `direct-messages-group.js`) into social.post; followers, accounts followed, blocked and muted
 * (`follower.js`, `following.js`, `block.js`, `mute.js`) into social.connection. Other files of
 * the archive (likes, ads, devices...) are not claimed.
 *
 * Natural keys: the tweet's or message's id; the other account's id for a connection.
 */
import { importError } from '../import-error.js';
import type { ImportRecord, ImportSample, Importer, ImportSource, ParseContext } from '../importer.js';
import { jsonValues } from '../json/json-stream.js';
import { isRecord, rootArrayItems, rootArrayObjects, text } from '../media/json-items.js';
import { jsonAfterAssignment, notAssignmentError, ytdAssignmentOf } from './js-assignment.js';
import { directMessage } from './x-messages.js';
import { tweetPost } from './x-tweets.js';

const POST = 'social.post';
const CONNECTION = 'social.connection';

const TWEET_FILES = new Set(['tweets', 'tweet', 'deleted_tweets']);
const MESSAGE_FILES = new Set(['direct_messages', 'direct_messages_group']);
/** File name → the key wrapping each entry, and the relation it records. */
const CONNECTION_FILES: Record<string, { wrapper: string; relation: string }> = {
  follower: { wrapper: 'follower', relation: 'follower' },
  following: { wrapper: 'following', relation: 'following' },
  block: { wrapper: 'blocking', relation: 'blocked' },
  mute: { wrapper: 'muting', relation: 'muted' },
};

const handled = (name: string) => TWEET_FILES.has(name) || MESSAGE_FILES.has(name) || name in CONNECTION_FILES;

export const xArchiveImporter: Importer = {
  id: 'x-archive',
  title: 'X (Twitter) archive data files (tweets.js, direct-messages.js, follower.js, following.js...)',
  doctypes: [POST, CONNECTION],
  detect,
  parse,
};

function detect(sample: ImportSample): number {
  const assignment = ytdAssignmentOf(sample.text);
  return assignment !== undefined && handled(assignment.name) ? 0.98 : 0;
}

async function* parse(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const assignment = ytdAssignmentOf(source.sample.text);
  const json = jsonAfterAssignment(source);
  if (assignment === undefined) throw notAssignmentError(source.name);
  const { name } = assignment;
  if (TWEET_FILES.has(name)) yield* tweets(json, ctx);
  else if (MESSAGE_FILES.has(name)) yield* messages(json, ctx);
  else if (name in CONNECTION_FILES) yield* connections(json, CONNECTION_FILES[name]!, ctx);
  else
    throw importError(
      source.name,
      `window.YTD.${name} holds nothing Foyer imports (no posts, messages or connections).`,
      1,
    );
}

async function* tweets(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  for await (const { value, line } of rootArrayObjects(source, 'tweets')) {
    const post = tweetPost(value, source.name, line, ctx.now);
    if (post === undefined) ctx.warn({ line, message: 'an entry without a tweet id is skipped.' });
    else yield { kind: 'document', doctype: POST, key: post.key, data: post.data, line };
  }
}

async function* connections(
  source: ImportSource,
  file: { wrapper: string; relation: string },
  ctx: ParseContext,
): AsyncIterable<ImportRecord> {
  for await (const { value, line } of rootArrayItems(source, 'accounts')) {
    const entry = isRecord(value) ? value[file.wrapper] : undefined;
    const accountId = isRecord(entry) ? text(entry.accountId, 200) : undefined;
    if (!isRecord(entry) || accountId === undefined) {
      ctx.warn({ line, message: 'an entry without an account id is skipped.' });
      continue;
    }
    const url = text(entry.userLink, 4000);
    yield {
      kind: 'document',
      doctype: CONNECTION,
      key: `twitter|${file.relation}|${accountId}`,
      data: { platform: 'twitter', relation: file.relation, accountId, ...(url !== undefined ? { url } : {}) },
      line,
    };
  }
}

/** Conversations stream message by message: a conversation may hold tens of thousands. */
async function* messages(source: ImportSource, ctx: ParseContext): AsyncIterable<ImportRecord> {
  const values = jsonValues(source, {
    select: (path, kind) => {
      const [, wrapper, field] = path;
      if (path.length === 0) {
        if (kind !== 'array') throw importError(source.name, 'the file is not a list of conversations.', 1);
        return 'descend';
      }
      if (path.length === 1) return kind === 'object' ? 'descend' : 'skip';
      if (wrapper !== 'dmConversation') return 'skip';
      if (path.length === 2) return kind === 'object' ? 'descend' : 'skip';
      if (path.length === 3 && field === 'conversationId') return 'value';
      if (path.length === 3 && field === 'messages') return kind === 'array' ? 'descend' : 'skip';
      return path.length === 4 && field === 'messages' ? 'value' : 'skip';
    },
  });
  let conversation: { index: unknown; id: string | undefined } = { index: undefined, id: undefined };
  for await (const batch of values) {
    for (const { path, value, line } of batch) {
      if (conversation.index !== path[0]) conversation = { index: path[0], id: undefined };
      if (path[2] === 'conversationId') {
        conversation.id = text(value, 500);
        continue;
      }
      if (!isRecord(value)) continue;
      const message = directMessage(value, conversation.id, source.name, line, ctx.now);
      if (message !== undefined) yield { kind: 'document', doctype: POST, key: message.key, data: message.data, line };
      else if (isRecord(value.messageCreate)) ctx.warn({ line, message: 'a message without an id is skipped.' });
    }
  }
}
