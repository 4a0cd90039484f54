/**
 * Grants for HTTP tests: ask, accept and take tokens through the real API, as the owner's UI
 * would, so every test of a grantee starts from a grant made the way a person makes one.
 */
import type { GrantTerms, Grantee } from '../core/grants/grant.js';
import { jsonBody, type JsonBody } from './json-body.js';
import type { TestFoyer } from './test-foyer.js';

export const testGrantee: Grantee = { kind: 'app', id: 'mon-budget', name: 'Mon budget', publisher: 'Foyer tests' };

/** Terms with sensible defaults: read bank transactions, for a year, staying in the space. */
export function testTerms(over: Partial<GrantTerms> = {}, now = Date.now()): GrantTerms {
  return {
    scopes: [{ doctype: 'bank.transaction', verbs: ['read'] }],
    purpose: { code: 'personal-insight', text: { en: 'Chart your spending.', fr: 'Suivre vos dépenses.' } },
    storage: { kind: 'space' },
    retention: 'P1Y',
    validUntil: new Date(now + 365 * 24 * 3600 * 1000).toISOString(),
    onWithdraw: 'delete',
    ...over,
  };
}

export interface TestGrant {
  id: string;
  accessToken: string;
  refreshToken: string;
  grant: JsonBody;
}

async function ok(res: Response, what: string): Promise<JsonBody> {
  const body = await jsonBody(res);
  if (!res.ok) throw new Error(`${what}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

/** Asks for a grant as the owner (the default token of `f` must be the owner's). */
export async function requestGrant(f: TestFoyer, terms: GrantTerms, grantee: Grantee = testGrantee): Promise<JsonBody> {
  return ok(await f.request('/api/grants', { method: 'POST', json: { grantee, terms } }), 'request grant');
}

export async function acceptGrant(f: TestFoyer, grant: JsonBody, omit?: number[]): Promise<JsonBody> {
  const pending = grant.pending as JsonBody;
  return ok(
    await f.request(`/api/grants/${grant.id}/accept`, {
      method: 'POST',
      json: { version: pending.version, consentHash: pending.consentHash, language: 'fr', ...(omit ? { omit } : {}) },
    }),
    'accept grant',
  );
}

/** Request, accept and issue tokens: an active grant and its tokens. */
export async function activeGrant(
  f: TestFoyer,
  terms: GrantTerms,
  grantee: Grantee = testGrantee,
  omit?: number[],
): Promise<TestGrant> {
  const asked = await requestGrant(f, terms, grantee);
  const grant = await acceptGrant(f, asked, omit);
  const tokens = await ok(await f.request(`/api/grants/${grant.id}/tokens`, { method: 'POST' }), 'issue tokens');
  return {
    id: grant.id as string,
    accessToken: tokens.accessToken as string,
    refreshToken: tokens.refreshToken as string,
    grant,
  };
}
