/**
 * The default categories, before the person corrects anything: keyword rules on the label's words,
 * then the card's merchant category code, then the operation's type, then its sign. Categories are
 * the catalog's recommended values (bank.transaction `category`).
 */
import { words } from './text.js';
import type { BankTransaction } from './types.js';

export const categories = [
  'groceries',
  'restaurant',
  'transport',
  'housing',
  'utilities',
  'energy',
  'telecom',
  'insurance',
  'health',
  'leisure',
  'shopping',
  'education',
  'taxes',
  'salary',
  'refund',
  'transfer',
  'savings',
  'cash',
  'fees',
  'other',
] as const;
export type Category = (typeof categories)[number];

/**
 * Ordered: the first rule one of whose keys the label holds wins. A key of several words needs
 * them all, in any order. Earlier rules are the more specific (a refund from an insurer is a refund).
 */
const keywordRules: [Category, string[]][] = [
  ['savings', ['VIR INTERNE', 'LIVRET', 'INTERETS', 'EPARGNE', 'PEL', 'LDDS']],
  ['refund', ['INDEMNISATION', 'REMBOURSEMENT', 'REMB', 'REMBT', 'AVOIR', 'CPAM', 'AMELI', 'PRESTATIONS SANTE']],
  ['salary', ['SALAIRE', 'PAIE', 'RETRAITE', 'PENSION RETRAITE', 'TRAITEMENT']],
  ['housing', ['LOYER', 'PRET IMMOBILIER', 'ECHEANCE PRET', 'SYNDIC', 'CHARGES COPROPRIETE']],
  ['taxes', ['IMPOT', 'IMPOTS', 'DGFIP', 'TRESOR PUBLIC', 'TAXE FONCIERE', 'TAXE HABITATION']],
  ['education', ['SCOLAIRE', 'CANTINE', 'ECOLE', 'COLLEGE', 'LYCEE', 'CRECHE', 'UNIVERSITE', 'PERISCOLAIRE']],
  ['energy', ['ENERGIE', 'ELECTRICITE', 'ELEC', 'GAZ', 'EDF', 'ENGIE', 'TOTALENERGIES']],
  ['utilities', ['EAU', 'VEOLIA', 'SAUR', 'SUEZ', 'ASSAINISSEMENT', 'ORDURES']],
  ['telecom', ['TELECOM', 'ORANGE', 'SFR', 'BOUYGUES', 'FREE MOBILE', 'FREEBOX', 'SOSH', 'MOBILE', 'INTERNET']],
  ['insurance', ['ASSURANCE', 'ASSURANCES', 'MUTUELLE', 'MAIF', 'MACIF', 'MATMUT', 'AXA', 'PREVOYANCE']],
  [
    'health',
    ['PHARMACIE', 'MEDECIN', 'DOCTEUR', 'DR', 'DENTISTE', 'KINE', 'OPTICIEN', 'LABORATOIRE', 'HOPITAL', 'CLINIQUE'],
  ],
  [
    'groceries',
    [
      'MARCHE',
      'SUPERMARCHE',
      'HYPERMARCHE',
      'CARREFOUR',
      'LECLERC',
      'AUCHAN',
      'INTERMARCHE',
      'LIDL',
      'MONOPRIX',
      'BIOCOOP',
      'BOULANGERIE',
      'PRIMEUR',
      'BOUCHERIE',
    ],
  ],
  ['restaurant', ['RESTAURANT', 'BISTROT', 'BRASSERIE', 'KEBAB', 'PIZZERIA', 'CAFE', 'SUSHI', 'BURGER', 'TRAITEUR']],
  ['transport', ['STATION', 'CARBURANT', 'ESSENCE', 'PEAGE', 'SNCF', 'TAXI', 'PARKING', 'AUTOROUTE', 'VELO']],
  ['leisure', ['CINEMA', 'HOTEL', 'CAMPING', 'VACANCES', 'THEATRE', 'MUSEE', 'CONCERT', 'PISCINE', 'SPORT']],
  ['shopping', ['BOUTIQUE', 'LIBRAIRIE', 'MODE', 'FNAC', 'DECATHLON', 'IKEA', 'AMAZON', 'MAGASIN']],
  ['cash', ['RETRAIT', 'DAB', 'GAB']],
  ['fees', ['COTISATION', 'FRAIS', 'COMMISSION', 'AGIOS', 'INTERETS DEBITEURS']],
  ['transfer', ['ALLOCATIONS', 'PRESTATIONS', 'CAF', 'AIDE', 'VIREMENT', 'PARENTS']],
];

/** ISO 18245 merchant category codes of card payments, for labels no keyword names. */
const merchantCodes: Record<string, Category> = {
  '5411': 'groceries',
  '5412': 'groceries',
  '5462': 'groceries',
  '5499': 'groceries',
  '5812': 'restaurant',
  '5813': 'restaurant',
  '5814': 'restaurant',
  '5541': 'transport',
  '5542': 'transport',
  '4111': 'transport',
  '4121': 'transport',
  '5912': 'health',
  '8011': 'health',
  '8021': 'health',
  '8062': 'health',
  '5942': 'shopping',
  '5651': 'shopping',
  '5311': 'shopping',
  '7832': 'leisure',
  '7011': 'leisure',
  '7996': 'leisure',
  '6011': 'cash',
};

const typeRules: Record<string, Category> = {
  withdrawal: 'cash',
  fee: 'fees',
  interest: 'savings',
  loan_payment: 'housing',
};

/** The rules' keys as word lists, split once (a constant, like the rules). */
const parsedRules: readonly (readonly [Category, readonly (readonly [string, readonly string[]])[]])[] =
  keywordRules.map(([category, keys]) => [category, keys.map((key) => [key, key.split(' ')] as const)] as const);

/** The default category of an operation, and why. */
export function ruleCategory(tx: BankTransaction): { category: Category; rule: string } {
  const have = new Set([...words(tx.label), ...words(tx.counterparty?.name ?? '')]);
  for (const [category, keys] of parsedRules)
    for (const [key, parts] of keys) if (parts.every((w) => have.has(w))) return { category, rule: `keyword ${key}` };
  const byCode = tx.merchantCategoryCode ? merchantCodes[tx.merchantCategoryCode] : undefined;
  if (byCode) return { category: byCode, rule: `merchant code ${tx.merchantCategoryCode}` };
  const byType = tx.type ? typeRules[tx.type] : undefined;
  if (byType) return { category: byType, rule: `type ${tx.type}` };
  if (tx.amount > 0) return { category: 'transfer', rule: 'credit' };
  return { category: 'other', rule: 'none' };
}
