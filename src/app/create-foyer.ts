/**
 * The composition root: the one place that chooses implementations and wires plain functions
 * together. Nothing else in Foyer constructs a store, a clock or a service.
 */
import path from 'node:path';
import type { Catalog } from '../core/catalog/catalog.js';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { createOwnerAuth, type OwnerAuth } from '../core/auth/owner-auth.js';
import { createLoginThrottle } from '../core/auth/login-throttle.js';
import { createSetupCodes, type SetupCodes } from '../core/auth/setup-codes.js';
import { createDocumentService } from '../core/documents/document-service.js';
import { createFileService, FILE_DOCTYPE } from '../core/files/file-service.js';
import { createGate } from '../core/gate.js';
import { createGrantService, type GrantService } from '../core/grants/grant-service.js';
import { createGrantTokenKeys } from '../core/grants/grant-tokens.js';
import { createOAuth, type OAuth } from '../core/oauth/oauth.js';
import { createLedger, createLedgerService } from '../core/ledger/ledger-service.js';
import { createSpaceKeys } from '../core/keys/space-keys.js';
import { createRetentionSettings, SETTINGS_DOCTYPE } from '../core/retention/retention-settings.js';
import {
  startRetentionScheduler,
  type RetentionScheduler,
  type RetentionSchedulerDeps,
} from '../core/retention/retention-scheduler.js';
import { createRetentionJob, type RetentionJob } from '../core/retention/run-retention.js';
import { createSeriesService } from '../core/series/series-service.js';
import { createSpaceService, type SpaceService } from '../core/spaces/space-service.js';
import { createSpaceDeletion, type SpaceDeletion } from '../core/spaces/space-deletion.js';
import { createCredentialVault, type CredentialVault } from '../core/vault/credential-vault.js';
import { createHttpApp } from '../http/create-http-app.js';
import { authRoutes } from '../http/routes/auth-routes.js';
import { doctypeRoutes } from '../http/routes/doctype-routes.js';
import { documentRoutes } from '../http/routes/document-routes.js';
import { fileRoutes } from '../http/routes/file-routes.js';
import { grantRoutes } from '../http/routes/grant-routes.js';
import { retentionRoutes } from '../http/routes/retention-routes.js';
import { ledgerRoutes } from '../http/routes/ledger-routes.js';
import { healthRoutes } from '../http/routes/health-routes.js';
import { seriesRoutes } from '../http/routes/series-routes.js';
import { tokenRoutes } from '../http/routes/token-routes.js';
import { spaceRoutes } from '../http/routes/space-routes.js';
import { firstRunPages } from '../http/pages/first-run-pages.js';
import { webApp, webAppBuilt, webDistDir } from '../http/web-app/web-app.js';
import { summaryRoutes } from '../http/routes/summary-routes.js';
import { createSpaceSummary } from '../core/summary/space-summary.js';
import { importRoutes } from '../http/routes/import-routes.js';
import { connectorRoutes } from '../http/routes/connector-routes.js';
import { builtinConnectors } from '../connectors/builtin-connectors.js';
import { createConnectorRegistry, type ConnectorDefinition } from '../connectors/connector-registry.js';
import { createConnectorService, type ConnectorService } from '../connectors/connector-service.js';
import type { ConnectorScheduler } from '../connectors/schedule/connector-scheduler.js';
import {
  startInstalledConnectorScheduler,
  type InstalledSchedulerDeps,
} from '../connectors/schedule/schedule-installed.js';
import { oauthClientRoutes } from '../http/routes/oauth-client-routes.js';
import { issuerResolver, oauthEndpoints } from '../http/routes/oauth-endpoints.js';
import { createNet, type Net } from '../platform/net.js';
import { systemClock, type Clock } from '../platform/clock.js';
import { createLogger, type Log } from '../platform/logger.js';
import { packageRoot, packageVersion } from '../platform/package-root.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { FileStore } from '../storage/file-store.js';
import { createEncryptedFileStore } from '../storage/encrypted/encrypted-file-store.js';
import { publicUrlOf, type FoyerConfig } from './config.js';
import { openDocumentStore, openFileStore, openMasterKeyring } from './open-stores.js';
import type { Importer } from '../importers/importer.js';
import type { ImportService } from '../importers/import-service.js';
import { startImportService } from './create-import-foyer.js';
import type { ArchiveHandler } from '../importers/import-paths.js';
import { createCozyImport } from '../portability/cozy/cozy-import.js';
import { createAppCatalog } from '../apps/app-catalog.js';
import { loadAppRegistry, type AppRegistry } from '../apps/app-registry.js';
import { createAppService, type AppsService } from '../apps/app-service.js';
import { appRoutes } from '../apps/app-routes.js';
import { appFramePages } from '../apps/frame/app-frame.js';
import { createWebBundler } from '../apps/frame/web-bundle.js';
import { createServiceRunner, type ServiceRunner } from '../apps/services/service-runner.js';
import { createServiceScheduler } from '../apps/services/service-scheduler.js';
import { createPortabilityService, type PortabilityService } from '../portability/portability-service.js';
import { portabilityRoutes } from '../portability/portability-routes.js';

// Opening the stores and the key ring, shared with the lighter compositions (create-import-foyer.ts).
export { openDocumentStore, openFileStore, openMasterKeyring };

export interface FoyerOverrides {
  clock?: Clock;
  log?: Log;
  documentStore?: DocumentStore;
  fileStore?: FileStore;
  catalog?: Catalog;
  /** The app registry file (default `apps/registry.json`). */
  appRegistryFile?: string;
  /** `foyer app dev`: app pages are bundled again on every load. */
  appDev?: boolean;
  /** Cheaper argon2 parameters for tests. */
  passphraseOptions?: Parameters<typeof createOwnerAuth>[0]['passphraseOptions'];
  /** Outgoing HTTP (deletion requests to OAuth clients); tests shorten its deadline. */
  net?: Net;
  /** The file importers (default: all of them). */
  importers?: readonly Importer[];
  /** The connectors offered (default: the built-in ones). */
  connectors?: readonly ConnectorDefinition[];
  /** Connectors' outgoing HTTP (default: 30 s deadline, 32 MiB answers). */
  connectorNet?: Net;
  /** The web app's build folder (default `web/dist`) and the origins its pages may frame (apps). */
  webApp?: { distDir?: string; frameSrc?: readonly string[] };
}

export interface Foyer {
  config: FoyerConfig;
  app: ReturnType<typeof createHttpApp>;
  spaces: SpaceService;
  /** Deleting a space everywhere, with a receipt (`src/core/spaces/space-deletion.ts`). */
  spaceDeletion: SpaceDeletion;
  ownerAuth: OwnerAuth;
  setupCodes: SetupCodes;
  grants: GrantService;
  oauth: OAuth;
  imports: ImportService;
  /** Archives read whole as another platform's export: a Cozy Cloud export (`src/portability/cozy/`). */
  archiveHandlers: readonly ArchiveHandler[];
  /** The space's archive out and in, and its domain formats (`src/portability/`). */
  portability: PortabilityService;
  /** Connectors' logins at data holders, encrypted under each space's data key (server side only: no route). */
  vault: CredentialVault;
  /** Connectors: install, credentials, runs and their history (`src/connectors/`). */
  connectors: ConnectorService;
  /** The retention job: `run(space)` now, `runIfDue(space)`, `lastRun(space)`. */
  retention: RetentionJob;
  /**
   * Starts running installed connectors on their schedules (`foyer serve` only); `close()` stops it.
   * Answers the scheduler (its plans, and `changed` to plan one connector again at once).
   */
  startConnectorSchedule(tuning?: InstalledSchedulerDeps['tuning']): ConnectorScheduler;
  /** Starts the daily retention schedule (`foyer serve` only); `close()` stops it. */
  startRetentionSchedule(timing?: Pick<RetentionSchedulerDeps, 'checkEveryMs' | 'firstCheckAfterMs'>): void;
  catalog: Catalog;
  /** Apps: install with consent, update, uninstall, frames' sessions (`src/apps/`). */
  apps: AppsService;
  appRegistry: AppRegistry;
  /** Apps' services: run one now, their state, the person's notices (`src/apps/services/`). */
  appServices: ServiceRunner;
  /** Starts running apps' services on their triggers (`foyer serve` only); `close()` stops it. */
  startAppServices(tickMs?: number): void;
  documentStore: DocumentStore;
  fileStore: FileStore;
  log: Log;
  close(): Promise<void>;
}

export async function createFoyer(config: FoyerConfig, overrides: FoyerOverrides = {}): Promise<Foyer> {
  const clock = overrides.clock ?? systemClock;
  const log = overrides.log ?? createLogger(config.logLevel);
  const version = packageVersion();
  // The catalog plus the doctypes of the apps Foyer knows (`app.<id>.*`, docs/apps.md).
  const catalog = createAppCatalog(overrides.catalog ?? (await loadCatalog(defaultCatalogDir(), { verify: false })));
  const appRegistry = await loadAppRegistry(catalog, overrides.appRegistryFile);
  // Read before any store opens: a missing or bad master key stops the start with nothing to close.
  // Always read, files encrypted or not: the spaces' signing keys are stored wrapped under it.
  const keyring = await openMasterKeyring(config);
  const documentStore = overrides.documentStore ?? (await openDocumentStore(config, keyring));
  const spaceKeys = createSpaceKeys({ store: documentStore, keyring, clock });
  // PostgreSQL seals document bodies and series values under the same data keys as files.
  await documentStore.useDataKeys?.(spaceKeys);
  const blobStore = overrides.fileStore ?? (await openFileStore(config));
  // Whichever store holds the blobs (configured, or given by a test), contents are encrypted at rest.
  const fileStore = config.encryptFiles ? createEncryptedFileStore(blobStore, spaceKeys) : blobStore;

  const spaces = createSpaceService({ store: documentStore, clock, mode: config.mode, timeZone: config.timeZone });
  const spaceDeletion = createSpaceDeletion({
    store: documentStore,
    fileStore,
    clock,
    foyerVersion: version,
    forget: (space) => {
      spaceKeys.forget(space);
      spaces.forget(space);
    },
    // Late-bound: the grant service and OAuth are made below.
    withdrawGrants: async (space) => {
      const ctx = { space, principal: { kind: 'system' as const, reason: 'space deletion' } };
      const live = (await grants.list(ctx)).filter((g) => g.status === 'active' || g.status === 'expired');
      for (const g of live) await grants.withdraw(ctx, g.id, 'delete');
      await oauth.deletions.settled();
      return live.length;
    },
  });
  const ledger = createLedger({ store: documentStore, clock, timeZoneOf: spaces.timeZoneOf });
  const record = ledger.record;
  const governed = new Set([FILE_DOCTYPE, 'foyer.grant', 'foyer.ledger', SETTINGS_DOCTYPE]);
  const gate = createGate({
    isGoverned: (doctype) => catalog.get(doctype) !== undefined || governed.has(doctype),
    record,
  });
  const ownerAuth = createOwnerAuth({
    store: documentStore,
    clock,
    throttle: createLoginThrottle({ clock }),
    ...(overrides.passphraseOptions ? { passphraseOptions: overrides.passphraseOptions } : {}),
  });
  const documents = createDocumentService({ store: documentStore, catalog, gate, clock });
  const series = createSeriesService({ store: documentStore, catalog, gate, timeZoneOf: spaces.timeZoneOf });
  const files = createFileService({ store: documentStore, fileStore, gate, clock, maxFileBytes: config.maxFileBytes });
  const grants = createGrantService({
    store: documentStore,
    catalog,
    clock,
    gate,
    record,
    keys: createGrantTokenKeys({ store: documentStore, keys: spaceKeys, clock }),
    documents,
    files,
    // Late-bound: the OAuth parts need the grant service, and withdrawal reaches OAuth clients.
    afterWithdraw: (space, grant, receipt) => oauth.deletions.afterWithdraw(space, grant, receipt),
  });
  const oauth = createOAuth({
    store: documentStore,
    catalog,
    clock,
    grants,
    spaceKeys,
    net: overrides.net ?? createNet({ timeoutMs: 10_000 }),
    log,
  });
  const issuerOf = issuerResolver(config);
  const retentionSettings = createRetentionSettings({ store: documentStore, catalog, gate, clock });
  const retention = createRetentionJob({
    store: documentStore,
    catalog,
    clock,
    timeZoneOf: spaces.timeZoneOf,
    settings: retentionSettings,
    documents,
    series,
    files,
    record,
    log,
  });
  let retentionSchedule: RetentionScheduler | undefined;
  let connectorSchedule: ConnectorScheduler | undefined;
  const { imports, spoolDir } = await startImportService(config, {
    store: documentStore,
    catalog,
    gate,
    clock,
    timeZoneOf: spaces.timeZoneOf,
    ...(overrides.importers ? { importers: overrides.importers } : {}),
  });
  const archiveHandlers = [
    createCozyImport({
      store: documentStore,
      catalog,
      gate,
      clock,
      timeZoneOf: spaces.timeZoneOf,
      spoolDir,
      limits: { maxFileBytes: config.maxFileBytes },
      files,
    }),
  ];
  const portability = createPortabilityService({
    store: documentStore,
    fileStore,
    catalog,
    gate,
    clock,
    version,
    timeZoneOf: spaces.timeZoneOf,
    workDir: path.join(config.dataDir, 'tmp', 'archives'),
    maxFileBytes: config.maxFileBytes,
  });
  const vault = createCredentialVault({ store: documentStore, spaceKeys, clock });
  const connectors = createConnectorService({
    store: documentStore,
    fileStore,
    maxFileBytes: config.maxFileBytes,
    catalog,
    clock,
    gate,
    record,
    grants,
    vault,
    net: overrides.connectorNet ?? createNet({ timeoutMs: 30_000, maxResponseBytes: 32 * 1024 * 1024 }),
    registry: createConnectorRegistry(overrides.connectors ?? builtinConnectors(), catalog),
    timeZoneOf: spaces.timeZoneOf,
    log,
  });

  if (config.mode === 'embedded') await spaces.ensureDefault();
  const apps = createAppService({ store: documentStore, clock, grants, registry: appRegistry });
  const appServices = createServiceRunner({
    store: documentStore,
    clock,
    apps,
    registry: appRegistry,
    documents,
    series,
  });
  let appScheduler: ReturnType<typeof createServiceScheduler> | undefined;
  // Apps installed from a folder (not the registry): their doctypes are known again after a restart.
  if (config.mode === 'embedded') await apps.loadFolders(await spaces.list(), log);

  const setupCodes = createSetupCodes(clock);
  const secureCookies = publicUrlOf(config).startsWith('https://');
  const webDist = overrides.webApp?.distDir ?? webDistDir(packageRoot());
  if (!webAppBuilt(webDist)) log('warn', `The web app is not built (no ${webDist}): run "npm run build".`);
  const app = createHttpApp({
    version,
    spaces,
    ownerAuth,
    authenticateGrant: grants.authenticate,
    record,
    trustProxy: config.trustProxy,
    log,
    routes: [
      ...healthRoutes({ version, storage: documentStore.kind, files: fileStore.kind }),
      ...doctypeRoutes({ catalog }),
      ...authRoutes({ ownerAuth, setupCodes, secureCookies }),
      ...tokenRoutes({ ownerAuth }),
      ...spaceRoutes({ deletion: spaceDeletion, ownerAuth, secureCookies }),
      ...grantRoutes({ grants }),
      ...retentionRoutes({ settings: retentionSettings, job: retention }),
      ...ledgerRoutes({ ledger: createLedgerService({ ledger, gate }) }),
      ...oauthClientRoutes({ oauth, issuerOf }),
      ...documentRoutes({ documents }),
      ...seriesRoutes({ series }),
      ...fileRoutes({ files, maxFileBytes: config.maxFileBytes }),
      ...importRoutes({
        imports,
        uploadDir: path.join(spoolDir, 'uploads'),
        maxFileBytes: config.maxFileBytes,
        archiveHandlers,
      }),
      ...connectorRoutes({ connectors }),
      ...appRoutes({ apps, runner: appServices, registry: appRegistry, record, now: () => clock.now() }),
      ...portabilityRoutes({
        portability,
        uploadDir: path.join(config.dataDir, 'tmp', 'archives', 'uploads'),
        maxArchiveBytes: 256 * 1024 ** 3,
        log,
      }),
      ...summaryRoutes({
        summary: createSpaceSummary({ store: documentStore, catalog, gate, timeZoneOf: spaces.timeZoneOf }),
      }),
    ],
    pages: (hono) => {
      // The web app first: it owns `/` and the client routes once built; the first-run page answers `/` until then.
      // App frames first: the web app answers every other path with its page.
      appFramePages({ registry: appRegistry, bundle: createWebBundler(), dev: overrides.appDev === true })(hono);
      webApp({ distDir: webDist, frameSrc: overrides.webApp?.frameSrc ?? ["'self'"] })(hono);
      firstRunPages()(hono);
      oauthEndpoints({ oauth, spaces, ownerAuth, issuerOf, secureCookies, trustProxy: config.trustProxy, log })(hono);
    },
  });
  const stopOAuthSweeps = oauth.startSweeps(5 * 60_000);

  return {
    config,
    app,
    spaces,
    spaceDeletion,
    ownerAuth,
    setupCodes,
    grants,
    oauth,
    imports,
    archiveHandlers,
    portability,
    vault,
    connectors,
    retention,
    startConnectorSchedule(tuning) {
      connectorSchedule ??= startInstalledConnectorScheduler({
        connectors,
        spaces,
        store: documentStore,
        clock,
        log,
        // Embedded: a few spaces, so plans are cheap to redo often (a person's act is seen within
        // minutes); hosted: once an hour, as the scheduler's default.
        tuning: { ...(config.mode === 'embedded' ? { refreshEveryMs: 5 * 60_000 } : {}), ...tuning },
      });
      return connectorSchedule;
    },
    startRetentionSchedule(timing = {}) {
      retentionSchedule ??= startRetentionScheduler({
        listSpaces: () => spaces.list(),
        runIfDue: (space) => retention.runIfDue(space),
        log,
        ...timing,
      });
    },
    catalog,
    apps,
    appRegistry,
    appServices,
    startAppServices(tickMs) {
      appScheduler ??= createServiceScheduler({
        listSpaces: () => spaces.list(),
        store: documentStore,
        clock,
        apps,
        runner: appServices,
        log,
        ...(tickMs ? { tickMs } : {}),
      });
      appScheduler.start();
    },
    documentStore,
    fileStore,
    log,
    async close() {
      // Runs in flight finish (or are stopped by connectors.close) before the stores close.
      const stopping = connectorSchedule?.stop();
      await connectors.close();
      await stopping;
      await retentionSchedule?.stop();
      await appScheduler?.stop();
      stopOAuthSweeps();
      await oauth.deletions.settled();
      await documentStore.close();
      await fileStore.close();
    },
  };
}
