/**
 * What the lines above a bank CSV's header say about the account. French banks put the account
 * number, the account type, a statement date and the balance there, each its own way:
 *   La Banque Postale   `Numéro Compte ;0534567A020` / `Solde (EUROS) ;1 234,56`
 *   Crédit Agricole     `Compte de Dépôt carte n° 12345678901` / `Solde au 19/03/2026 1 234,56 €`
 *   Caisse d'Épargne    `Numéro de compte : 04309621484;Nom du compte : COMPTE CHEQUE;Devise : EUR;`
 *   ING (Germany)       `IBAN;DE32 5001 0517 ...` / `Saldo;1172,12;EUR`
 *   SG, BNP Paribas     one row of bare cells, read at the positions their layout gives.
 */
import type { CsvRow } from '../csv/csv-reader.js';
import { parseAmount } from './bank-csv-amount.js';
import { parseCsvDate, type CsvDate } from './bank-csv-date.js';
import { normalizeHeader } from './bank-csv-header.js';
import type { BankCsvLayout } from './bank-csv-layouts.js';
import { normalizeIban } from './bank-values.js';

export interface PreambleFacts {
  /** Electronic form: capitals, no spaces, checksum verified. */
  iban?: string;
  accountNumber?: string;
  /** The account's name or type as written (`CCP`, `COMPTE CHEQUE`, `Compte de Dépôt`). */
  accountLabel?: string;
  balance?: number;
  /** Day of the balance, YYYY-MM-DD, when the file says. */
  balanceDay?: string;
  currency?: string;
}

const IBAN_IN_TEXT = /\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b/;
const ACCOUNT_LABELS = new Set([
  'numero compte',
  'numero de compte',
  'n compte',
  'n de compte',
  'no de compte',
  'compte n',
  'compte',
  'account',
  'account number',
  'account no',
  'kontonummer',
  'konto',
  'rekening',
]);
const NAME_LABELS = new Set([
  'type',
  'type de compte',
  'nom du compte',
  'intitule',
  'account name',
  'kontoname',
  'libelle du compte',
]);
const CURRENCY_LABELS = new Set(['devise', 'currency', 'wahrung', 'compte tenu en', 'monnaie']);
const BALANCE_LABEL = /^(solde|balance|saldo|kontostand|closing balance|nouveau solde)\b/;
/** Balances that are not the account's current one. */
const OTHER_BALANCE = /\b(francs?|debut|initial|opening|precedent|ancien|anterieur)\b/;
const CARD_NUMBER = /\b(?:carte\s*)?n[°o]\s*:?\s*([0-9A-Z]{5,})\b/i;

export function readPreamble(
  rows: readonly CsvRow[],
  layout: BankCsvLayout | undefined,
  pivotYear: number,
): PreambleFacts {
  const facts: PreambleFacts = {};
  let statementDay: string | undefined;
  const first = rows.find((r) => r.fields.some((f) => f.trim() !== ''));
  if (first && layout?.preambleCells) {
    const { account, balance, balanceDate } = layout.preambleCells;
    const cell = (i: number | undefined) => (i === undefined ? '' : (first.fields[i] ?? '').trim());
    const number = cleanAccountNumber(cell(account));
    if (number) setAccount(facts, number);
    const amount = parseAmount(cell(balance), ',');
    if (amount !== null) facts.balance = amount;
    const day = dayOf(parseCsvDate(cell(balanceDate), 'DMY', pivotYear));
    if (day && facts.balance !== undefined) facts.balanceDay = day;
  }
  for (const row of rows) {
    const cells = row.fields.map((f) => f.trim());
    for (let i = 0; i < cells.length; i++) {
      const text = cells[i]!;
      if (text === '') continue;
      const iban = ibanIn(text);
      if (iban && !facts.iban) facts.iban = iban;
      let label = text;
      let value = '';
      const colon = text.indexOf(':');
      if (colon > 0 && !/^\d/.test(text)) {
        label = text.slice(0, colon);
        value = text.slice(colon + 1).trim();
      }
      const rest = cells.slice(i + 1).filter((c) => c !== '');
      if (value === '' && /[A-Za-z]/.test(label)) value = rest[0] ?? '';
      const name = normalizeHeader(label);
      if (ACCOUNT_LABELS.has(name)) {
        const number = cleanAccountNumber(value);
        if (number && facts.accountNumber === undefined) setAccount(facts, number);
      } else if (name === 'iban') {
        const found = ibanIn(value.toUpperCase());
        if (found) facts.iban = found;
      } else if (NAME_LABELS.has(name) && value !== '' && facts.accountLabel === undefined) {
        facts.accountLabel = value.slice(0, 200);
      } else if (CURRENCY_LABELS.has(name)) {
        const code = currencyOf(value);
        if (code) facts.currency = code;
      } else if (name === 'date' && value !== '') {
        statementDay ??= dayOf(parseCsvDate(value, 'DMY', pivotYear));
      } else if (BALANCE_LABEL.test(name) && !OTHER_BALANCE.test(name) && facts.balance === undefined) {
        readBalance(facts, text, value, rest, pivotYear);
      }
      const card = CARD_NUMBER.exec(text);
      const cardNumber = card ? cleanAccountNumber(card[1]!) : undefined;
      if (card && cardNumber && facts.accountNumber === undefined && /carte|compte/i.test(text)) {
        setAccount(facts, cardNumber);
        const kind = text.slice(0, card.index).trim();
        if (kind && facts.accountLabel === undefined) facts.accountLabel = kind.slice(0, 200);
      }
    }
  }
  if (facts.balance !== undefined && facts.balanceDay === undefined && statementDay) facts.balanceDay = statementDay;
  return facts;
}

/** "Solde au 19/03/2026 1 234,56 €" (all in one cell), or "Solde (EUROS)" then "1 234,56" (then "EUR"). */
function readBalance(facts: PreambleFacts, text: string, value: string, rest: string[], pivotYear: number): void {
  const inCell = /^[^\d+-]*(?:(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})\s*)?(.*)$/.exec(text)!;
  let amount = parseAmount(inCell[2]!, ',');
  if (amount === null && value !== '') {
    amount = parseAmount(value, ',');
    const code = currencyOf(rest[1] ?? '');
    if (code && amount !== null) facts.currency ??= code;
  }
  if (amount === null) return;
  facts.balance = amount;
  const day = inCell[1] ? dayOf(parseCsvDate(inCell[1], 'DMY', pivotYear)) : undefined;
  if (day) facts.balanceDay = day;
}

function setAccount(facts: PreambleFacts, number: string): void {
  const iban = ibanIn(number);
  if (iban) facts.iban = iban;
  else facts.accountNumber = number;
}

/** `="0201900016400270"` (a spreadsheet formula keeping leading zeros), `0534567 A 020`: letters and digits only. */
function cleanAccountNumber(text: string): string | undefined {
  const bare = text
    .replace(/^="?|"$/g, '')
    .replace(/[\s-]/g, '')
    .toUpperCase();
  return /^[A-Z0-9]{4,34}$/.test(bare) && /\d{4}/.test(bare) ? bare : undefined;
}

/** The first IBAN in a text whose checksum holds, in electronic form. */
export function ibanIn(text: string): string | undefined {
  const m = IBAN_IN_TEXT.exec(text);
  return m ? normalizeIban(m[1]!) : undefined;
}

function currencyOf(text: string): string | undefined {
  const t = text.trim();
  if (/^[A-Z]{3}$/.test(t)) return t;
  if (/^(euros?|€)$/i.test(t)) return 'EUR';
  return undefined;
}

function dayOf(date: ReturnType<typeof parseCsvDate>): string | undefined {
  return date !== null && date !== 'invalid' ? (date as CsvDate).day : undefined;
}
