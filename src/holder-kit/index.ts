/** The Holder Kit's public face: what an organisation imports. See docs/holder-kit.md. */
export { createHolderKit } from './holder-kit.js';
export type {
  HolderIdentity,
  HolderKitClient,
  HolderKitDataset,
  HolderKitFile,
  HolderKitFiles,
  HolderKitItem,
  HolderKitLifetimes,
  HolderKitListQuery,
  HolderKitOptions,
  HolderKitPage,
} from './holder-kit-options.js';
export {
  createMemoryHolderKitStore,
  type HolderKitStore,
  type StoredEntry,
  type EntryKind,
} from './holder-kit-store.js';
export { pageRecords, compareItems } from './page-records.js';
export { discoveryDocumentSchema, type DiscoveryDocument } from './discovery-document.js';
export { runHolderKitConformance, type HolderKitConformanceOptions } from './conformance/run-conformance.js';
export { formatReport, type ConformanceReport, type ConformanceCheck } from './conformance/conformance-report.js';
