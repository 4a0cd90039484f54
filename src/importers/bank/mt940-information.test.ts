import { describe, expect, it } from 'vitest';
import { parseInformation } from './mt940-information.js';

describe('parseInformation (MT940 :86:)', () => {
  it('reads German subfields and SEPA keywords, joining purpose segments cut at 27 characters', () => {
    const info = parseInformation([
      '105?00SEPA-BASISLASTSCHRIFT?109310?20EREF+RGN-0815?21MREF+M-000815',
      '?22CRED+DE98ZZZ09999999999?23SVWZ+Stromabschlag Dezember?24 2023',
      '?30COBADEFFXXX?31DE12500105170648489890?32Stadtwerke München ?33GmbH',
    ]);
    expect(info).toEqual({
      label: 'Stadtwerke München GmbH - Stromabschlag Dezember 2023',
      bookingText: 'SEPA-BASISLASTSCHRIFT',
      gvc: '105',
      name: 'Stadtwerke München GmbH',
      iban: 'DE12500105170648489890',
      remittance: 'Stromabschlag Dezember 2023',
      reference: 'RGN-0815',
      creditorId: 'DE98ZZZ09999999999',
      mandate: 'M-000815',
    });
  });

  it('takes the separator from the field itself when it is not ?', () => {
    const info = parseInformation(['020~00VE02~20Zakupy internetowe~21Allegro 123~32SKLEP~33 SA']);
    expect(info).toMatchObject({
      gvc: '020',
      bookingText: 'VE02',
      name: 'SKLEP SA',
      label: 'SKLEP SA - Zakupy internetowe Allegro 123',
    });
  });

  it('falls back to the booking text when there is neither name nor purpose', () => {
    expect(parseInformation(['805?00ABSCHLUSS?109310'])).toMatchObject({ label: 'ABSCHLUSS', gvc: '805' });
  });

  it('reads Dutch /TRTP/ codes and ING /CNTP/ codes across wrapped lines', () => {
    expect(
      parseInformation([
        '/TRTP/SEPA OVERBOEKING/IBAN/NL44RABO0123456789/BIC/RABONL2U/NAME/J. de V',
        'ries/REMI/Lunch/EREF/NOTPROVIDED',
      ]),
    ).toEqual({
      label: 'J. de Vries - Lunch',
      bookingText: 'SEPA OVERBOEKING',
      name: 'J. de Vries',
      iban: 'NL44RABO0123456789',
      remittance: 'Lunch',
    });
    expect(
      parseInformation([
        '/EREF/E2E-1//MARF/MND-1//CSID/NL32ZZZ999999991234//CNTP/NL20INGB0001234567/INGBNL2A/Vattenfall///REMI/USTD//Maart/',
      ]),
    ).toEqual({
      label: 'Vattenfall - Maart',
      name: 'Vattenfall',
      iban: 'NL20INGB0001234567',
      remittance: 'Maart',
      reference: 'E2E-1',
      creditorId: 'NL32ZZZ999999991234',
      mandate: 'MND-1',
    });
  });

  it('reads a structured creditor reference as the reference', () => {
    expect(parseInformation(['/CNTP/NL20INGB0001234567/INGBNL2A/ING///REMI/STRD/CUR/1070123412341234/'])).toMatchObject(
      {
        label: 'ING',
        reference: '1070123412341234',
      },
    );
  });

  it('joins free text, without a space where a line was cut at 65 characters', () => {
    const first = 'WYNAGRODZENIE ZA KWIECIEN 2024 FIRMA PRZYKLADOWA SPOLKA Z OGRANICZONA O'.slice(0, 61);
    expect(parseInformation([first, 'DPOWIEDZIALNOSCIA']).label).toBe(`${first}DPOWIEDZIALNOSCIA`);
    expect(parseInformation(['OPLATA ZA', 'PROWADZENIE RACHUNKU']).label).toBe('OPLATA ZA PROWADZENIE RACHUNKU');
  });
});
