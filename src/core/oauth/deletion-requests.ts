/**
 * Withdrawal reaching outside the space. When the owner withdraws a grant held by an OAuth client
 * that keeps data on its own servers, Foyer sends the client's registered deletion endpoint a
 * deletion request: a JWT signed with the space's key (grant, client, what to delete, deadline).
 * The request is tracked on the withdrawal's receipt:
 *  - `pending`   sent (or being sent), waiting for the client's confirmation;
 *  - `failed`    the endpoint could not be reached, timed out or refused it; retried later;
 *  - `confirmed` the client posted a confirmation signed with its registered key;
 *  - `overdue`   the deadline passed without a confirmation.
 * Delivery state (attempts, next try, last error) lives in an internal `foyer.oauth-deletion`
 * document, which also keeps a copy of the client's keys, so a confirmation can be checked even
 * after the owner removed the client.
 */
// jose is loaded when a confirmation arrives, not at startup.
import type { createLocalJWKSet, JSONWebKeySet } from 'jose';
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import { NetError, type Net } from '../../platform/net.js';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';
import { randomBase64url } from '../auth/secrets.js';
import { effectiveScopes, type DeletionReceipt, type GrantRecord } from '../grants/grant.js';
import type { GrantService } from '../grants/grant-service.js';
import type { ClientRegistry } from './client-registry.js';
import type { Jwks } from './oauth-client.js';
import { OAuthError } from './oauth-error.js';
import type { SigningKeys } from './signing-keys.js';
import { internalRecords, type InternalRecord } from '../internal-records.js';

export const DELETION_DOCTYPE = 'foyer.oauth-deletion';
export const DELETION_REQUEST_TYPE = 'deletion-request+jwt';
export const CONFIRMATION_PATH = '/oauth/deletion-confirmations';
/** Waits before retrying a failed delivery: after the 1st failure, the 2nd... the last repeats. */
export const RETRY_DELAYS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 6 * 3600_000, 24 * 3600_000];
const CONFIRMATION_ALGS = ['ES256', 'ES384', 'RS256', 'PS256', 'EdDSA'];
const ID = /^[A-Za-z0-9_-]{22}$/;

export type DeletionStatus = 'pending' | 'failed' | 'confirmed' | 'overdue';

export interface DeletionRequest {
  id: string;
  grant: string;
  receipt: string;
  client: string;
  clientName: string;
  issuer: string;
  endpoint: string;
  jwks?: Jwks;
  jwksUri?: string;
  /** What the client got under the grant, hence what it must delete (with what it derived from it). */
  scopes: { doctype: string; verbs: string[] }[];
  requestedAt: string;
  dueBy: string;
  status: DeletionStatus;
  /** The endpoint acknowledged the request (2xx). */
  delivered: boolean;
  attempts: number;
  lastAttemptAt?: string;
  lastError?: string;
  nextAttemptAt?: string;
  confirmedAt?: string;
}

export interface DeletionRequestsDeps {
  store: DocumentStore;
  clock: Clock;
  net: Net;
  keys: SigningKeys;
  clients: ClientRegistry;
  grants: GrantService;
  log: Log;
}

export type DeletionRequests = ReturnType<typeof createDeletionRequests>;

export function createDeletionRequests(deps: DeletionRequestsDeps) {
  const { store, clock, net, keys, clients, grants, log } = deps;
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  /** Deliveries running in this process, by space/id: one at a time per request. */
  const inFlight = new Map<string, Promise<void>>();

  const records = internalRecords<Omit<DeletionRequest, 'id'>>(store, DELETION_DOCTYPE);
  const toRequest = (r: InternalRecord<Omit<DeletionRequest, 'id'>>): DeletionRequest => ({ id: r.id, ...r.data });

  async function read(space: string, id: string): Promise<{ req: DeletionRequest; doc: StoredDocument } | null> {
    const found = ID.test(id) ? await records.get(space, id) : null;
    return found ? { req: toRequest(found), doc: found.doc } : null;
  }

  const write = (space: string, { id, ...data }: DeletionRequest, previous: StoredDocument | null) =>
    records.put(space, id, data, previous, data.requestedAt);

  /** Changes the request and mirrors its status on the grant's receipt. */
  async function update(space: string, id: string, change: (req: DeletionRequest) => DeletionRequest | null) {
    const found = await read(space, id);
    if (!found) return null;
    const next = change(found.req);
    if (!next) return found.req;
    await write(space, next, found.doc);
    if (next.status !== found.req.status || next.confirmedAt !== found.req.confirmedAt) {
      await grants.setRemoteStatus(space, next.grant, next.receipt, {
        status: next.status,
        ...(next.confirmedAt ? { confirmedAt: next.confirmedAt } : {}),
      });
    }
    return next;
  }

  async function deliverOnce(space: string, id: string): Promise<void> {
    const found = await read(space, id);
    if (!found) return;
    const { req } = found;
    if (req.delivered || req.status === 'confirmed' || req.status === 'overdue') return;
    const now = clock.now();
    const jwt = await keys.sign(
      space,
      {
        iss: req.issuer,
        aud: req.client,
        sub: await keys.pairwiseSubject(space, req.client),
        jti: req.id,
        exp: Math.floor(Date.parse(req.dueBy) / 1000),
        grant_id: req.grant,
        deadline: req.dueBy,
        delete: {
          scopes: req.scopes,
          what: 'every piece of data obtained under this grant, and everything derived from it',
        },
        confirm_to: req.issuer + CONFIRMATION_PATH,
      },
      DELETION_REQUEST_TYPE,
    );
    let error: string | null = null;
    try {
      const res = await net.request(req.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/jwt', accept: 'application/json' },
        body: jwt,
      });
      if (res.status < 200 || res.status > 299) error = `the endpoint answered HTTP ${res.status}`;
    } catch (e) {
      if (!(e instanceof NetError)) throw e;
      error = e.message;
    }
    await update(space, id, (r) => {
      if (r.status === 'confirmed' || r.status === 'overdue') return null;
      const attempts = r.attempts + 1;
      if (error === null) {
        const { lastError: _e, nextAttemptAt: _n, ...rest } = r;
        return { ...rest, status: 'pending', delivered: true, attempts, lastAttemptAt: iso(now) };
      }
      const delay = RETRY_DELAYS_MS[Math.min(attempts, RETRY_DELAYS_MS.length) - 1]!;
      return {
        ...r,
        status: 'failed',
        attempts,
        lastAttemptAt: iso(now),
        lastError: error,
        nextAttemptAt: iso(now + delay),
      };
    });
    if (error !== null) log('warn', `deletion request ${id} of grant ${req.grant} failed: ${error}`);
  }

  function deliver(space: string, id: string): Promise<void> {
    const key = `${space}/${id}`;
    const running = inFlight.get(key);
    if (running) return running;
    const run = deliverOnce(space, id)
      .catch((e) => log('error', `deletion request ${id} could not be processed`, e))
      .finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  }

  async function openRequests(space: string): Promise<DeletionRequest[]> {
    const open = await records.find(space, { op: 'in', field: 'status', values: ['pending', 'failed'] }, 1000);
    return open.map(toRequest);
  }

  /**
   * Marks requests past their deadline overdue, and retries failed deliveries that are due
   * (waiting for them only when asked: a listing should not wait for a slow endpoint).
   */
  async function sweep(space: string, wait = true): Promise<void> {
    const now = clock.now();
    for (const req of await openRequests(space)) {
      if (Date.parse(req.dueBy) <= now) {
        await update(space, req.id, (r) =>
          r.status === 'pending' || r.status === 'failed' ? { ...r, status: 'overdue' } : null,
        );
      } else if (!req.delivered && (!req.nextAttemptAt || Date.parse(req.nextAttemptAt) <= now)) {
        const sent = deliver(space, req.id);
        if (wait) await sent;
      }
    }
  }

  async function keySet(req: DeletionRequest): Promise<ReturnType<typeof createLocalJWKSet>> {
    const { createLocalJWKSet } = await import('jose');
    if (req.jwks) return createLocalJWKSet(req.jwks as JSONWebKeySet);
    try {
      const res = await net.request(req.jwksUri!, { method: 'GET', headers: { accept: 'application/json' } });
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
      return createLocalJWKSet(JSON.parse(res.body) as JSONWebKeySet);
    } catch {
      throw new OAuthError('temporarily_unavailable', 'The client’s jwks_uri could not be read; try again later.');
    }
  }

  return {
    /** The grant service's `afterWithdraw`: records the request and starts sending it. */
    async afterWithdraw(space: string, grant: GrantRecord, receipt: DeletionReceipt): Promise<void> {
      try {
        if (!receipt.remote || grant.grantee.kind !== 'client') return;
        const client = await clients.get(space, grant.grantee.id);
        if (!client?.deletionEndpoint) return;
        const consented = [grant.active, ...grant.history].filter((v) => v?.decision?.outcome === 'accepted');
        const scopes = new Map<string, Set<string>>();
        for (const v of consented) {
          for (const s of effectiveScopes(v!)) {
            const verbs = scopes.get(s.doctype) ?? new Set<string>();
            s.verbs.forEach((verb) => verbs.add(verb));
            scopes.set(s.doctype, verbs);
          }
        }
        const req: DeletionRequest = {
          id: randomBase64url(16),
          grant: grant.id,
          receipt: receipt.id,
          client: client.id,
          clientName: client.name,
          issuer: client.issuer,
          endpoint: client.deletionEndpoint,
          ...(client.jwks ? { jwks: client.jwks } : {}),
          ...(client.jwksUri ? { jwksUri: client.jwksUri } : {}),
          scopes: [...scopes].map(([doctype, verbs]) => ({ doctype, verbs: [...verbs] })),
          requestedAt: receipt.remote.requestedAt,
          dueBy: receipt.remote.dueBy,
          status: 'pending',
          delivered: false,
          attempts: 0,
        };
        await write(space, req, null);
        void deliver(space, req.id);
      } catch (e) {
        log('error', `could not record the deletion request of grant ${grant.id}`, e);
      }
    },

    /**
     * A client's confirmation: a JWT signed with one of its registered keys, `iss` its client id,
     * `aud` the issuer that asked, `request_id` the request's `jti`, `grant_id` the grant. Anything
     * else is refused and changes nothing. A repeated or late confirmation is accepted.
     */
    async confirm(space: string, jwt: string): Promise<DeletionRequest> {
      const { decodeJwt, jwtVerify, errors: joseErrors } = await import('jose');
      let requestId: unknown;
      try {
        requestId = decodeJwt(jwt).request_id;
      } catch {
        throw new OAuthError('invalid_request', 'The body must be a signed JWT (application/jwt).');
      }
      const found = typeof requestId === 'string' ? await read(space, requestId) : null;
      if (!found) throw new OAuthError('invalid_token', 'This confirmation names no deletion request of this space.');
      const { req } = found;
      let claims;
      try {
        ({ payload: claims } = await jwtVerify(jwt, await keySet(req), {
          issuer: req.client,
          audience: req.issuer,
          algorithms: CONFIRMATION_ALGS,
          requiredClaims: ['iat', 'exp'],
          currentDate: new Date(clock.now()),
        }));
      } catch (e) {
        if (e instanceof OAuthError) throw e;
        if (e instanceof joseErrors.JOSEError) {
          throw new OAuthError('invalid_token', `The confirmation does not verify: ${e.code}.`);
        }
        throw e;
      }
      if (claims.grant_id !== req.grant) {
        throw new OAuthError('invalid_token', 'The confirmation names another grant than the request.');
      }
      if (req.status === 'confirmed') return req;
      const at = iso();
      const next = await update(space, req.id, (r) => {
        const { nextAttemptAt: _n, ...rest } = r;
        return { ...rest, status: 'confirmed', confirmedAt: at };
      });
      return next!;
    },

    /** The space's deletion requests, newest first, after bringing their status up to date. */
    async list(space: string): Promise<DeletionRequest[]> {
      await sweep(space, false);
      return (await records.all(space))
        .map(toRequest)
        .sort((a, b) => (a.requestedAt < b.requestedAt ? 1 : a.requestedAt > b.requestedAt ? -1 : 0));
    },

    sweep: (space: string) => sweep(space, true),

    /** Waits for the deliveries started in this process (tests, shutdown). */
    async settled(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },
  };
}
