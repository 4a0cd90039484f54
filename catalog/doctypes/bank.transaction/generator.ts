import { resolveOptions, type GenerateOptions } from '../../synthetic/generate-options.js';
import { householdOf, type Household } from '../../synthetic/household.js';
import { round, type Rng } from '../../synthetic/rng.js';
import {
  DAY_MS,
  addDays,
  isoInstant,
  nextParisMidnight,
  parisDate,
  parisMidnight,
  toParis,
} from '../../synthetic/time.js';

interface Draft {
  label: string;
  amount: number;
  category: string;
  type: string;
  extra?: Record<string, unknown>;
}

const cardMerchants = [
  {
    category: 'groceries',
    weight: 24,
    min: 3,
    max: 160,
    mcc: '5411',
    names: ['CARREFOUR MARKET', 'MONOPRIX', 'LIDL', 'INTERMARCHE', 'BIOCOOP', 'PICARD SURGELES', 'LECLERC'],
  },
  {
    category: 'restaurant',
    weight: 10,
    min: 4,
    max: 90,
    mcc: '5812',
    names: ['BOULANGERIE PAUL', 'LE BISTROT DU MARCHE', 'SUSHI SHOP', 'LA PIZZERIA', 'BURGER KING'],
  },
  {
    category: 'transport',
    weight: 9,
    min: 2,
    max: 85,
    mcc: '5541',
    names: ['TOTAL ENERGIES', 'SNCF CONNECT', 'UBER TRIP', 'ESSO', 'VINCI AUTOROUTES'],
  },
  {
    category: 'health',
    weight: 4,
    min: 5,
    max: 70,
    mcc: '5912',
    names: ['PHARMACIE DU CENTRE', 'PHARMACIE DE LA GARE', 'OPTIQUE KRYS'],
  },
  {
    category: 'leisure',
    weight: 6,
    min: 6,
    max: 120,
    mcc: '7832',
    names: ['CINEMA PATHE', 'FNAC', 'DECATHLON', 'CULTURA'],
  },
  {
    category: 'shopping',
    weight: 8,
    min: 8,
    max: 300,
    mcc: '5311',
    names: ['AMAZON EU SARL', 'ZARA', 'IKEA', 'LEROY MERLIN', 'DARTY', 'KIABI'],
  },
] as const;

/** Bank statements print names in capitals without accents. */
const bankCase = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();

const dd = (ms: number): string => {
  const l = toParis(ms);
  return `${String(l.day).padStart(2, '0')}/${String(l.month).padStart(2, '0')}`;
};

/** Direct debits of the household's own contracts: the same vendors the bills and contracts name. */
function directDebit(rng: Rng, h: Household, t: number): Draft {
  const l = toParis(t);
  const month = `${String(l.month).padStart(2, '0')}/${l.year}`;
  const creditor = rng.weighted([
    [{ name: h.electricity.vendor, category: 'energy', min: 45, max: 160, ref: h.electricity.contractNumber }, 3],
    [{ name: h.gas.vendor, category: 'energy', min: 30, max: 140, ref: h.gas.contractNumber }, 2],
    [{ name: h.telecom.vendor, category: 'telecom', min: 15, max: 55, ref: h.telecom.boxContractNumber }, 3],
    [{ name: h.insurance.vendor, category: 'insurance', min: 25, max: 95, ref: h.insurance.homeContractNumber }, 2],
    [{ name: h.water.vendor, category: 'utilities', min: 18, max: 60, ref: h.water.contractNumber }, 1],
    [
      {
        name: h.insurance.healthVendor,
        category: 'insurance',
        min: 40,
        max: 130,
        ref: h.insurance.healthContractNumber,
      },
      1,
    ],
  ] as const);
  return {
    label: `PRLV SEPA ${bankCase(creditor.name)}`,
    amount: -rng.float(creditor.min, creditor.max, 2),
    category: creditor.category,
    type: 'direct_debit',
    extra: {
      reference: `ECH ${creditor.ref} ${month}`,
      counterparty: {
        name: creditor.name,
        creditorId: `FR${rng.digits(2)}ZZZ${rng.digits(6)}`,
        mandateReference: `${creditor.ref}-001`,
      },
    },
  };
}

function draft(rng: Rng, h: Household, t: number): Draft {
  const kind = rng.weighted([
    ['card', 60],
    ['direct_debit', 12],
    ['transfer_out', 6],
    ['transfer_in', 4],
    ['salary', 4],
    ['withdrawal', 6],
    ['refund', 3],
    ['check', 2],
    ['fee', 2],
    ['foreign_card', 1],
  ] as const);
  const city = bankCase(h.home.city);
  switch (kind) {
    case 'card': {
      const m = rng.weighted(cardMerchants.map((c) => [c, c.weight] as const));
      const merchant = rng.pick(m.names);
      return {
        label: `CB ${merchant} ${dd(t)} ${city}`,
        amount: -rng.float(m.min, m.max, 2),
        category: m.category,
        type: 'card',
        extra: { merchantCategoryCode: m.mcc, counterparty: { name: merchant } },
      };
    }
    case 'foreign_card': {
      const usd = rng.float(5, 120, 2);
      return {
        label: `CB ${rng.pick(['APPLE.COM/BILL', 'STEAM PURCHASE', 'AIRBNB'])} ${dd(t)} USD ${usd.toFixed(2)}`,
        amount: -round(usd * 0.92 + 0.02 * usd, 2),
        category: 'leisure',
        type: 'card',
        extra: { originalAmount: -usd, originalCurrency: 'USD' },
      };
    }
    case 'direct_debit':
      return directDebit(rng, h, t);
    case 'transfer_out': {
      const to = rng.pick(['M. ET MME DUPONT', 'LYDIA', 'SCI LES TILLEULS LOYER', 'LIVRET A']);
      return {
        label: `VIR SEPA ${to}`,
        amount: -rng.float(20, to.includes('LOYER') ? 1200 : 400, 2),
        category: to.includes('LOYER') ? 'housing' : to === 'LIVRET A' ? 'savings' : 'transfer',
        type: 'transfer',
        extra: { reference: `VIR${rng.digits(10)}`, counterparty: { name: to } },
      };
    }
    case 'transfer_in': {
      const from = rng.pick(['MME MARIE BERNARD', 'LYDIA', 'REMBOURSEMENT WEEK-END']);
      return {
        label: `VIR SEPA RECU /DE ${from}`,
        amount: rng.float(10, 300, 2),
        category: 'transfer',
        type: 'transfer',
        extra: { counterparty: { name: from } },
      };
    }
    case 'salary': {
      const employer = rng.pick(['ACME SAS', 'CENTRE HOSPITALIER', 'MAIRIE', 'DECATHLON SE']);
      return {
        label: `VIR SEPA SALAIRE ${employer}`,
        amount: rng.float(1650, 3900, 2),
        category: 'salary',
        type: 'credit',
        extra: { counterparty: { name: employer } },
      };
    }
    case 'withdrawal':
      return {
        label: `RETRAIT DAB ${dd(t)} ${city}`,
        amount: -rng.int(2, 20) * 10,
        category: 'cash',
        type: 'withdrawal',
      };
    case 'refund': {
      const payer = rng.pick(['CPAM', bankCase(h.insurance.healthVendor)]);
      return { label: `REMBOURSEMENT ${payer}`, amount: rng.float(5, 120, 2), category: 'health', type: 'credit' };
    }
    case 'check': {
      const number = rng.digits(7);
      return {
        label: `CHEQUE ${number}`,
        amount: -rng.float(20, 250, 2),
        category: 'other',
        type: 'check',
        extra: { reference: number },
      };
    }
    case 'fee':
      return {
        label: rng.pick(['COTISATION CARTE VISA PREMIER', 'FRAIS TENUE DE COMPTE', 'COMMISSION D INTERVENTION']),
        amount: -rng.float(2, 12, 2),
        category: 'fees',
        type: 'fee',
      };
  }
}

/** `count` operations on the household's current and savings accounts, in date order. */
export function generate(rng: Rng, options: GenerateOptions): unknown[] {
  const { count, fromMs, toMs } = resolveOptions(options);
  const h = householdOf(rng);
  const [joint, personal] = h.accounts;
  const cardLast4 = [rng.digits(4), rng.digits(4)];
  // Operations fall on whole Paris days inside the range (or at `from` if it holds no midnight).
  const start = nextParisMidnight(fromMs) < toMs ? nextParisMidnight(fromMs) : fromMs;
  const times = Array.from({ length: count }, () => start + Math.floor(rng.next() * (toMs - start))).sort(
    (a, b) => a - b,
  );
  return times.map((t) => {
    const d = draft(rng, h, t);
    const onJoint = rng.chance(0.7);
    const account = onJoint ? joint : personal;
    // Banks give a day, not a time: the convention is 00:00 Europe/Paris of that day.
    const day = start === fromMs && parisMidnight(t) < fromMs ? fromMs : parisMidnight(t);
    const pending = d.type === 'card' && toMs - t < 2 * DAY_MS;
    const { reference, ...rest } = d.extra ?? {};
    return {
      date: isoInstant(day),
      label: d.label,
      amount: d.amount,
      currency: 'EUR',
      category: d.category,
      accountId: account?.accountId,
      type: d.type,
      valueDate: addDays(parisDate(t), d.type === 'card' ? rng.int(0, 2) : 0),
      ...(reference === undefined ? {} : { reference }),
      checked: !pending && rng.chance(0.3),
      bookingStatus: pending ? 'pending' : 'booked',
      ...(d.type === 'card' || d.type === 'withdrawal' ? { cardLast4: cardLast4[onJoint ? 0 : 1] } : {}),
      ...rest,
    };
  });
}
