/**
 * The synthetic household's records as the documents the app reads (for the logic tests): ids are
 * the holders' natural keys, and accounts carry the balance the bank connector stores with them.
 */
import { createHousehold, type HolderId, type Household } from '../../../../src/holders/household/household.js';
import { addDays } from '../days.js';
import type {
  BankAccount,
  BankingDocuments,
  BankTransaction,
  Bill,
  Contract,
  InsuranceClaim,
  Receipt,
} from '../types.js';

export interface HouseholdDocs extends BankingDocuments {
  household: Household;
  customerId: string;
  range: { from: string; to: string };
}

/** Paris midnight after `day`, as the bank connector dates a closing balance (winter or summer offset). */
function midnightAfter(day: string): string {
  const next = addDays(day, 1);
  for (const offset of [2, 1]) {
    const utc = new Date(Date.parse(`${next}T00:00:00Z`) - offset * 3_600_000);
    const month = utc.getUTCMonth() + 1;
    const summer = month > 3 && month < 11;
    if ((offset === 2) === summer) return utc.toISOString().replace('.000Z', 'Z');
  }
  return `${next}T00:00:00Z`;
}

export function householdDocs(
  customerId: string,
  range: { from: string; to: string },
  seed = 'banking-app',
): HouseholdDocs {
  const household = createHousehold({ seed });
  const has = (holder: HolderId): boolean => household.customer(customerId).holders.includes(holder);
  const records = <T>(holder: HolderId, doctype: string): T[] =>
    has(holder)
      ? household.records(customerId, holder, doctype, range).map((r) => ({ _id: r.key, ...r.data }) as T)
      : [];
  const accounts = records<BankAccount>('bank', 'bank.account').map((a) => ({
    ...a,
    balance: household.balance(customerId, a.accountId, range.to),
    balanceDate: midnightAfter(range.to),
  }));
  const bills = (['electricity', 'gas', 'water', 'telecom', 'insurer'] as const).flatMap((h) =>
    records<Bill>(h, 'bill'),
  );
  const contracts: Contract[] = [
    ...records<Contract>('insurer', 'insurance.contract').map((c) => ({
      ...c,
      doctype: 'insurance.contract' as const,
    })),
    ...records<Contract>('electricity', 'energy.contract').map((c) => ({ ...c, doctype: 'energy.contract' as const })),
    ...records<Contract>('gas', 'energy.contract').map((c) => ({ ...c, doctype: 'energy.contract' as const })),
    ...records<Contract>('telecom', 'telecom.line').map((c) => ({ ...c, doctype: 'telecom.line' as const })),
  ];
  return {
    household,
    customerId,
    range,
    accounts,
    transactions: records<BankTransaction>('bank', 'bank.transaction'),
    bills,
    receipts: records<Receipt>('retailer', 'retail.receipt'),
    claims: records<InsuranceClaim>('insurer', 'insurance.claim'),
    contracts,
  };
}

/**
 * The same lines as a bank that prints no reference would give them: no `reference`, no bill or
 * claim number in the label, no category. What the household put there is the tests' ground truth.
 */
export function withoutReferences(transactions: BankTransaction[]): BankTransaction[] {
  return transactions.map((t) => {
    const { reference, category: _category, ...rest } = t;
    const label = reference ? t.label.replace(reference, '').replace(/ +/g, ' ').trim() : t.label;
    return { ...rest, label };
  });
}
