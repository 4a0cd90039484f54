import { bankAccounts, bankTransactions } from './bank.js';
import type { GenContext, HolderRecord } from './context.js';
import type { HolderId } from './customers.js';
import {
  electricityBills,
  electricityContract,
  electricityDaily,
  electricityLoadCurve,
  electricityMaxPower,
} from './electricity.js';
import { gasBills, gasContract, gasDaily } from './gas.js';
import { insuranceClaims, insuranceContracts, insuranceSchedules } from './insurer.js';
import { receipts } from './retailer.js';
import { cellLocations, telecomBills, telecomCalls, telecomDataUsage, telecomLines, vodViews } from './telecom.js';
import { waterBills, waterDaily } from './water.js';

/** How one doctype's records are produced: reference records once, daily ones day by day. */
export interface DoctypeSource {
  reference?: (ctx: GenContext) => HolderRecord[];
  daily?: (ctx: GenContext, day: string) => HolderRecord[];
}

/** Every holder's doctypes. A customer who is not a client of a holder gets none of them. */
export const holderSources: Record<HolderId, Record<string, DoctypeSource>> = {
  insurer: {
    'insurance.contract': { reference: insuranceContracts },
    'insurance.claim': { daily: insuranceClaims },
    bill: { daily: insuranceSchedules },
  },
  telecom: {
    'telecom.line': { reference: telecomLines },
    'telecom.call': { daily: telecomCalls },
    'telecom.data-usage': { daily: telecomDataUsage },
    'telecom.vod-view': { daily: vodViews },
    'location.point': { daily: cellLocations },
    bill: { daily: telecomBills },
  },
  electricity: {
    'energy.contract': { reference: electricityContract },
    'energy.electricity.daily': { daily: electricityDaily },
    'energy.electricity.load-curve': { daily: electricityLoadCurve },
    'energy.electricity.max-power': { daily: electricityMaxPower },
    bill: { daily: electricityBills },
  },
  gas: {
    'energy.contract': { reference: gasContract },
    'energy.gas.daily': { daily: gasDaily },
    bill: { daily: gasBills },
  },
  water: {
    'water.daily': { daily: waterDaily },
    bill: { daily: waterBills },
  },
  bank: {
    'bank.account': { reference: bankAccounts },
    'bank.transaction': { daily: bankTransactions },
  },
  retailer: {
    'retail.receipt': { daily: receipts },
  },
};
