/** A valid bill, for the misbehaving connectors to write before they misbehave. */
export const aBill = {
  vendor: 'X',
  vendorCategory: 'energy',
  issueDate: '2024-01-01',
  totalAmount: 1,
  currency: 'EUR',
};
