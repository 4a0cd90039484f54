/**
 * The space's OAuth clients: registered by themselves (pending until the owner decides) or by the
 * owner (approved at once), listed, approved or rejected, removed; and authenticated at the token
 * and revocation endpoints.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';
import type { Clock } from '../../platform/clock.js';
import { FoyerError } from '../errors.js';
import { constantTimeEqual, randomBase64url, sha256Hex } from '../auth/secrets.js';
import {
  checkClientMetadata,
  CLIENT_DOCTYPE,
  type ClientAuthMethod,
  type ClientMetadata,
  type OAuthClient,
} from './oauth-client.js';
import { OAuthError } from './oauth-error.js';
import { internalRecords, type InternalRecord } from '../internal-records.js';

/** Self-registered clients waiting for the owner: more are refused, so registration cannot flood a space. */
export const MAX_PENDING_CLIENTS = 100;
const CLIENT_ID = /^fc_[A-Za-z0-9_-]{22}$/;
const SECRET_PREFIX = 'foyer_cs_';

/** How a request to the token or revocation endpoint presents its client. */
export interface ClientCredentials {
  clientId: string;
  secret?: string;
  /** How the secret came: `client_secret_basic` (Authorization header), `client_secret_post` (form), or none. */
  method: ClientAuthMethod;
}

export function createClientRegistry(deps: { store: DocumentStore; catalog: Catalog; clock: Clock }) {
  const { store, catalog, clock } = deps;
  const iso = () => new Date(clock.now()).toISOString();

  const records = internalRecords<Omit<OAuthClient, 'id'>>(store, CLIENT_DOCTYPE);
  const toClient = (r: InternalRecord<Omit<OAuthClient, 'id'>>): OAuthClient => ({ id: r.id, ...r.data });

  async function read(space: string, id: string): Promise<{ client: OAuthClient; doc: StoredDocument } | null> {
    const found = CLIENT_ID.test(id) ? await records.get(space, id) : null;
    return found ? { client: toClient(found), doc: found.doc } : null;
  }

  const write = (space: string, { id, ...data }: OAuthClient, previous: StoredDocument | null) =>
    records.put(space, id, data, previous, data.createdAt);

  async function mustRead(space: string, id: string) {
    const found = await read(space, id);
    if (!found) throw new FoyerError('not_found', `No OAuth client "${id}".`, { id });
    return found;
  }

  return {
    /**
     * A new client. Registered by itself it is `pending`; by the owner, `approved`. Answers the
     * secret once (confidential clients); only its SHA-256 is kept.
     */
    async register(
      space: string,
      meta: ClientMetadata,
      by: { registeredBy: 'client' | 'owner'; issuer: string },
    ): Promise<{ client: OAuthClient; secret?: string }> {
      checkClientMetadata(catalog, meta, clock.now());
      if (by.registeredBy === 'client') {
        const pending = await records.find(space, { op: 'eq', field: 'status', value: 'pending' }, MAX_PENDING_CLIENTS);
        if (pending.length >= MAX_PENDING_CLIENTS) {
          throw new OAuthError(
            'temporarily_unavailable',
            'Too many clients are waiting for the owner’s approval here; try again later.',
            429,
          );
        }
      }
      const secret = meta.authMethod === 'none' ? undefined : SECRET_PREFIX + randomBase64url(32);
      const at = iso();
      const client: OAuthClient = {
        id: 'fc_' + randomBase64url(16),
        ...meta,
        status: by.registeredBy === 'owner' ? 'approved' : 'pending',
        registeredBy: by.registeredBy,
        issuer: by.issuer,
        createdAt: at,
        ...(by.registeredBy === 'owner' ? { decidedAt: at } : {}),
        ...(secret ? { secretHash: sha256Hex(secret) } : {}),
      };
      await write(space, client, null);
      return { client, ...(secret ? { secret } : {}) };
    },

    async get(space: string, id: string): Promise<OAuthClient | null> {
      return (await read(space, id))?.client ?? null;
    },

    async list(space: string): Promise<OAuthClient[]> {
      return (await records.all(space))
        .map(toClient)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },

    /** The owner's decision on a pending client (an approved one can be removed, not rejected). */
    async decide(space: string, id: string, status: 'approved' | 'rejected'): Promise<OAuthClient> {
      const { client, doc } = await mustRead(space, id);
      if (client.status === status) return client;
      if (client.status !== 'pending') {
        throw new FoyerError(
          'conflict',
          `Client ${id} is already ${client.status}${client.status === 'approved' ? ': remove it to cut its access' : ''}.`,
          { id, status: client.status },
        );
      }
      const next: OAuthClient = { ...client, status, decidedAt: iso() };
      await write(space, next, doc);
      return next;
    },

    /** Remembers the client's grant (one per client and space). */
    async setGrant(space: string, id: string, grant: string): Promise<void> {
      const { client, doc } = await mustRead(space, id);
      if (client.grant === grant) return;
      await write(space, { ...client, grant }, doc);
    },

    async remove(space: string, id: string): Promise<void> {
      await records.remove(space, [(await mustRead(space, id)).doc]);
    },

    /**
     * The approved client these credentials prove, or `invalid_client` (unknown client, wrong or
     * missing secret, another method than the one registered) / `unauthorized_client` (not approved).
     */
    async authenticate(space: string, creds: ClientCredentials): Promise<OAuthClient> {
      const found = await read(space, creds.clientId);
      const fail = () => new OAuthError('invalid_client', 'Client authentication failed.');
      if (!found) throw fail();
      const { client } = found;
      if (client.authMethod === 'none') {
        if (creds.method !== 'none' || creds.secret !== undefined) throw fail();
      } else if (
        creds.method !== client.authMethod ||
        creds.secret === undefined ||
        !client.secretHash ||
        !constantTimeEqual(sha256Hex(creds.secret), client.secretHash)
      ) {
        throw fail();
      }
      if (client.status !== 'approved') {
        throw new OAuthError('unauthorized_client', `This client is ${client.status}: the owner has not approved it.`);
      }
      return client;
    },
  };
}

export type ClientRegistry = ReturnType<typeof createClientRegistry>;
