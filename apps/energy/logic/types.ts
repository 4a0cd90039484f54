/** The parts of the catalog doctypes the Energy app reads (see catalog/doctypes/). */

export interface ElectricityDay {
  usagePointId: string;
  date: string;
  energyKwh: number;
  peakKwh?: number;
  offPeakKwh?: number;
}

export interface GasDay {
  usagePointId: string;
  date: string;
  energyKwh: number;
}

export interface LoadPoint {
  usagePointId: string;
  /** Start of the half hour, UTC instant. */
  t: string;
  powerW: number;
}

export interface EnergyContract {
  energy: 'electricity' | 'gas';
  vendor: string;
  usagePointId: string;
  contractNumber?: string;
  tariffOption?: string;
  subscriptionAmount?: number;
  prices?: { period: string; pricePerKwh: number }[];
  startDate: string;
  endDate?: string;
}

export interface BillLine {
  label: string;
  quantity?: number;
  unit?: string;
  unitPrice?: number;
  amountExcludingTax: number;
  taxRate?: number;
}

export interface Bill {
  _id?: string;
  vendor: string;
  vendorCategory: string;
  type?: string;
  label?: string;
  number?: string;
  contractNumber?: string;
  issueDate: string;
  dueDate?: string;
  periodStart?: string;
  periodEnd?: string;
  totalAmount: number;
  lines?: BillLine[];
}

export type { BankTransaction } from '../../shared/bank-transaction.js';

export type Energy = 'electricity' | 'gas';
