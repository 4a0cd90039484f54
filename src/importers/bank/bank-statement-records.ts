/**
 * Turns what a bank statement format read (accounts, balances, lines) into catalog records, the
 * same way for CAMT.053, MT940 and CFONB: natural keys, one `bank.account` per account with its
 * latest closing balance, and transaction data cleaned to fit the bank.transaction schema.
 */
import type { ImportRecord } from '../importer.js';
import type { Fail } from './bank-date-time.js';
import { createFingerprinter } from './bank-fingerprint.js';
import type { BankOperationType } from './bank-operation-types.js';
import { MAX_BANK_AMOUNT, normalizeIban } from './bank-values.js';

export type BankAccountType = 'checking' | 'savings' | 'securities' | 'life_insurance' | 'loan' | 'card' | 'other';

export interface BankAccountInfo {
  accountId: string;
  vendor: string;
  label: string;
  currency: string;
  type?: BankAccountType;
  iban?: string;
  bic?: string;
  holders?: string[];
}

export interface BankLine {
  accountId: string;
  currency: string;
  /** Signed, in cents. */
  cents: number;
  /** ISO instant (UTC). */
  date: string;
  /** Booking day as the file prints it, for the fingerprint. */
  day: string;
  label: string;
  /** Wording for the fingerprint when it differs from `label` (CFONB: the movement record's own label). */
  fingerprintLabel?: string;
  /** The bank's own id for the line (entry reference, bank reference): the natural key when present. */
  bankId?: string;
  valueDate?: string;
  type?: BankOperationType;
  reference?: string;
  pending?: boolean;
  counterparty?: { name?: string; iban?: string; creditorId?: string; mandateReference?: string };
  cardLast4?: string;
  originalCents?: number;
  originalCurrency?: string;
  extra?: Record<string, unknown>;
  line?: number;
}

interface AccountState {
  info: BankAccountInfo;
  balance?: { cents: number; at: number; instant: string };
}

const CURRENCY = /^[A-Z]{3}$/;
const BIC = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;
const CREDITOR_ID = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{1,31}$/;

export interface StatementRecords {
  /** Notes an account; later notes fill what earlier ones left out. */
  account(info: BankAccountInfo): void;
  /** A closing balance; the latest one (by date, then by order in the file) is kept. */
  balance(accountId: string, cents: number, instant: string): void;
  transaction(line: BankLine): ImportRecord;
  /** One `bank.account` record per account noted whose currency is known, at the end of the file. */
  accounts(): ImportRecord[];
}

export function createStatementRecords(): StatementRecords {
  const accounts = new Map<string, AccountState>();
  const fingerprint = createFingerprinter();
  // A bank id seen twice in one file (some banks reuse a reference within a batch) keeps both
  // lines: the repeat gets a counter, stable across re-imports of the same export.
  const idUses = new Map<string, number>();

  return {
    account(info) {
      const known = accounts.get(info.accountId);
      if (!known) accounts.set(info.accountId, { info: { ...info } });
      else known.info = { ...info, ...definedOnly(known.info) };
    },
    balance(accountId, cents, instant) {
      const state = accounts.get(accountId);
      if (!state) return;
      const at = Date.parse(instant);
      if (!state.balance || at >= state.balance.at) state.balance = { cents, at, instant };
    },
    transaction(line) {
      let key: string;
      if (line.bankId) {
        const base = `id:${line.accountId}|${line.bankId}`;
        const n = idUses.get(base) ?? 0;
        idUses.set(base, n + 1);
        key = n === 0 ? base : `${base}|${n}`;
      } else {
        key = fingerprint({
          accountId: line.accountId,
          day: line.day,
          amount: line.cents / 100,
          label: line.fingerprintLabel ?? line.label,
        });
      }
      return {
        kind: 'document',
        doctype: 'bank.transaction',
        key,
        data: transactionData(line),
        ...(line.line !== undefined ? { line: line.line } : {}),
      };
    },
    accounts() {
      // An account that never said its currency (no balance, no entry, none declared) has
      // nothing to show.
      const known = [...accounts.values()].filter(({ info }) => CURRENCY.test(info.currency));
      return known.map(({ info, balance }) => ({
        kind: 'document' as const,
        doctype: 'bank.account',
        key: `account:${info.accountId}`,
        data: accountData(info, balance),
      }));
    },
  };
}

function accountData(info: BankAccountInfo, balance: AccountState['balance']): Record<string, unknown> {
  const data: Record<string, unknown> = {
    accountId: info.accountId,
    vendor: clip(cleanText(info.vendor), 200) || 'Unknown bank',
    label: clip(cleanText(info.label), 200) || info.accountId,
    type: info.type ?? 'checking',
    currency: info.currency,
  };
  const iban = info.iban && normalizeIban(info.iban);
  if (iban) data.iban = iban;
  if (info.bic && BIC.test(info.bic)) data.bic = info.bic;
  const holders = (info.holders ?? []).map((h) => clip(cleanText(h), 200)).filter((h) => h !== '');
  if (holders.length > 0) data.holders = holders.slice(0, 10);
  if (balance) {
    data.balance = balance.cents / 100;
    data.balanceDate = balance.instant;
  }
  return data;
}

function transactionData(line: BankLine): Record<string, unknown> {
  const data: Record<string, unknown> = {
    date: line.date,
    label: clip(cleanText(line.label), 500) || 'Bank operation',
    amount: line.cents / 100,
    currency: line.currency,
    accountId: line.accountId,
  };
  if (line.type) data.type = line.type;
  if (line.valueDate) data.valueDate = line.valueDate;
  const reference = clip(cleanText(line.reference ?? ''), 140);
  if (reference) data.reference = reference;
  if (line.pending) data.bookingStatus = 'pending';
  const counterparty = counterpartyData(line.counterparty);
  if (counterparty) data.counterparty = counterparty;
  if (line.cardLast4 && /^[0-9]{4}$/.test(line.cardLast4)) data.cardLast4 = line.cardLast4;
  if (line.originalCents !== undefined && line.originalCurrency && CURRENCY.test(line.originalCurrency)) {
    data.originalAmount = line.originalCents / 100;
    data.originalCurrency = line.originalCurrency;
  }
  if (line.extra && Object.keys(line.extra).length > 0) data.extra = line.extra;
  return data;
}

function counterpartyData(c: BankLine['counterparty']): Record<string, string> | undefined {
  if (!c) return undefined;
  const out: Record<string, string> = {};
  const name = clip(cleanText(c.name ?? ''), 200);
  if (name) out.name = name;
  const iban = c.iban && normalizeIban(c.iban);
  if (iban) out.iban = iban;
  const creditorId = c.creditorId?.replace(/\s+/g, '').toUpperCase();
  if (creditorId && CREDITOR_ID.test(creditorId)) out.creditorId = creditorId;
  const mandate = clip(cleanText(c.mandateReference ?? ''), 35);
  if (mandate) out.mandateReference = mandate;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Placeholders banks write where a reference or a name is required and they have none. */
const PLACEHOLDERS = new Set(['', 'NOTPROVIDED', 'NOT PROVIDED', 'NONREF', 'NONE', 'N/A', 'NA']);

/** The text with white space collapsed, or undefined when it is empty or a placeholder. */
export function meaningful(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  return PLACEHOLDERS.has(t.toUpperCase()) ? undefined : t;
}

/** Control characters out, runs of white space as one space, trimmed. */
export function cleanText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max).trim() : text;
}

/** The fields actually known: neither undefined nor empty. */
function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

/** Fails for an amount no household statement holds (a corrupt file): a trillion or more. */
export function checkCents(cents: number, written: string, fail: Fail): number {
  if (!Number.isSafeInteger(cents) || Math.abs(cents) >= MAX_BANK_AMOUNT * 100) {
    return fail(`the amount "${written.slice(0, 40)}" is absurd`);
  }
  return cents;
}

/** An account id fit for the catalog (1 to 128 characters), or a failure naming it. */
export function checkAccountId(accountId: string, fail: Fail): string {
  const id = cleanText(accountId);
  if (id === '') return fail('the account is not identified');
  if (id.length > 128) return fail(`the account id "${id.slice(0, 40)}..." is longer than 128 characters`);
  return id;
}

/** A currency code as ISO 4217 writes it, or a failure naming it. */
export function checkCurrency(code: string, fail: Fail): string {
  const c = code.trim();
  if (!CURRENCY.test(c)) return fail(`"${c.slice(0, 20)}" is not an ISO 4217 currency code`);
  return c;
}
