/**
 * bank.transaction `type` from the operation codes statement formats carry: ISO 20022 bank
 * transaction codes (CAMT), SWIFT transaction type codes (MT940 `:61:`), the German business
 * transaction codes (GVC, MT940 `:86:` and CAMT proprietary codes), the French interbank operation
 * codes (CFONB), and, last, the bank's own wording. A code these tables do not know leaves the type
 * unset rather than guessed.
 */
export type BankOperationType =
  | 'card'
  | 'direct_debit'
  | 'transfer'
  | 'credit'
  | 'fee'
  | 'check'
  | 'withdrawal'
  | 'deposit'
  | 'loan_payment'
  | 'interest'
  | 'other';

/** ISO 20022 sub-family codes that mean the same whatever the domain and family. */
const ISO_SUB_FAMILIES: Record<string, BankOperationType> = {
  CWDL: 'withdrawal',
  CDPT: 'deposit',
  POSD: 'card',
  POSC: 'card',
  SMRT: 'card',
  CHRG: 'fee',
  FEES: 'fee',
  COMM: 'fee',
  COME: 'fee',
  COMI: 'fee',
  COMT: 'fee',
  INTR: 'interest',
  PPAY: 'loan_payment',
  RPMT: 'loan_payment',
  STDO: 'transfer',
};

const ISO_FAMILIES: Record<string, BankOperationType> = {
  RCDT: 'transfer',
  ICDT: 'transfer',
  RRCT: 'transfer',
  IRCT: 'transfer',
  RDDT: 'direct_debit',
  IDDT: 'direct_debit',
  CCRD: 'card',
  MCRD: 'card',
  ICHQ: 'check',
  RCHQ: 'deposit',
  CNTR: 'other',
};

/** ISO 20022 `BkTxCd/Domn`: domain, family and sub-family codes (`PMNT`, `RCDT`, `ESCT`). */
export function typeFromIsoCode(
  family: string | undefined,
  subFamily: string | undefined,
): BankOperationType | undefined {
  return (subFamily && ISO_SUB_FAMILIES[subFamily]) || (family && ISO_FAMILIES[family]) || undefined;
}

/** SWIFT transaction type identification codes (`:61:` `NTRF`, `NCHK`...), without the first letter. */
const SWIFT_CODES: Record<string, BankOperationType> = {
  CHK: 'check',
  TRF: 'transfer',
  STO: 'transfer',
  DDT: 'direct_debit',
  CHG: 'fee',
  COM: 'fee',
  INT: 'interest',
  CLR: 'deposit',
};

export function typeFromSwiftCode(code: string | undefined): BankOperationType | undefined {
  return code ? SWIFT_CODES[code.toUpperCase()] : undefined;
}

/**
 * German business transaction codes (Geschäftsvorfallcodes) of the SEPA era, the first number of
 * a structured `:86:` and the middle one of a DK proprietary CAMT code (`NTRF+166+...`).
 */
const GVC_CODES: Record<string, BankOperationType> = {
  '104': 'direct_debit',
  '105': 'direct_debit',
  '106': 'direct_debit',
  '107': 'direct_debit',
  '116': 'transfer',
  '117': 'transfer',
  '118': 'transfer',
  '152': 'transfer',
  '153': 'credit',
  '159': 'transfer',
  '166': 'transfer',
  '167': 'transfer',
  '177': 'transfer',
  '805': 'fee',
  '808': 'fee',
};

export function typeFromGvc(code: string | undefined): BankOperationType | undefined {
  return code ? GVC_CODES[code] : undefined;
}

/** French interbank operation codes (code opération interbancaire) of CFONB statements. */
const CFONB_CODES: Record<string, BankOperationType> = {
  '01': 'check',
  '02': 'deposit',
  '03': 'check',
  '04': 'deposit',
  '05': 'transfer',
  '06': 'transfer',
  '08': 'direct_debit',
  '11': 'card',
  '12': 'transfer',
  '13': 'transfer',
  '14': 'transfer',
  '15': 'deposit',
  '18': 'transfer',
  '21': 'transfer',
  '22': 'direct_debit',
  '28': 'card',
  '29': 'withdrawal',
  '39': 'transfer',
  '44': 'transfer',
  '45': 'transfer',
  '61': 'interest',
  '62': 'fee',
  '63': 'interest',
  '64': 'fee',
  '65': 'fee',
  '66': 'fee',
  '70': 'interest',
  '72': 'loan_payment',
  '88': 'fee',
  '96': 'direct_debit',
  B1: 'direct_debit',
  B2: 'direct_debit',
  C1: 'transfer',
  C2: 'transfer',
};

export function typeFromCfonbCode(code: string | undefined): BankOperationType | undefined {
  return code ? CFONB_CODES[code.toUpperCase()] : undefined;
}

/**
 * The bank's wording, in French, German, Dutch or English: `PRLV SEPA`, `CB CARREFOUR`,
 * `SEPA-UEBERWEISUNG`, `BETAALAUTOMAAT`... Checked in this order: a card withdrawal is a
 * withdrawal, a fee on a card is a fee.
 */
const WORDINGS: [RegExp, BankOperationType][] = [
  [/\b(RETRAIT|DAB|GAB|BARGELDAUSZAHLUNG|GELDAUTOMAAT|ATM|CASH WITHDRAWAL)\b/, 'withdrawal'],
  [/\b(REMISE CHQ|REMISE CHEQUES?|VERSEMENT|EINZAHLUNG|STORTING)\b/, 'deposit'],
  [/\b(FRAIS|COMMISSIONS?|COTIS(ATION)?|ENTGELT|GEBUEHRE?N?|KOSTEN|FEES?)\b/, 'fee'],
  [/\b(INTERETS|ZINSEN|RENTE|INTEREST)\b/, 'interest'],
  [/\b(ECH(EANCE)? PRET|REMBOURSEMENT PRET|DARLEHEN|TILGUNG|AFLOSSING)\b/, 'loan_payment'],
  [/\b(PRLV|PRELEVEMENT|LASTSCHRIFT|BASISLASTSCHRIFT|INCASSO|DIRECT DEBIT)\b/, 'direct_debit'],
  [/\b(CB|CARTE|KARTENZAHLUNG|BETAALAUTOMAAT|CARD PAYMENT)\b/, 'card'],
  [/\b(CHQ|CHEQUE|SCHECK)\b/, 'check'],
  [/\b(VIR|VIREMENT|UEBERWEISUNG|DAUERAUFTRAG|OVERBOEKING|TRANSFER)\b/, 'transfer'],
  [/\b(GUTSCHRIFT|LOHN|GEHALT|SALAIRE)\b/, 'credit'],
];

export function typeFromWording(text: string | undefined): BankOperationType | undefined {
  if (!text) return undefined;
  // German umlauts as their two-letter spellings first (GEBÜHR, GEBUEHR), other accents dropped.
  const upper = text
    .replace(/[Üü]/g, 'UE')
    .replace(/[Ää]/g, 'AE')
    .replace(/[Öö]/g, 'OE')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase();
  for (const [pattern, type] of WORDINGS) if (pattern.test(upper)) return type;
  return undefined;
}
