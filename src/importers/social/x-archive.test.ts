import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importFailure, keysOf } from '../media/media-testing.js';
import { xArchiveImporter as importer } from './x-archive.js';
import { parseTwitterDate } from './x-tweets.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/x/${name}`, import.meta.url));
const run = async (name: string) => runImporter(importer, await fixture(name), { name });

const failure = (text: string, name = 'tweets.js') => importFailure(importer, text, name);

const tweet = (fields: Record<string, unknown>) =>
  `window.YTD.tweets.part0 = [\n${JSON.stringify({
    tweet: { id_str: '1', created_at: 'Wed Oct 23 07:41:12 +0000 2024', full_text: 'x', ...fields },
  })}\n]`;

describe('X archive data files', () => {
  it('recognises the files it imports by their assignment', async () => {
    for (const name of [
      'tweets.js',
      'tweet.js',
      'deleted-tweets.js',
      'follower.js',
      'following.js',
      'block.js',
      'direct-messages.js',
      'direct-messages-group.js',
    ]) {
      expect(await detectionOf(importer, await fixture(name)), name).toBeGreaterThan(0.9);
    }
  });

  it('does not claim other archive files, JSON without the assignment, or other JavaScript', async () => {
    expect(await detectionOf(importer, await fixture('like.js'))).toBe(0);
    expect(await detectionOf(importer, '[{"tweet": {"id_str": "1"}}]')).toBe(0);
    expect(await detectionOf(importer, 'window.YTD.tweets.part0 = function () {}')).toBe(0);
    expect(await detectionOf(importer, 'var x = 1;\n')).toBe(0);
    expect(await detectionOf(importer, 'Date;Libellé;Montant\n')).toBe(0);
  });

  it('reads a reply: UTC date, unescaped text, expanded link, mention, counts written as strings', async () => {
    const { records, of, warnings } = await run('tweets.js');
    await expectCatalogValid(records);
    expect(warnings).toEqual([]);
    expect(of('social.post')[0]).toEqual({
      platform: 'twitter',
      kind: 'reply',
      id: '1849003217764510245',
      date: '2024-10-23T07:41:12Z',
      text: '@LaPosteFR Mon colis est bloqué à Wissous depuis lundi, des nouvelles ? https://t.co/Ab12Cd34Ef',
      inReplyToId: '1848991023310192640',
      inReplyToAuthor: 'LaPosteFR',
      links: [
        {
          url: 'https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901',
          title: 'laposte.fr/outils/suivre-v…',
        },
      ],
      mentions: ['LaPosteFR'],
      url: 'https://twitter.com/i/web/status/1849003217764510245',
      language: 'fr',
      client: 'Twitter for Android',
      likeCount: 2,
      repostCount: 0,
    });
  });

  it('decodes &amp; &lt; &gt;, keeps the best video, reads retweets as reposts and drops language "und"', async () => {
    const posts = (await run('tweets.js')).of('social.post');
    expect(posts[1]).toMatchObject({
      kind: 'post',
      text: 'Concert & apéro place du marché > salon 🎶 #fêtedelamusique https://t.co/Zz9Yy8Xx7W',
      hashtags: ['fêtedelamusique'],
      media: [
        { uri: 'https://video.twimg.com/ext_tw_video/1803899990000000000/pu/vid/720x1280/hi.mp4', type: 'video' },
      ],
      likeCount: 14,
      repostCount: 3,
    });
    expect(posts[2]).toMatchObject({
      kind: 'repost',
      text: 'RT @meteofrance: Vigilance orange orages sur 12 départements <3h>',
      mentions: ['meteofrance'],
    });
    expect(posts[3]).toMatchObject({ date: '2019-03-31T00:59:59Z', text: '😂😂😂' });
    expect(posts[3]).not.toHaveProperty('language');
  });

  it('reads the 2019 tweet.js, whose entries are the tweets themselves', async () => {
    const { records, of } = await run('tweet.js');
    await expectCatalogValid(records);
    expect(of('social.post')).toEqual([
      expect.objectContaining({
        id: '220467108154683392',
        date: '2012-07-04T09:12:44Z',
        links: [
          {
            url: 'http://www.lemonde.fr/sciences/article/2012/07/04/boson-de-higgs',
            title: 'lemonde.fr/sciences/artic…',
          },
        ],
        client: 'Twitter Web Client',
      }),
    ]);
  });

  it('reads deleted tweets (final semicolon) under the same key as the tweet, with the deletion date', async () => {
    const { records } = await run('deleted-tweets.js');
    await expectCatalogValid(records);
    expect(records).toEqual([
      expect.objectContaining({
        key: 'twitter|tweet|1857000000000000004',
        data: expect.objectContaining({ deletedAt: '2024-11-14T18:03:27Z', date: '2024-11-14T17:58:01Z' }),
      }),
    ]);
  });

  it('keys tweets on their id, the same on every import', async () => {
    const first = keysOf((await run('tweets.js')).records);
    expect(first[0]).toBe('twitter|tweet|1849003217764510245');
    expect(keysOf((await run('tweets.js')).records)).toEqual(first);
  });

  it('reads followers, accounts followed and blocked as connections, warning for an entry without id', async () => {
    const followers = await run('follower.js');
    await expectCatalogValid(followers.records);
    expect(followers.records.map((r) => (r.kind === 'document' ? [r.key, r.data] : []))).toEqual([
      [
        'twitter|follower|1180023999',
        {
          platform: 'twitter',
          relation: 'follower',
          accountId: '1180023999',
          url: 'https://twitter.com/intent/user?user_id=1180023999',
        },
      ],
      ['twitter|follower|63571203', expect.objectContaining({ relation: 'follower', accountId: '63571203' })],
    ]);
    expect(followers.warnings).toEqual([{ line: 14, message: 'an entry without an account id is skipped.' }]);
    expect((await run('following.js')).of('social.connection')).toEqual([
      expect.objectContaining({ relation: 'following', accountId: '232187463' }),
    ]);
    expect((await run('block.js')).of('social.connection')).toEqual([
      expect.objectContaining({ relation: 'blocked', accountId: '999000111' }),
    ]);
  });

  it('reads direct messages of both sides with conversation, links and media; reactions are not messages', async () => {
    const { records, of } = await run('direct-messages.js');
    await expectCatalogValid(records);
    const messages = of('social.post');
    expect(messages).toHaveLength(3);
    expect(messages[0]).toEqual({
      platform: 'twitter',
      kind: 'message',
      id: '1789999999999999991',
      date: '2024-05-13T18:02:41.512Z',
      text: 'Billets pris : départ 8h12 gare de Lyon & retour dimanche https://t.co/Kk1Ll2Mm3N',
      authorId: '1180023457',
      recipientIds: ['1180023999'],
      conversationId: '1180023457-1180023999',
      links: [{ url: 'https://www.sncf-connect.com/app/trips/ABC123', title: 'sncf-connect.com/app/trips/ABC1…' }],
    });
    expect(messages[1]).toMatchObject({
      authorId: '1180023999',
      media: [
        { uri: 'https://ton.twitter.com/dm/1789999999999999992/1789999999000000000/AbCd1234.jpg', type: 'photo' },
      ],
    });
    expect(messages[2]).toMatchObject({ conversationId: '63571203-1180023457' });
    expect(records[2]).toMatchObject({ key: 'twitter|dm|1849100000000000001', line: 53 });
  });

  it('reads group messages, leaving out joins and renames', async () => {
    const { records, of } = await run('direct-messages-group.js');
    await expectCatalogValid(records);
    expect(of('social.post')).toEqual([
      {
        platform: 'twitter',
        kind: 'message',
        id: '1790123456789012400',
        date: '2024-06-01T10:01:00Z',
        text: 'Qui apporte le gâteau samedi ?',
        authorId: '1180024000',
        conversationId: '1790123456789012345',
        media: [{ uri: 'https://video.twimg.com/dm_gif/1790123456789012399/AbCdEfGh.mp4', type: 'gif' }],
      },
    ]);
  });

  it('names a one-to-one conversation by its two ids when the file does not', async () => {
    const text =
      'window.YTD.direct_messages.part0 = [{"dmConversation":{"messages":[{"messageCreate":' +
      '{"id":"5","senderId":"900","recipientId":"1000","text":"a","createdAt":"2024-05-13T18:02:41.512Z"}}]}}]';
    const { of } = await runImporter(importer, text);
    expect(of('social.post')[0]).toMatchObject({ conversationId: '900-1000' });
  });

  it('refuses a JS file whose assignment is not followed by JSON, naming file and line', async () => {
    const e = await failure('window.YTD.tweets.part0 = function () { return [] }');
    expect(e.message).toMatch(/^tweets\.js, line 1: the file does not start with the archive's/);
  });

  it('refuses truncated and corrupt JSON with its line', async () => {
    const text = (await fixture('tweets.js')).toString('utf8');
    const cut = await failure(text.slice(0, 3000));
    expect(cut.message).toMatch(/truncated/);
    const corrupt = await failure(text.replace('"favorite_count" : "14",', '"favorite_count" : "14" "x",'));
    expect(corrupt.message).toMatch(/^tweets\.js, line \d+: /);
  });

  it.each([
    ['Wed Oct 23 07:41:12 +0000 1212', /absurd/],
    ['Wed Oct 23 07:41:12 +0000 9999', /absurd/],
    ['Wed Feb 30 07:41:12 +0000 2024', /not a date/],
    ['2024-10-23', /not a date/],
  ])('refuses the tweet date %s with its line', async (created_at, message) => {
    const e = await failure(tweet({ created_at }));
    expect(e.message).toMatch(/^tweets\.js, line 2: /);
    expect(e.message).toMatch(message);
  });

  it('warns for a tweet without an id and goes on', async () => {
    const { records, warnings } = await runImporter(importer, tweet({ id_str: null }));
    expect(records).toEqual([]);
    expect(warnings).toEqual([{ line: 2, message: 'an entry without a tweet id is skipped.' }]);
  });

  it('refuses an archive file it does not import when asked to parse it', async () => {
    const e = await failure((await fixture('like.js')).toString('utf8'), 'like.js');
    expect(e.message).toMatch(/window\.YTD\.like holds nothing Foyer imports/);
  });
});

describe('parseTwitterDate', () => {
  it('reads the API date with its offset', () => {
    expect(new Date(parseTwitterDate('Wed Oct 10 20:19:24 +0000 2018')).toISOString()).toBe('2018-10-10T20:19:24.000Z');
    expect(new Date(parseTwitterDate('Wed Oct 10 22:19:24 +0200 2018')).toISOString()).toBe('2018-10-10T20:19:24.000Z');
    expect(parseTwitterDate('Wed Foo 10 20:19:24 +0000 2018')).toBeNaN();
  });
});
