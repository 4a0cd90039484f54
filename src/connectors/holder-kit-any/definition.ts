/** The `holder-kit` connector as Foyer offers it: installed only with the holder's origin. */
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../connector-registry.js';
import { manifest } from './manifest.js';

export const anyKitHolderConnector = (): ConnectorDefinition => ({
  manifest,
  entry: fileURLToPath(new URL('./connector.js', import.meta.url)),
  originRequired: true,
});
