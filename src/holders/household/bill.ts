import type { HolderFile, HolderRecord } from './context.js';
import { round2 } from './context.js';
import type { HolderId } from './customers.js';
import type { Vendor } from './vendors.js';

export interface BillLine {
  label: string;
  quantity?: number;
  unit?: string;
  /** Excluding tax. */
  unitPrice?: number;
  amountExcludingTax: number;
  taxRate: number;
}

export interface BillSpec {
  holder: HolderId;
  vendor: Vendor;
  vendorCategory: 'energy' | 'telecom' | 'insurance' | 'water';
  type?: 'invoice' | 'payment_schedule';
  label: string;
  number: string;
  customerNumber: string;
  contractNumber: string;
  issueDate: string;
  /** The day the bank debits it. */
  dueDate: string;
  periodStart: string;
  periodEnd: string;
  lines: BillLine[];
  extra?: Record<string, unknown>;
}

/** A line priced per unit, its amount rounded to the cent. */
export function line(label: string, quantity: number, unit: string, unitPrice: number, taxRate: number): BillLine {
  return { label, quantity, unit, unitPrice, amountExcludingTax: round2(quantity * unitPrice), taxRate };
}

/** The catalog `bill` document: totals from the lines, so tax and total always add up to the cent. */
export function billData(spec: BillSpec): Record<string, unknown> {
  const ht = round2(spec.lines.reduce((s, l) => s + l.amountExcludingTax, 0));
  const tax = round2(spec.lines.reduce((s, l) => s + (l.amountExcludingTax * l.taxRate) / 100, 0));
  return {
    vendor: spec.vendor.name,
    vendorCategory: spec.vendorCategory,
    type: spec.type ?? 'invoice',
    label: spec.label,
    number: spec.number,
    customerNumber: spec.customerNumber,
    contractNumber: spec.contractNumber,
    issueDate: spec.issueDate,
    dueDate: spec.dueDate,
    periodStart: spec.periodStart,
    periodEnd: spec.periodEnd,
    amountExcludingTax: ht,
    taxAmount: tax,
    totalAmount: round2(ht + tax),
    currency: 'EUR',
    paymentMethod: 'direct_debit',
    lines: spec.lines.map((l) => ({ ...l })),
    ...(spec.extra ? { extra: spec.extra } : {}),
  };
}

/** File ids carry the record's day, so the file can be generated again from that day alone. */
export const fileFor = (kind: 'bill' | 'contract', day: string, number: string): HolderFile => ({
  id: `${kind}-${day}-${number}`,
  name: `${kind === 'bill' ? 'facture' : 'contrat'}-${number}.pdf`,
  mediaType: 'application/pdf',
});

export const billFile = (number: string, issueDate: string): HolderFile => fileFor('bill', issueDate, number);

/** A direct debit the bank books for a bill (or an instalment of a schedule). */
export interface Debit {
  holder: HolderId;
  day: string;
  amount: number;
  vendor: Vendor;
  /** The bill's number, printed in the label and kept as the SEPA end-to-end reference. */
  billNumber: string;
  mandateReference: string;
  /** Words after the creditor in the bank label, e.g. "FACTURE 03/2024". */
  detail: string;
}

/** A bill as its holder serves it: keyed by its number, dated by its issue, with its PDF. */
export function billRecord(spec: BillSpec): HolderRecord {
  return {
    key: spec.number,
    doctype: 'bill',
    day: spec.issueDate,
    files: [billFile(spec.number, spec.issueDate)],
    data: billData(spec),
  };
}

/** The direct debits, on `day`, of bills issued earlier: the full amount, the bill number in the label. */
export function debitsOf(
  bills: HolderRecord[],
  day: string,
  holder: HolderId,
  vendor: Vendor,
  mandateReference: string,
  detail: string,
): Debit[] {
  return bills.map((b) => ({
    holder,
    day,
    amount: b.data.totalAmount as number,
    vendor,
    billNumber: b.key,
    mandateReference,
    detail: `${detail} ${b.key}`,
  }));
}
