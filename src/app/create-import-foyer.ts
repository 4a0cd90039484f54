/**
 * The part of Foyer that `foyer import` needs for plain files: the catalog, the key ring, the
 * document store, the spaces, the ledger and the gate, and the import service, wired exactly as the
 * composition root wires them (create-foyer.ts), without loading the server (routes, OAuth,
 * connectors, apps). Its start-up is part of every import's wall time. Archives and folders, which
 * may be another platform's export (Cozy), still go through the whole Foyer.
 */
import path from 'node:path';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { createGate } from '../core/gate.js';
import { createSpaceKeys } from '../core/keys/space-keys.js';
import { createLedger } from '../core/ledger/ledger-service.js';
import { createSpaceService } from '../core/spaces/space-service.js';
import { createImportService, type ImportService, type ImportServiceDeps } from '../importers/import-service.js';
import { clearSpools } from '../importers/import-spool.js';
import { systemClock } from '../platform/clock.js';
import type { FoyerConfig } from './config.js';
import { openDocumentStore, openMasterKeyring } from './open-stores.js';

export interface ImportFoyer {
  imports: ImportService;
  close(): Promise<void>;
}

export async function createImportFoyer(config: FoyerConfig): Promise<ImportFoyer> {
  const clock = systemClock;
  // Importers produce catalog doctypes only: the apps' doctypes are not needed here.
  const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
  const keyring = await openMasterKeyring(config);
  const documentStore = await openDocumentStore(config, keyring);
  try {
    // As in create-foyer.ts: PostgreSQL seals document bodies and series values under the data keys.
    await documentStore.useDataKeys?.(createSpaceKeys({ store: documentStore, keyring, clock }));
    const spaces = createSpaceService({ store: documentStore, clock, mode: config.mode, timeZone: config.timeZone });
    const ledger = createLedger({ store: documentStore, clock, timeZoneOf: spaces.timeZoneOf });
    // Every doctype an importer writes is the catalog's: governed, as in the full Foyer.
    const gate = createGate({ isGoverned: (doctype) => catalog.get(doctype) !== undefined, record: ledger.record });
    const { imports } = await startImportService(config, {
      store: documentStore,
      catalog,
      gate,
      clock,
      timeZoneOf: spaces.timeZoneOf,
    });
    if (config.mode === 'embedded') await spaces.ensureDefault();
    return { imports, close: () => documentStore.close() };
  } catch (e) {
    await documentStore.close();
    throw e;
  }
}

/**
 * The import service over the data folder's spool, emptied first (what an interrupted import left),
 * as both the whole Foyer and `foyer import` start it.
 */
export async function startImportService(
  config: FoyerConfig,
  deps: Pick<ImportServiceDeps, 'store' | 'catalog' | 'gate' | 'clock' | 'timeZoneOf'> &
    Partial<Pick<ImportServiceDeps, 'importers'>>,
): Promise<{ imports: ImportService; spoolDir: string }> {
  const spoolDir = path.join(config.dataDir, 'tmp', 'imports');
  await clearSpools(spoolDir);
  const imports = createImportService({
    ...deps,
    importers: deps.importers ?? (async () => (await import('../importers/registry.js')).allImporters()),
    spoolDir,
    limits: { maxFileBytes: config.maxFileBytes },
  });
  return { imports, spoolDir };
}
