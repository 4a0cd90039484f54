/**
 * The connector for any Holder Kit holder: installed with the holder's origin, it reads the OAuth
 * endpoints from that holder's discovery document and asks for the doctypes it offers among every
 * catalog doctype the Kit connectors can write (the grant's consent names them all).
 */
import { holderKitManifest } from '../holder-kit/kit-manifest.js';
import { KIT_DOCTYPES } from '../holder-kit/kit-doctypes.js';

/** Never reached: every installation replaces it with the holder's origin. */
const PLACEHOLDER = 'https://holder-kit.invalid';

export const manifest = holderKitManifest({
  id: 'holder-kit',
  holder: { name: 'Any Holder Kit holder', url: PLACEHOLDER },
  api: PLACEHOLDER,
  discovered: true,
  doctypes: Object.keys(KIT_DOCTYPES).map((doctype) => ({
    doctype,
    reason: {
      en: `Your ${doctype} data, if the holder you connect offers it.`,
      fr: `Vos données ${doctype}, si l’organisme que vous connectez les propose.`,
    },
  })),
  files: {
    en: 'The files the holder attaches to them (a bill’s PDF).',
    fr: 'Les fichiers que l’organisme y joint (le PDF d’une facture).',
  },
  description: {
    en: 'Collects from any organisation that serves the Holder Kit: give its address when installing.',
    fr: 'Collecte auprès de tout organisme qui sert le Holder Kit : donnez son adresse à l’installation.',
  },
  purpose: {
    en: 'Keep in your space a copy of the data an organisation holds about you.',
    fr: 'Garder dans votre espace une copie des données qu’un organisme détient sur vous.',
  },
  // A first sync of three years at a busy holder, with its files.
  timeSeconds: 900,
});
