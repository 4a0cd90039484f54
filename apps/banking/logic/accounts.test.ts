import { beforeAll, describe, expect, it } from 'vitest';
import { accountSummaries, dailyBalances, netWorth } from './accounts.js';
import { addDays, daysBetween } from './days.js';
import { householdDocs, type HouseholdDocs } from './testing/household-docs.js';

const range = { from: '2024-01-01', to: '2025-12-31' };
let family: HouseholdDocs;
let student: HouseholdDocs;
beforeAll(() => {
  family = householdDocs('family', range);
  student = householdDocs('student', range);
});

describe('daily balances', () => {
  it('equal the bank ledger every day, before and after the day the bank gave the balance', () => {
    for (const docs of [family, student])
      for (const account of docs.accounts.filter((a) => a.type !== 'loan')) {
        const series = dailyBalances(account, docs.transactions, range);
        expect(series.anchored).toBe(true);
        expect(series.points).toHaveLength(daysBetween(range.from, range.to) + 1);
        for (const p of series.points)
          expect(p.balance, `${docs.customerId} ${account.label} ${p.day}`).toBeCloseTo(
            docs.household.balance(docs.customerId, account.accountId, p.day),
            2,
          );
      }
  });

  it('carry the balance forward past the last operation, and work from a balance given mid-range', () => {
    const checking = family.accounts.find((a) => a.type === 'checking');
    if (!checking) throw new Error('the family has a checking account');
    const mid = '2024-09-30';
    const earlier = {
      ...checking,
      balance: family.household.balance('family', checking.accountId, mid),
      balanceDate: '2024-09-30T22:00:00Z',
    };
    const series = dailyBalances(earlier, family.transactions, { from: '2024-06-01', to: addDays(range.to, 10) });
    for (const day of ['2024-06-01', mid, '2025-03-14', range.to])
      expect(series.points.find((p) => p.day === day)?.balance).toBeCloseTo(
        family.household.balance('family', checking.accountId, day),
        2,
      );
    expect(series.points.at(-1)?.balance).toBeCloseTo(
      family.household.balance('family', checking.accountId, range.to),
      2,
    );
  });

  it('are the running sum of operations, marked unanchored, for an account the bank gave no balance for', () => {
    const savings = student.accounts.find((a) => a.type === 'savings');
    if (!savings) throw new Error('the student has savings');
    const { balance: _b, balanceDate: _d, ...bare } = savings;
    const series = dailyBalances(bare, student.transactions, range);
    expect(series.anchored).toBe(false);
    const before = student.household.balance('student', savings.accountId, addDays(range.from, -1));
    for (const p of series.points.filter((_, i) => i % 30 === 0))
      expect(p.balance).toBeCloseTo(student.household.balance('student', savings.accountId, p.day) - before, 2);
  });

  it('refuse an empty range', () => {
    const account = family.accounts[0];
    if (!account) throw new Error('the family has accounts');
    expect(() => dailyBalances(account, family.transactions, { from: '2025-02-01', to: '2025-01-31' })).toThrow(
      RangeError,
    );
  });
});

describe('account summaries', () => {
  it('list every account of the bank with its latest balance, the loan last, and the net worth adds them up', () => {
    const summaries = accountSummaries(family.accounts, family.transactions);
    expect(summaries.map((s) => s.type)).toEqual(['checking', 'savings', 'loan']);
    for (const s of summaries)
      expect(s.balance).toBeCloseTo(family.household.balance('family', s.accountId, range.to), 2);
    const loan = summaries.at(-1);
    expect(loan?.balance).toBeLessThan(0);
    expect(loan?.operations).toBe(0);
    const expected = summaries.reduce((sum, s) => sum + (s.balance ?? 0), 0);
    expect(netWorth(summaries).EUR).toBeCloseTo(expected, 2);
  });

  it('move the bank balance forward by the operations booked after it', () => {
    const checking = family.accounts.find((a) => a.type === 'checking');
    if (!checking) throw new Error('the family has a checking account');
    const day = '2025-11-30';
    const older = {
      ...checking,
      balance: family.household.balance('family', checking.accountId, day),
      balanceDate: '2025-11-30T23:00:00Z',
    };
    const [summary] = accountSummaries([older], family.transactions);
    expect(summary?.balance).toBeCloseTo(family.household.balance('family', checking.accountId, range.to), 2);
    expect(summary?.balanceDay).toBe(summary?.lastOperationDay);
  });
});
