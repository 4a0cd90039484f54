/**
 * Test connectors over the generic Holder Kit code for the Kit's reference holder
 * (`src/holder-kit/reference-holder.ts`): one collecting both its doctypes, one only its bills
 * (the holder offers more than that connector's grant). Declared at `reference.test` and installed
 * with `origin` set to the reference holder's loopback address. Short deadlines, small pages.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../../connector-registry.js';
import { holderKitManifest } from '../kit-manifest.js';

const reason = { en: 'For the tests.', fr: 'Pour les tests.' };

export const referenceManifest = (id: string, doctypes: string[]) =>
  holderKitManifest({
    id,
    holder: { name: 'Reference Water', url: 'http://reference.test' },
    api: 'http://reference.test',
    doctypes: doctypes.map((doctype) => ({ doctype, reason })),
    purpose: { en: 'Test the Holder Kit connector.', fr: 'Tester le connecteur Holder Kit.' },
    timeSeconds: 30,
  });

export function referenceConnectors(): ConnectorDefinition[] {
  const entry = (file: string) => fileURLToPath(new URL(file, import.meta.url));
  return [
    { manifest: referenceManifest('reference-kit', ['water.daily', 'bill']), entry: entry('./reference-connector.js') },
    { manifest: referenceManifest('reference-bills', ['bill']), entry: entry('./reference-bills-connector.js') },
  ];
}
