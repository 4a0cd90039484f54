import { frenchIban } from '../../../catalog/synthetic/household.js';
import { Rng } from '../../../catalog/synthetic/rng.js';
import { shift } from './places.js';
import { bankCodes } from './vendors.js';

export type HolderId = 'insurer' | 'telecom' | 'electricity' | 'gas' | 'water' | 'bank' | 'retailer';
export const holderIds: readonly HolderId[] = ['insurer', 'telecom', 'electricity', 'gas', 'water', 'bank', 'retailer'];

export type ProfileId = 'family' | 'student' | 'retirees' | 'single-parent';

export interface Login {
  username: string;
  password: string;
  /** The one-time code the customer types when the holder asks for a second factor. */
  otp: string;
}

export interface Person {
  givenName: string;
  familyName: string;
  birthDate: string;
  email: string;
  /** E.164 */
  mobile: string;
  adult: boolean;
}

export interface Place {
  name: string;
  lat: number;
  lon: number;
}

export interface Address {
  street: string;
  postalCode: string;
  city: string;
  country: 'FR';
}

export interface MobileLine {
  lineNumber: string;
  contractNumber: string;
  plan: string;
  monthlyFee: number;
  dataAllowanceGB: number;
  /** Index in `people` of who uses it. */
  user: number;
  startDate: string;
}

export interface Vehicle {
  registration: string;
  make: string;
  model: string;
  firstRegistrationDate: string;
  contractNumber: string;
  monthlyPremium: number;
}

export interface Customer {
  id: string;
  profile: ProfileId;
  /** One line for people reading `foyer holders`. */
  description: string;
  /** Adults first. */
  people: Person[];
  /** How holders address the customer, e.g. "M. et Mme Moreau". */
  displayName: string;
  address: Address;
  home: Place;
  /** Where the first adult spends weekdays (office, campus); absent for the retired. */
  workplace?: Place;
  dwelling: {
    type: 'house' | 'apartment';
    surfaceM2: number;
    rooms: number;
    occupancy: 'owner' | 'tenant';
    heating: 'electric' | 'gas';
    movedIn: string;
  };
  /** The holders this customer is a client of; `logins` and `customerNumbers` have exactly these keys. */
  holders: HolderId[];
  logins: Partial<Record<HolderId, Login>>;
  customerNumbers: Partial<Record<HolderId, string>>;
  electricity?: {
    usagePointId: string;
    contractNumber: string;
    subscribedPowerKva: 3 | 6 | 9 | 12;
    tariffOption: 'base' | 'peak_off_peak';
    startDate: string;
  };
  gas?: { usagePointId: string; contractNumber: string; use: 'heating' | 'cooking_hot_water'; startDate: string };
  water?: { meterId: string; contractNumber: string; startDate: string };
  telecom: {
    mobiles: MobileLine[];
    box?: { lineNumber: string; contractNumber: string; plan: string; monthlyFee: number; startDate: string };
  };
  insurer: {
    home: { contractNumber: string; monthlyPremium: number; startDate: string };
    vehicles: Vehicle[];
    frequency: 'monthly' | 'quarterly';
  };
  bank: {
    checking: { accountId: string; iban: string; label: string; openingDate: string; openingBalance: number };
    savings: { accountId: string; iban: string; label: string; openingDate: string; openingBalance: number };
    loan?: {
      accountId: string;
      iban: string;
      principal: number;
      monthlyPayment: number;
      startDate: string;
      months: number;
    };
    cardLast4: string;
    /** Monthly income credited to the checking account. */
    incomes: { label: string; amount: number; dayOfMonth: number; creditor: string }[];
    rent?: { amount: number; landlord: string; iban: string };
  };
  retailer?: { cardNumber: string; storeName: string; storeCity: string; tripsPerWeek: number; basketEuros: number };
}

interface ProfileSpec {
  id: string;
  profile: ProfileId;
  description: string;
  adults: number;
  children: number;
  adultBirthYears: [number, number];
  city: { postalCode: string; city: string; lat: number; lon: number };
  dwelling: Omit<Customer['dwelling'], 'movedIn'>;
  holders: HolderId[];
  kva: 3 | 6 | 9 | 12;
  tariff: 'base' | 'peak_off_peak';
  gasUse?: 'heating' | 'cooking_hot_water';
  workplace?: { name: string; northKm: number; eastKm: number };
  mobiles: number;
  box?: { plan: string; monthlyFee: number };
  vehicles: number;
  homePremium: number;
  frequency: 'monthly' | 'quarterly';
  incomes: { label: string; amount: number; dayOfMonth: number; creditor: string }[];
  rent?: number;
  loan?: { principal: number; monthlyPayment: number; months: number };
  tripsPerWeek: number;
  basketEuros: number;
}

/** Four households in and around Nantes, so that one water utility and one retailer serve them all. */
const profiles: ProfileSpec[] = [
  {
    id: 'family',
    profile: 'family',
    description: 'Couple with two children in a house, electric heating, gas for cooking and hot water, two cars',
    adults: 2,
    children: 2,
    adultBirthYears: [1980, 1988],
    city: { postalCode: '44800', city: 'Saint-Herblain', lat: 47.2122, lon: -1.6497 },
    dwelling: { type: 'house', surfaceM2: 118, rooms: 5, occupancy: 'owner', heating: 'electric' },
    holders: ['insurer', 'telecom', 'electricity', 'gas', 'water', 'bank', 'retailer'],
    kva: 12,
    tariff: 'peak_off_peak',
    gasUse: 'cooking_hot_water',
    workplace: { name: 'Bureau, Île de Nantes', northKm: -0.3, eastKm: 7.2 },
    mobiles: 2,
    box: { plan: 'Onde Fibre Max', monthlyFee: 39.99 },
    vehicles: 2,
    homePremium: 31.4,
    frequency: 'monthly',
    incomes: [
      { label: 'SALAIRE', amount: 2480, dayOfMonth: 28, creditor: 'ATELIERS DE L OUEST SAS' },
      { label: 'SALAIRE', amount: 2010, dayOfMonth: 27, creditor: 'CENTRE HOSPITALIER NANTES' },
      { label: 'ALLOCATIONS FAMILIALES', amount: 148.52, dayOfMonth: 5, creditor: 'CAF LOIRE ATLANTIQUE' },
    ],
    loan: { principal: 265000, monthlyPayment: 1190.4, months: 300 },
    tripsPerWeek: 2,
    basketEuros: 95,
  },
  {
    id: 'student',
    profile: 'student',
    description: 'Student alone in a small flat with gas heating, no car, mobile only',
    adults: 1,
    children: 0,
    adultBirthYears: [2003, 2005],
    city: { postalCode: '44000', city: 'Nantes', lat: 47.2225, lon: -1.5536 },
    dwelling: { type: 'apartment', surfaceM2: 19, rooms: 1, occupancy: 'tenant', heating: 'gas' },
    holders: ['insurer', 'telecom', 'electricity', 'gas', 'bank', 'retailer'],
    kva: 3,
    tariff: 'base',
    gasUse: 'heating',
    workplace: { name: 'Campus universitaire', northKm: 1.9, eastKm: 0.9 },
    mobiles: 1,
    vehicles: 0,
    homePremium: 6.9,
    frequency: 'monthly',
    incomes: [
      { label: 'VIREMENT PARENTS', amount: 540, dayOfMonth: 1, creditor: 'M OU MME PARENTS' },
      { label: 'AIDE AU LOGEMENT', amount: 186.37, dayOfMonth: 5, creditor: 'CAF LOIRE ATLANTIQUE' },
      { label: 'SALAIRE JOB ETUDIANT', amount: 412.6, dayOfMonth: 30, creditor: 'LIBRAIRIE DU PASSAGE' },
    ],
    rent: 438,
    tripsPerWeek: 1.5,
    basketEuros: 28,
  },
  {
    id: 'retirees',
    profile: 'retirees',
    description: 'Retired couple in a house with gas heating, one car, landline and two mobiles',
    adults: 2,
    children: 0,
    adultBirthYears: [1952, 1957],
    city: { postalCode: '44120', city: 'Vertou', lat: 47.1689, lon: -1.4702 },
    dwelling: { type: 'house', surfaceM2: 96, rooms: 4, occupancy: 'owner', heating: 'gas' },
    holders: ['insurer', 'telecom', 'electricity', 'gas', 'water', 'bank', 'retailer'],
    kva: 9,
    tariff: 'base',
    gasUse: 'heating',
    mobiles: 2,
    box: { plan: 'Onde Box Essentiel', monthlyFee: 29.99 },
    vehicles: 1,
    homePremium: 27.1,
    frequency: 'quarterly',
    incomes: [
      { label: 'RETRAITE', amount: 1412.21, dayOfMonth: 9, creditor: 'CNAV' },
      { label: 'RETRAITE', amount: 1004.77, dayOfMonth: 9, creditor: 'CNAV' },
      { label: 'RETRAITE COMPLEMENTAIRE', amount: 488.4, dayOfMonth: 1, creditor: 'AGIRC ARRCO' },
    ],
    tripsPerWeek: 3,
    basketEuros: 48,
  },
  {
    id: 'single-parent',
    profile: 'single-parent',
    description: 'Single parent with a child in a flat, electric heating, one car',
    adults: 1,
    children: 1,
    adultBirthYears: [1985, 1990],
    city: { postalCode: '44400', city: 'Rezé', lat: 47.1833, lon: -1.5497 },
    dwelling: { type: 'apartment', surfaceM2: 62, rooms: 3, occupancy: 'tenant', heating: 'electric' },
    holders: ['insurer', 'telecom', 'electricity', 'water', 'bank', 'retailer'],
    kva: 6,
    tariff: 'peak_off_peak',
    workplace: { name: 'Magasin, centre commercial', northKm: 4.1, eastKm: 2.4 },
    mobiles: 1,
    box: { plan: 'Onde Fibre', monthlyFee: 32.99 },
    vehicles: 1,
    homePremium: 14.8,
    frequency: 'monthly',
    incomes: [
      { label: 'SALAIRE', amount: 1842.3, dayOfMonth: 29, creditor: 'DISTRIBUTION OUEST SA' },
      { label: 'PRESTATIONS FAMILIALES', amount: 291.06, dayOfMonth: 5, creditor: 'CAF LOIRE ATLANTIQUE' },
      { label: 'PENSION ALIMENTAIRE', amount: 220, dayOfMonth: 3, creditor: 'M. PENSION' },
    ],
    rent: 712,
    tripsPerWeek: 2,
    basketEuros: 62,
  },
];

const familyNames = [
  'Moreau',
  'Lefèvre',
  'Garnier',
  'Chevalier',
  'Roussel',
  'Blanchard',
  'Guérin',
  'Boyer',
  'Perrin',
  'Morin',
];
const women = ['Camille', 'Claire', 'Élise', 'Sophie', 'Nadia', 'Julie', 'Aurélie', 'Céline'];
const men = ['Thomas', 'Julien', 'Antoine', 'Karim', 'Olivier', 'Mathieu', 'Yann', 'Sébastien'];
const youngWomen = ['Léa', 'Manon', 'Chloé', 'Inès', 'Zoé', 'Lina'];
const youngMen = ['Lucas', 'Hugo', 'Nathan', 'Théo', 'Enzo', 'Yanis'];
const olderWomen = ['Martine', 'Anne', 'Monique', 'Françoise', 'Brigitte'];
const olderMen = ['Bernard', 'Alain', 'Gérard', 'Michel', 'Jean-Pierre'];
const kids = ['Jade', 'Louise', 'Gabriel', 'Léo', 'Arthur', 'Alice', 'Lina', 'Noah'];
const streets = [
  'rue de la Paix',
  'avenue des Acacias',
  'rue du Port',
  'allée des Tilleuls',
  'rue des Écoles',
  'boulevard de la Loire',
  'rue Jules Verne',
  'chemin des Vignes',
];
const cars: [string, string][] = [
  ['Renault', 'Clio V'],
  ['Peugeot', '308'],
  ['Citroën', 'C3'],
  ['Dacia', 'Sandero'],
  ['Toyota', 'Yaris'],
  ['Renault', 'Scénic'],
];
const landlords = ['SCI DES QUAIS', 'NANTES HABITAT', 'AGENCE IMMO ESTUAIRE'];

const ascii = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

const pad2 = (n: number): string => String(n).padStart(2, '0');

function buildCustomer(seed: string, spec: ProfileSpec, familyName: string): Customer {
  const rng = new Rng(`${seed}/customer/${spec.id}`);
  const person = (givenName: string, year: number, adult: boolean): Person => ({
    givenName,
    familyName,
    birthDate: `${year}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`,
    email: `${ascii(givenName)}.${ascii(familyName)}@${rng.pick(['courriel.example', 'boite.example', 'mel.example'])}`,
    mobile: `+336${rng.digits(8)}`,
    adult,
  });
  const [y0, y1] = spec.adultBirthYears;
  const people: Person[] = [];
  const firstIsWoman = rng.chance(0.5);
  // First names of the adults' generation.
  const [her, him] =
    spec.profile === 'student'
      ? [youngWomen, youngMen]
      : spec.profile === 'retirees'
        ? [olderWomen, olderMen]
        : [women, men];
  for (let i = 0; i < spec.adults; i++)
    people.push(person(rng.pick((i === 0) === firstIsWoman ? her : him), rng.int(y0, y1), true));
  for (let i = 0; i < spec.children; i++) people.push(person(rng.pick(kids), rng.int(2012, 2019), false));
  const first = people[0] as Person;
  const upper = familyName.toUpperCase();
  const displayName =
    spec.adults === 2 ? `M. et Mme ${familyName}` : `${firstIsWoman ? 'Mme' : 'M.'} ${first.givenName} ${familyName}`;

  const movedIn = `${rng.int(2016, 2020)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`;
  const home = { name: 'Domicile', ...shift(spec.city, rng.float(-0.8, 0.8), rng.float(-0.8, 0.8)) };
  const address: Address = {
    street: `${rng.int(2, 140)} ${rng.pick(streets)}`,
    postalCode: spec.city.postalCode,
    city: spec.city.city,
    country: 'FR',
  };
  const workplace = spec.workplace && {
    name: spec.workplace.name,
    ...shift(home, spec.workplace.northKm, spec.workplace.eastKm),
  };
  // Contracts start when the household moved in, or a little after.
  const after = (days: number): string =>
    new Date(Date.parse(`${movedIn}T00:00:00Z`) + rng.int(0, days) * 86_400_000).toISOString().slice(0, 10);

  const logins: Partial<Record<string, Login>> = {};
  const customerNumbers: Partial<Record<string, string>> = {};
  for (const holder of spec.holders) {
    const number = holder === 'bank' ? rng.digits(8) : holder === 'electricity' ? rng.digits(11) : rng.digits(9);
    customerNumbers[holder] = number;
    // Banks and the distributors log in with a number; the others with the e-mail address.
    const username = holder === 'bank' || holder === 'electricity' ? number : first.email;
    logins[holder] = { username, password: `${ascii(first.givenName)}-${holder}-${rng.digits(4)}`, otp: rng.digits(6) };
  }

  const has = (h: HolderId): boolean => spec.holders.includes(h);
  const iban = (): string => frenchIban(bankCodes.bankCode, bankCodes.branchCode, rng.digits(11));
  const accountId = (): string => `acc-${rng.hex(12)}`;
  const joint = spec.adults === 2;
  const bankOpening = `${Number(movedIn.slice(0, 4)) - rng.int(2, 8)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`;
  const letters = (): string => String.fromCharCode(65 + rng.int(0, 20), 65 + rng.int(0, 20)).replace(/[IOU]/g, 'X');

  const customer: Customer = {
    id: spec.id,
    profile: spec.profile,
    description: spec.description,
    people,
    displayName,
    address,
    home,
    ...(workplace ? { workplace } : {}),
    dwelling: { ...spec.dwelling, movedIn },
    holders: [...spec.holders],
    logins,
    customerNumbers,
    telecom: {
      mobiles: Array.from({ length: spec.mobiles }, (_, i) => ({
        lineNumber: (people[i] as Person).mobile,
        contractNumber: `M${rng.digits(9)}`,
        plan: spec.profile === 'student' ? 'Onde 100 Go' : spec.profile === 'retirees' ? 'Onde 10 Go' : 'Onde 80 Go',
        monthlyFee: spec.profile === 'student' ? 12.99 : spec.profile === 'retirees' ? 8.99 : 15.99,
        dataAllowanceGB: spec.profile === 'student' ? 100 : spec.profile === 'retirees' ? 10 : 80,
        user: i,
        startDate: after(120),
      })),
      ...(spec.box
        ? {
            box: {
              lineNumber: `+332${rng.digits(8)}`,
              contractNumber: `F${rng.digits(9)}`,
              plan: spec.box.plan,
              monthlyFee: spec.box.monthlyFee,
              startDate: after(30),
            },
          }
        : {}),
    },
    insurer: {
      home: { contractNumber: `HAB${rng.digits(8)}`, monthlyPremium: spec.homePremium, startDate: after(0) },
      vehicles: Array.from({ length: spec.vehicles }, (_, i) => {
        const [make, model] = rng.pick(cars);
        return {
          registration: `${letters()}-${rng.digits(3)}-${letters()}`,
          make,
          model,
          firstRegistrationDate: `${rng.int(2014, 2020)}-${pad2(rng.int(1, 12))}-${pad2(rng.int(1, 28))}`,
          contractNumber: `AUT${rng.digits(8)}`,
          monthlyPremium: Math.round((i === 0 ? rng.float(42, 58) : rng.float(28, 38)) * 100) / 100,
        };
      }),
      frequency: spec.frequency,
    },
    bank: {
      checking: {
        accountId: accountId(),
        iban: iban(),
        label: joint ? `COMPTE JOINT M OU MME ${upper}` : `COMPTE CHEQUES ${upper} ${first.givenName.toUpperCase()}`,
        openingDate: bankOpening,
        openingBalance: Math.round(rng.float(800, 2500)),
      },
      savings: {
        accountId: accountId(),
        iban: iban(),
        label: `LIVRET HORIZON ${upper} ${first.givenName.toUpperCase()}`,
        openingDate: bankOpening,
        openingBalance: Math.round(rng.float(1500, 12000)),
      },
      ...(spec.loan
        ? {
            loan: {
              accountId: accountId(),
              iban: iban(),
              principal: spec.loan.principal,
              monthlyPayment: spec.loan.monthlyPayment,
              startDate: movedIn,
              months: spec.loan.months,
            },
          }
        : {}),
      cardLast4: rng.digits(4),
      incomes: spec.incomes,
      ...(spec.rent ? { rent: { amount: spec.rent, landlord: rng.pick(landlords), iban: iban() } } : {}),
    },
  };
  if (has('electricity'))
    customer.electricity = {
      usagePointId: `${rng.int(1, 2)}${rng.digits(13)}`,
      contractNumber: `E${rng.digits(9)}`,
      subscribedPowerKva: spec.kva,
      tariffOption: spec.tariff,
      startDate: movedIn,
    };
  if (has('gas') && spec.gasUse)
    customer.gas = {
      usagePointId: `${rng.int(1, 9)}${rng.digits(13)}`,
      contractNumber: `G${rng.digits(9)}`,
      use: spec.gasUse,
      startDate: movedIn,
    };
  if (has('water'))
    customer.water = {
      meterId: `E${rng.digits(2)}LA${rng.digits(6)}`,
      contractNumber: `W${rng.digits(8)}`,
      startDate: movedIn,
    };
  if (has('retailer'))
    customer.retailer = {
      cardNumber: `2${rng.digits(12)}`,
      storeName: `Marché Frais ${spec.city.city}`,
      storeCity: spec.city.city,
      tripsPerWeek: spec.tripsPerWeek,
      basketEuros: spec.basketEuros,
    };
  return customer;
}

/** The household's customers for a seed: one per profile, each family named from the seed. */
export function createCustomers(seed: string): Customer[] {
  const names = new Rng(`${seed}/family-names`).shuffle(familyNames);
  return profiles.map((spec, i) => buildCustomer(seed, spec, names[i] as string));
}
