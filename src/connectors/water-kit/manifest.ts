/** Eau de l'Estuaire, the simulated water utility (`foyer holders`, port 7105 by default), on the Holder Kit. */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';

export const manifest = holderKitManifest({
  id: 'water-kit',
  holder: { name: "Eau de l'Estuaire", url: 'http://127.0.0.1:7105' },
  api: 'http://127.0.0.1:7105',
  doctypes: [
    {
      doctype: 'water.daily',
      reason: {
        en: 'Water used per day, with leak alerts.',
        fr: 'L’eau consommée par jour, avec les alertes de fuite.',
      },
    },
    { doctype: 'bill', reason: { en: 'Your water bills.', fr: 'Vos factures d’eau.' } },
  ],
  files: { en: 'The PDF of your bills.', fr: 'Le PDF de vos factures.' },
  // 1.1: keeps the files the items list (a wider grant: asked again).
  version: '1.1.0',
  purpose: {
    en: 'Keep a copy of your daily water consumption and bills in your space.',
    fr: 'Garder dans votre espace une copie de votre consommation d’eau quotidienne et de vos factures.',
  },
});
