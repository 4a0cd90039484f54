/** Gaz Réseau Estuaire, the simulated gas distributor (`foyer holders`, port 7104 by default), on the Holder Kit. */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';

export const manifest = holderKitManifest({
  id: 'gas-kit',
  holder: { name: 'Gaz Réseau Estuaire', url: 'http://127.0.0.1:7104' },
  api: 'http://127.0.0.1:7104',
  doctypes: [
    {
      doctype: 'energy.contract',
      reason: { en: 'Your gas supply contract.', fr: 'Votre contrat de fourniture de gaz.' },
    },
    {
      doctype: 'energy.gas.daily',
      reason: {
        en: 'Gas used per day, with the meter index.',
        fr: 'Le gaz consommé par jour, avec l’index du compteur.',
      },
    },
    { doctype: 'bill', reason: { en: 'Your gas bills.', fr: 'Vos factures de gaz.' } },
  ],
  files: { en: 'The PDF of your bills.', fr: 'Le PDF de vos factures.' },
  // 1.1: keeps the files the items list (a wider grant: asked again).
  version: '1.1.0',
  purpose: {
    en: 'Keep a copy of your gas contract, daily consumption and bills in your space.',
    fr: 'Garder dans votre espace une copie de votre contrat de gaz, de votre consommation quotidienne et de vos factures.',
  },
});
