import type { Catalog } from '../core/catalog/catalog.js';
import type { Gate } from '../core/gate.js';
import type { Clock } from '../platform/clock.js';
import type { DocumentStore } from '../storage/document-store.js';
import type { FileStore } from '../storage/file-store.js';

/** What export and import work with: the space's stores (through the gate), the catalog, time. */
export interface PortabilityDeps {
  store: DocumentStore;
  fileStore: FileStore;
  catalog: Catalog;
  gate: Gate;
  clock: Clock;
  /** Foyer's version, written in the manifest. */
  version: string;
  timeZoneOf: (space: string) => Promise<string>;
  /** A private folder for uploads and import spools. */
  workDir: string;
  /** Largest file accepted (as for uploads). */
  maxFileBytes: number;
}

/** Progress of an export or an import, for a bar. */
export interface PortabilityProgress {
  phase: 'schemas' | 'documents' | 'series' | 'files' | 'ledger' | 'formats' | 'checking' | 'writing' | 'done';
  /** The doctype or member being worked on. */
  item: string;
  documents: number;
  points: number;
  files: number;
  /** Archive bytes written (export) or read (import). */
  bytes: number;
}
