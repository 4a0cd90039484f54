/**
 * The benchmark's bank transactions: the shared peers workload (`../shared/bench-peers/lib/data.mjs`,
 * the harness Community Solid Server, PouchDB Server and the SQLite floor were measured with),
 * ported to TypeScript so that the same seed gives the same ids, fields and month-query answers
 * (356 debits in 2024-03 among 10,000 at seed 42; 3,715 among 100,000).
 *
 * One change, because `bank.transaction` refuses unknown fields (`additionalProperties: false`):
 * the workload's `metadata: {importSource, version}` becomes the schema's optional `extra` object
 * with the same content. Nothing else is lengthened or shortened: documents stay ~300 bytes of
 * JSON (3 bytes shorter than the peers', the length of the key), and the random stream is untouched.
 */

import { FoyerError } from '../src/core/errors.js';

export interface BenchTransaction {
  date: string;
  label: string;
  amount: number;
  currency: string;
  category: string;
  accountId: string;
  type: string;
  valueDate: string;
  reference: string;
  checked: boolean;
  extra: { importSource: string; version: number };
}

export interface TransactionEntry {
  id: string;
  doc: BenchTransaction;
}

export interface MonthRange {
  start: string;
  end: string;
}

/** sfc32 seeded through splitmix32, exactly as the peers' harness does (numbers in [0, 1)). */
export function makeWorkloadRng(seed: number): () => number {
  let s = seed >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split();
  let b = split();
  let c = split();
  let d = split();
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return next;
}

type Category = [name: string, weight: number, min: number, max: number, types: string[], merchants: string[]];

const CATEGORIES: Category[] = [
  [
    'groceries',
    22,
    -160,
    -3,
    ['card'],
    ['CARREFOUR MARKET', 'MONOPRIX', 'LIDL', 'FRANPRIX', 'BIOCOOP', 'PICARD SURGELES'],
  ],
  [
    'restaurant',
    12,
    -95,
    -6,
    ['card'],
    ['BISTROT DU COIN', 'SUSHI SHOP', 'LA PIZZERIA', 'BOULANGERIE PAUL', 'STARBUCKS'],
  ],
  [
    'transport',
    10,
    -85,
    -1.9,
    ['card', 'direct_debit'],
    ['SNCF CONNECT', 'RATP NAVIGO', 'UBER TRIP', 'TOTAL ENERGIES', 'VELIB METROPOLE'],
  ],
  ['housing', 3, -1650, -550, ['transfer', 'direct_debit'], ['LOYER RESIDENCE LES TILLEULS', 'SYNDIC COPROPRIETE']],
  [
    'utilities',
    5,
    -180,
    -15,
    ['direct_debit'],
    ['EDF ELECTRICITE', 'ENGIE GAZ', 'FREE MOBILE', 'ORANGE INTERNET', 'EAU DE PARIS'],
  ],
  ['health', 5, -120, -8, ['card'], ['PHARMACIE CENTRALE', 'CABINET DR MARTIN', 'LABORATOIRE BIOGROUP']],
  ['leisure', 8, -240, -5, ['card'], ['FNAC', 'CINEMA UGC', 'DECATHLON', 'SPOTIFY', 'NETFLIX']],
  ['shopping', 9, -420, -9, ['card'], ['AMAZON EU', 'ZARA', 'IKEA', 'LEROY MERLIN', 'DARTY']],
  ['salary', 3, 1850, 4300, ['credit'], ['VIR SALAIRE ACME SAS']],
  ['refund', 4, 4, 180, ['credit'], ['REMBOURSEMENT CPAM', 'AVOIR AMAZON EU', 'REMB MUTUELLE']],
  ['transfer', 9, -600, 600, ['transfer'], ['VIR SEPA M. DUPONT', 'VIR LIVRET A', 'VIR SEPA LYDIA']],
  ['fees', 2, -25, -1, ['fee'], ['COTISATION CARTE', 'FRAIS TENUE DE COMPTE', 'COMMISSION INTERVENTION']],
];
const TOTAL_WEIGHT = CATEGORIES.reduce((sum, c) => sum + c[1], 0);
const CITIES = ['PARIS 11', 'PARIS 15', 'LYON 3', 'NANTES', 'BORDEAUX', 'LILLE', 'MONTREUIL', 'MARSEILLE 6'];
const ACCOUNTS = ['acc-7c2f19a0b4d3e8f1', 'acc-19e4b2c7d6a0f385', 'acc-e0a94f7b1c2d6358'];

/** Dates cover 2023-01-01 .. 2024-12-31. */
const START_MS = Date.UTC(2023, 0, 1);
const END_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

const pad2 = (n: number): string => String(n).padStart(2, '0');

function hex(rng: () => number, length: number): string {
  let s = '';
  while (s.length < length)
    s += Math.floor(rng() * 0x100000000)
      .toString(16)
      .padStart(8, '0');
  return s.slice(0, length);
}

function pick<T>(rng: () => number, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function pickCategory(rng: () => number): Category {
  let r = rng() * TOTAL_WEIGHT;
  for (const c of CATEGORIES) {
    r -= c[1];
    if (r < 0) return c;
  }
  return CATEGORIES[CATEGORIES.length - 1]!;
}

/**
 * `n` transactions with 32-hex-character ids. The stream is sequential: the first 10,000 of a
 * 100,000 run are the 10,000 of a 10,000 run. The order of `rng()` calls is the peers' own.
 */
export function makeTransactions(n: number, seed = 42): TransactionEntry[] {
  const rng = makeWorkloadRng(seed);
  const out: TransactionEntry[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const id = hex(rng, 32);
    const [category, , min, max, types, merchants] = pickCategory(rng);
    const t = START_MS + Math.floor(rng() * (END_MS - START_MS));
    const d = new Date(t);
    const day = `${pad2(d.getUTCDate())}/${pad2(d.getUTCMonth() + 1)}`;
    const merchant = pick(rng, merchants);
    const city = pick(rng, CITIES);
    const type = pick(rng, types);
    const amount = Math.round((min + rng() * (max - min)) * 100) / 100;
    const label = type === 'card' ? `CB ${merchant} ${day} ${city}` : merchant;
    const valueDate = new Date(t + Math.floor(rng() * 3) * DAY_MS);
    out[i] = {
      id,
      doc: {
        date: d.toISOString(),
        label,
        amount,
        currency: 'EUR',
        category,
        accountId: pick(rng, ACCOUNTS),
        type,
        valueDate: valueDate.toISOString().slice(0, 10),
        reference: `REF${hex(rng, 14).toUpperCase()}`,
        checked: rng() < 0.3,
        extra: { importSource: 'bank-sync', version: 1 },
      },
    };
  }
  return out;
}

/** The half-open UTC window [start, end) of a month `YYYY-MM`, as ISO instants. */
export function monthRange(month: string): MonthRange {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12)
    throw new FoyerError('bad_request', `A month is YYYY-MM, got "${month}".`);
  const year = Number(m[1]);
  const index = Number(m[2]) - 1;
  return {
    start: new Date(Date.UTC(year, index, 1)).toISOString(),
    end: new Date(Date.UTC(year, index + 1, 1)).toISOString(),
  };
}

/** The month-of-debits predicate, evaluated locally to know the expected answer. */
export function isMonthDebit(doc: { date: string; amount: number }, range: MonthRange): boolean {
  return doc.date >= range.start && doc.date < range.end && doc.amount < 0;
}

/** The same question as a `_find` selector. */
export function monthDebitsSelector(range: MonthRange): Record<string, unknown> {
  return { date: { $gte: range.start, $lt: range.end }, amount: { $lt: 0 } };
}
