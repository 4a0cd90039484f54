import { describe, expect, it } from 'vitest';
import { accountOf, closingBookedOf, transactionOf } from './psd2-records.js';

const booked = (over: Record<string, unknown> = {}) => ({
  transactionId: 'card-2026-03-09-4',
  bookingDate: '2026-03-09',
  valueDate: '2026-03-10',
  transactionDate: '2026-03-09',
  transactionAmount: { currency: 'EUR', amount: '-7.64' },
  creditorName: 'BOULANGERIE DU MARCHE',
  remittanceInformationUnstructured: 'CB BOULANGERIE DU MARCHE 09/03',
  bankTransactionCode: 'PMNT-CCRD-POSD',
  proprietaryBankTransactionCode: 'card',
  ...over,
});
const formatChanged = expect.objectContaining({ code: 'holder_format_changed' });

describe('PSD2 transactions as bank.transaction', () => {
  it('keys by account and transaction id, dates at Paris midnight, amounts as numbers', () => {
    expect(transactionOf(booked(), 'acc-1', 'booked')).toEqual({
      key: 'acc-1:card-2026-03-09-4',
      day: '2026-03-09',
      data: {
        date: '2026-03-08T23:00:00Z',
        label: 'CB BOULANGERIE DU MARCHE 09/03',
        amount: -7.64,
        currency: 'EUR',
        accountId: 'acc-1',
        type: 'card',
        valueDate: '2026-03-10',
        bookingStatus: 'booked',
        counterparty: { name: 'BOULANGERIE DU MARCHE' },
      },
    });
  });

  it('a pending one has no booking date; the same key as once booked', () => {
    const { bookingDate: _, ...pending } = booked();
    const p = transactionOf(pending, 'acc-1', 'pending');
    expect(p.key).toBe(transactionOf(booked(), 'acc-1', 'booked').key);
    expect(p.data.bookingStatus).toBe('pending');
    expect(() => transactionOf(pending, 'acc-1', 'booked')).toThrow('bookingDate is missing');
  });

  it('a credit names its debtor; the type comes from the ISO code when the bank gives no catalog type', () => {
    const credit = transactionOf(
      {
        ...booked({ transactionAmount: { currency: 'EUR', amount: '2100' }, creditorName: undefined }),
        debtorName: 'EMPLOYEUR SA',
        debtorAccount: { iban: 'FR7630006000011234567890189' },
        proprietaryBankTransactionCode: undefined,
        bankTransactionCode: 'PMNT-RCDT-ESCT',
        endToEndId: 'SAL-2026-03',
      },
      'acc-1',
      'booked',
    );
    expect(credit.data).toMatchObject({
      amount: 2100,
      type: 'credit',
      reference: 'SAL-2026-03',
      counterparty: { name: 'EMPLOYEUR SA', iban: 'FR7630006000011234567890189' },
    });
    const odd = transactionOf(
      booked({ proprietaryBankTransactionCode: 'x', bankTransactionCode: 'X-Y-Z' }),
      'a',
      'booked',
    );
    expect(odd.data.type).toBe('other');
  });

  it.each([
    ['a decimal comma', { transactionAmount: { currency: 'EUR', amount: '-7,64' } }, 'is not a decimal amount'],
    ['a French date', { valueDate: '10/03/2026' }, 'is not a day YYYY-MM-DD'],
    ['no label', { remittanceInformationUnstructured: '' }, 'remittanceInformationUnstructured is missing'],
    ['a lower-case currency', { transactionAmount: { currency: 'eur', amount: '1.00' } }, 'is not ISO 4217'],
    [
      'an amount as a number',
      { transactionAmount: { currency: 'EUR', amount: -7.64 } },
      'amount is missing or not text',
    ],
  ])('refuses %s as holder_format_changed', (_, over, said) => {
    expect(() => transactionOf(booked(over), 'acc-1', 'booked')).toThrow(said);
    expect(() => transactionOf(booked(over), 'acc-1', 'booked')).toThrow(formatChanged);
  });
});

describe('PSD2 accounts and balances', () => {
  const account = {
    resourceId: 'acc-1',
    iban: 'FR7619870004205674896012861',
    currency: 'EUR',
    name: 'COMPTE JOINT',
    product: 'Compte de dépôt',
    cashAccountType: 'SVGS',
    status: 'enabled',
    bic: 'HRZNFRP1XXX',
    ownerName: 'Élise Moreau, Sébastien Moreau',
  };

  it('become bank.account documents of the bank', () => {
    expect(accountOf(account, 'Banque Horizon').data).toEqual({
      accountId: 'acc-1',
      vendor: 'Banque Horizon',
      label: 'COMPTE JOINT',
      type: 'savings',
      currency: 'EUR',
      product: 'Compte de dépôt',
      iban: 'FR7619870004205674896012861',
      bic: 'HRZNFRP1XXX',
      holders: ['Élise Moreau', 'Sébastien Moreau'],
      status: 'open',
    });
    expect(() => accountOf({ ...account, iban: 'FR76 1987' }, 'B')).toThrow(formatChanged);
    expect(() => accountOf([], 'B')).toThrow('is not an object');
  });

  it('the booked balance is the closingBooked one, at its reference day', () => {
    const balances = {
      balances: [
        { balanceType: 'interimAvailable', balanceAmount: { currency: 'EUR', amount: '10.00' } },
        {
          balanceType: 'closingBooked',
          balanceAmount: { currency: 'EUR', amount: '12.50' },
          referenceDate: '2026-03-09',
        },
      ],
    };
    expect(closingBookedOf(balances, 'b')).toEqual({ balance: 12.5, day: '2026-03-09' });
    expect(closingBookedOf({ balances: [] }, 'b')).toBe(null);
    expect(() => closingBookedOf({ balances: 'none' }, 'b')).toThrow(formatChanged);
  });
});
