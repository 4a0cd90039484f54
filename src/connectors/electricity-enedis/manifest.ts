/**
 * Réseau Électrique de l’Estuaire, the simulated electricity distributor (`foyer holders`, port
 * 7101 by default), through its metering API in the Enedis Data Connect style, and the supplier
 * that bills beside it. The person consents at the distributor (its own login and consent page),
 * so their password never reaches Foyer. Plain data: the connector's bundle includes it.
 */
import type { ConnectorManifestInput } from '../manifest.js';

export const manifest: ConnectorManifestInput = {
  id: 'electricity-enedis',
  name: 'Réseau Électrique de l’Estuaire',
  version: '1.0.0',
  description: {
    en: 'Your electricity consumption (daily, 30-minute load curve, maximum power), contract and bills.',
    fr: 'Votre consommation d’électricité (quotidienne, courbe de charge, puissance maximale), contrat et factures.',
  },
  holder: { name: 'Réseau Électrique de l’Estuaire', url: 'http://127.0.0.1:7101' },
  api: 'http://127.0.0.1:7101',
  doctypes: [
    {
      doctype: 'energy.electricity.daily',
      verbs: ['create'],
      reason: { en: 'Your daily consumption.', fr: 'Votre consommation quotidienne.' },
    },
    {
      doctype: 'energy.electricity.load-curve',
      verbs: ['create'],
      reason: { en: 'Your consumption every 30 minutes.', fr: 'Votre consommation toutes les 30 minutes.' },
    },
    {
      doctype: 'energy.electricity.max-power',
      verbs: ['create'],
      reason: { en: 'The highest power you drew each day.', fr: 'La puissance maximale appelée chaque jour.' },
    },
    {
      doctype: 'energy.contract',
      verbs: ['create', 'update'],
      reason: { en: 'Your supply contract.', fr: 'Votre contrat de fourniture.' },
    },
    {
      doctype: 'bill',
      verbs: ['create', 'update'],
      reason: { en: 'Your electricity bills.', fr: 'Vos factures d’électricité.' },
    },
    {
      doctype: 'foyer.file',
      verbs: ['create', 'update'],
      reason: { en: 'Your bills as PDF files.', fr: 'Vos factures en PDF.' },
    },
  ],
  auth: { kind: 'redirect' },
  // A day is published at 06:00 the next morning.
  schedule: { frequency: 'daily', window: { start: '07:00', end: '22:00' } },
  hosts: ['127.0.0.1:7101'],
  limits: { timeSeconds: 300, memoryMb: 128, maxRecords: 1_000_000 },
  purpose: {
    code: 'data-collection',
    text: {
      en: 'Keep a copy of your electricity consumption, contract and bills in your space.',
      fr: 'Garder dans votre espace une copie de votre consommation d’électricité, de votre contrat et de vos factures.',
    },
  },
  retention: 'P1D',
};
