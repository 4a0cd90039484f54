import type { Rng } from './rng.js';

/**
 * One fictional French household, derived from a seed. Every doctype's generator builds it from
 * `rng.fork('household')`, so with the same seed the bank transactions debit the accounts the
 * bank.account generator lists, the bills name the contracts' numbers, the load curve belongs to
 * the contract's usage point, and the phone's locations circle the home's address.
 */

export interface Person {
  givenName: string;
  familyName: string;
  birthDate: string;
  email: string;
  /** E.164 */
  mobile: string;
}

export interface Place {
  name: string;
  lat: number;
  lon: number;
}

export interface BankAccountRef {
  accountId: string;
  type: 'checking' | 'savings' | 'loan';
  product: string;
  label: string;
  iban: string;
  ownership: 'individual' | 'joint';
  holders: string[];
}

export interface Household {
  familyName: string;
  adults: [Person, Person];
  children: Person[];
  home: {
    street: string;
    postalCode: string;
    city: string;
    country: 'FR';
    lat: number;
    lon: number;
    surfaceM2: number;
    rooms: number;
    occupancy: 'owner' | 'tenant';
    heating: 'electric' | 'gas';
  };
  /** Where the first adult works, a few kilometres from home. */
  work: Place;
  bank: { vendor: string; bic: string; bankCode: string; branchCode: string };
  accounts: BankAccountRef[];
  electricity: {
    vendor: string;
    usagePointId: string;
    contractNumber: string;
    customerNumber: string;
    subscribedPowerKva: number;
    tariffOption: 'base' | 'peak_off_peak' | 'tempo';
  };
  gas: { vendor: string; usagePointId: string; contractNumber: string; customerNumber: string };
  water: { vendor: string; meterId: string; contractNumber: string; customerNumber: string };
  telecom: {
    vendor: string;
    mobileContractNumbers: string[];
    boxNumber: string;
    boxContractNumber: string;
    customerNumber: string;
  };
  insurance: {
    vendor: string;
    homeContractNumber: string;
    vehicleContractNumber: string;
    healthVendor: string;
    healthContractNumber: string;
  };
  vehicle: { registration: string; make: string; model: string; firstRegistrationDate: string };
  /** One phone per adult, as location sources. */
  deviceIds: string[];
}

const cities = [
  { city: 'Paris', postalCode: '75011', lat: 48.8591, lon: 2.3795, water: 'Eau de Paris' },
  { city: 'Lyon', postalCode: '69003', lat: 45.7597, lon: 4.8589, water: 'Eau du Grand Lyon' },
  { city: 'Nantes', postalCode: '44000', lat: 47.2173, lon: -1.5534, water: 'Nantes Métropole – Eau' },
  { city: 'Bordeaux', postalCode: '33000', lat: 44.8378, lon: -0.5792, water: 'SUEZ Eau France' },
  { city: 'Lille', postalCode: '59000', lat: 50.6292, lon: 3.0573, water: 'Iléo' },
  { city: 'Toulouse', postalCode: '31000', lat: 43.6047, lon: 1.4442, water: 'Eau de Toulouse Métropole' },
  { city: 'Rennes', postalCode: '35000', lat: 48.1147, lon: -1.6794, water: 'Eau du Bassin Rennais' },
  { city: 'Strasbourg', postalCode: '67000', lat: 48.5734, lon: 7.7521, water: 'Eurométropole de Strasbourg – Eau' },
  { city: 'Grenoble', postalCode: '38000', lat: 45.1885, lon: 5.7245, water: 'Eaux de Grenoble Alpes' },
  { city: 'Montpellier', postalCode: '34000', lat: 43.6108, lon: 3.8767, water: 'Régie des eaux de Montpellier' },
] as const;

const streets = [
  'rue de la République',
  'avenue Jean Jaurès',
  'rue Victor Hugo',
  'boulevard Voltaire',
  'rue Pasteur',
  'allée des Tilleuls',
  'rue du Moulin',
  'rue des Écoles',
  'avenue de la Libération',
  'rue Émile Zola',
];

const familyNames = [
  'Martin',
  'Bernard',
  'Dubois',
  'Robert',
  'Richard',
  'Petit',
  'Durand',
  'Leroy',
  'Moreau',
  'Simon',
  'Laurent',
  'Lefebvre',
  'Michel',
  'Garcia',
  'Fournier',
  'Lambert',
  'Girard',
  'Bonnet',
  'Mercier',
  'Rousseau',
];
const womenNames = ['Camille', 'Léa', 'Manon', 'Chloé', 'Inès', 'Julie', 'Sophie', 'Claire', 'Élise', 'Sarah'];
const menNames = ['Thomas', 'Nicolas', 'Julien', 'Antoine', 'Maxime', 'Lucas', 'Hugo', 'Mathieu', 'Karim', 'Olivier'];
const childNames = ['Jade', 'Louise', 'Emma', 'Gabriel', 'Léo', 'Raphaël', 'Arthur', 'Alice', 'Lina', 'Noah'];

/** French banks with their interbank code and BIC. */
const banks = [
  { vendor: 'BNP Paribas', bankCode: '30004', bic: 'BNPAFRPPXXX' },
  { vendor: 'Société Générale', bankCode: '30003', bic: 'SOGEFRPPXXX' },
  { vendor: 'LCL', bankCode: '30002', bic: 'CRLYFRPPXXX' },
  { vendor: 'La Banque Postale', bankCode: '20041', bic: 'PSSTFRPPXXX' },
  { vendor: 'Crédit Mutuel', bankCode: '10278', bic: 'CMCIFR2AXXX' },
  { vendor: "Caisse d'Epargne Île-de-France", bankCode: '17515', bic: 'CEPAFRPP751' },
];

const electricitySuppliers = ['EDF', 'EDF', 'EDF', 'TotalEnergies', 'Engie', 'Ekwateur', 'Mint Énergie'];
const gasSuppliers = ['Engie', 'Engie', 'TotalEnergies', 'EDF', 'Eni'];
const operators = ['Orange', 'SFR', 'Bouygues Telecom', 'Free'];
const insurers = ['MAIF', 'MACIF', 'AXA', 'Groupama', 'MAAF', 'Matmut', 'GMF'];
const mutuelles = ['MGEN', 'Harmonie Mutuelle', 'Malakoff Humanis', 'AG2R La Mondiale', 'Alan'];
const cars = [
  ['Renault', 'Clio V'],
  ['Peugeot', '208'],
  ['Citroën', 'C3'],
  ['Dacia', 'Sandero'],
  ['Toyota', 'Yaris'],
  ['Renault', 'Mégane E-Tech'],
] as const;

const asciiFold = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** +33 6 or +33 7 followed by eight digits. */
export function frenchMobile(rng: Rng): string {
  return `+33${rng.pick(['6', '7'])}${rng.digits(8)}`;
}

/** A French IBAN with valid RIB key and IBAN check digits. */
export function frenchIban(bankCode: string, branchCode: string, accountNumber: string): string {
  const ribKey = 97 - Number((89n * BigInt(bankCode) + 15n * BigInt(branchCode) + 3n * BigInt(accountNumber)) % 97n);
  const bban = `${bankCode}${branchCode}${accountNumber}${String(ribKey).padStart(2, '0')}`;
  // Check digits: BBAN + "FR00" with letters as numbers (F = 15, R = 27), mod 97.
  const check = 98 - Number(BigInt(`${bban}152700`) % 97n);
  return `FR${String(check).padStart(2, '0')}${bban}`;
}

function person(rng: Rng, givenName: string, familyName: string, birthYear: number): Person {
  const domain = rng.pick(['gmail.com', 'orange.fr', 'free.fr', 'laposte.net', 'outlook.fr', 'proton.me']);
  return {
    givenName,
    familyName,
    birthDate: `${birthYear}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    email: `${asciiFold(givenName)}.${asciiFold(familyName)}@${domain}`,
    mobile: frenchMobile(rng),
  };
}

export function createHousehold(rng: Rng): Household {
  const familyName = rng.pick(familyNames);
  const adults: [Person, Person] = [
    person(rng, rng.pick(womenNames), familyName, rng.int(1975, 1992)),
    person(rng, rng.pick(menNames), familyName, rng.int(1975, 1992)),
  ];
  const children = Array.from({ length: rng.int(0, 2) }, () =>
    person(rng, rng.pick(childNames), familyName, rng.int(2010, 2020)),
  );
  const place = rng.pick(cities);
  const surfaceM2 = rng.int(45, 120);
  const home = {
    street: `${rng.int(1, 120)} ${rng.pick(streets)}`,
    postalCode: place.postalCode,
    city: place.city,
    country: 'FR' as const,
    lat: place.lat + rng.float(-0.01, 0.01, 5),
    lon: place.lon + rng.float(-0.015, 0.015, 5),
    surfaceM2,
    rooms: Math.max(2, Math.round(surfaceM2 / 22)),
    occupancy: rng.pick(['owner', 'tenant'] as const),
    heating: rng.pick(['electric', 'gas'] as const),
  };
  const bank = rng.pick(banks);
  const branchCode = rng.digits(5);
  const holderNames = adults.map((a) => `${a.givenName} ${a.familyName}`);
  const account = (type: BankAccountRef['type'], product: string, label: string, joint: boolean): BankAccountRef => ({
    accountId: `acc-${rng.hex(16)}`,
    type,
    product,
    label,
    iban: frenchIban(bank.bankCode, branchCode, rng.digits(11)),
    ownership: joint ? 'joint' : 'individual',
    holders: joint ? holderNames : [holderNames[0] as string],
  });
  const upper = familyName.toUpperCase();
  const accounts = [
    account('checking', 'Compte de dépôt', `COMPTE JOINT M OU MME ${upper}`, true),
    account('checking', 'Compte de dépôt', `COMPTE CHEQUES MME ${upper}`, false),
    account('savings', 'Livret A', `LIVRET A MME ${upper}`, false),
    account('savings', 'LDDS', `LDDS M OU MME ${upper}`, true),
  ];
  const car = rng.pick(cars);
  const letters = () => String.fromCharCode(65 + rng.int(0, 25), 65 + rng.int(0, 25)).replace(/[IOU]/g, 'X');
  return {
    familyName,
    adults,
    children,
    home,
    work: {
      name: rng.pick(['Bureau', 'Siège ACME', 'Agence', 'Campus']),
      lat: place.lat + rng.float(-0.05, 0.05, 5),
      lon: place.lon + rng.float(-0.06, 0.06, 5),
    },
    bank: { vendor: bank.vendor, bic: bank.bic, bankCode: bank.bankCode, branchCode },
    accounts,
    electricity: {
      vendor: rng.pick(electricitySuppliers),
      usagePointId: `${rng.int(1, 2)}${rng.digits(13)}`,
      contractNumber: rng.digits(10),
      customerNumber: rng.digits(10),
      subscribedPowerKva: home.heating === 'electric' ? rng.pick([9, 12]) : rng.pick([6, 9]),
      tariffOption: rng.weighted([
        ['base', 5],
        ['peak_off_peak', 4],
        ['tempo', 1],
      ] as const),
    },
    gas: {
      vendor: rng.pick(gasSuppliers),
      usagePointId: `${rng.int(1, 9)}${rng.digits(13)}`,
      contractNumber: rng.digits(10),
      customerNumber: rng.digits(9),
    },
    water: {
      vendor: place.water,
      meterId: `${rng.pick(['A', 'D', 'I'])}${rng.digits(2)}${rng.pick(['LA', 'SA', 'TA'])}${rng.digits(6)}`,
      contractNumber: rng.digits(8),
      customerNumber: rng.digits(9),
    },
    telecom: {
      vendor: rng.pick(operators),
      mobileContractNumbers: adults.map(() => rng.digits(10)),
      boxNumber: `+339${rng.digits(8)}`,
      boxContractNumber: rng.digits(10),
      customerNumber: rng.digits(9),
    },
    insurance: {
      vendor: rng.pick(insurers),
      homeContractNumber: `${rng.digits(7)}H`,
      vehicleContractNumber: `${rng.digits(7)}A`,
      healthVendor: rng.pick(mutuelles),
      healthContractNumber: rng.digits(9),
    },
    vehicle: {
      registration: `${letters()}-${rng.digits(3)}-${letters()}`,
      make: car[0],
      model: car[1],
      firstRegistrationDate: `${rng.int(2015, 2023)}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`,
    },
    deviceIds: adults.map(() => `device-${rng.hex(12)}`),
  };
}

/** The household every generator shares for a given seed. */
export const householdOf = (rng: Rng): Household => createHousehold(rng.fork('household'));
