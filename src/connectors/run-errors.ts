/**
 * The fixed error taxonomy of connector runs (docs/connectors.md, "Errors"): the codes a connector
 * throws, plus the ones the runtime decides (limits, a forbidden act, a cancellation). Each code
 * has one meaning, one message for the person, and one retry rule the scheduler follows. Codes are
 * stable: runs stored years ago keep meaning the same.
 */
import { CONNECTOR_ERROR_CODES, type ConnectorErrorCode } from './sdk.js';

export const RUN_ERROR_CODES = [
  ...CONNECTOR_ERROR_CODES,
  /** The run outlived its manifest's time limit and was stopped. */
  'time_limit',
  /** The run outgrew its manifest's memory limit (or its record limit) and was stopped. */
  'memory_limit',
  /** The connector tried something outside its manifest or grant (undeclared host, file, socket, doctype). */
  'not_allowed',
  /** Stopped from outside (Foyer shutting down, the connector uninstalled). */
  'cancelled',
] as const;

export type RunErrorCode = (typeof RUN_ERROR_CODES)[number];

/**
 * What the scheduler does after a failure: `person` = no scheduled run until the person acts
 * (new login, consent, answer); `backoff` = retry later, exponentially (after `retryAfterSeconds`
 * when given); `next` = simply at the next scheduled time.
 */
export type RetryRule = 'person' | 'backoff' | 'next';

interface RunErrorInfo {
  retry: RetryRule;
  /** The message the person reads, naming the holder: what happened and what to do. */
  message: (holder: string) => string;
}

export const RUN_ERRORS: Readonly<Record<RunErrorCode, RunErrorInfo>> = {
  login_failed: {
    retry: 'person',
    message: (h) =>
      `${h} refused the login. Check your username and password at ${h}, then enter them again in Foyer; ` +
      'automatic collection is paused until then.',
  },
  user_action_needed: {
    retry: 'person',
    message: (h) =>
      `${h} needs you to act before Foyer can collect your data (log in at ${h} to accept its terms, renew your ` +
      'consent, or connect again). Automatic collection is paused until then.',
  },
  second_factor_needed: {
    retry: 'person',
    message: (h) =>
      `${h} asked for a second factor (a code sent to you) and no answer came in time. Run the connector again ` +
      'and answer when asked.',
  },
  holder_unavailable: {
    retry: 'backoff',
    message: (h) => `${h} did not answer or had a failure on its side. Foyer will try again later; nothing to do.`,
  },
  holder_format_changed: {
    retry: 'next',
    message: (h) =>
      `${h} changed the format of its data and this connector does not read it any more. Nothing was written; ` +
      'the connector needs an update. Foyer keeps trying at the usual times.',
  },
  quota: {
    retry: 'backoff',
    message: (h) =>
      `${h} limits how often its data can be fetched and the limit is reached. Foyer will try again later.`,
  },
  internal: {
    retry: 'backoff',
    message: () => 'The connector failed unexpectedly. Nothing was written. Foyer will try again later.',
  },
  time_limit: {
    retry: 'backoff',
    message: () => 'The connector took longer than it is allowed and was stopped. Nothing was written.',
  },
  memory_limit: {
    retry: 'backoff',
    message: () => 'The connector used more memory than it is allowed and was stopped. Nothing was written.',
  },
  not_allowed: {
    retry: 'person',
    message: () =>
      'The connector tried to do something it is not allowed to (reach an undeclared server, read files, or ' +
      'write data you did not grant) and was stopped. Nothing was written. Update or uninstall it.',
  },
  cancelled: {
    retry: 'next',
    message: () => 'The run was stopped before it finished. Nothing was written.',
  },
};

export const isConnectorErrorCode = (code: unknown): code is ConnectorErrorCode =>
  typeof code === 'string' && (CONNECTOR_ERROR_CODES as readonly string[]).includes(code);

/** A run's failure as the runtime carries it to the run's end: code, and the detail (already masked). */
export class RunFailure extends Error {
  readonly code: RunErrorCode;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: RunErrorCode, detail: string, retryAfterSeconds?: number) {
    super(detail);
    this.name = 'RunFailure';
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A failed `ctx` call the connector receives (it may handle it): not the run's end by itself. */
export class CapabilityError extends RunFailure {
  declare readonly code: ConnectorErrorCode;
  constructor(code: ConnectorErrorCode, message: string, retryAfterSeconds?: number) {
    super(code, message, retryAfterSeconds);
    this.name = 'CapabilityError';
  }
}
