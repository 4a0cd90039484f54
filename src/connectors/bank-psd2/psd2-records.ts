/**
 * NextGenPSD2 accounts, balances and transactions as catalog documents (`bank.account`,
 * `bank.transaction`). Every field is checked as it is read: a bank that starts sending dates or
 * amounts another way is `holder_format_changed`, named, before anything is written.
 */
import { isoInstant, parisToUtc } from '../../../catalog/synthetic/time.js';
import { asArray, asObject, day, formatChanged as changed, optionalText, text, type Json } from '../holder-json.js';

const AMOUNT = /^-?\d{1,13}(\.\d{1,2})?$/;
const IBAN = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;

/** `{ currency, amount: "-12.34" }`, the standard's amount. */
export function amountOf(o: Json, field: string, what: string): { amount: number; currency: string } {
  const a = asObject(o[field], `${what}: ${field}`);
  const amount = text(a, 'amount', `${what}: ${field}`);
  if (!AMOUNT.test(amount)) throw changed(`${what}: ${field}.amount "${amount.slice(0, 30)}" is not a decimal amount.`);
  const currency = text(a, 'currency', `${what}: ${field}`);
  if (!/^[A-Z]{3}$/.test(currency))
    throw changed(`${what}: ${field}.currency "${currency.slice(0, 10)}" is not ISO 4217.`);
  return { amount: Number(amount), currency };
}

/** 00:00 Europe/Paris of a day, as a UTC instant: the catalog's date when a bank gives only a day. */
export function parisMidnightOf(d: string): string {
  const [y, m, dd] = d.split('-').map(Number) as [number, number, number];
  return isoInstant(parisToUtc(y, m, dd));
}

const accountTypes: Record<string, string> = { CACC: 'checking', SVGS: 'savings', LOAN: 'loan', CARD: 'card' };

export interface AccountRecord {
  accountId: string;
  data: Json;
}

export function accountOf(raw: unknown, bank: string): AccountRecord {
  const a = asObject(raw, 'an account');
  const what = 'an account';
  const accountId = text(a, 'resourceId', what);
  const iban = optionalText(a, 'iban', what);
  if (iban !== undefined && !IBAN.test(iban)) throw changed(`${what}: iban "${iban.slice(0, 40)}" is not an IBAN.`);
  const owner = optionalText(a, 'ownerName', what);
  const status = optionalText(a, 'status', what);
  return {
    accountId,
    data: {
      accountId,
      vendor: bank,
      label: text(a, 'name', what),
      type: accountTypes[optionalText(a, 'cashAccountType', what) ?? ''] ?? 'other',
      currency: text(a, 'currency', what),
      ...(a.product !== undefined ? { product: text(a, 'product', what) } : {}),
      ...(iban !== undefined ? { iban } : {}),
      ...(a.bic !== undefined ? { bic: text(a, 'bic', what) } : {}),
      ...(owner !== undefined ? { holders: owner.split(', ') } : {}),
      ...(status !== undefined ? { status: status === 'deleted' ? 'closed' : 'open' } : {}),
    },
  };
}

/** The booked balance at the end of its reference day (the bank's last published day), or null. */
export function closingBookedOf(raw: unknown, what: string): { balance: number; day: string } | null {
  const balances = asArray(asObject(raw, what).balances, `${what}: balances`);
  for (const b of balances) {
    const o = asObject(b, `${what}: a balance`);
    if (o.balanceType !== 'closingBooked') continue;
    return { balance: amountOf(o, 'balanceAmount', what).amount, day: day(o, 'referenceDate', what) };
  }
  return null;
}

const catalogTypes = new Set([
  'card',
  'direct_debit',
  'transfer',
  'credit',
  'fee',
  'check',
  'withdrawal',
  'deposit',
  'loan_payment',
  'interest',
  'other',
]);

/** ISO 20022 domain-family-subfamily codes, for a bank that sends no proprietary code. */
const byTransactionCode: Record<string, string> = {
  'PMNT-CCRD-POSD': 'card',
  'PMNT-IDDT-ESDD': 'direct_debit',
  'PMNT-ICDT-ESCT': 'transfer',
  'PMNT-RCDT-ESCT': 'credit',
  'LDAS-CSLN-PPAY': 'loan_payment',
  'ACMT-MDOP-CHRG': 'fee',
  'ACMT-MDOP-INTR': 'interest',
  'PMNT-CCRD-CWDL': 'withdrawal',
};

export interface TransactionRecord {
  /** `accountId:transactionId`: stable from pending to booked. */
  key: string;
  day: string;
  data: Json;
}

export function transactionOf(raw: unknown, accountId: string, status: 'booked' | 'pending'): TransactionRecord {
  const t = asObject(raw, `a ${status} transaction`);
  const id = text(t, 'transactionId', `a ${status} transaction`);
  const what = `transaction ${id.slice(0, 60)}`;
  // The operation's day; a booked one may only say when it was booked.
  const opDay = t.transactionDate !== undefined ? day(t, 'transactionDate', what) : day(t, 'bookingDate', what);
  if (status === 'booked') day(t, 'bookingDate', what);
  const { amount, currency } = amountOf(t, 'transactionAmount', what);
  const debit = amount < 0;
  const name = optionalText(t, debit ? 'creditorName' : 'debtorName', what);
  const account = t[debit ? 'creditorAccount' : 'debtorAccount'];
  const iban = account === undefined ? undefined : text(asObject(account, what), 'iban', what);
  const creditorId = optionalText(t, 'creditorId', what);
  const mandate = optionalText(t, 'mandateId', what);
  const counterparty = {
    ...(name !== undefined ? { name } : {}),
    ...(iban !== undefined ? { iban } : {}),
    ...(creditorId !== undefined ? { creditorId } : {}),
    ...(mandate !== undefined ? { mandateReference: mandate } : {}),
  };
  const proprietary = optionalText(t, 'proprietaryBankTransactionCode', what);
  const code = optionalText(t, 'bankTransactionCode', what);
  const type = proprietary && catalogTypes.has(proprietary) ? proprietary : (byTransactionCode[code ?? ''] ?? 'other');
  const reference = optionalText(t, 'endToEndId', what);
  return {
    key: `${accountId}:${id}`,
    day: opDay,
    data: {
      date: parisMidnightOf(opDay),
      label: text(t, 'remittanceInformationUnstructured', what),
      amount,
      currency,
      accountId,
      type,
      ...(t.valueDate !== undefined ? { valueDate: day(t, 'valueDate', what) } : {}),
      bookingStatus: status,
      ...(reference !== undefined ? { reference } : {}),
      ...(Object.keys(counterparty).length > 0 ? { counterparty } : {}),
    },
  };
}
