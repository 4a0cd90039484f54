/**
 * One run of one connector in one space, from start to its record in the run history:
 *  1. claims the installation (one run at a time per connector and space, across processes);
 *  2. takes a token for the connector's grant (the run acts as the grantee, through the gate),
 *     and its credentials from the vault (an OAuth access token refreshed first);
 *  3. runs the connector's bundle in its sandbox, serving `ctx` (run-staging, holder-net);
 *  4. ends ALL OR NOTHING: on success the data, the new cursor, the installation and the run
 *     record are written in one transaction; on any failure only the run record (and the
 *     installation's state) is written, so nothing is duplicated or half-written; the blobs of
 *     the files it collected, put before that transaction, are removed unless it committed;
 *  5. writes the ledger entries of its calls, and revokes the run's token.
 * Every run ends as a RunRecord, also when it fails; only "not installed" and "already running"
 * are thrown, before any run starts.
 */
import type { Catalog } from '../core/catalog/catalog.js';
import { newDocumentId, nextRevision } from '../core/documents/document-id.js';
import { FoyerError, isFoyerError } from '../core/errors.js';
import type { Gate, RecordAccess } from '../core/gate.js';
import type { GrantService } from '../core/grants/grant-service.js';
import { termsChange } from '../core/grants/grant-terms.js';
import type { Principal, RequestContext } from '../core/principal.js';
import type { CredentialVault } from '../core/vault/credential-vault.js';
import type { Clock } from '../platform/clock.js';
import type { Log } from '../platform/logger.js';
import type { Net } from '../platform/net.js';
import type { DocumentStore, DocumentWrite } from '../storage/document-store.js';
import type { FileStore } from '../storage/file-store.js';
import type { ConnectorRegistry, RegisteredConnector } from './connector-registry.js';
import { RUN_DOCTYPE, type Installation, type RunRecord, type RunTrigger } from './connector-records.js';
import { createHolderNet, type HolderNet } from './holder-net.js';
import type { Installations } from './installations.js';
import { atOrigin, grantTermsOf, type ConnectorManifest } from './manifest.js';
import { createMask, type Mask } from './mask.js';
import { refreshTokens } from './oauth-link.js';
import { CapabilityError, RUN_ERRORS, RunFailure } from './run-errors.js';
import { createRunFiles, type FilePlan, type RunFiles } from './run-files.js';
import { createRunStaging, type RunStaging } from './run-staging.js';
import type { ConnectorBundler } from './sandbox/bundle.js';
import { fetchArgs, fileArgs, pointsArgs, secondFactorArgs, upsertArgs } from './sandbox/protocol.js';
import { runInSandbox } from './sandbox/sandbox.js';
import { MAX_SECOND_FACTOR_WAIT_MS, type SecondFactors } from './second-factor.js';
import type { z } from 'zod';

export type RunEvent =
  | { type: 'started'; run: string; connector: string }
  | { type: 'progress'; done: number; total?: number; message?: string }
  | { type: 'second-factor'; prompt: string; deadline: string };

export interface RunOptions {
  trigger?: RunTrigger;
  /** Collect everything again from nothing: the connector's cursor starts null. */
  backfill?: boolean;
  onEvent?: (event: RunEvent) => void;
  /** Aborting stops the run (`cancelled`, nothing written). */
  signal?: AbortSignal;
}

export interface RunnerDeps {
  store: DocumentStore;
  /** Where the files a run collects go (encrypted at rest like every file). */
  fileStore: FileStore;
  /** The largest file a run may collect: Foyer's own file limit. */
  maxFileBytes: number;
  catalog: Catalog;
  clock: Clock;
  gate: Gate;
  record: RecordAccess;
  grants: GrantService;
  vault: CredentialVault;
  net: Net;
  registry: ConnectorRegistry;
  installations: Installations;
  secondFactors: SecondFactors;
  bundle: ConnectorBundler;
  timeZoneOf: (space: string) => Promise<string>;
  log: Log;
}

const MAX_LOGS = 50;
const COMMIT_ATTEMPTS = 3;

export const credentialRef = (connector: string) => `connector-${connector}`;

export type Runner = ReturnType<typeof createRunner>;

export function createRunner(deps: RunnerDeps) {
  const { store, clock, grants, vault, installations } = deps;
  const running = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  const iso = (ms = clock.now()) => new Date(ms).toISOString();
  const systemCtx = (space: string, reason: string): RequestContext => ({
    space,
    principal: { kind: 'system', reason },
  });

  /** The run acts as the grantee: a token for its grant, checked like any grantee's. */
  async function grantPrincipal(space: string, connector: RegisteredConnector, grant: string) {
    const ctx = systemCtx(space, `run of connector ${connector.manifest.id}`);
    try {
      const tokens = await grants.issueTokens(ctx, grant);
      return { principal: await grants.authenticate(space, tokens.accessToken), ctx };
    } catch (e) {
      if (isFoyerError(e) && (e.code === 'grant_inactive' || e.code === 'not_found')) {
        const status = (e.details as { status?: string } | undefined)?.status ?? 'missing';
        throw new RunFailure(
          'user_action_needed',
          `The consent for ${connector.manifest.name} is ${status}: accept (or renew) it in your space first.`,
        );
      }
      throw e;
    }
  }

  /**
   * A new connector version asks for its terms: narrower ones apply at once; wider ones wait for
   * the owner's consent (the old scopes keep working meanwhile), and the run stops until then.
   */
  async function upgrade(space: string, connector: RegisteredConnector, inst: Installation): Promise<void> {
    const { manifest } = connector;
    if (inst.version === manifest.version) return;
    const ctx = systemCtx(space, `new version of connector ${manifest.id}`);
    const current = await grants.get(ctx, inst.grant);
    const validUntil = current.active?.terms.validUntil ?? current.pending?.terms.validUntil;
    if (!validUntil) return;
    const terms = { ...grantTermsOf(manifest, clock.now()), validUntil };
    // Asked already and not decided yet: the same question is not asked again (a new version each run).
    const asked = current.pending && termsChange(current.pending.terms, terms) === 'none';
    const proposed = asked ? current : await grants.propose(ctx, inst.grant, terms);
    if (proposed.pending) {
      throw new RunFailure(
        'user_action_needed',
        `${manifest.name} ${manifest.version} asks for new terms: read and accept its consent to go on.`,
      );
    }
    await installations.update(space, manifest.id, (i) => ({ ...i, version: manifest.version }));
  }

  async function credentialsFor(
    space: string,
    manifest: ConnectorManifest,
    net: HolderNet,
  ): Promise<Record<string, string>> {
    const ref = credentialRef(manifest.id);
    const stored = await vault.get(space, ref).catch((e: unknown) => {
      if (isFoyerError(e) && e.code === 'not_found') return null;
      throw e;
    });
    if (manifest.auth.kind === 'login') {
      if (!stored) {
        throw new RunFailure('user_action_needed', `Enter your login for ${manifest.holder.name} first.`);
      }
      return stored.values;
    }
    if (manifest.auth.kind === 'redirect') {
      // What the connection's last step answered (a consent id, a usage point): the holder's consent.
      if (!stored) throw new RunFailure('user_action_needed', `Connect to ${manifest.holder.name} first.`);
      return stored.values;
    }
    if (!stored?.values.accessToken) {
      throw new RunFailure(
        'user_action_needed',
        `Connect to ${manifest.holder.name} first (it asks you to log in there).`,
      );
    }
    let { accessToken, refreshToken, expiresAt } = stored.values;
    // A discovered token endpoint was kept with the tokens when the person connected.
    const tokenUrl = manifest.auth.discovery !== undefined ? stored.values.tokenUrl : manifest.auth.tokenUrl;
    if (refreshToken && tokenUrl === undefined) {
      throw new RunFailure('user_action_needed', `Connect to ${manifest.holder.name} again.`);
    }
    if (refreshToken && tokenUrl !== undefined) {
      const auth = { tokenUrl, clientId: manifest.auth.clientId };
      const fresh = await refreshTokens((url, init) => net.fetch(url, init), auth, refreshToken, clock.now());
      accessToken = fresh.accessToken;
      refreshToken = fresh.refreshToken ?? refreshToken;
      expiresAt = fresh.expiresAt;
      await vault.put(space, ref, {
        kind: 'oauth',
        values: {
          accessToken,
          refreshToken,
          ...(expiresAt ? { expiresAt } : {}),
          ...(manifest.auth.discovery !== undefined ? { tokenUrl } : {}),
        },
        label: stored.label,
        holder: stored.holder ?? undefined,
      });
    } else if (expiresAt && Date.parse(expiresAt) <= clock.now()) {
      throw new RunFailure('user_action_needed', `Your access at ${manifest.holder.name} expired: connect again.`);
    }
    return { accessToken: accessToken! };
  }

  function parseArgs<T extends z.ZodType>(schema: T, args: unknown, op: string): z.infer<T> {
    const parsed = schema.safeParse(args);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CapabilityError(
        'internal',
        `ctx.${op}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'bad arguments'}`,
      );
    }
    return parsed.data;
  }

  async function run(ctx: RequestContext, id: string, options: RunOptions): Promise<RunRecord> {
    const space = ctx.space;
    const connector = deps.registry.get(id);
    if (!connector) throw new FoyerError('not_found', `There is no connector "${id}".`, { connector: id });
    const runId = newDocumentId(clock.now());
    const startedAt = clock.now();
    const t0 = performance.now();
    const limits = connector.manifest.limits;
    const claimed = await installations.update(space, id, (inst) => {
      if (inst.running && Date.parse(inst.running.until) > clock.now()) {
        throw new FoyerError('conflict', `${connector.manifest.name} is already running.`, { run: inst.running.run });
      }
      const until = clock.now() + limits.timeSeconds * 1000 + MAX_SECOND_FACTOR_WAIT_MS + 60_000;
      return { ...inst, running: { run: runId, until: iso(until) } };
    });
    const emit = (event: RunEvent) => {
      try {
        options.onEvent?.(event);
      } catch (e) {
        deps.log('warn', 'a run event listener failed', e);
      }
    };
    emit({ type: 'started', run: runId, connector: id });

    const manifest = atOrigin(connector.manifest, claimed.origin);
    const backfill = options.backfill === true;
    const logs: string[] = [];
    let logsDropped = 0;
    let mask: Mask = (t) => t;
    let net: HolderNet | null = null;
    let grantCtx: RequestContext | null = null;
    let cursor: { json: string } | null = null;
    let files: RunFiles | null = null;
    let committed: FilePlan | null = null;
    const base = {
      id: runId,
      connector: id,
      version: manifest.version,
      trigger: options.trigger ?? 'manual',
      backfill,
      startedAt: iso(startedAt),
    };
    const finished = (outcome: RunRecord['outcome'], counts: RunRecord['counts'], failure: RunFailure | null) => {
      const record: RunRecord = {
        ...base,
        endedAt: iso(),
        durationMs: Math.round(performance.now() - t0),
        outcome,
        counts,
        calls: net?.counts() ?? {},
        error: failure
          ? {
              code: failure.code,
              message: RUN_ERRORS[failure.code].message(manifest.holder.name),
              detail: mask(failure.message).slice(0, 1000),
              retry: RUN_ERRORS[failure.code].retry,
              ...(failure.retryAfterSeconds !== undefined ? { retryAfterSeconds: failure.retryAfterSeconds } : {}),
            }
          : null,
        logs,
        logsDropped,
      };
      return record;
    };
    const afterRun = (inst: Installation, record: RunRecord): Installation => ({
      ...inst,
      running: null,
      lastRun: { id: runId, outcome: record.outcome, code: record.error?.code ?? null, endedAt: record.endedAt },
      attention:
        record.error && record.error.retry === 'person'
          ? { code: record.error.code, since: record.endedAt, run: runId }
          : record.outcome === 'succeeded'
            ? null
            : inst.attention,
      ...(record.outcome === 'succeeded'
        ? { cursor: cursor ? (JSON.parse(cursor.json) as unknown) : backfill ? null : inst.cursor }
        : {}),
    });

    const controller = new AbortController();
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    const key = `${space}\n${id}`;
    let markDone!: () => void;
    running.set(key, { controller, done: new Promise<void>((resolve) => (markDone = resolve)) });

    try {
      await upgrade(space, connector, claimed);
      const granted = await grantPrincipal(space, connector, claimed.grant);
      const principal: Principal = granted.principal;
      grantCtx = { space, principal };
      net = createHolderNet({ net: deps.net, hosts: manifest.hosts, record: deps.record, space, principal });
      const holderNet = net;
      const credentials = await credentialsFor(space, manifest, holderNet);
      mask = createMask(secretsOf(credentials));
      const code = await deps.bundle(connector.entry);
      files = createRunFiles({
        store,
        fileStore: deps.fileStore,
        net: holderNet,
        space,
        maxBytes: deps.maxFileBytes,
        holder: manifest.holder.name,
      });
      const staging: RunStaging = createRunStaging({
        store,
        catalog: deps.catalog,
        gate: deps.gate,
        clock,
        ctx: grantCtx,
        timeZone: await deps.timeZoneOf(space),
        holder: manifest.holder.name,
        maxRecords: limits.maxRecords,
        files,
      });
      await runInSandbox({
        code,
        init: { startedAt, backfill, api: manifest.api, cursor: backfill ? null : claimed.cursor },
        limits: { timeMs: limits.timeSeconds * 1000, memoryMb: limits.memoryMb },
        signal: controller.signal,
        handlers: {
          async call(op, args) {
            switch (op) {
              case 'fetch': {
                const a = parseArgs(fetchArgs, args, op);
                return holderNet.fetch(a.url, a.init);
              }
              case 'upsert':
                await staging.addDocuments(parseArgs(upsertArgs, args, op).records);
                return null;
              case 'file':
                return staging.addFile(parseArgs(fileArgs, args, op));
              case 'points': {
                const a = parseArgs(pointsArgs, args, op);
                await staging.addPoints(a.doctype, a.points);
                return null;
              }
              case 'credentials':
                return { ...credentials };
              case 'secondFactor': {
                const a = parseArgs(secondFactorArgs, args, op);
                return deps.secondFactors.ask(
                  space,
                  { connector: id, run: runId, prompt: mask(a.prompt), waitMs: deps.secondFactors.waitFor(a.deadline) },
                  (q) => emit({ type: 'second-factor', prompt: q.prompt, deadline: q.deadline }),
                  controller.signal,
                );
              }
            }
          },
          cursor(json) {
            cursor = { json };
          },
          progress(p) {
            emit({ type: 'progress', ...p, ...(p.message !== undefined ? { message: mask(p.message) } : {}) });
          },
          log(text) {
            if (logs.length < MAX_LOGS) logs.push(mask(text));
            else logsDropped++;
          },
          violation() {
            // the sandbox ends the run as not_allowed
          },
        },
      });
      // The data, the cursor and the run's records together; planned again if the space changed meanwhile.
      for (let attempt = 1; ; attempt++) {
        const plan = await staging.plan();
        const record = finished('succeeded', plan.counts, null);
        const inst = await installations.get(space, id);
        if (!inst || inst.data.running?.run !== runId) {
          throw new RunFailure('cancelled', 'The connector was uninstalled or taken over during the run.');
        }
        try {
          await staging.commit(plan, [installations.write(afterRun(inst.data, record), inst.doc), runWrite(record)]);
          committed = plan.files;
          return record;
        } catch (e) {
          if (!isFoyerError(e) || e.code !== 'conflict' || attempt >= COMMIT_ATTEMPTS) throw e;
        }
      }
    } catch (e) {
      const failure = asFailure(e, deps.log);
      const record = finished('failed', {}, failure);
      await store.writeDocuments(space, [runWrite(record)]);
      await installations
        .update(space, id, (inst) => (inst.running?.run === runId ? afterRun(inst, record) : inst))
        .catch((x: unknown) => {
          // Uninstalled during the run: its record stays in the history, there is no state to keep.
          if (!isFoyerError(x) || x.code !== 'not_found') throw x;
        });
      return record;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      running.delete(key);
      await files
        ?.settle(committed)
        .catch((e: unknown) => deps.log('error', 'could not remove the blobs a run left unused', e));
      markDone();
      await net?.flush().catch((e: unknown) => deps.log('error', 'could not write a run’s calls to the ledger', e));
      if (grantCtx) {
        await grants
          .revokeTokens(systemCtx(space, `end of a run of connector ${id}`), claimed.grant)
          .catch((e: unknown) => deps.log('warn', 'could not revoke a run’s token', e));
      }
    }
  }

  return {
    run,
    /** Stops the run of `connector` in `space` in this process, if any, and waits for its end. */
    async stop(space: string, connector: string): Promise<void> {
      const current = running.get(`${space}\n${connector}`);
      if (!current) return;
      current.controller.abort();
      await current.done;
    },
    /** Stops every run of this process (Foyer closing); each ends as `cancelled`. */
    async close(): Promise<void> {
      const all = [...running.values()];
      for (const r of all) r.controller.abort();
      await Promise.all(all.map((r) => r.done));
    },
  };
}

function runWrite(record: RunRecord): DocumentWrite {
  return {
    doctype: RUN_DOCTYPE,
    id: record.id,
    expectedRev: null,
    rev: nextRevision(null),
    deleted: false,
    data: JSON.stringify(record),
    meta: JSON.stringify({ createdAt: record.startedAt }),
  };
}

/** Every value, and every `a:b` pair of them (a Basic authorization header is base64 of one). */
function secretsOf(values: Record<string, string>): string[] {
  const list = Object.values(values);
  return [...list, ...list.flatMap((a) => list.filter((b) => b !== a).map((b) => `${a}:${b}`))];
}

function asFailure(e: unknown, log: Log): RunFailure {
  if (e instanceof RunFailure) return e;
  if (isFoyerError(e)) {
    if (e.code === 'unavailable') return new RunFailure('internal', 'Foyer’s storage was unavailable.');
    return new RunFailure('internal', `Foyer could not finish the run (${e.code}).`);
  }
  log('error', 'a connector run failed inside Foyer', e);
  return new RunFailure('internal', 'Foyer could not finish the run.');
}
