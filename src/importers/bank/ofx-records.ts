/**
 * What OFX elements mean in the catalog: an account from `BANKACCTFROM`/`CCACCTFROM`, a transaction
 * from `STMTTRN`. Pure functions: the statement reader (ofx-statements.ts) keeps the file's state.
 */
import { importError } from '../import-error.js';
import { bankLabel, MAX_BANK_AMOUNT, normalizeIban, parseBankAmount } from './bank-values.js';
import type { BankOperationType } from './bank-operation-types.js';
import type { OfxDate } from './ofx-date.js';
import type { OfxElement } from './ofx-tree.js';

export type StatementKind = 'bank' | 'card';

export interface OfxAccount {
  accountId: string;
  type: 'checking' | 'savings' | 'loan' | 'card' | 'other';
  label: string;
  iban?: string;
  extra: Record<string, string>;
}

export interface ValueContext {
  file: string;
  /** Reads an OFX date (see ofx-date.ts). */
  date(text: string): OfxDate | string;
  /** Called once per date that had an offset and no time. */
  zoneWithoutTime(line: number, text: string): void;
}

/** The leaf `name` among the element's children, its text trimmed ('' when absent or empty). */
export function leaf(element: OfxElement, name: string): string {
  for (const child of element.children) if (child.name === name) return child.text;
  return '';
}

export function childNamed(element: OfxElement, name: string): OfxElement | undefined {
  for (const child of element.children) if (child.name === name) return child;
  return undefined;
}

const BANK_ACCOUNT_TYPES: Record<string, { type: OfxAccount['type']; label: string }> = {
  CHECKING: { type: 'checking', label: 'Checking account' },
  SAVINGS: { type: 'savings', label: 'Savings account' },
  MONEYMRKT: { type: 'savings', label: 'Money market account' },
  CD: { type: 'savings', label: 'Certificate of deposit' },
  CREDITLINE: { type: 'loan', label: 'Line of credit' },
};

/**
 * The account a statement is for. `accountId` is the IBAN when ACCTID is one (European banks put
 * it there), else `<BANKID>:<ACCTID>` as the file writes them, else ACCTID alone (card statements
 * name no bank). A full card number (13 to 19 digits passing the Luhn check) is never kept: only
 * its last four digits, as `****1234`.
 */
export function ofxAccount(element: OfxElement, kind: StatementKind, file: string): OfxAccount {
  const rawNumber = leaf(element, 'ACCTID');
  if (rawNumber === '')
    throw importError(file, `the <${element.name}> gives no account number (ACCTID).`, element.line);
  const bankId = leaf(element, 'BANKID');
  const branchId = leaf(element, 'BRANCHID');
  const acctType = leaf(element, 'ACCTTYPE').toUpperCase();
  const iban = normalizeIban(rawNumber);
  const number = kind === 'card' && isCardNumber(rawNumber) ? `****${rawNumber.slice(-4)}` : rawNumber;
  const accountId = iban ?? (bankId !== '' ? `${bankId}:${number}` : number);
  if (accountId.length > 128) {
    throw importError(file, `the account number "${rawNumber.slice(0, 40)}..." is too long.`, element.line);
  }
  const extra: Record<string, string> = {};
  if (bankId !== '') extra.bankId = bankId;
  if (branchId !== '') extra.branchId = branchId;
  if (acctType !== '') extra.ofxAccountType = acctType;
  if (kind === 'card') return { accountId, type: 'card', label: cut(`Card ${number}`, 200), extra };
  const known = BANK_ACCOUNT_TYPES[acctType];
  return {
    accountId,
    type: known?.type ?? 'other',
    label: cut(`${known?.label ?? 'Account'} ${iban ?? number}`, 200),
    ...(iban ? { iban } : {}),
    extra,
  };
}

function isCardNumber(text: string): boolean {
  if (!/^[0-9]{13,19}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    let d = text.charCodeAt(text.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * TRNTYPE to bank.transaction.type. DEBIT, PAYMENT (an "electronic payment" of any kind), HOLD
 * and OTHER say nothing precise: `other`. ATM and CASH go by the sign (a withdrawal or a deposit);
 * on a card statement a plain DEBIT is a card payment.
 */
export function transactionType(trnType: string, amount: number, kind: StatementKind): BankOperationType {
  switch (trnType) {
    case 'CREDIT':
    case 'DIRECTDEP':
    case 'DIV':
      return 'credit';
    case 'INT':
      return 'interest';
    case 'FEE':
    case 'SRVCHG':
      return 'fee';
    case 'DEP':
      return 'deposit';
    case 'ATM':
    case 'CASH':
      return amount > 0 ? 'deposit' : 'withdrawal';
    case 'POS':
      return 'card';
    case 'XFER':
    case 'REPEATPMT':
      return 'transfer';
    case 'CHECK':
      return 'check';
    case 'DIRECTDEBIT':
      return 'direct_debit';
    case 'DEBIT':
      return kind === 'card' ? 'card' : 'other';
    default:
      return 'other';
  }
}

/** A transaction read from a STMTTRN, before its natural key is chosen. */
export interface OfxTransaction {
  data: Record<string, unknown>;
  fitId: string;
  /** The booking day as printed, for the fingerprint. */
  postedDay: string;
  /** Everything that makes it this transaction, to tell a repeated FITID from a reused one. */
  signature: string;
  correction?: { action: string; fitId: string };
}

export function ofxTransaction(
  element: OfxElement,
  account: OfxAccount,
  currency: string,
  kind: StatementKind,
  ctx: ValueContext,
): OfxTransaction {
  const fail = (message: string, at: OfxElement | undefined) => importError(ctx.file, message, (at ?? element).line);
  const dateOf = (name: string): OfxDate | undefined => {
    const child = childNamed(element, name);
    if (!child || child.text === '') return undefined;
    const date = ctx.date(child.text);
    if (typeof date === 'string') throw fail(date, child);
    if (date.zoneWithoutTime) ctx.zoneWithoutTime(child.line, child.text);
    return date;
  };

  const amountElement = childNamed(element, 'TRNAMT');
  if (!amountElement || amountElement.text === '') throw fail('a transaction has no amount (TRNAMT).', undefined);
  const amount = parseBankAmount(amountElement.text, '.');
  if (typeof amount === 'string') throw fail(amount, amountElement);

  const posted = dateOf('DTPOSTED');
  const user = dateOf('DTUSER');
  const available = dateOf('DTAVAIL');
  const date = user ?? posted;
  if (!date) throw fail('a transaction has no date (DTPOSTED).', undefined);

  const trnType = leaf(element, 'TRNTYPE').toUpperCase();
  const payee = childNamed(element, 'PAYEE');
  const name = leaf(element, 'NAME') || (payee ? leaf(payee, 'NAME') : '');
  const memo = leaf(element, 'MEMO');
  const checkNumber = leaf(element, 'CHECKNUM');
  const refNumber = leaf(element, 'REFNUM');
  const label =
    bankLabel(name, memo) ?? (checkNumber !== '' ? `Check ${checkNumber}` : trnType !== '' ? trnType : 'Transaction');

  const data: Record<string, unknown> = {
    date: date.instant,
    label,
    amount,
    currency,
    accountId: account.accountId,
    type: transactionType(trnType, amount, kind),
  };
  if (available) data.valueDate = available.day;
  const reference = checkNumber || refNumber;
  if (reference !== '') data.reference = cut(reference, 140);
  if (trnType === 'HOLD') data.bookingStatus = 'pending';
  if (payee && leaf(payee, 'NAME') !== '') data.counterparty = { name: cut(leaf(payee, 'NAME'), 200) };
  Object.assign(data, foreignAmount(element, amount, currency, ctx));

  const extra: Record<string, unknown> = {};
  if (trnType !== '') extra.ofxType = trnType;
  if (user && posted && user.instant !== posted.instant) extra.posted = posted.instant;
  if (refNumber !== '' && checkNumber !== '') extra.refNum = refNumber;
  const sic = leaf(element, 'SIC');
  if (sic !== '') extra.sic = sic;
  if (Object.keys(extra).length > 0) data.extra = extra;

  const result: OfxTransaction = {
    data,
    fitId: leaf(element, 'FITID'),
    postedDay: (posted ?? date).day,
    signature: `${date.instant}|${data.amount as number}|${label}`,
  };
  const correctFitId = leaf(element, 'CORRECTFITID');
  if (correctFitId !== '')
    result.correction = { action: leaf(element, 'CORRECTACTION').toUpperCase(), fitId: correctFitId };
  return result;
}

/**
 * A transaction in another currency. `CURRENCY` (an aggregate) says TRNAMT is in CURSYM and CURRATE
 * converts it to the account's currency; `ORIGCURRENCY` says TRNAMT is already converted and was
 * CURSYM / CURRATE. A `CURRENCY` leaf naming the account's currency (some producers write it) says
 * nothing. Without a usable rate the amount is kept as the account's, as written.
 */
function foreignAmount(
  element: OfxElement,
  amount: number,
  currency: string,
  ctx: ValueContext,
): Record<string, unknown> {
  for (const name of ['CURRENCY', 'ORIGCURRENCY']) {
    const aggregate = childNamed(element, name);
    if (!aggregate || aggregate.children.length === 0) continue;
    const symbol = leaf(aggregate, 'CURSYM').toUpperCase();
    if (!/^[A-Z]{3}$/.test(symbol) || symbol === currency) return {};
    const rate = Number(leaf(aggregate, 'CURRATE').replace(',', '.'));
    if (!(rate > 0 && rate < 1e6)) {
      throw importError(
        ctx.file,
        `the exchange rate "${leaf(aggregate, 'CURRATE')}" is not a usable number.`,
        aggregate.line,
      );
    }
    const converted = name === 'CURRENCY' ? amount * rate : amount / rate;
    const rounded = Math.round(converted * 100) / 100;
    if (Math.abs(rounded) >= MAX_BANK_AMOUNT) {
      throw importError(ctx.file, `the converted amount ${rounded} is absurd (a trillion or more).`, aggregate.line);
    }
    return name === 'CURRENCY'
      ? { amount: rounded, originalAmount: amount, originalCurrency: symbol }
      : { originalAmount: rounded, originalCurrency: symbol };
  }
  return {};
}

function cut(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}
