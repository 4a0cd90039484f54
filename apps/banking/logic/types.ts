/**
 * The documents the Banking app reads, as the SDK returns them: the catalog doctype's fields plus
 * the document id. Only the fields the app uses are typed; everything else passes through.
 */
import type { BankTransaction as SharedBankTransaction } from '../../shared/bank-transaction.js';

export interface Doc {
  _id: string;
}

export interface BankAccount extends Doc {
  accountId: string;
  vendor: string;
  label: string;
  type: string;
  currency: string;
  iban?: string;
  balance?: number;
  /** When `balance` was true (a UTC instant): it includes every operation dated before. */
  balanceDate?: string;
  status?: string;
  loan?: { monthlyPayment?: number; principal?: number };
}

export interface Counterparty {
  name?: string;
  iban?: string;
  creditorId?: string;
  mandateReference?: string;
}

/** The shared fields of the built-in apps, with what linking and balances need besides. */
export interface BankTransaction extends SharedBankTransaction {
  _id: string;
  currency: string;
  accountId: string;
  bookingStatus?: string;
  counterparty?: Counterparty;
}

export interface Bill extends Doc {
  vendor: string;
  vendorCategory: string;
  type?: string;
  label?: string;
  number?: string;
  contractNumber?: string;
  issueDate: string;
  dueDate?: string;
  totalAmount: number;
  currency: string;
  status?: string;
  paymentMethod?: string;
  lines?: { label?: string; unit?: string; amountExcludingTax?: number; taxRate?: number }[];
  extra?: Record<string, unknown>;
}

export interface Receipt extends Doc {
  vendor: string;
  date: string;
  totalAmount: number;
  currency: string;
  storeName?: string;
  receiptNumber?: string;
  cardLast4?: string;
  paymentMethod?: string;
}

export interface InsuranceClaim extends Doc {
  vendor: string;
  contractNumber: string;
  claimNumber?: string;
  type: string;
  eventDate: string;
  status: string;
  claimedAmount?: number;
  settledAmount?: number;
  settlementDate?: string;
  healthCare?: { beneficiary?: string; careType?: string; practitioner?: string; socialSecurityAmount?: number };
}

/** A contract of any of the three doctypes that have one: what a recurring debit pays. */
export interface Contract extends Doc {
  doctype: 'insurance.contract' | 'energy.contract' | 'telecom.line';
  vendor: string;
  contractNumber?: string;
  /** insurance.contract: each premium, at premiumFrequency. */
  premiumAmount?: number;
  /** telecom.line */
  monthlyFee?: number;
  product?: string;
  type?: string;
  energy?: string;
}

/** A person's correction of one operation's category. */
export interface CategoryCorrection {
  transactionId: string;
  category: string;
  /** When the person made it (a UTC instant). */
  at: string;
}

/** Everything the app reads, as arrays of documents. */
export interface BankingDocuments {
  accounts: BankAccount[];
  transactions: BankTransaction[];
  bills: Bill[];
  receipts: Receipt[];
  claims: InsuranceClaim[];
  contracts: Contract[];
}
