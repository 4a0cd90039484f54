/**
 * The built-in connectors to the five simulated holders on the Holder Kit: each a manifest over
 * the generic Holder Kit connector (`collect-holder-kit.ts`), in its own folder.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../connector-registry.js';
import { manifest as gas } from '../gas-kit/manifest.js';
import { manifest as insurer } from '../insurer-kit/manifest.js';
import { manifest as retailer } from '../retailer-kit/manifest.js';
import { manifest as telecom } from '../telecom-kit/manifest.js';
import { manifest as water } from '../water-kit/manifest.js';

export function kitConnectors(): ConnectorDefinition[] {
  return [insurer, telecom, gas, water, retailer].map((manifest) => ({
    manifest,
    entry: fileURLToPath(new URL(`../${manifest.id}/connector.js`, import.meta.url)),
  }));
}
