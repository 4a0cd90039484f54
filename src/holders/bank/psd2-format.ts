/**
 * The household's bank records in the shape of the Berlin Group NextGenPSD2 account information
 * API: amounts as strings, booking and value dates, creditor or debtor, unstructured remittance.
 */
import type { Customer, HolderRecord } from '../household/household.js';

export interface Psd2Error {
  status: 400 | 401 | 403 | 404 | 405 | 429 | 500;
  code: string;
  text: string;
}

export const tppMessages = (e: Omit<Psd2Error, 'status'>): unknown => ({
  tppMessages: [{ category: 'ERROR', code: e.code, text: e.text }],
});

const amount = (n: number): { currency: string; amount: string } => ({ currency: 'EUR', amount: n.toFixed(2) });

/** ISO 20022 bank transaction codes (domain-family-subfamily) by catalog type. */
const transactionCodes: Record<string, string> = {
  card: 'PMNT-CCRD-POSD',
  direct_debit: 'PMNT-IDDT-ESDD',
  transfer: 'PMNT-ICDT-ESCT',
  credit: 'PMNT-RCDT-ESCT',
  loan_payment: 'LDAS-CSLN-PPAY',
  fee: 'ACMT-MDOP-CHRG',
  interest: 'ACMT-MDOP-INTR',
  withdrawal: 'PMNT-CCRD-CWDL',
};

interface Tx {
  amount: number;
  label: string;
  type: string;
  valueDate: string;
  reference?: string;
  counterparty?: { name?: string; iban?: string; creditorId?: string; mandateReference?: string };
}

/** The transaction id the bank shows: the record's key without the account prefix. */
export const transactionId = (record: HolderRecord): string => record.key.slice(record.key.indexOf(':') + 1);

export function psd2Transaction(record: HolderRecord, pending: boolean): Record<string, unknown> {
  const t = record.data as unknown as Tx;
  const debit = t.amount < 0;
  const party = t.counterparty;
  return {
    transactionId: transactionId(record),
    ...(pending ? {} : { bookingDate: record.day }),
    valueDate: t.valueDate,
    transactionDate: record.day,
    transactionAmount: amount(t.amount),
    ...(party?.name ? { [debit ? 'creditorName' : 'debtorName']: party.name } : {}),
    ...(party?.iban ? { [debit ? 'creditorAccount' : 'debtorAccount']: { iban: party.iban } } : {}),
    ...(party?.creditorId ? { creditorId: party.creditorId } : {}),
    ...(party?.mandateReference ? { mandateId: party.mandateReference } : {}),
    ...(t.reference ? { endToEndId: t.reference } : {}),
    remittanceInformationUnstructured: t.label,
    bankTransactionCode: transactionCodes[t.type] ?? 'PMNT-OTHR-OTHR',
    proprietaryBankTransactionCode: t.type,
  };
}

export interface AccountRef {
  record: HolderRecord;
  accountId: string;
  iban: string;
}

const cashAccountTypes: Record<string, string> = { checking: 'CACC', savings: 'SVGS', loan: 'LOAN' };

export function psd2Account(record: HolderRecord, customer: Customer): Record<string, unknown> {
  const a = record.data as {
    accountId: string;
    iban: string;
    label: string;
    product: string;
    type: string;
    bic: string;
    holders: string[];
  };
  return {
    resourceId: a.accountId,
    iban: a.iban,
    currency: 'EUR',
    name: a.label,
    product: a.product,
    cashAccountType: cashAccountTypes[a.type] ?? 'OTHR',
    status: 'enabled',
    bic: a.bic,
    ownerName: a.holders.join(', ') || customer.displayName,
    usage: 'PRIV',
    _links: {
      balances: { href: `/v1/accounts/${a.accountId}/balances` },
      transactions: { href: `/v1/accounts/${a.accountId}/transactions` },
    },
  };
}

export const psd2Amount = amount;
