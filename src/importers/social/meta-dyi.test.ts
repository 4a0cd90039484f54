import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectionOf, expectCatalogValid, runImporter } from '../../testing/importers.js';
import { importFailure, keysOf } from '../media/media-testing.js';
import { metaDyiImporter as importer } from './meta-dyi.js';

const fixture = (name: string) => readFile(new URL(`./fixtures/meta/${name}`, import.meta.url));
const run = async (name: string) => runImporter(importer, await fixture(name), { name });

const failure = (text: string, name = 'your_posts_1.json') => importFailure(importer, text, name);

const ALL = [
  'your_posts_1.json',
  'comments.json',
  'message_1.json',
  'your_friends.json',
  'who_you_followed.json',
  'posts_1.json',
  'post_comments_1.json',
  'followers_1.json',
  'following.json',
  'instagram_message_1.json',
];

describe('Facebook and Instagram "Download your information" JSON', () => {
  it('recognises each file by its shape', async () => {
    for (const name of ALL) expect(await detectionOf(importer, await fixture(name)), name).toBeGreaterThan(0.8);
    expect(await detectionOf(importer, '{"comments": [{"timestamp": 1709950000, "data": []}]}')).toBeGreaterThan(0.5);
  });

  it('does not claim other JSON, CSV or text', async () => {
    for (const text of [
      '{"locations": [{"latitudeE7": 488566000}]}',
      '[{"endTime": "2024-03-09 19:45", "msPlayed": 1}]',
      '[{"ts": "2024-03-09T19:45:35Z", "ms_played": 1}]',
      '{"friends": ["a", "b"]}',
      '{"comments": [{"text": "x"}]}',
      '[{"timestamp": "2024-03-09", "value": 3}]',
      'Date;Libellé;Montant\n',
      'window.YTD.tweets.part0 = []',
    ]) {
      expect(await detectionOf(importer, text), text).toBe(0);
    }
  });

  it('reads Facebook posts with mojibake repaired: text, caption, photos and links', async () => {
    const { records, of, warnings } = await run('your_posts_1.json');
    await expectCatalogValid(records);
    expect(warnings).toEqual([]);
    const posts = of('social.post');
    expect(posts[0]).toEqual({
      platform: 'facebook',
      kind: 'post',
      date: '2024-03-09T18:30:00Z',
      text: 'Premier marché de printemps à Montreuil, les fraises sont arrivées 🍓 C’est parti !',
      title: 'Camille Martin a mis à jour son statut.',
    });
    expect(posts[1]).toMatchObject({
      text: 'Joyeux anniversaire Léa !',
      media: [
        {
          uri: 'your_facebook_activity/posts/media/Mobileuploads_4321/425000000000001.jpg',
          type: 'photo',
          title: 'Le gâteau d’anniversaire de Léa',
        },
      ],
    });
    expect(posts[2]).toMatchObject({
      links: [
        {
          url: 'https://www.lemonde.fr/planete/article/2024/03/07/climat.html',
          title: 'Climat : un mois de février record',
        },
      ],
    });
    expect(posts[2]).not.toHaveProperty('text');
    expect(posts[3]).toMatchObject({
      date: '2024-03-31T01:00:00Z',
      title: 'Camille Martin a mis à jour sa photo de profil.',
    });
  });

  it('keys posts on their time and a digest of their content, the same on every import', async () => {
    const first = keysOf((await run('your_posts_1.json')).records);
    expect(first[0]).toMatch(/^facebook\|post\|2024-03-09T18:30:00Z\|[A-Za-z0-9_-]{22}$/);
    expect(new Set(first).size).toBe(first.length);
    expect(keysOf((await run('your_posts_1.json')).records)).toEqual(first);
  });

  it('reads Facebook comments with their author', async () => {
    const { records, of } = await run('comments.json');
    await expectCatalogValid(records);
    expect(of('social.post')[0]).toEqual({
      platform: 'facebook',
      kind: 'comment',
      date: '2024-03-09T02:06:40Z',
      text: 'Bravo à toute l’équipe 👏',
      title: 'Camille Martin a commenté la publication de Marc Dupont.',
      author: 'Camille Martin',
    });
  });

  it('reads a Facebook conversation: both sides, photos, shares and reactions; unsent messages left out', async () => {
    const { records, of } = await run('message_1.json');
    await expectCatalogValid(records);
    const messages = of('social.post');
    expect(messages).toHaveLength(4);
    expect(messages[0]).toEqual({
      platform: 'facebook',
      kind: 'message',
      date: '2024-03-09T19:25:45.678Z',
      text: 'On se retrouve au café de la gare ?',
      author: 'Camille Martin',
      conversationId: 'inbox/marcdupont_Zs11Uy-bpw',
      conversationTitle: 'Marc Dupont',
      participants: ['Marc Dupont', 'Camille Martin'],
      extra: { reactions: [{ reaction: '👍', actor: 'Marc Dupont' }] },
    });
    expect(messages[1]).toMatchObject({
      author: 'Marc Dupont',
      media: [
        {
          uri: 'your_facebook_activity/messages/inbox/marcdupont_Zs11Uy-bpw/photos/425000000000003.jpg',
          type: 'photo',
        },
      ],
    });
    expect(messages[2]).toMatchObject({ links: [{ url: 'https://www.sncf-connect.com/', title: 'SNCF Connect' }] });
    expect(messages[3]).toMatchObject({ text: 'Très bien, à tout à l’heure 😊' });
  });

  it('reads the conversation title and path even when the file gives them after the messages', async () => {
    const text = JSON.stringify({
      messages: [{ sender_name: 'A', timestamp_ms: 1710012345678, content: 'x' }],
      participants: [{ name: 'A' }],
      title: 'Groupe',
      thread_path: 'inbox/groupe_AbC123xYz',
    });
    expect((await runImporter(importer, text)).of('social.post')[0]).toMatchObject({
      conversationId: 'inbox/groupe_AbC123xYz',
      conversationTitle: 'Groupe',
    });
  });

  it('tells an Instagram conversation by its thread path', async () => {
    const { records, of } = await run('instagram_message_1.json');
    await expectCatalogValid(records);
    expect(of('social.post')).toEqual([
      expect.objectContaining({ platform: 'instagram', author: 'Léa Bernard', text: 'Tu as vu la story ? 😂' }),
      expect.objectContaining({
        platform: 'instagram',
        links: [{ url: 'https://www.instagram.com/reel/C4AbCdEfGhI/' }],
      }),
    ]);
    expect(records[0]).toMatchObject({ key: expect.stringMatching(/^instagram\|message\|2024-03-14T07:06:40Z\|/) });
  });

  it('reads Facebook friends and follows; a friendship time of 0 is unknown; a nameless entry is skipped with its line', async () => {
    const { records, of, warnings } = await run('your_friends.json');
    await expectCatalogValid(records);
    expect(of('social.connection')).toEqual([
      { platform: 'facebook', relation: 'friend', name: 'Marc Dupont', since: '2010-01-01T00:00:00Z' },
      { platform: 'facebook', relation: 'friend', name: 'Léa Bernard', since: '2015-01-01T00:00:00Z' },
      { platform: 'facebook', relation: 'friend', name: 'Hélène Faure' },
    ]);
    expect(warnings).toEqual([{ line: 15, message: 'a friend without a name is skipped.' }]);
    expect(keysOf(records)[1]).toBe('facebook|friend|Léa Bernard');
    expect((await run('who_you_followed.json')).of('social.connection')).toEqual([
      { platform: 'facebook', relation: 'following', name: 'France Inter', since: '2020-01-01T00:00:00Z' },
    ]);
  });

  it('reads Instagram posts: one photo with its caption, a carousel with photo and video', async () => {
    const { records, of } = await run('posts_1.json');
    await expectCatalogValid(records);
    expect(of('social.post')).toEqual([
      {
        platform: 'instagram',
        kind: 'post',
        date: '2024-03-10T19:46:40Z',
        text: 'Coucher de soleil sur la Seine 🌅',
        media: [{ uri: 'media/posts/202403/17900000000000001.jpg', type: 'photo' }],
      },
      {
        platform: 'instagram',
        kind: 'post',
        date: '2024-03-11T23:33:20Z',
        text: 'Week-end à Étretat',
        media: [
          { uri: 'media/posts/202403/17900000000000002.jpg', type: 'photo' },
          { uri: 'media/posts/202403/17900000000000003.mp4', type: 'video' },
        ],
      },
    ]);
  });

  it('reads Instagram comments, followers and accounts followed', async () => {
    const comments = await run('post_comments_1.json');
    await expectCatalogValid(comments.records);
    expect(comments.of('social.post')).toEqual([
      {
        platform: 'instagram',
        kind: 'comment',
        date: '2024-03-13T03:20:00Z',
        text: 'Magnifique exposition ! 😍',
        inReplyToAuthor: 'musee_orsay',
      },
    ]);
    const followers = await run('followers_1.json');
    await expectCatalogValid(followers.records);
    expect(followers.of('social.connection')).toEqual([
      {
        platform: 'instagram',
        relation: 'follower',
        handle: 'lea_bernard',
        url: 'https://www.instagram.com/lea_bernard',
        since: '2023-07-22T04:26:40Z',
      },
      {
        platform: 'instagram',
        relation: 'follower',
        handle: 'marc.dupont',
        url: 'https://www.instagram.com/marc.dupont',
      },
    ]);
    expect((await run('following.json')).of('social.connection')).toEqual([
      {
        platform: 'instagram',
        relation: 'following',
        handle: 'musee_orsay',
        url: 'https://www.instagram.com/_u/musee_orsay',
        since: '2023-05-14T09:12:44Z',
      },
    ]);
  });

  it('refuses a truncated file and corrupt JSON, naming file and line', async () => {
    const text = (await fixture('message_1.json')).toString('utf8');
    const cut = await failure(text.slice(0, 900), 'message_1.json');
    expect(cut.message).toMatch(/^message_1\.json, line \d+: .*truncated/);
    const corrupt = await failure(text.replace('"title": "Marc Dupont"', '"title" "Marc Dupont"'), 'message_1.json');
    expect(corrupt.message).toMatch(/^message_1\.json, line \d+: /);
  });

  it.each([
    [
      'a time in milliseconds where seconds are expected',
      '[{"timestamp": 1710009000000, "data": [{"post": "x"}]}]',
      /absurd/,
    ],
    ['a time before 2000', '[{"timestamp": 86400, "data": [{"post": "x"}]}]', /absurd/],
    ['a time that is not a number', '[{"timestamp": "hier", "data": [{"post": "x"}]}]', /not a date/],
  ])('refuses %s with its line', async (_, text, message) => {
    const e = await failure(text);
    expect(e.message).toMatch(/^your_posts_1\.json, line 1: /);
    expect(e.message).toMatch(message);
  });

  it('refuses JSON that holds nothing it imports, and warns for an entry of unknown shape', async () => {
    const e = await failure('{"profile_v2": {"name": {"full_name": "Camille"}}}', 'profile_information.json');
    expect(e.message).toMatch(/^profile_information\.json: this JSON holds none of the posts/);
    const { records, warnings } = await runImporter(importer, '[\n{"uri": "x"}\n]');
    expect(records).toEqual([]);
    expect(warnings).toEqual([{ line: 2, message: 'an entry of a shape Foyer does not know is skipped.' }]);
  });
});
