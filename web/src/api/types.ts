/** The shapes of Foyer's answers the web app reads (docs/api.md); only the fields the screens use. */

export interface Bilingual {
  en: string;
  fr: string;
}

export interface DoctypeInfo {
  name: string;
  kind: 'document' | 'series';
  title: Bilingual;
  sensitivity: string;
  retention: string;
}

export interface DoctypeSummary {
  doctype: string;
  count: number;
  from: string | null;
  to: string | null;
  lastUpdate: string;
}

export interface SourceSummary {
  kind: string;
  id: string | null;
  count: number;
  lastUpdate: string;
  doctypes: DoctypeSummary[];
}

export interface SeriesSummary {
  doctype: string;
  points: number;
  from: string | null;
  to: string | null;
}

export interface SpaceSummary {
  sources: SourceSummary[];
  series: SeriesSummary[];
}

export interface LoginField {
  name: string;
  label: Bilingual;
  secret: boolean;
}

export interface ConnectorManifest {
  id: string;
  name: string;
  version: string;
  description?: Bilingual;
  holder: { name: string; url: string };
  doctypes: { doctype: string; verbs: string[]; reason?: Bilingual }[];
  auth: { kind: 'login'; fields: LoginField[] } | { kind: 'oauth' } | { kind: 'redirect' };
  schedule: { frequency: 'hourly' | 'daily' | 'weekly' };
  purpose: { code: string; text: Bilingual };
  retention: string;
}

export interface Installation {
  connector: string;
  grant: string;
  grantStatus: string;
  origin: string | null;
  installedAt: string;
  credentials: { kind: string; label: string; updatedAt: string } | null;
  attention: { code: string; since: string; run: string } | null;
  running: { run: string; until: string } | null;
  lastRun: { id: string; outcome: string; code: string | null; endedAt: string } | null;
  question: { prompt: string; deadline: string; run: string } | null;
}

export interface ConnectorListing {
  manifest: ConnectorManifest;
  installed: Installation | null;
}

export interface RunCounts {
  created: number;
  updated: number;
  unchanged: number;
  kept: number;
}

export interface RunRecord {
  id: string;
  connector: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  counts: Record<string, RunCounts>;
  error: { code: string; message: string; retry: 'person' | 'backoff' | 'next' } | null;
}

export interface ImportCounts extends RunCounts {
  deleted: number;
  points: number;
}

export interface ImportReport {
  id: string;
  file: string;
  size: number | null;
  format: { id: string; title: string };
  encoding: string;
  status: 'previewed' | 'imported' | 'failed';
  counts: Record<string, ImportCounts>;
  records: number;
  warnings: { line?: number; message: string }[];
  warningCount: number;
  sample: Record<string, unknown[]>;
  details?: Record<string, unknown>;
  finishedAt: string;
  error?: { code: string; message: string };
}

export interface ImportOutcome {
  file: string;
  status: 'imported' | 'previewed' | 'failed' | 'skipped';
  report?: ImportReport;
  error?: { code: string; message: string; details?: unknown };
}

export interface GrantVersionView {
  version: number;
  consentText: Bilingual;
  consentHash: string;
}

export interface GrantRecord {
  id: string;
  status: string;
  pending: GrantVersionView | null;
  active: GrantVersionView | null;
}

export interface DocMeta {
  createdAt: string;
  updatedAt: string;
  createdBy: { kind: string; id?: string; via?: string; importer?: string };
  updatedBy: { kind: string; id?: string; via?: string; importer?: string };
  source: { kind: string; holder?: string; account?: string; file?: string; importer?: string };
  collectedAt?: string;
}

export interface StoredDoc {
  _id: string;
  _rev: string;
  _meta?: DocMeta;
  [field: string]: unknown;
}
