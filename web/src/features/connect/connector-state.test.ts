import { describe, expect, it } from 'vitest';
import type { ConnectorListing, Installation } from '../../api/types.js';
import { connectorState } from './connector-state.js';

const manifest = { id: 'bank', holder: { name: 'Banque' } } as ConnectorListing['manifest'];
const base: Installation = {
  connector: 'bank',
  grant: 'g1',
  grantStatus: 'active',
  origin: null,
  installedAt: '2026-03-01T00:00:00Z',
  credentials: { kind: 'login', label: 'me', updatedAt: '2026-03-01T00:00:00Z' },
  attention: null,
  running: null,
  lastRun: { id: 'r1', outcome: 'succeeded', code: null, endedAt: '2026-03-02T00:00:00Z' },
  question: null,
};
const state = (installed: Partial<Installation> | null) =>
  connectorState({ manifest, installed: installed === null ? null : { ...base, ...installed } });

describe('connectorState', () => {
  it('is OK after a successful run with an active grant and a login', () => {
    expect(state({})).toEqual({ status: 'ok', action: null, code: null });
  });
  it('is not installed without an installation', () => {
    expect(state(null).status).toBe('not-installed');
  });
  it('asks to accept or renew the consent before anything else', () => {
    expect(state({ grantStatus: 'pending', lastRun: null })).toMatchObject({
      status: 'action',
      action: 'accept-consent',
    });
    expect(state({ grantStatus: 'expired' })).toMatchObject({ status: 'action', action: 'renew-consent' });
  });
  it('asks for the password again after the holder refused the login', () => {
    expect(state({ attention: { code: 'login_failed', since: 'x', run: 'r' } })).toEqual({
      status: 'action',
      action: 're-enter-login',
      code: 'login_failed',
    });
  });
  it('asks to connect when no login is stored, and for a first run when none happened', () => {
    expect(state({ credentials: null }).action).toBe('connect');
    expect(state({ lastRun: null }).action).toBe('first-run');
  });
  it('is failing after a failed run, waiting when Foyer retries by itself', () => {
    expect(state({ lastRun: { id: 'r', outcome: 'failed', code: 'holder_unavailable', endedAt: 'x' } })).toEqual({
      status: 'failing',
      action: 'wait',
      code: 'holder_unavailable',
    });
    expect(state({ lastRun: { id: 'r', outcome: 'failed', code: 'holder_format_changed', endedAt: 'x' } }).action).toBe(
      'update',
    );
  });
  it('says it is collecting while a run is in flight', () => {
    expect(state({ running: { run: 'r', until: 'x' } }).status).toBe('running');
  });
});
