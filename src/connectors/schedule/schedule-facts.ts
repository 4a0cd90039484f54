/**
 * What the scheduler plans from, agreed with the connector runtime: the installed connectors, and
 * per connector its recent run outcomes (from the runtime's run history) and the person's last
 * action on it. The next run is recomputed from these facts; the scheduler stores no plan.
 */
import type { ConnectorSchedule } from './connector-schedule.js';

/** The runtime's error taxonomy (how a run can end besides `ok`). */
export const RUN_ERROR_CODES = [
  'login_failed',
  'user_action_needed',
  'second_factor_needed',
  'holder_unavailable',
  'holder_format_changed',
  'quota',
  'internal',
  'time_limit',
  'memory_limit',
] as const;

export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

/** How one run ended, as the run history records it. Instants are ISO 8601. */
export interface RunOutcome {
  outcome: 'ok' | RunErrorCode;
  endedAt: string;
  /** The holder's Retry-After (or quota reset), as an instant: no run before it. */
  retryAfter?: string;
  /** `second_factor_needed`: until when the person may answer. */
  deadline?: string;
}

export interface ScheduleFacts {
  /** Recent outcomes, newest first: at least those since the last `ok` (a dozen is always enough). */
  recent: readonly RunOutcome[];
  /**
   * When the person last acted on this connector: saved a new credential, answered a second factor.
   * (An explicit run needs no mention here: its outcome is in `recent`.)
   */
  actedAt?: string | null;
}

/** One connector installed in one space. */
export interface InstalledConnector {
  space: string;
  connectorId: string;
  schedule: ConnectorSchedule;
  /** The space's IANA time zone: daily windows are in its local time. */
  timeZone: string;
}
