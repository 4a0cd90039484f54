import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { frenchMobile, householdOf } from '../../synthetic/household.js';
import type { Rng } from '../../synthetic/rng.js';

const givenNames = [
  'Marie',
  'Jean',
  'Nathalie',
  'Pierre',
  'Isabelle',
  'Philippe',
  'Aurélie',
  'Sébastien',
  'Émilie',
  'Yann',
  'Fatima',
  'Mehdi',
  'Chantal',
  'Bernard',
];
const familyNames = [
  'Dupont',
  'Lemaire',
  'Faure',
  'Roux',
  'Blanc',
  'Guerin',
  'Muller',
  'Henry',
  'Rousseau',
  'Nicolas',
  'Perrin',
  'Morin',
  'Benali',
  'Nguyen',
];
const services = [
  { displayName: 'Plombier Martin', organisation: 'Martin Plomberie', relationship: 'service' },
  { displayName: 'Cabinet médical du Parc', organisation: 'Cabinet médical du Parc', relationship: 'professional' },
  {
    displayName: 'École élémentaire Jean Moulin',
    organisation: 'École élémentaire Jean Moulin',
    relationship: 'service',
  },
  { displayName: 'Garage du Centre', organisation: 'Garage du Centre', relationship: 'service' },
] as const;

const fold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** `count` contacts: mostly people (family, friends, colleagues), some services. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count } = resolveOptions(options);
  const h = householdOf(rng);
  return Array.from({ length: count }, (_, i) => {
    const uid = `urn:uuid:${rng.hex(8)}-${rng.hex(4)}-4${rng.hex(3)}-${rng.pick(['8', '9', 'a', 'b'])}${rng.hex(3)}-${rng.hex(12)}`;
    if (i % 7 === 6) {
      const s = rng.pick(services);
      return {
        uid,
        displayName: s.displayName,
        organisation: s.organisation,
        phones: [{ number: `+33${rng.int(1, 5)}${rng.digits(8)}`, type: 'work', primary: true }],
        addresses: [
          {
            type: 'work',
            street: `${rng.int(1, 90)} rue de la Paix`,
            postalCode: h.home.postalCode,
            city: h.home.city,
            country: 'FR',
          },
        ],
        groups: ['Services'],
        relationship: s.relationship,
      };
    }
    const relationship = rng.weighted([
      ['family', 3],
      ['friend', 5],
      ['colleague', 3],
      ['neighbour', 1],
    ] as const);
    const given = rng.pick(givenNames);
    const family = relationship === 'family' && rng.chance(0.6) ? h.familyName : rng.pick(familyNames);
    const group = { family: 'Famille', friend: 'Amis', colleague: 'Travail', neighbour: 'Voisins' }[relationship];
    return {
      uid,
      displayName: `${given} ${family}`,
      name: { given, family },
      ...(rng.chance(0.8)
        ? {
            emails: [
              {
                address: `${fold(given)}.${fold(family)}@${rng.pick(['gmail.com', 'orange.fr', 'free.fr', 'yahoo.fr'])}`,
                type: relationship === 'colleague' ? 'work' : 'home',
                primary: true,
              },
            ],
          }
        : {}),
      phones: [{ number: frenchMobile(rng), type: 'mobile', primary: true }],
      ...(rng.chance(0.4)
        ? {
            birthday: `${rng.chance(0.2) ? 1604 : rng.int(1950, 2005)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
          }
        : {}),
      groups: [group],
      relationship,
      favourite: rng.chance(0.15),
    };
  });
}
