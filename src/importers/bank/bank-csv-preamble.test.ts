import { describe, expect, it } from 'vitest';
import type { CsvRow } from '../csv/csv-reader.js';
import { BANK_CSV_LAYOUTS } from './bank-csv-layouts.js';
import { ibanIn, readPreamble } from './bank-csv-preamble.js';

const rows = (...lines: string[]): CsvRow[] => lines.map((l, i) => ({ line: i + 1, fields: l.split(';') }));
const layout = (id: string) => BANK_CSV_LAYOUTS.find((l) => l.id === id);

describe('IBANs', () => {
  it('finds an IBAN whose checksum holds, in electronic or printed form', () => {
    expect(ibanIn('FR7630004000031234567890143')).toBe('FR7630004000031234567890143');
    expect(ibanIn('IBAN : FR76 3000 4000 0312 3456 7890 143')).toBe('FR7630004000031234567890143');
    expect(ibanIn('IBAN;DE89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
  });

  it('refuses one digit off, and numbers that only look like IBANs', () => {
    expect(ibanIn('FR7630004000031234567890144')).toBeUndefined();
    expect(ibanIn('Référence AB12 3456 7890 1234')).toBeUndefined();
  });
});

describe('readPreamble', () => {
  it('reads La Banque Postale: number, type, currency, statement date and balance in euros (not francs)', () => {
    const facts = readPreamble(
      rows(
        'Numéro Compte   ;0534567A020',
        'Type            ;CCP',
        'Compte tenu en  ;euros',
        'Date            ;20/03/2026',
        'Solde (FRANCS)  ;8 098,45',
        'Solde (EUROS)   ;1 234,56',
      ),
      layout('la-banque-postale'),
      2027,
    );
    expect(facts).toEqual({
      accountNumber: '0534567A020',
      accountLabel: 'CCP',
      currency: 'EUR',
      balance: 1234.56,
      balanceDay: '2026-03-20',
    });
  });

  it('reads Crédit Agricole: the account after "carte n°" and the balance with its day in one cell', () => {
    const facts = readPreamble(
      rows('Téléchargement du 19/03/2026;', 'Compte de Dépôt carte n° 12345678901;', 'Solde au 19/03/2026 1 234,56 €;'),
      layout('credit-agricole'),
      2027,
    );
    expect(facts).toEqual({
      accountNumber: '12345678901',
      accountLabel: 'Compte de Dépôt',
      balance: 1234.56,
      balanceDay: '2026-03-19',
    });
  });

  it("reads Caisse d'Épargne's `label : value` cells and a closing balance, not an opening one", () => {
    const facts = readPreamble(
      rows(
        "Code de la banque : 14505;Code de l'agence : 00001;Date de début de téléchargement : 01/10/2020;",
        'Numéro de compte : 04309621484;Nom du compte : COMPTE CHEQUE;Devise : EUR;',
        'Solde en début de période;;;;1000,00',
        'Solde en fin de période;;;;3480,82',
      ),
      undefined,
      2027,
    );
    expect(facts).toEqual({
      accountNumber: '04309621484',
      accountLabel: 'COMPTE CHEQUE',
      currency: 'EUR',
      balance: 3480.82,
    });
  });

  it('reads an IBAN and a balance followed by its currency', () => {
    const facts = readPreamble(
      rows('IBAN;DE89 3704 0044 0532 0130 00', 'Kontoname;Girokonto', 'Saldo;1.172,12;EUR'),
      undefined,
      2027,
    );
    expect(facts).toEqual({
      iban: 'DE89370400440532013000',
      accountLabel: 'Girokonto',
      currency: 'EUR',
      balance: 1172.12,
    });
  });

  it('reads the cells a layout names in its first row (Société Générale, BNP Paribas)', () => {
    expect(
      readPreamble(
        rows('="0201900016400270";01/05/2026;31/05/2026;3;29/05/2026;27423,29 EUR'),
        layout('societe-generale'),
        2027,
      ),
    ).toEqual({
      accountNumber: '0201900016400270',
      balance: 27423.29,
      balanceDay: '2026-05-29',
    });
    expect(
      readPreamble(rows('Compte de chèques;M OU MME X;00012345678;28/02/2026;;-1 234,56'), layout('bnp-paribas'), 2027),
    ).toEqual({
      accountNumber: '00012345678',
      balance: -1234.56,
      balanceDay: '2026-02-28',
    });
  });

  it('finds nothing in lines that say nothing of the account', () => {
    expect(readPreamble(rows('Relevé de compte', 'Titulaire;M. MARTIN PAUL', ';'), undefined, 2027)).toEqual({});
  });
});
