/**
 * The connectors Foyer ships. Each is a folder under `src/connectors/` with its manifest and its
 * `connector.ts` (docs/connectors.md, "Writing a connector"); list it here to offer it.
 */
import type { ConnectorDefinition } from './connector-registry.js';
import { kitConnectors } from './holder-kit/kit-connectors.js';
import { bankPsd2Connector } from './bank-psd2/definition.js';
import { electricityEnedisConnector } from './electricity-enedis/definition.js';
import { anyKitHolderConnector } from './holder-kit-any/definition.js';

export function builtinConnectors(): ConnectorDefinition[] {
  return [...kitConnectors(), anyKitHolderConnector(), bankPsd2Connector(), electricityEnedisConnector()];
}
