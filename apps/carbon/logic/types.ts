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

export interface BankTransaction {
  _id?: string;
  date: string;
  valueDate?: string;
  label: string;
  amount: number;
  category?: string;
  reference?: string;
  cardLast4?: string;
  merchantCategoryCode?: string;
  /** card, direct_debit, transfer, loan_payment, withdrawal, fee... */
  type?: string;
}
