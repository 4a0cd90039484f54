/**
 * The connectors this Foyer offers: each a checked manifest and the path of its code (run only
 * inside a worker, never imported by Foyer itself). Built once by the composition root.
 */
import type { Catalog } from '../core/catalog/catalog.js';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import type { ConnectionFlow } from './connection-flow.js';
import { parseManifest, type ConnectorManifest, type ConnectorManifestInput } from './manifest.js';

export interface ConnectorDefinition {
  manifest: ConnectorManifestInput;
  /** Absolute path of the module exporting `run(ctx)` (`.js`; its `.ts` source is used when run from sources). */
  entry: string;
  /** The connection steps of a manifest whose `auth.kind` is `redirect` (run in Foyer's process). */
  connection?: ConnectionFlow;
  /** Installed only with an `origin`: a connector for any holder of an API (the generic Holder Kit one). */
  originRequired?: boolean;
}

export interface RegisteredConnector {
  manifest: ConnectorManifest;
  entry: string;
  connection?: ConnectionFlow;
  originRequired?: boolean;
}

export interface ConnectorRegistry {
  list(): readonly RegisteredConnector[];
  get(id: string): RegisteredConnector | undefined;
}

/**
 * Throws at start on a bad manifest, a doctype the catalog lacks, or a verb a series cannot take.
 * `foyer.file` (the files it collects with `ctx.file`) is not a catalog doctype but a scope like one.
 */
export function createConnectorRegistry(
  definitions: readonly ConnectorDefinition[],
  catalog: Catalog,
): ConnectorRegistry {
  const byId = new Map<string, RegisteredConnector>();
  for (const definition of definitions) {
    const manifest = parseManifest(definition.manifest);
    if (byId.has(manifest.id)) throw new Error(`Connector ${manifest.id} is defined twice.`);
    for (const { doctype, verbs } of manifest.doctypes) {
      if (doctype === FILE_DOCTYPE) continue;
      const known = catalog.get(doctype);
      if (!known) throw new Error(`Connector ${manifest.id} writes ${doctype}, which the catalog does not hold.`);
      if (known.kind === 'series' && verbs.includes('update')) {
        throw new Error(`Connector ${manifest.id}: ${doctype} is a time series; its points take the verb create only.`);
      }
    }
    if ((manifest.auth.kind === 'redirect') !== (definition.connection !== undefined)) {
      throw new Error(`Connector ${manifest.id}: a connection flow goes with auth.kind redirect, and only with it.`);
    }
    byId.set(manifest.id, {
      manifest,
      entry: definition.entry,
      ...(definition.connection ? { connection: definition.connection } : {}),
      ...(definition.originRequired ? { originRequired: true } : {}),
    });
  }
  const sorted = [...byId.values()].sort((a, b) => (a.manifest.id < b.manifest.id ? -1 : 1));
  return { list: () => sorted, get: (id) => byId.get(id) };
}
