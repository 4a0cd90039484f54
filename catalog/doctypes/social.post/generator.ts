import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const posts = [
  'Premier marché de printemps à {city}, les fraises sont arrivées 🍓',
  'Quelqu’un connaît un bon plombier sur {city} ? Fuite sous l’évier depuis ce matin.',
  'Vélotaf sous la pluie : 1, moi : 0.',
  'Fête de l’école ce samedi, les enfants ont répété toute la semaine.',
] as const;

const messages = ['Tu passes à quelle heure ?', 'Vers 19 h, ça te va ?', 'Parfait, à ce soir !', 'J’ai les billets 🎟️'];

/** `count` posts and messages of the first adult within [from, to), in time order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const me = h.adults[0];
  const partner = h.adults[1];
  const handle = `${me.givenName}_${me.familyName}`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[^a-z_]/g, '');
  const myId = rng.digits(10);
  const partnerId = rng.digits(10);
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const id = rng.digits(19);
    if (rng.chance(0.4)) {
      const mine = rng.chance(0.5);
      return {
        platform: 'twitter',
        kind: 'message',
        id,
        date: isoInstant(t),
        text: rng.pick(messages),
        authorId: mine ? myId : partnerId,
        recipientIds: [mine ? partnerId : myId],
        conversationId: `${myId}-${partnerId}`,
      };
    }
    const text = rng.pick(posts).replace('{city}', h.home.city);
    return {
      platform: 'twitter',
      kind: 'post',
      id,
      date: isoInstant(t),
      text,
      author: handle,
      authorId: myId,
      url: `https://twitter.com/${handle}/status/${id}`,
      language: 'fr',
      client: rng.pick(['Twitter for Android', 'Twitter Web App']),
      likeCount: rng.int(0, 12),
      repostCount: rng.int(0, 2),
      ...(rng.chance(0.2) ? { mentions: [`${partner.givenName}${partner.familyName}`.toLowerCase()] } : {}),
    };
  });
}
