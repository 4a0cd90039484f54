/**
 * The OAuth2 / OpenID Connect provider's parts, made together: clients, codes, the space's
 * signing keys, the provider itself and the deletion requests sent on withdrawal; plus the
 * periodic sweep (overdue deletions, failed deliveries to retry, old codes).
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../../platform/clock.js';
import type { Log } from '../../platform/logger.js';
import type { Net } from '../../platform/net.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { FoyerError, isFoyerError } from '../errors.js';
import type { GrantService } from '../grants/grant-service.js';
import type { SpaceKeys } from '../keys/space-keys.js';
import type { RequestContext } from '../principal.js';
import { createAuthorizationCodes } from './authorization-codes.js';
import { createClientRegistry } from './client-registry.js';
import { createDeletionRequests } from './deletion-requests.js';
import { createOAuthProvider } from './oauth-provider.js';
import { createSigningKeys } from './signing-keys.js';

export interface OAuthDeps {
  store: DocumentStore;
  catalog: Catalog;
  clock: Clock;
  grants: GrantService;
  /** The spaces' data keys, which the signing keys are stored wrapped under. */
  spaceKeys: SpaceKeys;
  net: Net;
  log: Log;
}

export type OAuth = ReturnType<typeof createOAuth>;

export function createOAuth(deps: OAuthDeps) {
  const { store, catalog, clock, grants, spaceKeys, net, log } = deps;
  const clients = createClientRegistry({ store, catalog, clock });
  const codes = createAuthorizationCodes({ store, clock });
  const keys = createSigningKeys({ store, keys: spaceKeys, clock });
  const provider = createOAuthProvider({ clock, grants, clients, codes, keys });
  const deletions = createDeletionRequests({ store, clock, net, keys, clients, grants, log });

  async function sweepAll(): Promise<void> {
    for (const space of await store.listSpaces()) {
      await deletions.sweep(space.id);
      await codes.sweep(space.id);
    }
  }

  return {
    clients,
    codes,
    keys,
    provider,
    deletions,
    sweepAll,
    /**
     * The owner removes a client: its grant is withdrawn if it was ever consented (tokens die, and
     * a deletion request goes out), or refused if still waiting; then the client is gone.
     */
    async removeClient(ctx: RequestContext, id: string): Promise<void> {
      const client = await clients.get(ctx.space, id);
      if (!client) throw new FoyerError('not_found', `No OAuth client "${id}".`, { id });
      const grant = client.grant
        ? await grants.get(ctx, client.grant).catch((e) => {
            if (isFoyerError(e) && e.code === 'not_found') return null;
            throw e;
          })
        : null;
      if (grant?.status === 'active' || grant?.status === 'expired') await grants.withdraw(ctx, grant.id);
      else if (grant?.status === 'pending') await grants.refuse(ctx, grant.id);
      await clients.remove(ctx.space, id);
    },
    /** Sweeps every `intervalMs` until the returned function is called; never keeps the process alive. */
    startSweeps(intervalMs: number): () => void {
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        sweepAll()
          .catch((e) => log('error', 'the OAuth sweep failed', e))
          .finally(() => (running = false));
      }, intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
