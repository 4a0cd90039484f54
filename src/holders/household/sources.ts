import type { GenContext, HolderRecord } from './context.js';
import type { HolderId } from './customers.js';
import {
  electricityBills,
  electricityContract,
  electricityDaily,
  electricityLoadCurve,
  electricityMaxPower,
} from './electricity.js';

/** How one doctype's records are produced: reference records once, daily ones day by day. */
export interface DoctypeSource {
  reference?: (ctx: GenContext) => HolderRecord[];
  daily?: (ctx: GenContext, day: string) => HolderRecord[];
}

/** Every holder's doctypes. A customer who is not a client of a holder gets none of them. */
export const holderSources: Partial<Record<HolderId, Record<string, DoctypeSource>>> = {
  electricity: {
    'energy.contract': { reference: electricityContract },
    'energy.electricity.daily': { daily: electricityDaily },
    'energy.electricity.load-curve': { daily: electricityLoadCurve },
    'energy.electricity.max-power': { daily: electricityMaxPower },
    bill: { daily: electricityBills },
  },
};
