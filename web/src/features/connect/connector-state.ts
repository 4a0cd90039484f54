/**
 * Where a connector stands, for the person: OK, needs action (with the action), failing, running,
 * from its installation record (grant, login, attention, last run). Home and Connect both say it.
 */
import type { ConnectorListing } from '../../api/types.js';

export type ConnectorStatus = 'ok' | 'action' | 'failing' | 'running' | 'not-installed';

export type ConnectorAction =
  | 'accept-consent'
  | 'renew-consent'
  | 'connect'
  | 're-enter-login'
  | 'act-at-holder'
  | 'run-again'
  | 'first-run'
  | 'update'
  | 'wait';

export interface ConnectorState {
  status: ConnectorStatus;
  /** What the person should do, if anything. */
  action: ConnectorAction | null;
  /** The error code behind a failure or an attention, when there is one. */
  code: string | null;
}

/** Failures that only the person can fix, and what they have to do. */
const ACTION_OF_CODE: Record<string, ConnectorAction> = {
  login_failed: 're-enter-login',
  user_action_needed: 'act-at-holder',
  second_factor_needed: 'run-again',
  not_allowed: 'update',
  holder_format_changed: 'update',
};

export function connectorState(listing: ConnectorListing): ConnectorState {
  const i = listing.installed;
  if (!i) return { status: 'not-installed', action: null, code: null };
  if (i.running) return { status: 'running', action: null, code: null };
  if (i.grantStatus === 'pending') return { status: 'action', action: 'accept-consent', code: null };
  if (i.grantStatus === 'expired') return { status: 'action', action: 'renew-consent', code: null };
  if (i.attention) {
    return { status: 'action', action: ACTION_OF_CODE[i.attention.code] ?? 'act-at-holder', code: i.attention.code };
  }
  if (!i.credentials) return { status: 'action', action: 'connect', code: null };
  if (!i.lastRun) return { status: 'action', action: 'first-run', code: null };
  if (i.lastRun.outcome === 'failed') {
    const code = i.lastRun.code;
    return { status: 'failing', action: (code ? ACTION_OF_CODE[code] : undefined) ?? 'wait', code };
  }
  return { status: 'ok', action: null, code: null };
}
