/**
 * What QIF records mean in the catalog: an `!Account` record is a bank.account, a record of a
 * `!Type:Bank`, `CCard`, `Cash`, `Oth A` or `Oth L` section a bank.transaction.
 *
 * Transaction fields: D date, T (or U) amount, P payee, M memo, N check number or reference,
 * L category (`[Account]` for a transfer, `/Class` after it), C cleared status, and splits: S
 * category, E memo, $ amount, % percent, repeated per split. The transaction keeps its total;
 * its splits go to `extra.splits` as written.
 */
import { importError } from '../import-error.js';
import type { BankOperationType } from './bank-operation-types.js';
import { dayEndInstant } from './bank-date-time.js';
import { bankLabel, dayStartInstant, normalizeIban, parseBankAmount } from './bank-values.js';
import type { QifConventions } from './qif-conventions.js';
import { parseQifDate } from './qif-date.js';

export interface QifField {
  code: string;
  value: string;
  line: number;
}

export interface QifRecord {
  fields: QifField[];
  /** Line of the first field. */
  line: number;
}

export type QifAccountType = 'checking' | 'savings' | 'securities' | 'loan' | 'card' | 'other';

export interface QifAccount {
  accountId: string;
  label: string;
  type: QifAccountType;
  balance?: number;
  balanceDate?: string;
  description?: string;
}

export interface QifContext {
  file: string;
  conventions: QifConventions;
  timeZone: string;
  now: number;
  warn(line: number, message: string): void;
}

/** `!Account` types, lower-cased, to bank.account types. */
const ACCOUNT_TYPES: Record<string, QifAccountType> = {
  bank: 'checking',
  ccard: 'card',
  cash: 'other',
  'oth a': 'other',
  'oth l': 'loan',
  invst: 'securities',
  port: 'securities',
  mutual: 'securities',
  '401(k)/403(b)': 'securities',
};

export function qifAccountType(text: string): QifAccountType {
  return ACCOUNT_TYPES[text.trim().replace(/\s+/g, ' ').toLowerCase()] ?? 'other';
}

/** An `!Account` record. The account's id is its name, or its IBAN when the name is one. */
export function qifAccount(record: QifRecord, ctx: QifContext): QifAccount | undefined {
  const value = (code: string) => record.fields.find((f) => f.code === code);
  const name = value('N')?.value.trim() ?? '';
  if (name === '') {
    ctx.warn(record.line, 'an account with no name (N): ignored.');
    return undefined;
  }
  const account: QifAccount = {
    accountId: (normalizeIban(name) ?? name).slice(0, 128),
    label: name.slice(0, 200),
    type: qifAccountType(value('T')?.value ?? ''),
  };
  const description = value('D')?.value.trim();
  if (description) account.description = description;
  const balance = value('$');
  const balanceDate = value('/');
  if (balance && balance.value.trim() !== '') {
    const amount = parseBankAmount(balance.value, ctx.conventions.decimalMark);
    if (typeof amount === 'string') throw importError(ctx.file, amount, balance.line);
    account.balance = amount;
    if (balanceDate && balanceDate.value.trim() !== '') {
      const date = parseQifDate(balanceDate.value, ctx.conventions.dateOrder, ctx.now);
      if (typeof date === 'string') throw importError(ctx.file, date, balanceDate.line);
      account.balanceDate = dayEndInstant(date.day, ctx.timeZone);
    }
  }
  return account;
}

interface Split {
  category?: string;
  memo?: string;
  amount?: number;
  percent?: string;
}

export interface QifTransaction {
  data: Record<string, unknown>;
  /** The day as written, for the fingerprint. */
  day: string;
}

export function qifTransaction(
  record: QifRecord,
  account: { accountId: string; type: QifAccountType },
  currency: string,
  ctx: QifContext,
): QifTransaction {
  let dateField: QifField | undefined;
  let total: QifField | undefined;
  let other: QifField | undefined;
  const text: Record<string, string> = {};
  const splits: Split[] = [];
  let split: Split | undefined;
  const amountOf = (field: QifField): number => {
    const amount = parseBankAmount(field.value, ctx.conventions.decimalMark);
    if (typeof amount === 'string') throw importError(ctx.file, amount, field.line);
    return amount;
  };
  for (const field of record.fields) {
    const value = field.value.trim();
    switch (field.code) {
      case 'D':
        dateField = field;
        break;
      case 'T':
        total = field;
        break;
      case 'U':
        other = field;
        break;
      case 'P':
      case 'M':
      case 'N':
      case 'L':
      case 'C':
        text[field.code] = value;
        break;
      case 'S':
        split = { category: value };
        splits.push(split);
        break;
      case 'E':
        if (!split || split.memo !== undefined || split.amount !== undefined) splits.push((split = {}));
        split.memo = value;
        break;
      case '$':
        if (!split || split.amount !== undefined) splits.push((split = {}));
        split.amount = amountOf(field);
        break;
      case '%':
        if (!split) splits.push((split = {}));
        split.percent = value;
        break;
      default:
      // Address lines (A), flags (F), and investment fields: nothing the catalog keeps.
    }
  }

  if (!dateField) throw importError(ctx.file, 'an operation has no date (D line).', record.line);
  const date = parseQifDate(dateField.value, ctx.conventions.dateOrder, ctx.now);
  if (typeof date === 'string') throw importError(ctx.file, date, dateField.line);

  const splitSum = splits.reduce((sum, s) => sum + Math.round((s.amount ?? 0) * 100), 0);
  let amount: number;
  if (total && total.value.trim() !== '') {
    amount = amountOf(total);
    if (other && other.value.trim() !== '' && amountOf(other) !== amount) {
      ctx.warn(
        other.line,
        `the U amount "${other.value.trim()}" differs from the T amount "${total.value.trim()}": T is kept.`,
      );
    }
  } else if (other && other.value.trim() !== '') {
    amount = amountOf(other);
  } else if (splits.some((s) => s.amount !== undefined)) {
    amount = splitSum / 100;
  } else {
    throw importError(ctx.file, 'an operation has no amount (T line).', record.line);
  }
  if (splits.some((s) => s.amount !== undefined) && splitSum !== Math.round(amount * 100)) {
    ctx.warn(record.line, `the splits add up to ${splitSum / 100}, not to the total ${amount}: the total is kept.`);
  }

  const number = text.N ?? '';
  const rawCategory = text.L ?? '';
  const transfer = rawCategory.startsWith('[');
  const [categoryPart = '', classPart] = rawCategory.split('/');
  const category = transfer ? '' : categoryPart.trim();
  const label =
    bankLabel(text.P, text.M) ??
    (transfer
      ? `Transfer ${rawCategory}`
      : category !== ''
        ? category
        : /\d/.test(number)
          ? `Check ${number}`
          : 'Operation');

  const data: Record<string, unknown> = {
    date: dayStartInstant(date.day, ctx.timeZone),
    label,
    amount,
    currency,
    accountId: account.accountId,
  };
  const type = operationType(number, transfer, amount, account.type);
  if (type) data.type = type;
  if (/\d/.test(number)) data.reference = number.slice(0, 140);
  if (category !== '') data.category = category.slice(0, 64);
  const cleared = text.C ?? '';
  if (cleared !== '' && '*cXxRr'.includes(cleared.charAt(0))) data.checked = true;
  const extra: Record<string, unknown> = {};
  if (splits.length > 0) extra.splits = splits;
  if (classPart !== undefined && classPart.trim() !== '') extra.qifClass = classPart.trim();
  if (transfer) extra.transferAccount = rawCategory.replace(/^\[|\].*$/g, '');
  if (Object.keys(extra).length > 0) data.extra = extra;
  return { data, day: date.day };
}

/**
 * QIF has no operation type; the check number field often says it (`ATM`, `DEP`, `XFER`, a number
 * for a cheque), a `[Account]` category is a transfer, and a debit on a card account is a card
 * payment. Otherwise none is set.
 */
function operationType(
  number: string,
  transfer: boolean,
  amount: number,
  accountType: QifAccountType,
): BankOperationType | undefined {
  const n = number.trim().toUpperCase();
  if (/^\d+$/.test(n)) return 'check';
  if (n === 'ATM') return amount > 0 ? 'deposit' : 'withdrawal';
  if (n === 'DEP' || n === 'DEPOSIT') return 'deposit';
  if (transfer || n === 'XFER' || n === 'TXFR' || n === 'TRANSFER') return 'transfer';
  if (accountType === 'card' && amount < 0) return 'card';
  return undefined;
}
