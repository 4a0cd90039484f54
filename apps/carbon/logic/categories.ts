/**
 * The spending category of a bank operation when the bank gives none (PSD2 feeds rarely do): the
 * operation's own category first, then its merchant category code, then words of its label and
 * its type. Only what the footprint needs: the categories of bank.transaction's recommended list.
 */
import type { BankTransaction } from './types.js';

const byMerchantCode: Record<string, string> = {
  '5411': 'groceries',
  '5462': 'groceries',
  '5541': 'transport',
  '5542': 'transport',
  '5651': 'shopping',
  '5942': 'shopping',
  '5812': 'restaurant',
  '5814': 'restaurant',
  '5912': 'health',
  '7011': 'leisure',
  '7832': 'leisure',
};

/** Card payments: merchant words; first match wins. */
const cardWords: [RegExp, string][] = [
  [/STATION|CARBURANT|ESSENCE|\bESSO\b|\bAVIA\b|TOTALENERGIES/, 'transport'],
  [
    /BOULANGERIE|PATISSERIE|SUPERMARCHE|HYPERMARCHE|CARREFOUR|LECLERC|INTERMARCHE|AUCHAN|LIDL|MONOPRIX|MARCHE/,
    'groceries',
  ],
  [/RESTAURANT|BISTROT|BRASSERIE|KEBAB|PIZZ|BURGER|SUSHI|TRAITEUR|\bCAFE\b/, 'restaurant'],
  [/PHARMACIE|MEDECIN|DENTISTE|OPTIC/, 'health'],
  [/LIBRAIRIE|BOUTIQUE|MODE|VETEMENT|CHAUSSURE|TEXTILE|FNAC/, 'shopping'],
  [/CINEMA|THEATRE|MUSEE|HOTEL|CAMPING|LOCATION DE VACANCES|GITE/, 'leisure'],
];

/** Other operations: words of the creditor or the purpose. */
const otherWords: [RegExp, string][] = [
  [/LOYER|PRET IMMOBILIER|ECHEANCE PRET/, 'housing'],
  [/FACTURE ELEC|FACTURE GAZ|ENERGIE|ELECTRICITE/, 'energy'],
  [/ASSURANCE|MUTUELLE/, 'insurance'],
  [/TELECOM|MOBILE|\bBOX\b|ORANGE|\bSFR\b|BOUYGUES|\bFREE\b/, 'telecom'],
  [/\bEAU\b|FACTURE EAU/, 'utilities'],
  [/RESTAURATION SCOLAIRE|CANTINE|ECOLE|CRECHE/, 'education'],
  [/IMPOT|DGFIP|TRESOR PUBLIC/, 'taxes'],
  [/VIR INTERNE|LIVRET|EPARGNE/, 'savings'],
  [/COTISATION|FRAIS|COMMISSION/, 'fees'],
];

const upper = (s: string): string =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();

export function categoryOf(t: BankTransaction & { type?: string }): string {
  if (t.category) return t.category;
  const byCode = t.merchantCategoryCode ? byMerchantCode[t.merchantCategoryCode] : undefined;
  if (byCode) return byCode;
  const label = upper(t.label);
  if (t.type === 'withdrawal' || /^RETRAIT/.test(label)) return 'cash';
  if (t.type === 'loan_payment') return 'housing';
  const card = t.type === 'card' || /^CB /.test(label);
  for (const [words, category] of card ? cardWords : otherWords) if (words.test(label)) return category;
  if (t.type === 'fee') return 'fees';
  if (t.type === 'transfer') return 'transfer';
  return 'other';
}
