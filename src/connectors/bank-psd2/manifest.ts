/**
 * Banque Horizon, the simulated bank (`foyer holders`, port 7100 by default), through its
 * NextGenPSD2 account information API: the person authorises a consent at the bank (redirect
 * SCA), so their password never reaches Foyer. Plain data: the connector's bundle includes it.
 */
import type { ConnectorManifestInput } from '../manifest.js';

export const manifest: ConnectorManifestInput = {
  id: 'bank-psd2',
  name: 'Banque Horizon',
  version: '1.0.0',
  description: {
    en: 'Your accounts, balances and transactions at Banque Horizon, through its PSD2 interface.',
    fr: 'Vos comptes, soldes et opérations chez Banque Horizon, par son interface DSP2.',
  },
  holder: { name: 'Banque Horizon', url: 'http://127.0.0.1:7100' },
  api: 'http://127.0.0.1:7100',
  doctypes: [
    {
      doctype: 'bank.account',
      verbs: ['create', 'update'],
      reason: { en: 'Your accounts and their balances.', fr: 'Vos comptes et leurs soldes.' },
    },
    {
      doctype: 'bank.transaction',
      verbs: ['create', 'update'],
      reason: {
        en: 'Your transactions, pending ones updated once booked.',
        fr: 'Vos opérations, celles en attente mises à jour une fois comptabilisées.',
      },
    },
  ],
  auth: { kind: 'redirect' },
  // The bank publishes a day at 06:00 the next morning; PSD2 allows 4 unattended reads a day.
  schedule: { frequency: 'daily', window: { start: '07:00', end: '22:00' } },
  hosts: ['127.0.0.1:7100'],
  limits: { timeSeconds: 300, memoryMb: 128, maxRecords: 1_000_000 },
  purpose: {
    code: 'data-collection',
    text: {
      en: 'Keep a copy of your bank accounts and transactions in your space.',
      fr: 'Garder dans votre espace une copie de vos comptes et opérations bancaires.',
    },
  },
  retention: 'P1D',
};
