/**
 * Apps in a space: install (the app's grants are asked, pending: nothing runs, nothing is
 * reachable until the owner accepts), accept, update (narrower terms apply at once, anything wider
 * asks again while the old terms keep working), uninstall (a withdrawal: what the app created is
 * deleted unless kept, with the receipts), and the tokens the Apps screen hands the app's frame.
 *
 * An app's scopes are grouped by (purpose, retention): one grant per group, since a grant has one
 * purpose and one retention (docs/apps.md). Services and their triggers are consented with the
 * grants: a new service or trigger is a widening too.
 */
import type { Clock } from '../platform/clock.js';
import type { Log } from '../platform/logger.js';
import type { DocumentStore } from '../storage/document-store.js';
import { FoyerError, isFoyerError } from '../core/errors.js';
import type { GrantService, GrantView, IssuedTokens } from '../core/grants/grant-service.js';
import type { DeletionReceipt, Grantee, GrantTerms } from '../core/grants/grant.js';
import { compileScope, stable, termsChange } from '../core/grants/grant-terms.js';
import { internalRecords } from '../core/internal-records.js';
import { addIsoDuration } from '../core/oauth/iso-duration.js';
import type { ActiveGrant, RequestContext } from '../core/principal.js';
import type { AppPackage } from './app-package.js';
import type { AppRegistry } from './app-registry.js';
import type { AppManifest, AppService } from './manifest.js';

export const APP_DOCTYPE = 'foyer.app';

export interface AppInstallation {
  app: string;
  /** The version whose terms are in force (or, before the first consent, the one asked). */
  version: string;
  /** The folder it was installed from; null for an app of the registry. */
  folder: string | null;
  /** One grant per (purpose, retention) group of scopes. */
  grants: { key: string; id: string }[];
  /** Services and triggers the owner consented to: only these run. */
  services: AppService[];
  /** An install or update waiting for the owner: its version and services. */
  pending: {
    version: string;
    services: AppService[];
    /** Grants of groups the new version drops: they end when it is accepted. */
    retire?: string[];
    /** Narrower terms of grants the new version keeps: they apply when it is accepted. */
    narrow?: { id: string; terms: GrantTerms }[];
  } | null;
  installedAt: string;
}

export type AppStatus = 'pending' | 'active' | 'update-pending' | 'refused' | 'expired';

export interface AppView {
  id: string;
  name: string;
  version: string;
  publisher: string;
  description: { en: string; fr: string };
  web: boolean;
  /** The package's services and their triggers, as the manifest declares them. */
  services: AppService[];
  installed: null | {
    version: string;
    status: AppStatus;
    grants: GrantView[];
    services: AppService[];
    pending: AppInstallation['pending'];
    installedAt: string;
  };
  /** A newer package than the installed version exists (`POST /api/apps/{id}/update` asks for it). */
  updateAvailable: boolean;
}

export interface AppServiceDeps {
  store: DocumentStore;
  clock: Clock;
  grants: GrantService;
  registry: AppRegistry;
}

export type AppsService = ReturnType<typeof createAppService>;

/** The grants an app's manifest asks for: one per (purpose, retention) group of its scopes. */
export function grantPlans(manifest: AppManifest, validUntil: string): { key: string; terms: GrantTerms }[] {
  const groups = new Map<string, AppManifest['scopes']>();
  for (const scope of manifest.scopes) {
    const key = `${scope.purpose}|${scope.retention}`;
    groups.set(key, [...(groups.get(key) ?? []), scope]);
  }
  return [...groups].map(([key, scopes]) => {
    const first = scopes[0]!;
    return {
      key,
      terms: {
        scopes: scopes.map((s) => ({
          doctype: s.doctype,
          verbs: [...s.verbs],
          reason: s.reason,
          ...(s.optional ? { optional: true } : {}),
          ...(s.filter ? { filter: s.filter } : {}),
          ...(s.fields ? { fields: [...s.fields] } : {}),
        })),
        purpose: { code: first.purpose, text: manifest.purposes[first.purpose]! },
        storage: { kind: 'space' },
        retention: first.retention,
        validUntil,
        onWithdraw: manifest.onUninstall,
      },
    };
  });
}

/** True when `next` runs something `before` did not: a new service, or a new trigger of one. */
export function servicesWiden(before: readonly AppService[], next: readonly AppService[]): boolean {
  return next.some((service) => {
    const old = before.find((s) => s.name === service.name);
    return !old || service.triggers.some((t) => !old.triggers.some((o) => stable(o) === stable(t)));
  });
}

function requireOwner(ctx: RequestContext): void {
  if (ctx.principal === null) throw new FoyerError('unauthenticated', 'Log in first.');
  const kind = ctx.principal.kind;
  if (kind !== 'owner' && kind !== 'system') throw new FoyerError('owner_only', 'Only the space’s owner can do this.');
}

export function createAppService(deps: AppServiceDeps) {
  const { store, clock, grants, registry } = deps;
  const records = internalRecords<AppInstallation>(store, APP_DOCTYPE);
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  function packageOf(id: string): AppPackage {
    const pkg = registry.get(id);
    if (!pkg) throw new FoyerError('not_found', `There is no app "${id}".`, { app: id });
    return pkg;
  }

  async function installed(space: string, id: string) {
    const found = /^[a-z][a-z0-9-]{1,39}$/.test(id) ? await records.get(space, id) : null;
    if (!found) throw new FoyerError('not_found', `The app "${id}" is not installed.`, { app: id });
    return found;
  }

  async function grantViews(ctx: RequestContext, inst: AppInstallation): Promise<GrantView[]> {
    return Promise.all(inst.grants.map((g) => grants.get(ctx, g.id)));
  }

  function statusOf(inst: AppInstallation, views: readonly GrantView[]): AppStatus {
    if (views.some((g) => g.status === 'refused' || g.status === 'withdrawn')) return 'refused';
    if (views.some((g) => g.status === 'expired')) return 'expired';
    if (views.every((g) => g.status === 'pending')) return 'pending';
    if (views.some((g) => g.status === 'pending')) return 'update-pending';
    if (views.some((g) => g.pending !== null) || inst.pending !== null) return 'update-pending';
    return 'active';
  }

  function viewOf(pkg: AppPackage | undefined, inst: AppInstallation | null, views: GrantView[]): AppView {
    const m = pkg?.manifest;
    return {
      id: m?.id ?? inst!.app,
      name: m?.name ?? inst!.app,
      version: m?.version ?? inst!.version,
      publisher: m?.publisher ?? '',
      description: m?.description ?? { en: '', fr: '' },
      web: m?.web !== undefined,
      services: m?.services ?? [],
      installed: inst
        ? {
            version: inst.version,
            status: statusOf(inst, views),
            grants: views,
            services: inst.services,
            pending: inst.pending,
            installedAt: inst.installedAt,
          }
        : null,
      updateAvailable:
        inst !== null && m !== undefined && m.version !== inst.version && inst.pending?.version !== m.version,
    };
  }

  /** Writes the installation, again on a concurrent change. */
  async function change(
    space: string,
    id: string,
    edit: (inst: AppInstallation) => AppInstallation,
  ): Promise<AppInstallation> {
    for (let attempt = 1; ; attempt++) {
      const found = await installed(space, id);
      const next = edit(structuredClone(found.data));
      try {
        await records.put(space, id, next, found.doc, found.data.installedAt);
        return next;
      } catch (e) {
        if (!isFoyerError(e) || e.code !== 'conflict' || attempt >= 5) throw e;
      }
    }
  }

  async function get(ctx: RequestContext, id: string): Promise<AppView> {
    requireOwner(ctx);
    const found = await records.get(ctx.space, id);
    if (!found) return viewOf(packageOf(id), null, []);
    return viewOf(registry.get(id), found.data, await grantViews(ctx, found.data));
  }

  return {
    /** Every app known (registry and folders) and every app installed, with its state. */
    async list(ctx: RequestContext): Promise<AppView[]> {
      requireOwner(ctx);
      const all = await records.all(ctx.space);
      const byId = new Map(all.map((r) => [r.id, r.data]));
      const ids = [...new Set([...registry.list().map((p) => p.manifest.id), ...byId.keys()])].sort();
      return Promise.all(
        ids.map(async (id) => {
          const inst = byId.get(id) ?? null;
          return viewOf(registry.get(id), inst, inst ? await grantViews(ctx, inst) : []);
        }),
      );
    },

    get,

    /** Asks for the app's grants (pending); the app can do nothing until the owner accepts them. */
    async install(ctx: RequestContext, id: string, options: { folder?: string } = {}): Promise<AppView> {
      requireOwner(ctx);
      const pkg = options.folder ? await registry.addFolder(options.folder) : packageOf(id);
      const appId = pkg.manifest.id;
      const existing = await records.get(ctx.space, appId);
      if (existing) {
        const views = await grantViews(ctx, existing.data).catch(() => []);
        if (views.some((g) => g.status !== 'withdrawn' && g.status !== 'refused')) {
          throw new FoyerError('conflict', `${pkg.manifest.name} is already installed.`, { app: appId });
        }
      }
      const m = pkg.manifest;
      const grantee: Grantee = { kind: 'app', id: appId, name: m.name, publisher: m.publisher };
      const until = iso(addIsoDuration(clock.now(), m.validity));
      const asked: AppInstallation['grants'] = [];
      for (const plan of grantPlans(m, until)) {
        const grant = await grants.request(ctx, { grantee, terms: plan.terms });
        asked.push({ key: plan.key, id: grant.id });
      }
      const inst: AppInstallation = {
        app: appId,
        version: m.version,
        folder: options.folder ? pkg.dir : null,
        grants: asked,
        services: [],
        pending: { version: m.version, services: m.services },
        installedAt: iso(),
      };
      await records.put(ctx.space, appId, inst, existing?.doc ?? null, inst.installedAt);
      return get(ctx, appId);
    },

    /**
     * The owner's consent: accepts each pending grant named (its version and the hash of the text
     * read); once none is left pending, the waiting version and its services are in force.
     */
    async accept(
      ctx: RequestContext,
      id: string,
      decision: {
        language: 'en' | 'fr';
        grants: { id: string; version: number; consentHash: string; omit?: number[] }[];
      },
    ): Promise<AppView> {
      requireOwner(ctx);
      const { data: inst } = await installed(ctx.space, id);
      for (const g of decision.grants) {
        if (!inst.grants.some((x) => x.id === g.id)) {
          throw new FoyerError('bad_request', `Grant ${g.id} is not one of ${id}'s grants.`, { grant: g.id });
        }
        await grants.accept(ctx, g.id, {
          version: g.version,
          consentHash: g.consentHash,
          language: decision.language,
          ...(g.omit ? { omit: g.omit } : {}),
        });
      }
      const views = await grantViews(ctx, inst);
      if (views.every((v) => v.pending === null && v.status === 'active') && inst.pending) {
        // What the accepted version narrows applies now; the grants of groups it dropped end
        // (what was made under them stays).
        for (const n of inst.pending.narrow ?? []) await grants.propose(ctx, n.id, n.terms);
        const retire = inst.pending.retire ?? [];
        for (const old of retire) await grants.withdraw(ctx, old, 'keep');
        await change(ctx.space, id, (x) =>
          x.pending
            ? {
                ...x,
                grants: x.grants.filter((g) => !retire.includes(g.id)),
                version: x.pending.version,
                services: x.pending.services,
                pending: null,
              }
            : x,
        );
      }
      return get(ctx, id);
    },

    /**
     * Proposes the package's current terms: narrower ones apply at once; a new doctype, verb,
     * purpose, longer retention, later end or new service trigger waits for the owner.
     */
    async update(ctx: RequestContext, id: string): Promise<AppView> {
      requireOwner(ctx);
      const { data: inst } = await installed(ctx.space, id);
      // Read again from its folder: the newest version on disk is the one proposed.
      const pkg = await registry.addFolder(inst.folder ?? packageOf(id).dir);
      const m = pkg.manifest;
      const views = await grantViews(ctx, inst);
      const grantee: Grantee = { kind: 'app', id, name: m.name, publisher: m.publisher };
      // The end in force stays: an update is not a renewal.
      const until =
        views.map((v) => v.active?.terms.validUntil).find((u) => u !== undefined) ??
        iso(addIsoDuration(clock.now(), m.validity));
      const plans = grantPlans(m, until);
      // Each new group takes the grant of the same (purpose, retention), else of the same purpose
      // (its retention changed: asked again on the same grant, the old terms working meanwhile).
      const unmatched = [...inst.grants];
      const take = (match: (g: { key: string }) => boolean) => {
        const i = unmatched.findIndex(match);
        return i < 0 ? undefined : unmatched.splice(i, 1)[0];
      };
      const exact = plans.map((plan) => take((g) => g.key === plan.key));
      const next: AppInstallation['grants'] = [];
      /** Narrower terms for a grant: applied now if nothing is asked, else once the update is accepted. */
      const narrow: { id: string; terms: GrantTerms }[] = [];
      let asking = false;
      for (const [i, plan] of plans.entries()) {
        const known = exact[i] ?? take((g) => g.key.split('|')[0] === plan.terms.purpose.code);
        const view = known ? views.find((v) => v.id === known.id) : undefined;
        const inForce = view?.active ? { ...view.active.terms, scopes: view.scopes } : null;
        const change = inForce ? termsChange(inForce, plan.terms) : 'needs-consent';
        if (known && change === 'narrower') narrow.push({ id: known.id, terms: plan.terms });
        else if (known && change === 'needs-consent') await grants.propose(ctx, known.id, plan.terms);
        asking ||= change === 'needs-consent' || (view !== undefined && view.pending !== null);
        const grant = known?.id ?? (await grants.request(ctx, { grantee, terms: plan.terms })).id;
        next.push({ key: plan.key, id: grant });
      }
      const widens = servicesWiden(inst.services, m.services);
      const retire = unmatched.map((g) => g.id);
      if (!widens && !asking) {
        // Nothing new is asked: narrower terms apply now, and a group the new version dropped
        // ends now (what was made under it stays).
        for (const n of narrow) await grants.propose(ctx, n.id, n.terms);
        for (const old of retire) await grants.withdraw(ctx, old, 'keep');
      }
      await change(ctx.space, id, (x) => ({
        ...x,
        // Dropped groups keep working until the new version is accepted.
        grants: widens || asking ? [...next, ...unmatched] : next,
        // Fewer services or triggers apply at once; more wait, with the new version, for consent.
        services: widens ? x.services : m.services,
        ...(widens || asking
          ? { pending: { version: m.version, services: m.services, retire, narrow } }
          : { version: m.version, pending: null }),
      }));
      return get(ctx, id);
    },

    /** Withdraws every grant of the app: what it created goes unless kept; one receipt per grant. */
    async uninstall(
      ctx: RequestContext,
      id: string,
      choice?: 'delete' | 'keep',
    ): Promise<{ app: string; receipts: DeletionReceipt[] }> {
      requireOwner(ctx);
      const found = await installed(ctx.space, id);
      const receipts: DeletionReceipt[] = [];
      for (const g of found.data.grants) receipts.push((await grants.withdraw(ctx, g.id, choice)).receipt);
      await records.remove(ctx.space, [(await installed(ctx.space, id)).doc]);
      return { app: id, receipts };
    },

    /** Short-lived access tokens of the app's active grants, for its frame (never a refresh token). */
    async session(
      ctx: RequestContext,
      id: string,
    ): Promise<{ grant: string; doctypes: string[]; accessToken: string; expiresIn: number }[]> {
      requireOwner(ctx);
      const { data: inst } = await installed(ctx.space, id);
      const views = (await grantViews(ctx, inst)).filter((v) => v.status === 'active');
      if (views.length === 0) {
        throw new FoyerError('grant_inactive', `${id} has no active grant: accept its terms first.`, { app: id });
      }
      const out = [];
      for (const v of views) {
        const tokens: IssuedTokens = await grants.issueTokens(ctx, v.id);
        out.push({
          grant: v.id,
          doctypes: v.scopes.map((s) => s.doctype),
          accessToken: tokens.accessToken,
          expiresIn: tokens.expiresIn,
        });
      }
      return out;
    },

    /**
     * What a service of the app acts as: the app's active grants, each as the service (grantee
     * kind `service`, id `<app>/<service>`), so the ledger names the service on every access and
     * withdrawal deletes what it wrote. Null when the app is not active or the service not consented.
     */
    async servicePrincipals(space: string, id: string, service: string): Promise<ActiveGrant[] | null> {
      const ctx: RequestContext = { space, principal: { kind: 'system', reason: `app service ${id}/${service}` } };
      const found = await records.get(space, id);
      if (!found || !found.data.services.some((s) => s.name === service)) return null;
      const views = (await grantViews(ctx, found.data)).filter((v) => v.status === 'active' && v.active);
      if (views.length === 0) return null;
      return views.map((v) => ({
        id: v.id,
        version: v.active!.version,
        grantee: {
          kind: 'service',
          id: `${id}/${service}`,
          name: `${v.grantee.name} (${service})`,
          ...(v.grantee.publisher ? { publisher: v.grantee.publisher } : {}),
        },
        purpose: v.active!.terms.purpose.code,
        scopes: v.scopes.map(compileScope),
      }));
    },

    /** Makes the apps installed from folders known again (at start); a folder gone is logged, not fatal. */
    async loadFolders(spaces: readonly { id: string }[], log: Log): Promise<void> {
      for (const { id: space } of spaces) {
        // A space that cannot be opened now (its key, a damaged file) answers for itself later:
        // it must not stop Foyer from starting.
        const installs = await records.all(space).catch((e: unknown) => {
          log('warn', `The apps of space ${space} could not be read at start.`, e);
          return [];
        });
        for (const { data } of installs) {
          if (!data.folder) continue;
          await registry.addFolder(data.folder).catch((e: unknown) => {
            log('warn', `The app ${data.app} of space ${space} cannot be loaded from ${data.folder}.`, e);
          });
        }
      }
    },

    /** Installations of a space (for the services' scheduler). */
    async installations(space: string): Promise<AppInstallation[]> {
      return (await records.all(space)).map((r) => r.data);
    },
  };
}
