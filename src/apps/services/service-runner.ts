/**
 * Runs one service of an installed app: its code bundled for the sandbox, its capability API
 * (`foyer.query/get/create/update/remove/series/schedule/notify/log`) acting through the gate as
 * the app's service under the app's active grants, so each call is checked against the grant and
 * written to the ledger (grantee kind `service`, id `<app>/<service>`). A run's outcome is kept
 * as the service's state, with the next run it asked for and the changes it has seen.
 */
import { join } from 'node:path';
import { stat } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import type { DocumentService } from '../../core/documents/document-service.js';
import type { SeriesService } from '../../core/series/series-service.js';
import { FoyerError } from '../../core/errors.js';
import { internalRecords } from '../../core/internal-records.js';
import type { ActiveGrant, RequestContext } from '../../core/principal.js';
import { randomHex } from '../../platform/random-hex.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore } from '../../storage/document-store.js';
import type { AppRegistry } from '../app-registry.js';
import type { AppsService } from '../app-service.js';
import { runInSandbox, type HostFunctions } from '../sandbox/quickjs-sandbox.js';

export const RUN_STATE_DOCTYPE = 'foyer.app-run';
export const NOTICE_DOCTYPE = 'foyer.app-notice';
const MAX_QUERY = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_MEMORY_MB = 32;
const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

export type ServiceTrigger =
  { kind: 'schedule'; cron: string } | { kind: 'change'; doctype: string } | { kind: 'manual' } | { kind: 'at' };

export interface ServiceRun {
  at: string;
  trigger: ServiceTrigger;
  ok: boolean;
  error?: string;
  durationMs: number;
  logs: string[];
}

export interface ServiceState {
  app: string;
  service: string;
  lastRun: ServiceRun | null;
  /** A run the service asked for (`foyer.schedule`). */
  nextAt: string | null;
  /** Per watched doctype, the changes-feed position already seen. */
  seen: Record<string, number>;
}

export interface Notice {
  app: string;
  service: string;
  at: string;
  message: { en: string; fr: string };
}

export interface ServiceRunnerDeps {
  store: DocumentStore;
  clock: Clock;
  apps: AppsService;
  registry: AppRegistry;
  documents: DocumentService;
  series: SeriesService;
}

export type ServiceRunner = ReturnType<typeof createServiceRunner>;

export const stateId = (app: string, service: string) => `${app}.${service}`;

export function createServiceRunner(deps: ServiceRunnerDeps) {
  const { store, clock, apps, registry, documents, series } = deps;
  const states = internalRecords<ServiceState>(store, RUN_STATE_DOCTYPE);
  const notices = internalRecords<Notice>(store, NOTICE_DOCTYPE);
  const bundles = new Map<string, { mtimeMs: number; code: string }>();
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  async function bundle(file: string): Promise<string> {
    const { mtimeMs } = await stat(file);
    const cached = bundles.get(file);
    if (cached?.mtimeMs === mtimeMs) return cached.code;
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: '__service',
      platform: 'neutral',
      target: 'es2020',
      logLevel: 'silent',
      legalComments: 'none',
    }).catch((e: { errors?: { text: string }[] }) => {
      const text = e.errors?.[0]?.text ?? 'unknown error';
      const name = /Could not resolve "([^"]+)"/.exec(text)?.[1];
      throw new FoyerError(
        'validation_failed',
        name && BUILTINS.has(name)
          ? `The service imports ${name}, which services may not use.`
          : `The service could not be bundled: ${text}`,
      );
    });
    // `var __service = ...` at the top level of a script is a global property of the sandbox.
    const code = `${result.outputFiles[0]?.text ?? ''}\nglobalThis.__service = __service;`;
    bundles.set(file, { mtimeMs, code });
    return code;
  }

  async function saveState(space: string, app: string, service: string, edit: (s: ServiceState) => ServiceState) {
    const id = stateId(app, service);
    for (let attempt = 1; ; attempt++) {
      const found = await states.get(space, id);
      const current = found?.data ?? { app, service, lastRun: null, nextAt: null, seen: {} };
      try {
        await states.put(space, id, edit(current), found?.doc ?? null, iso());
        return;
      } catch (e) {
        if ((e as FoyerError).code !== 'conflict' || attempt >= 5) throw e;
      }
    }
  }

  /** The capability API: each call through the gate, as the service, under the grant naming the doctype. */
  function hostFunctions(space: string, app: string, service: string, grants: ActiveGrant[]): HostFunctions {
    const ctxFor = (doctype: unknown): [RequestContext, string] => {
      if (typeof doctype !== 'string') throw new FoyerError('bad_request', 'Name the doctype as a string.');
      const grant = grants.find((g) => g.scopes.some((s) => s.doctype === doctype)) ?? grants[0]!;
      return [{ space, principal: { kind: 'grant', grant } }, doctype];
    };
    const object = (value: unknown, what: string): Record<string, unknown> => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new FoyerError('bad_request', `${what} must be an object.`);
      }
      return value as Record<string, unknown>;
    };
    return {
      async query(doctype, query) {
        const [ctx, name] = ctxFor(doctype);
        const q = query === undefined ? {} : object(query, 'The query');
        const wanted = Math.min(typeof q.limit === 'number' && q.limit > 0 ? q.limit : MAX_QUERY, MAX_QUERY);
        const out: unknown[] = [];
        let bookmark: string | undefined;
        do {
          const page = JSON.parse(
            (
              await documents.find(ctx, name, {
                ...(q.selector ? { selector: object(q.selector, 'The selector') } : {}),
                ...(Array.isArray(q.sort) ? { sort: q.sort as never } : {}),
                limit: Math.min(1000, wanted - out.length),
                ...(bookmark ? { bookmark } : {}),
              })
            ).json,
          ) as { docs: unknown[]; bookmark?: string };
          out.push(...page.docs);
          bookmark = page.bookmark;
        } while (bookmark && out.length < wanted);
        return out;
      },
      async get(doctype, id) {
        const [ctx, name] = ctxFor(doctype);
        return JSON.parse((await documents.get(ctx, name, String(id))).json) as unknown;
      },
      async create(doctype, doc) {
        const [ctx, name] = ctxFor(doctype);
        const r = await documents.create(ctx, name, object(doc, 'The document'));
        return { id: r.id, rev: r.rev };
      },
      async update(doctype, doc) {
        const [ctx, name] = ctxFor(doctype);
        const d = object(doc, 'The document');
        const r = await documents.put(ctx, name, String(d._id), d);
        return { id: r.id, rev: r.rev };
      },
      async remove(doctype, id, rev) {
        const [ctx, name] = ctxFor(doctype);
        const r = await documents.remove(ctx, name, String(id), String(rev));
        return { id: r.id, rev: r.rev };
      },
      async series(doctype, range) {
        const [ctx, name] = ctxFor(doctype);
        const r = object(range ?? {}, 'The range') as { from?: string; to?: string; stream?: string; limit?: number };
        return (JSON.parse((await series.read(ctx, name, r)).json) as { points: unknown[] }).points;
      },
      async schedule(at) {
        const when = typeof at === 'string' ? Date.parse(at) : NaN;
        if (Number.isNaN(when)) throw new FoyerError('bad_request', 'schedule() takes an ISO 8601 instant.');
        await saveState(space, app, service, (s) => ({ ...s, nextAt: iso(Math.max(when, clock.now())) }));
        return null;
      },
      async notify(message) {
        const m = object(message, 'The message') as { en?: unknown; fr?: unknown };
        if (typeof m.en !== 'string' || typeof m.fr !== 'string' || !m.en || !m.fr) {
          throw new FoyerError('bad_request', 'notify() takes { en, fr }, two non-empty texts.');
        }
        const notice: Notice = { app, service, at: iso(), message: { en: m.en.slice(0, 500), fr: m.fr.slice(0, 500) } };
        await notices.put(space, randomHex(16), notice, null, notice.at);
        return null;
      },
    };
  }

  return {
    /** Runs the service now; its outcome is stored and returned. `grant_inactive` when it may not run. */
    async run(space: string, app: string, service: string, trigger: ServiceTrigger): Promise<ServiceRun> {
      const grants = await apps.servicePrincipals(space, app, service);
      const pkg = registry.get(app);
      const def = pkg?.manifest.services.find((s) => s.name === service);
      if (!grants || !pkg || !def) {
        throw new FoyerError('grant_inactive', `The service ${app}/${service} is not installed, or not consented to.`, {
          app,
          service,
        });
      }
      const started = clock.now();
      const code = await bundle(join(pkg.dir, def.code));
      const result = await runInSandbox({
        code,
        host: hostFunctions(space, app, service, grants),
        trigger,
        limits: {
          timeoutMs: def.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          memoryBytes: (def.memoryMb ?? DEFAULT_MEMORY_MB) * 1024 * 1024,
        },
      });
      const run: ServiceRun = {
        at: iso(started),
        trigger,
        ok: result.ok,
        ...(result.error !== undefined ? { error: result.error } : {}),
        durationMs: result.durationMs,
        logs: result.logs,
      };
      await saveState(space, app, service, (s) => ({
        ...s,
        lastRun: run,
        // A run asked for is spent by running (the service may have asked for another since).
        nextAt: trigger.kind === 'at' && s.nextAt !== null && Date.parse(s.nextAt) <= started ? null : s.nextAt,
      }));
      return run;
    },

    state: async (space: string, app: string, service: string) =>
      (await states.get(space, stateId(app, service)))?.data ?? null,

    saveState,

    /** The person's notifications from apps, newest first. */
    async notices(space: string): Promise<(Notice & { id: string })[]> {
      const all = (await notices.all(space)).map((r) => ({ id: r.id, ...r.data }));
      return all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
    },
  };
}
