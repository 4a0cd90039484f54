import { describe, expect, it } from 'vitest';
import { createHousehold } from '../../../../src/holders/household/household.js';
import { nextAnniversary, upcomingContractDates } from './contract-dates.js';

const household = createHousehold({ seed: 'mon-logis-contracts' });
const today = '2026-11-24';
const range = { from: '2023-11-24', to: '2026-11-23' };
const data = (customer: string, holder: 'insurer' | 'electricity' | 'gas' | 'telecom', doctype: string) =>
  household.customer(customer).holders.includes(holder)
    ? household.records(customer, holder, doctype, range).map((r) => r.data as never)
    : [];

describe('upcoming contract dates', () => {
  it('lists, for the family, each insurance renewal and energy anniversary within a year, soonest first', () => {
    const insurance = data('family', 'insurer', 'insurance.contract');
    const energy = [...data('family', 'electricity', 'energy.contract'), ...data('family', 'gas', 'energy.contract')];
    const telecom = data('family', 'telecom', 'telecom.line');
    const dates = upcomingContractDates({ insurance, energy, telecom, today });

    // Independently: a date a year after today's start-of-year anniversary, by month and day.
    const expectedDay = (start: string) => {
      const thisYear = `2026${start.slice(4)}`;
      return thisYear >= today ? thisYear : `2027${start.slice(4)}`;
    };
    const raw = [...insurance, ...energy] as { contractNumber: string; startDate: string }[];
    expect(dates.length).toBeGreaterThanOrEqual(raw.length);
    for (const c of raw) {
      const found = dates.find((d) => d.contractNumber === c.contractNumber);
      expect(found?.day, c.contractNumber).toBe(expectedDay(c.startDate));
    }
    expect(dates.map((d) => d.day)).toEqual([...dates.map((d) => d.day)].sort());
    for (const d of dates) expect(d.day >= today && d.day <= '2027-11-24').toBe(true);
  });

  it('shows a telecom commitment end and a contract end, not what is past, beyond a year or terminated', () => {
    const dates = upcomingContractDates({
      today,
      insurance: [
        { vendor: 'A', contractNumber: 'I1', product: 'home', startDate: '2020-01-10', endDate: '2027-01-09' },
        {
          vendor: 'A',
          contractNumber: 'I2',
          product: 'home',
          startDate: '2020-01-10',
          tacitRenewal: true,
          status: 'terminated',
        },
      ],
      energy: [{ vendor: 'E', energy: 'gas', contractNumber: 'G1', startDate: '2020-05-01', endDate: '2028-01-01' }],
      telecom: [
        {
          vendor: 'T',
          type: 'mobile',
          plan: 'P',
          lineNumber: '+33600000000',
          startDate: '2025-06-01',
          commitmentEndDate: '2026-12-01',
        },
        { vendor: 'T', type: 'mobile', startDate: '2024-06-01', commitmentEndDate: '2025-06-01' },
      ],
    });
    expect(dates.map((d) => [d.day, d.event, d.label])).toEqual([
      ['2026-12-01', 'commitment-end', 'P · +33600000000'],
      ['2027-01-09', 'end', 'home'],
    ]);
  });

  it('puts a 29 February anniversary on 28 February in common years', () => {
    expect(nextAnniversary('2020-02-29', '2026-11-24')).toBe('2027-02-28');
    expect(nextAnniversary('2020-02-29', '2027-03-01')).toBe('2028-02-29');
    expect(nextAnniversary('2026-11-24', '2026-11-24')).toBe('2027-11-24');
  });
});
