/** The electricity connector as Foyer offers it: manifest, sandboxed code, connection steps. */
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../connector-registry.js';
import { electricityConnection } from './connection.js';
import { manifest } from './manifest.js';

export function electricityEnedisConnector(): ConnectorDefinition {
  return {
    manifest,
    entry: fileURLToPath(new URL('./connector.js', import.meta.url)),
    connection: electricityConnection(),
  };
}
