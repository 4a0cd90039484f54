/**
 * What the scheduler plans from, read from the connector runtime's records: the installed
 * connectors, and per connector its recent run outcomes (the run history) and whether a failure
 * only the person can clear stands (the installation's `attention`). The next run is recomputed
 * from these facts; the scheduler stores no plan.
 */
import type { Installation, RunRecord } from '../connector-records.js';
import type { RunErrorCode } from '../run-errors.js';
import type { ConnectorSchedule } from './connector-schedule.js';

/** How one run ended. Instants are ISO 8601. */
export interface RunOutcome {
  outcome: 'ok' | RunErrorCode;
  endedAt: string;
  /** The holder's Retry-After (or quota reset), as an instant: no run before it. */
  retryAfter?: string;
}

export interface ScheduleFacts {
  /** Recent outcomes, newest first: at least those since the last `ok` (a dozen is always enough). */
  recent: readonly RunOutcome[];
  /**
   * A failure only the person can clear stands (wrong login, consent to renew, unanswered second
   * factor...): no scheduled run. The runtime clears it when they act (a new credential, an explicit run).
   */
  attention: boolean;
  /** When the person last acted on it (a login or connection saved, a second factor answered). */
  actedAt?: string | null;
}

/** One connector installed in one space. */
export interface InstalledConnector {
  space: string;
  connectorId: string;
  schedule: ConnectorSchedule;
  /** The space's IANA time zone: windows are in its local time. */
  timeZone: string;
  /** Where in its period it runs, in [0, 1): set by the scheduler (`spreadPhases`); else its plain hash. */
  phase?: number;
}

/** A run record as an outcome (`retryAfterSeconds` counted from the run's end). */
export function outcomeOfRun(run: Pick<RunRecord, 'outcome' | 'endedAt' | 'error'>): RunOutcome {
  if (run.outcome === 'succeeded') return { outcome: 'ok', endedAt: run.endedAt };
  const outcome: RunOutcome = { outcome: run.error?.code ?? 'internal', endedAt: run.endedAt };
  const seconds = run.error?.retryAfterSeconds;
  const ended = Date.parse(run.endedAt);
  if (seconds !== undefined && Number.isFinite(ended))
    outcome.retryAfter = new Date(ended + seconds * 1000).toISOString();
  return outcome;
}

/** The facts of an installation and its recent runs (newest first). */
export function scheduleFacts(
  installation: Pick<Installation, 'attention' | 'actedAt'>,
  runs: readonly Pick<RunRecord, 'outcome' | 'endedAt' | 'error'>[],
): ScheduleFacts {
  return {
    recent: runs.map(outcomeOfRun),
    attention: installation.attention !== null,
    actedAt: installation.actedAt,
  };
}
