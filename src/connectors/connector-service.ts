/**
 * Connectors in a space, for the owner (HTTP, CLI) and for Foyer's scheduler: the catalog of
 * connectors with their installed state; install (asks for the connector's grant, pending until
 * the owner accepts it); the login or OAuth connection (into the credential vault); runs and their
 * history; the second factor a run waits for; uninstall (withdraws the grant, forgets the login).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { FoyerError, isFoyerError } from '../core/errors.js';
import type { DeletionReceipt, Grantee } from '../core/grants/grant.js';
import type { GrantView } from '../core/grants/grant-service.js';
import type { RequestContext } from '../core/principal.js';
import type { CredentialInfo } from '../core/vault/credential-vault.js';
import type { RegisteredConnector } from './connector-registry.js';
import { RUN_DOCTYPE, type Installation, type RunRecord } from './connector-records.js';
import { connectionContext, type ConnectionContext } from './connection-flow.js';
import { createHolderNet, type HolderNet } from './holder-net.js';
import { createInstallations, notInstalled } from './installations.js';
import { atOrigin, grantTermsOf, type ConnectorManifest } from './manifest.js';
import { oauthEndpointsOf } from './oauth-discovery.js';
import { exchangeCode, startAuthorization } from './oauth-link.js';
import { RunFailure } from './run-errors.js';
import { ConnectorError } from './sdk.js';
import { createRunner, credentialRef, type RunnerDeps, type RunOptions } from './run-connector.js';
import { createConnectorBundler } from './sandbox/bundle.js';
import { createSecondFactors, type SecondFactorQuestion } from './second-factor.js';

/** What the service needs: the runner's dependencies but its own parts (made here). */
export type ConnectorServiceDeps = Omit<RunnerDeps, 'installations' | 'secondFactors' | 'bundle'>;

export interface InstalledView extends Installation {
  grantStatus: GrantView['status'] | 'missing';
  /** The login or token in the vault (metadata only), or null. */
  credentials: Pick<CredentialInfo, 'kind' | 'label' | 'updatedAt'> | null;
  /** A second factor a run waits for now. */
  question: Pick<SecondFactorQuestion, 'prompt' | 'deadline' | 'run'> | null;
}

export interface ConnectorListing {
  manifest: ConnectorManifest;
  installed: InstalledView | null;
}

/** An OAuth connection in progress: kept in the vault (the PKCE verifier is a secret). */
const oauthRef = (connector: string) => `connector-${connector}-oauth`;
const OAUTH_WAIT_MS = 15 * 60_000;
export const RUNS_DEFAULT_LIMIT = 20;
export const RUNS_MAX_LIMIT = 500;

export type ConnectorService = ReturnType<typeof createConnectorService>;

export function createConnectorService(deps: ConnectorServiceDeps) {
  const { store, clock, grants, vault, registry } = deps;
  const installations = createInstallations(store);
  const secondFactors = createSecondFactors({ store, vault, clock });
  const runner = createRunner({ ...deps, installations, secondFactors, bundle: createConnectorBundler() });
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  function requireOwner(ctx: RequestContext): void {
    const kind = ctx.principal?.kind;
    if (kind !== 'owner' && kind !== 'system') {
      throw new FoyerError('owner_only', 'Only the space’s owner can manage connectors.');
    }
  }

  function connectorOf(id: string): RegisteredConnector {
    const found = registry.get(id);
    if (!found) throw new FoyerError('not_found', `There is no connector "${id}".`, { connector: id });
    return found;
  }

  async function installed(space: string, id: string) {
    const found = await installations.get(space, id);
    if (!found) throw notInstalled(id);
    return found;
  }

  async function forget(space: string, ref: string): Promise<void> {
    await vault.remove(space, ref).catch((e: unknown) => {
      if (!isFoyerError(e) || e.code !== 'not_found') throw e;
    });
  }

  const clearAttention = (space: string, id: string, credential: string) =>
    installations.update(space, id, (inst) => ({ ...inst, credential, attention: null, actedAt: iso() }));

  /** HTTP to the manifest's hosts while the person connects, recorded in the ledger as Foyer's. */
  const holderNet = (space: string, id: string, manifest: ConnectorManifest) =>
    createHolderNet({
      net: deps.net,
      hosts: manifest.hosts,
      record: deps.record,
      space,
      principal: { kind: 'system', reason: `OAuth connection of connector ${id}` },
    });

  /** A call to the holder while the person connects, its failures told to the person. */
  async function holderStep<T>(
    space: string,
    id: string,
    manifest: ConnectorManifest,
    step: (net: HolderNet) => Promise<T>,
  ): Promise<T> {
    const net = holderNet(space, id, manifest);
    try {
      return await step(net);
    } catch (e) {
      if (!(e instanceof RunFailure) && !(e instanceof ConnectorError)) throw e;
      const down = e.code === 'holder_unavailable' || e.code === 'quota';
      throw new FoyerError(down ? 'unavailable' : 'bad_request', e.message);
    } finally {
      await net.flush();
    }
  }

  /** One step of a `redirect` connection. */
  const connectionStep = <T>(
    space: string,
    id: string,
    manifest: ConnectorManifest,
    step: (ctx: ConnectionContext) => Promise<T>,
  ): Promise<T> => holderStep(space, id, manifest, (net) => step(connectionContext(net, manifest.api, clock.now())));

  return {
    registry,

    /** Every connector offered, with its state in this space. */
    async list(ctx: RequestContext): Promise<ConnectorListing[]> {
      requireOwner(ctx);
      const space = ctx.space;
      const all = await installations.all(space);
      const statuses = all.length > 0 ? new Map((await grants.list(ctx)).map((g) => [g.id, g.status])) : new Map();
      const credentials = new Map((await vault.list(space)).map((c) => [c.ref, c]));
      const out: ConnectorListing[] = [];
      for (const { manifest } of registry.list()) {
        const inst = all.find((i) => i.connector === manifest.id);
        if (!inst) {
          out.push({ manifest, installed: null });
          continue;
        }
        const credential = inst.credential ? credentials.get(inst.credential) : undefined;
        const question = await secondFactors.question(space, manifest.id);
        out.push({
          manifest: atOrigin(manifest, inst.origin),
          installed: {
            ...inst,
            grantStatus: statuses.get(inst.grant) ?? 'missing',
            credentials: credential
              ? { kind: credential.kind, label: credential.label, updatedAt: credential.updatedAt }
              : null,
            question: question ? { prompt: question.prompt, deadline: question.deadline, run: question.run } : null,
          },
        });
      }
      return out;
    },

    /**
     * Installs a connector: asks for its grant (pending until the owner accepts the consent text).
     * `origin` points it at another server of the same API (a simulated holder).
     */
    async install(
      ctx: RequestContext,
      id: string,
      options: { origin?: string } = {},
    ): Promise<{ installation: Installation; grant: GrantView }> {
      requireOwner(ctx);
      const { manifest, originRequired } = connectorOf(id);
      if (originRequired && options.origin === undefined) {
        throw new FoyerError(
          'validation_failed',
          `${manifest.name} connects to any holder: give the holder’s address (origin), e.g. https://data.example.com.`,
          { field: 'origin' },
        );
      }
      const origin = options.origin === undefined ? null : checkOrigin(options.origin);
      const existing = await installations.get(ctx.space, id);
      if (existing) {
        const current = await grants.get(ctx, existing.data.grant).catch(() => null);
        if (current && current.status !== 'withdrawn' && current.status !== 'refused') {
          throw new FoyerError('conflict', `${manifest.name} is already installed.`, { grant: current.id });
        }
      }
      const grantee: Grantee = { kind: 'connector', id, name: manifest.name, publisher: manifest.holder.name };
      const grant = await grants.request(ctx, { grantee, terms: grantTermsOf(manifest, clock.now()) });
      const installation: Installation = {
        connector: id,
        version: manifest.version,
        grant: grant.id,
        origin,
        installedAt: iso(),
        cursor: null,
        credential: null,
        attention: null,
        running: null,
        lastRun: null,
        actedAt: null,
      };
      await installations.put(ctx.space, installation, existing?.doc ?? null);
      return { installation, grant };
    },

    /** Withdraws the grant (what it collected is kept unless `choice` is delete), forgets the login. */
    async uninstall(ctx: RequestContext, id: string, choice?: 'keep' | 'delete'): Promise<DeletionReceipt> {
      requireOwner(ctx);
      const space = ctx.space;
      const first = await installed(space, id);
      await runner.stop(space, id);
      const { receipt } = await grants.withdraw(ctx, first.data.grant, choice);
      for (const ref of [credentialRef(id), oauthRef(id)]) await forget(space, ref);
      const last = await installations.get(space, id);
      if (last) await installations.remove(space, last.doc);
      return receipt;
    },

    /** The person's login at the holder, checked against the manifest's fields, into the vault. */
    async setCredentials(ctx: RequestContext, id: string, values: Record<string, string>): Promise<CredentialInfo> {
      requireOwner(ctx);
      const { manifest } = connectorOf(id);
      await installed(ctx.space, id);
      if (manifest.auth.kind !== 'login') {
        throw new FoyerError(
          'bad_request',
          `${manifest.name} does not take a password: you log in at ${manifest.holder.name} (OAuth).`,
        );
      }
      const names = manifest.auth.fields.map((f) => f.name);
      for (const name of Object.keys(values)) {
        if (!names.includes(name)) {
          throw new FoyerError(
            'validation_failed',
            `${manifest.name} takes no "${name}": it takes ${names.join(', ')}.`,
            {
              field: name,
            },
          );
        }
      }
      for (const name of names) {
        if (!values[name]) {
          throw new FoyerError('validation_failed', `The ${name} is missing.`, { field: name });
        }
      }
      const info = await vault.put(ctx.space, credentialRef(id), {
        kind: 'password',
        values,
        label: `${manifest.name}: login at ${manifest.holder.name}`,
        holder: manifest.holder.name,
      });
      await clearAttention(ctx.space, id, info.ref);
      return info;
    },

    /** Starts the OAuth connection: the URL where the person logs in and consents at the holder. */
    async startOAuth(
      ctx: RequestContext,
      id: string,
      redirectUri: string,
    ): Promise<{ authorizationUrl: string; expiresAt: string }> {
      requireOwner(ctx);
      const inst = await installed(ctx.space, id);
      const { connection } = connectorOf(id);
      const manifest = atOrigin(connectorOf(id).manifest, inst.data.origin);
      if (manifest.auth.kind === 'login') {
        throw new FoyerError('bad_request', `${manifest.name} logs in with a username and password, not OAuth.`);
      }
      let start: { url: string; state: string; verifier?: string; keep?: Record<string, string>; tokenUrl?: string };
      if (manifest.auth.kind === 'oauth') {
        const auth = manifest.auth;
        const endpoints = await holderStep(ctx.space, id, manifest, (net) =>
          oauthEndpointsOf((url, init) => net.fetch(url, init), manifest, auth),
        );
        // A discovered token endpoint travels with the connection, then with the tokens (refresh).
        start = {
          ...startAuthorization(endpoints, redirectUri),
          ...(auth.discovery !== undefined ? { tokenUrl: endpoints.tokenUrl } : {}),
        };
      } else {
        const state = randomBytes(24).toString('base64url');
        const started = await connectionStep(ctx.space, id, manifest, (c) =>
          connection!.start(c, { redirectUri, state }),
        );
        start = { ...started, state };
      }
      const expiresAt = iso(clock.now() + OAUTH_WAIT_MS);
      await vault.put(ctx.space, oauthRef(id), {
        kind: 'other',
        values: {
          state: start.state,
          redirectUri,
          expiresAt,
          ...(start.verifier !== undefined ? { verifier: start.verifier } : {}),
          ...(start.keep ? { keep: JSON.stringify(start.keep) } : {}),
          ...(start.tokenUrl !== undefined ? { tokenUrl: start.tokenUrl } : {}),
        },
        label: `${manifest.name}: connection in progress`,
        holder: manifest.holder.name,
      });
      return { authorizationUrl: start.url, expiresAt };
    },

    /**
     * The holder sent the person back with a code: checked against the connection in progress
     * (its `state`), exchanged for tokens, kept in the vault. Needs no session: the state is the proof.
     */
    async finishOAuth(
      space: string,
      id: string,
      input: { state: string; code?: string; error?: string; params?: Record<string, string> },
    ): Promise<void> {
      const inst = await installed(space, id);
      const { connection } = connectorOf(id);
      const manifest = atOrigin(connectorOf(id).manifest, inst.data.origin);
      if (manifest.auth.kind === 'login') throw new FoyerError('bad_request', `${manifest.name} does not use OAuth.`);
      const pending = await vault.get(space, oauthRef(id)).catch(() => null);
      const expected = Buffer.from(pending?.values.state ?? '');
      const given = Buffer.from(input.state);
      if (
        !pending ||
        expected.length !== given.length ||
        !timingSafeEqual(expected, given) ||
        Date.parse(pending.values.expiresAt ?? '') <= clock.now()
      ) {
        throw new FoyerError(
          'bad_request',
          `No connection to ${manifest.holder.name} is waiting for this answer: start again.`,
        );
      }
      await forget(space, oauthRef(id));
      if (manifest.auth.kind === 'redirect' && input.error === undefined) {
        const keep = JSON.parse(pending.values.keep ?? '{}') as Record<string, string>;
        const values = await connectionStep(space, id, manifest, (c) =>
          connection!.finish(c, { params: input.params ?? {}, keep }),
        );
        const info = await vault.put(space, credentialRef(id), {
          kind: 'token',
          values,
          label: `${manifest.name}: consent at ${manifest.holder.name}`,
          holder: manifest.holder.name,
        });
        await clearAttention(space, id, info.ref);
        return;
      }
      if (input.error !== undefined || input.code === undefined || manifest.auth.kind !== 'oauth') {
        throw new FoyerError(
          'bad_request',
          `${manifest.holder.name} did not grant access (${input.error ?? 'no code'}).`,
        );
      }
      const auth = manifest.auth;
      const tokenUrl = auth.discovery !== undefined ? pending.values.tokenUrl : auth.tokenUrl;
      if (tokenUrl === undefined) {
        throw new FoyerError('bad_request', `The connection to ${manifest.holder.name} is incomplete: start again.`);
      }
      const tokens = await holderStep(space, id, manifest, (net) =>
        exchangeCode(
          (url, init) => net.fetch(url, init),
          { tokenUrl, clientId: auth.clientId },
          { code: input.code!, verifier: pending.values.verifier!, redirectUri: pending.values.redirectUri! },
          clock.now(),
        ),
      );
      const info = await vault.put(space, credentialRef(id), {
        kind: 'oauth',
        values: {
          accessToken: tokens.accessToken,
          ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
          ...(tokens.expiresAt ? { expiresAt: tokens.expiresAt } : {}),
          ...(auth.discovery !== undefined ? { tokenUrl } : {}),
        },
        label: `${manifest.name}: access at ${manifest.holder.name}`,
        holder: manifest.holder.name,
      });
      await clearAttention(space, id, info.ref);
    },

    /**
     * Runs the connector now and answers its run record (a failed run is a record too: see its
     * `error`). Throws only when it cannot start: not installed, or already running.
     */
    async runConnector(ctx: RequestContext, id: string, options: RunOptions = {}): Promise<RunRecord> {
      requireOwner(ctx);
      connectorOf(id);
      return runner.run(ctx, id, options);
    },

    /** The connector's runs, newest first. */
    async runs(ctx: RequestContext, id: string, limit = RUNS_DEFAULT_LIMIT): Promise<RunRecord[]> {
      requireOwner(ctx);
      const docs = await store.findDocuments(ctx.space, RUN_DOCTYPE, {
        selector: { op: 'eq', field: 'connector', value: id },
        sort: [{ field: 'startedAt', direction: 'desc' }],
        limit: Math.min(Math.max(1, limit), RUNS_MAX_LIMIT),
      });
      return docs.map((d) => JSON.parse(d.data!) as RunRecord);
    },

    /** The installations of a space (for the scheduler). */
    installations: (space: string): Promise<Installation[]> => installations.all(space),

    /** The person's answer to the second factor a run of `id` waits for. */
    async answerSecondFactor(ctx: RequestContext, id: string, answer: string): Promise<void> {
      requireOwner(ctx);
      connectorOf(id);
      await secondFactors.answer(ctx.space, id, answer);
      await installations.update(ctx.space, id, (inst) => ({ ...inst, actedAt: iso() }));
    },

    close: () => runner.close(),
  };
}

function checkOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new FoyerError('validation_failed', 'The origin must be a URL like http://127.0.0.1:7001.', {
      field: 'origin',
    });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
    throw new FoyerError(
      'validation_failed',
      'The origin is a scheme, host and port only, e.g. http://127.0.0.1:7001.',
      {
        field: 'origin',
      },
    );
  }
  return url.origin;
}
