/**
 * A grant: the only way anything but the owner touches a person's data (DESIGN §2). A grant is
 * a record with the terms the owner consented to (`active`), possibly a newer version waiting
 * for consent (`pending`), and the history of every version and act. Stored in the space as an
 * internal document (`foyer.grant`), so it travels with the space's data (export, deletion).
 */
import type { Verb } from '../gate.js';

export const GRANT_DOCTYPE = 'foyer.grant';
/** One small record per grant: the revision of the grant in force (read on every request). */
export const GRANT_STATE_DOCTYPE = 'foyer.grant-state';

export type GranteeKind = 'app' | 'service' | 'connector' | 'client' | 'collective' | 'person';

export interface Grantee {
  kind: GranteeKind;
  /** Stable id of the grantee (app id, connector id, OAuth client id...). */
  id: string;
  /** What the person sees ("Mon logis", "EDF connector"). */
  name: string;
  publisher?: string;
  /** Where an outside recipient accepts deletion requests (OAuth clients). */
  deletionEndpoint?: string;
}

export interface Scope {
  doctype: string;
  verbs: Verb[];
  /** Mango-like selector the grantee's documents must match (JSON as given). */
  filter?: Record<string, unknown>;
  /** The only fields the grantee sees and writes (dotted paths). */
  fields?: string[];
  /** The owner may deselect an optional scope and still accept the rest. */
  optional?: boolean;
  /** Why the grantee needs this scope, in the grantee's words. */
  reason?: { en: string; fr: string };
}

export type Storage = { kind: 'space' } | { kind: 'recipient'; name: string; country?: string; url?: string };

export interface GrantTerms {
  scopes: Scope[];
  purpose: { code: string; text: { en: string; fr: string } };
  storage: Storage;
  /** ISO 8601 duration the grantee may keep what it derives. */
  retention: string;
  /** ISO instant when the consent lapses and must be renewed. */
  validUntil: string;
  onWithdraw: 'delete' | 'keep';
}

export interface ConsentText {
  en: string;
  fr: string;
}

/** One version of the terms, as asked and as decided. */
export interface GrantVersion {
  version: number;
  terms: GrantTerms;
  consentText: ConsentText;
  /** sha256 hex of the consent text (see `consentHash`). */
  consentHash: string;
  requestedAt: string;
  requestedBy: 'owner' | 'grantee' | 'system';
  decision?: {
    outcome: 'accepted' | 'refused';
    at: string;
    /** Language of the text the owner read. */
    language: 'en' | 'fr';
    /** Indexes (in `terms.scopes`) of optional scopes the owner deselected. */
    omitted: number[];
  };
}

export interface DeletionReceipt {
  id: string;
  at: string;
  choice: 'delete' | 'keep';
  /** Per doctype: documents (or points, or files) deleted. */
  deleted: { doctype: string; kind: 'documents' | 'points' | 'files'; count: number }[];
  /** For recipients outside the space: the request sent to them and its state. */
  remote?: {
    endpoint: string;
    status: 'pending' | 'confirmed' | 'overdue' | 'failed';
    requestedAt: string;
    dueBy: string;
    confirmedAt?: string;
  };
}

export type GrantStatus = 'pending' | 'active' | 'expired' | 'withdrawn' | 'refused';

export interface GrantRecord {
  id: string;
  grantee: Grantee;
  createdAt: string;
  /** The terms in force (consented), or null before the first consent. */
  active: GrantVersion | null;
  /** A version waiting for the owner's decision. */
  pending: GrantVersion | null;
  /** Every earlier version, decided or superseded, oldest first. */
  history: GrantVersion[];
  withdrawnAt?: string;
  /** What the owner chose at withdrawal (so an interrupted withdrawal resumes the same way). */
  withdrawChoice?: 'delete' | 'keep';
  receipts: DeletionReceipt[];
  /** Bumped to kill every access token of the grant at once (revocation). */
  tokenEpoch: number;
}

/** Status at `now`: withdrawal wins; then consented terms (active or expired); else pending or refused. */
export function grantStatus(grant: GrantRecord, now: number): GrantStatus {
  if (grant.withdrawnAt) return 'withdrawn';
  if (grant.active) return Date.parse(grant.active.terms.validUntil) > now ? 'active' : 'expired';
  return grant.pending ? 'pending' : 'refused';
}

/** The scopes in force: the active version's, minus those the owner deselected. */
export function effectiveScopes(version: GrantVersion): Scope[] {
  const omitted = new Set(version.decision?.omitted ?? []);
  return version.terms.scopes.filter((_, i) => !omitted.has(i));
}
