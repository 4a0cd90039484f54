/** The fields of a catalog bank.transaction the built-in apps read (catalog/doctypes/bank.transaction). */
export interface BankTransaction {
  _id?: string;
  /** UTC instant of the operation. */
  date: string;
  /** Local day the amount counts for. */
  valueDate?: string;
  label: string;
  /** Negative for a debit. */
  amount: number;
  category?: string;
  reference?: string;
  cardLast4?: string;
  merchantCategoryCode?: string;
  /** card, direct_debit, transfer, loan_payment, withdrawal, fee... */
  type?: string;
}
