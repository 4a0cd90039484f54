/** Marché Frais, the simulated retailer's loyalty card (`foyer holders`, port 7106 by default), on the Holder Kit. */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';

export const manifest = holderKitManifest({
  id: 'retailer-kit',
  holder: { name: 'Marché Frais', url: 'http://127.0.0.1:7106' },
  api: 'http://127.0.0.1:7106',
  doctypes: [
    {
      doctype: 'retail.receipt',
      reason: { en: 'Your receipts, item by item.', fr: 'Vos tickets de caisse, article par article.' },
    },
  ],
  purpose: {
    en: 'Keep a copy of your loyalty card receipts in your space.',
    fr: 'Garder dans votre espace une copie des tickets de votre carte de fidélité.',
  },
});
