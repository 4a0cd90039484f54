/**
 * What the runtime keeps in the space, as internal documents the data API never serves: one
 * installation per connector (its grant, cursor, state) and one record per run (the run history).
 */
import type { RetryRule, RunErrorCode } from './run-errors.js';

/** Internal doctype: one record per installed connector, id = connector id. */
export const INSTALLATION_DOCTYPE = 'foyer.connector';
/** Internal doctype: the run history, one record per run. */
export const RUN_DOCTYPE = 'foyer.connector-run';
/** Internal doctype: a second factor a running connector waits for, id = connector id. */
export const QUESTION_DOCTYPE = 'foyer.connector-question';

export interface Installation {
  connector: string;
  /** The connector version the grant was asked for. */
  version: string;
  grant: string;
  /** Another server of the same API (a simulated holder), or null for the manifest's. */
  origin: string | null;
  installedAt: string;
  /** Where the last good run stopped (JSON), null before the first. */
  cursor: unknown;
  /** Vault ref of its login or OAuth tokens, null until given. */
  credential: string | null;
  /** A failure only the person can clear (login, consent, answer): scheduled runs wait for them. */
  attention: { code: RunErrorCode; since: string; run: string } | null;
  /** The run holding the installation, until it ends (or `until`, should its process die). */
  running: { run: string; until: string } | null;
  lastRun: RunSummary | null;
  /** When the person last acted on it (login or connection saved, second factor answered): the scheduler resumes after. */
  actedAt: string | null;
}

export interface RunSummary {
  id: string;
  outcome: 'succeeded' | 'failed';
  code: RunErrorCode | null;
  endedAt: string;
}

export interface DoctypeCounts {
  created: number;
  updated: number;
  unchanged: number;
  /** Left as the person made them: edited or deleted by them since it was collected. */
  kept: number;
}

export const emptyCounts = (): DoctypeCounts => ({ created: 0, updated: 0, unchanged: 0, kept: 0 });

export interface RunError {
  code: RunErrorCode;
  /** For the person: what happened and what to do (RUN_ERRORS). */
  message: string;
  /** What the connector or the runtime said, credentials masked. */
  detail: string;
  retry: RetryRule;
  retryAfterSeconds?: number;
}

export type RunTrigger = 'manual' | 'schedule';

export interface RunRecord {
  id: string;
  connector: string;
  version: string;
  trigger: RunTrigger;
  backfill: boolean;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  outcome: 'succeeded' | 'failed';
  /** Per doctype; points count like documents (same stream and time = the same point). */
  counts: Record<string, DoctypeCounts>;
  /** Calls per host: made, and refused (undeclared). */
  calls: Record<string, { allowed: number; denied: number }>;
  error: RunError | null;
  /** The connector's `ctx.log` lines, credentials masked (at most 50; `logsDropped` counts the rest). */
  logs: string[];
  logsDropped: number;
}
