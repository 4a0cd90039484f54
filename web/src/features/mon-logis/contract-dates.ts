/**
 * Upcoming contract dates from `insurance.contract`, `energy.contract` and `telecom.line`: what
 * ends, renews or frees you within the horizon, soonest first.
 *
 * - an insurance contract renews on its `renewalDate`; a tacitly renewed one without that date
 *   on the next anniversary of its start (the yearly date to cancel or compare); it ends on its
 *   `endDate`;
 * - an energy contract ends on its `endDate`; without one, its anniversary is shown as the yearly
 *   date to compare offers;
 * - a telecom line's commitment ends on `commitmentEndDate` (from then on it can be left freely);
 *   the line ends on its `endDate`.
 * Terminated contracts and lines show nothing.
 */
import { addDays } from './calendar.js';

export type ContractEvent = 'renewal' | 'anniversary' | 'end' | 'commitment-end';

export interface ContractDate {
  day: string;
  event: ContractEvent;
  kind: 'insurance' | 'electricity' | 'gas' | 'telecom';
  vendor: string;
  /** What the contract is: product name, offer, plan and line number. */
  label: string;
  contractNumber?: string;
}

interface InsuranceInput {
  vendor: string;
  contractNumber: string;
  product: string;
  productName?: string;
  status?: string;
  startDate: string;
  endDate?: string;
  renewalDate?: string;
  tacitRenewal?: boolean;
}
interface EnergyInput {
  vendor: string;
  energy: 'electricity' | 'gas';
  contractNumber?: string;
  offer?: string;
  status?: string;
  startDate: string;
  endDate?: string;
}
interface LineInput {
  vendor: string;
  type: string;
  contractNumber?: string;
  lineNumber?: string;
  plan?: string;
  status?: string;
  startDate: string;
  commitmentEndDate?: string;
  endDate?: string;
}

/** The first anniversary of `start` on or after `today` (29 February falls on 28 February). */
export function nextAnniversary(start: string, today: string): string {
  const [, m, d] = start.split('-');
  for (let year = Number(today.slice(0, 4)); ; year++) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    const day = m === '02' && d === '29' && !leap ? `${year}-02-28` : `${year}-${m}-${d}`;
    if (day >= today && day > start) return day;
  }
}

export function upcomingContractDates(input: {
  insurance: InsuranceInput[];
  energy: EnergyInput[];
  telecom: LineInput[];
  today: string;
  horizonDays?: number;
}): ContractDate[] {
  const { today } = input;
  const last = addDays(today, input.horizonDays ?? 365);
  const out: ContractDate[] = [];
  const push = (item: ContractDate) => {
    if (item.day >= today && item.day <= last) out.push(item);
  };
  for (const c of input.insurance) {
    if (c.status === 'terminated') continue;
    const base = {
      kind: 'insurance' as const,
      vendor: c.vendor,
      label: c.productName ?? c.product,
      contractNumber: c.contractNumber,
    };
    if (c.endDate) push({ ...base, day: c.endDate, event: 'end' });
    if (c.renewalDate && c.renewalDate >= today) push({ ...base, day: c.renewalDate, event: 'renewal' });
    else if (c.tacitRenewal && !c.endDate)
      push({ ...base, day: nextAnniversary(c.startDate, today), event: 'renewal' });
  }
  for (const c of input.energy) {
    if (c.status === 'terminated') continue;
    const base = {
      kind: c.energy,
      vendor: c.vendor,
      label: c.offer ?? c.energy,
      ...(c.contractNumber ? { contractNumber: c.contractNumber } : {}),
    };
    if (c.endDate) push({ ...base, day: c.endDate, event: 'end' });
    else push({ ...base, day: nextAnniversary(c.startDate, today), event: 'anniversary' });
  }
  for (const l of input.telecom) {
    if (l.status === 'terminated') continue;
    const label = [l.plan, l.lineNumber].filter(Boolean).join(' · ') || l.type;
    const base = {
      kind: 'telecom' as const,
      vendor: l.vendor,
      label,
      ...(l.contractNumber ? { contractNumber: l.contractNumber } : {}),
    };
    if (l.commitmentEndDate) push({ ...base, day: l.commitmentEndDate, event: 'commitment-end' });
    if (l.endDate) push({ ...base, day: l.endDate, event: 'end' });
  }
  return out.sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.label.localeCompare(b.label)));
}
