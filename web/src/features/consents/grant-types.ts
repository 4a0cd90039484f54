/** Grants as `GET /api/grants` answers them (docs/consent.md); only what the screen reads. */
export type Lang = 'en' | 'fr';
export type Verb = 'read' | 'create' | 'update' | 'delete';

export interface Scope {
  doctype: string;
  verbs: Verb[];
  filter?: Record<string, unknown>;
  fields?: string[];
  optional?: boolean;
  reason?: { en: string; fr: string };
}

export interface GrantTerms {
  scopes: Scope[];
  purpose: { code: string; text: { en: string; fr: string } };
  storage: { kind: 'space' } | { kind: 'recipient'; name: string; country?: string; url?: string };
  retention: string;
  validUntil: string;
  onWithdraw: 'delete' | 'keep';
}

export interface GrantVersion {
  version: number;
  terms: GrantTerms;
  consentText: { en: string; fr: string };
  consentHash: string;
  requestedAt: string;
  requestedBy: 'owner' | 'grantee' | 'system';
  decision?: { outcome: 'accepted' | 'refused'; at: string; language: Lang; omitted: number[] };
}

export interface DeletionReceipt {
  id: string;
  at: string;
  choice: 'delete' | 'keep';
  deleted: { doctype: string; kind: 'documents' | 'points' | 'files'; count: number }[];
  remote?: {
    endpoint: string;
    status: 'pending' | 'confirmed' | 'overdue' | 'failed';
    requestedAt: string;
    dueBy: string;
    confirmedAt?: string;
  };
}

export type GrantStatus = 'pending' | 'active' | 'expired' | 'withdrawn' | 'refused';

export interface Grantee {
  kind: 'app' | 'service' | 'connector' | 'client' | 'collective' | 'person';
  id: string;
  name: string;
  publisher?: string;
}

export interface GrantView {
  id: string;
  grantee: Grantee;
  createdAt: string;
  status: GrantStatus;
  scopes: Scope[];
  needsRenewal: boolean;
  active: GrantVersion | null;
  pending: GrantVersion | null;
  history: GrantVersion[];
  withdrawnAt?: string;
  receipts: DeletionReceipt[];
}
