/** A bank transaction that validates against the catalog, for HTTP tests; fields as overridden. */
export const TRANSACTIONS = '/api/data/bank.transaction';

export function transaction(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    date: '2024-03-11T23:00:00Z',
    label: 'PRLV SEPA EDF',
    amount: -87.4,
    currency: 'EUR',
    accountId: 'acc-1',
    type: 'direct_debit',
    ...over,
  };
}
