import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';
import { isoInstant } from '../../synthetic/time.js';

const givenNames = ['Léa', 'Hugo', 'Chloé', 'Louis', 'Inès', 'Jules', 'Manon', 'Théo', 'Zoé', 'Nathan'];
const familyNames = ['Bernard', 'Petit', 'Durand', 'Leroy', 'Moreau', 'Lefèvre', 'Garnier', 'Faure'];
const accounts = ['musee_orsay', 'franceinter', 'meteofrance', 'sncf_voyageurs', 'bibliotheque_bnf'];

/** `count` connections made within [from, to), in time order: friends, followers and accounts followed. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const times = Array.from({ length: count }, () => fromMs + Math.floor(rng.next() * (toMs - fromMs))).sort(
    (a, b) => a - b,
  );
  return times.map((t, i) => {
    const platform = rng.weighted([
      ['facebook', 4],
      ['instagram', 4],
      ['twitter', 2],
    ] as const);
    if (platform === 'facebook') {
      const name = i === 0 ? `${h.adults[1].givenName} ${h.adults[1].familyName}` : personName(rng);
      return { platform, relation: 'friend', name, since: isoInstant(t) };
    }
    if (platform === 'instagram') {
      const handle = rng.chance(0.5)
        ? rng.pick(accounts)
        : `${personName(rng)
            .split(' ')[0]!
            .normalize('NFD')
            .replace(/[^A-Za-z]/g, '')}_${rng.digits(3)}`;
      return {
        platform,
        relation: rng.pick(['follower', 'following'] as const),
        handle: handle.toLowerCase(),
        url: `https://www.instagram.com/${handle.toLowerCase()}`,
        since: isoInstant(t),
      };
    }
    const accountId = rng.digits(10);
    return {
      platform,
      relation: rng.pick(['follower', 'following'] as const),
      accountId,
      url: `https://twitter.com/intent/user?user_id=${accountId}`,
    };
  });
}

function personName(rng: Rng): string {
  return `${rng.pick(givenNames)} ${rng.pick(familyNames)}`;
}
