/** Onde Télécom, the simulated telecom operator (`foyer holders`, port 7103 by default), on the Holder Kit. */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';

export const manifest = holderKitManifest({
  id: 'telecom-kit',
  holder: { name: 'Onde Télécom', url: 'http://127.0.0.1:7103' },
  api: 'http://127.0.0.1:7103',
  doctypes: [
    { doctype: 'telecom.line', reason: { en: 'Your lines and plans.', fr: 'Vos lignes et forfaits.' } },
    { doctype: 'bill', reason: { en: 'Your monthly bills.', fr: 'Vos factures mensuelles.' } },
    {
      doctype: 'telecom.call',
      reason: { en: 'Your calls and text messages.', fr: 'Vos appels et SMS.' },
    },
    {
      doctype: 'telecom.data-usage',
      reason: { en: 'Mobile data used per day.', fr: 'Les données mobiles consommées par jour.' },
    },
    {
      doctype: 'telecom.vod-view',
      reason: { en: 'Films and series rented on your TV box.', fr: 'Films et séries loués sur votre box.' },
    },
    {
      doctype: 'location.point',
      reason: {
        en: 'Where your phones were, to the nearest antenna.',
        fr: 'Où étaient vos téléphones, à l’antenne près.',
      },
    },
  ],
  files: { en: 'The PDF of your bills.', fr: 'Le PDF de vos factures.' },
  // 1.1: keeps the files the items list (a wider grant: asked again).
  version: '1.1.0',
  purpose: {
    en: 'Keep a copy of your lines, bills, calls, data usage, rentals and coarse locations in your space.',
    fr: 'Garder dans votre espace une copie de vos lignes, factures, appels, données, locations et positions approximatives.',
  },
  // Three years of calls and cell locations make a first sync of some 35,000 items.
  timeSeconds: 600,
});
