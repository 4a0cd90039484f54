/** The parts of the catalog doctypes the Carbon app reads (retail.receipt, bank.transaction). */

export interface ReceiptItem {
  label: string;
  category?: string;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amount?: number;
}

export interface Receipt {
  _id?: string;
  vendor: string;
  receiptNumber?: string;
  /** UTC instant. */
  date: string;
  items?: ReceiptItem[];
  totalAmount: number;
  cardLast4?: string;
}

export type { BankTransaction } from '../../shared/bank-transaction.js';
