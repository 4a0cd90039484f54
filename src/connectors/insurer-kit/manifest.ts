/** Aurore Assurances, the simulated insurer (`foyer holders`, port 7102 by default), on the Holder Kit. */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';

export const manifest = holderKitManifest({
  id: 'insurer-kit',
  holder: { name: 'Aurore Assurances', url: 'http://127.0.0.1:7102' },
  api: 'http://127.0.0.1:7102',
  doctypes: [
    {
      doctype: 'insurance.contract',
      reason: { en: 'Your home and vehicle contracts.', fr: 'Vos contrats habitation et auto.' },
    },
    {
      doctype: 'insurance.claim',
      reason: { en: 'Your claims and their settlement.', fr: 'Vos sinistres et leur règlement.' },
    },
    {
      doctype: 'bill',
      reason: { en: 'Your payment schedules and notices.', fr: 'Vos échéanciers et avis d’échéance.' },
    },
  ],
  files: { en: 'The PDF of your contracts and payment notices.', fr: 'Le PDF de vos contrats et avis d’échéance.' },
  // 1.1: keeps the files the items list (a wider grant: asked again).
  version: '1.1.0',
  purpose: {
    en: 'Keep a copy of your insurance contracts, claims and payment schedules in your space.',
    fr: 'Garder dans votre espace une copie de vos contrats, sinistres et échéanciers d’assurance.',
  },
});
