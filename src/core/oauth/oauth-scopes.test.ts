import { describe, expect, it } from 'vitest';
import type { Scope } from '../grants/grant.js';
import { parseScope, scopesFor, scopeString } from './oauth-scopes.js';

const registered: Scope[] = [
  { doctype: 'bank.transaction', verbs: ['read'], fields: ['date', 'amount'] },
  { doctype: 'bill', verbs: ['read', 'create'], optional: true, reason: { en: 'Bills.', fr: 'Factures.' } },
  { doctype: 'foyer.file', verbs: ['create'] },
];

describe('the scope parameter', () => {
  it('reads openid and <doctype>:<verb> items, ignoring offline_access and extra spaces', () => {
    const s = parseScope('openid  bank.transaction:read offline_access bill:read bill:create foyer.file:create');
    expect(s.openid).toBe(true);
    expect([...s.data].map(([d, v]) => [d, [...v]])).toEqual([
      ['bank.transaction', ['read']],
      ['bill', ['read', 'create']],
      ['foyer.file', ['create']],
    ]);
  });

  it('refuses items that are neither, with invalid_scope', () => {
    for (const bad of ['profile', 'bank.transaction', 'bank.transaction:write', 'Bank:read', ':read', 'bill:read:x']) {
      expect(() => parseScope(`openid ${bad}`), bad).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
    }
    expect(() => parseScope('x'.repeat(5000))).toThrow(expect.objectContaining({ error: 'invalid_scope' }));
  });

  it('maps the items onto the registered scopes, keeping their fields, reasons and optional flags', () => {
    const scopes = scopesFor(registered, parseScope('openid bill:read bank.transaction:read'));
    expect(scopes).toEqual([
      { doctype: 'bank.transaction', verbs: ['read'], fields: ['date', 'amount'] },
      { doctype: 'bill', verbs: ['read'], optional: true, reason: { en: 'Bills.', fr: 'Factures.' } },
    ]);
  });

  it('asks for every registered scope when no data item is given', () => {
    expect(scopesFor(registered, parseScope('openid'))).toEqual(registered);
    expect(scopesFor(registered, parseScope(undefined))).toEqual(registered);
  });

  it('refuses a verb or a doctype the client did not register', () => {
    expect(() => scopesFor(registered, parseScope('bank.transaction:update'))).toThrow(
      expect.objectContaining({ error: 'invalid_scope', message: expect.stringContaining('bank.transaction:update') }),
    );
    expect(() => scopesFor(registered, parseScope('energy.contract:read'))).toThrow(
      expect.objectContaining({ error: 'invalid_scope' }),
    );
  });

  it('writes back what was granted', () => {
    expect(scopeString(true, registered)).toBe('openid bank.transaction:read bill:read bill:create foyer.file:create');
    expect(scopeString(false, [registered[0]!])).toBe('bank.transaction:read');
  });
});
