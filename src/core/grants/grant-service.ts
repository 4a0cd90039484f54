/**
 * Grants over their life: asked (pending, with the rendered consent text), accepted by the owner
 * (optional scopes deselectable), narrowed at once or re-asked when wider, renewed, withdrawn
 * (tokens die, what the grantee created is deleted unless kept, a receipt is stored). Also the
 * grant tokens: issued to an active grant, refreshed while it stays active, checked on every
 * request against the stored grant.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, StoredDocument } from '../../storage/document-store.js';
import { FoyerError } from '../errors.js';
import type { Gate, RecordAccess } from '../gate.js';
import { baseEntry } from '../gate.js';
import type { ActiveGrant, Principal, RequestContext } from '../principal.js';
import { newDocumentId, nextRevision } from '../documents/document-id.js';
import { internalRecords } from '../internal-records.js';
import { randomHex } from '../../platform/random-hex.js';
import { digestIds } from '../ledger/ledger-entry.js';
import { FILE_DOCTYPE } from '../files/file-doctype.js';
import type { DocumentService } from '../documents/document-service.js';
import type { FileService } from '../files/file-service.js';
import {
  effectiveScopes,
  GRANT_DOCTYPE,
  GRANT_STATE_DOCTYPE,
  grantStatus,
  type DeletionReceipt,
  type Grantee,
  type GrantRecord,
  type GrantStatus,
  type GrantTerms,
  type GrantVersion,
  type Scope,
} from './grant.js';
import { checkTerms, compileScope, termsChange } from './grant-terms.js';
import { consentHash, renderConsentText } from './consent-text.js';
import {
  isRefreshSecret,
  newRefreshSecret,
  REFRESH_DOCTYPE,
  refreshIdOf,
  type GrantTokenKeys,
  type RefreshRecord,
} from './grant-tokens.js';

export const ACCESS_TOKEN_SECONDS = 15 * 60;
const REFRESH_TOKEN_SECONDS = 30 * 24 * 3600;
/** Grants this close to their end are flagged for renewal. */
const RENEWAL_NOTICE_MS = 14 * 24 * 3600 * 1000;
/** An outside recipient has this long to confirm a deletion before it is overdue. */
export const REMOTE_DELETION_DAYS = 30;
const DELETE_BATCH = 500;

export interface GrantView extends GrantRecord {
  status: GrantStatus;
  /** The scopes in force (after the owner's deselection), empty unless active. */
  scopes: Scope[];
  needsRenewal: boolean;
}

export interface IssuedTokens {
  tokenType: 'Bearer';
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
  grant: string;
}

export interface GrantServiceDeps {
  store: DocumentStore;
  catalog: Catalog;
  clock: Clock;
  gate: Gate;
  record: RecordAccess;
  keys: GrantTokenKeys;
  documents: DocumentService;
  files: FileService;
  /**
   * Called once a withdrawal is stored, with its receipt (e.g. to send the deletion request to an
   * outside recipient). Must not throw: the withdrawal has happened whatever it does.
   */
  afterWithdraw?: (space: string, grant: GrantRecord, receipt: DeletionReceipt) => Promise<void>;
}

export type GrantService = ReturnType<typeof createGrantService>;

export function createGrantService(deps: GrantServiceDeps) {
  const { store, catalog, clock, gate, record, keys } = deps;
  const refreshTokens = internalRecords<RefreshRecord>(store, REFRESH_DOCTYPE);
  const grantRecords = internalRecords<Omit<GrantRecord, 'id'>>(store, GRANT_DOCTYPE);
  /**
   * Compiled grants by space and id, reused while the stored revision is the same; `stamp` is the
   * store's change stamp of grant states when that revision was last checked (null: none).
   */
  const compiled = new Map<
    string,
    { rev: string; grant: ActiveGrant; until: number; epoch: number; stamp: string | null }
  >();
  const iso = (ms = clock.now()) => new Date(ms).toISOString();

  async function load(space: string, id: string): Promise<{ grant: GrantRecord; doc: StoredDocument }> {
    const found = /^[A-Za-z0-9_-]{1,100}$/.test(id) ? await grantRecords.get(space, id) : null;
    if (!found) throw new FoyerError('not_found', `No grant "${id}".`, { id });
    return { grant: { id, ...found.data }, doc: found.doc };
  }

  /**
   * Writes the grant and, in the same atomic batch, its small state record naming the grant's
   * revision: what every request reads (a grant with its texts and history spans several pages).
   */
  async function save(space: string, grant: GrantRecord, previous: StoredDocument | null): Promise<void> {
    const { id, ...data } = grant;
    const at = iso();
    const rev = nextRevision(previous?.rev ?? null);
    const state = await store.getDocument(space, GRANT_STATE_DOCTYPE, id);
    const stateRev = state && !state.deleted ? state.rev : null;
    await store.writeDocuments(space, [
      {
        doctype: GRANT_DOCTYPE,
        id,
        expectedRev: previous?.rev ?? null,
        rev,
        deleted: false,
        data: JSON.stringify(data),
        meta: JSON.stringify({ createdAt: previous ? JSON.parse(previous.meta).createdAt : at, updatedAt: at }),
      },
      {
        doctype: GRANT_STATE_DOCTYPE,
        id,
        expectedRev: stateRev,
        rev: nextRevision(state?.rev ?? null),
        deleted: false,
        data: JSON.stringify({ grantRev: rev }),
        meta: JSON.stringify({ updatedAt: at }),
      },
    ]);
  }

  /** The principal of a compiled grant, for a token of its current epoch while the grant lasts. */
  function checkedPrincipal(
    entry: { grant: ActiveGrant; until: number; epoch: number },
    claims: { g: string; n: number },
  ): Principal {
    if (claims.n !== entry.epoch) throw new FoyerError('invalid_token', 'This access token was revoked.');
    // Checked on every request, so a cached active grant still lapses at its end.
    if (entry.until <= clock.now()) {
      throw new FoyerError('grant_inactive', `Grant ${claims.g} is expired: the owner must renew it.`, {
        grant: claims.g,
        status: 'expired',
      });
    }
    return { kind: 'grant', grant: entry.grant };
  }

  function view(grant: GrantRecord): GrantView {
    const now = clock.now();
    const status = grantStatus(grant, now);
    const until = grant.active ? Date.parse(grant.active.terms.validUntil) : Infinity;
    return {
      ...grant,
      // A deletion an outside recipient has not confirmed by its deadline shows as overdue at once.
      receipts: grant.receipts.map((r) =>
        r.remote && (r.remote.status === 'pending' || r.remote.status === 'failed') && Date.parse(r.remote.dueBy) <= now
          ? { ...r, remote: { ...r.remote, status: 'overdue' } }
          : r,
      ),
      status,
      scopes: status === 'active' && grant.active ? effectiveScopes(grant.active) : [],
      needsRenewal: status === 'expired' || (status === 'active' && until - now < RENEWAL_NOTICE_MS),
    };
  }

  function newVersion(
    grantee: Grantee,
    terms: GrantTerms,
    version: number,
    requestedBy: GrantVersion['requestedBy'],
  ): GrantVersion {
    const consentText = renderConsentText(catalog, grantee, terms);
    return { version, terms, consentText, consentHash: consentHash(consentText), requestedAt: iso(), requestedBy };
  }

  /** Consent acts are the owner's (or Foyer's for the owner); each is one ledger entry. */
  async function ownerAct<T>(
    ctx: RequestContext,
    verb: 'create' | 'update' | 'read',
    id: string | null,
    work: (space: string) => Promise<T>,
  ): Promise<T> {
    const permit = await gate(ctx, { verb, doctype: GRANT_DOCTYPE });
    return permit.track(
      () => work(permit.space),
      () => ({ count: id ? 1 : 0, ...(id ? { ids: [id] } : {}) }),
    );
  }

  const systemCtx = (space: string, reason: string): RequestContext => ({
    space,
    principal: { kind: 'system', reason },
  });

  async function deleteCreatedBy(space: string, grant: GrantRecord): Promise<DeletionReceipt['deleted']> {
    const ctx = systemCtx(space, `withdrawal of grant ${grant.id}`);
    const versions = [grant.active, ...grant.history].filter(
      (v): v is GrantVersion => v?.decision?.outcome === 'accepted',
    );
    const doctypes = new Set(
      versions.flatMap((v) =>
        effectiveScopes(v)
          .filter((s) => s.verbs.includes('create'))
          .map((s) => s.doctype),
      ),
    );
    const deleted: DeletionReceipt['deleted'] = [];
    for (const doctype of [...doctypes].sort()) {
      const kind = catalog.get(doctype)?.kind;
      if (kind === 'series') {
        const count = await store.deletePointsOfGrant(space, doctype, grant.id);
        await record(space, {
          ...baseEntry(ctx.principal, 'delete', doctype),
          count,
          idsDigest: null,
          outcome: 'allowed',
          code: null,
        });
        deleted.push({ doctype, kind: 'points', count });
        continue;
      }
      let count = 0;
      for (;;) {
        const batch = await store.findDocuments(space, doctype, {
          selector: null,
          sort: [],
          limit: DELETE_BATCH,
          createdByGrant: grant.id,
        });
        if (batch.length === 0) break;
        if (doctype === FILE_DOCTYPE) {
          for (const file of batch) await deps.files.remove(ctx, file.id, file.rev);
        } else {
          await deps.documents.bulk(
            ctx,
            doctype,
            batch.map((d) => ({ _id: d.id, _rev: d.rev, _deleted: true })),
          );
        }
        count += batch.length;
      }
      deleted.push({ doctype, kind: doctype === FILE_DOCTYPE ? 'files' : 'documents', count });
    }
    return deleted;
  }

  async function dropRefreshTokens(space: string, grantId: string): Promise<void> {
    for (;;) {
      const rows = await refreshTokens.find(space, { op: 'eq', field: 'grant', value: grantId }, DELETE_BATCH);
      if (rows.length === 0) return;
      await refreshTokens.remove(
        space,
        rows.map((r) => r.doc),
      );
    }
  }

  async function issue(space: string, grant: GrantRecord): Promise<IssuedTokens> {
    const now = clock.now();
    const until = Date.parse(grant.active!.terms.validUntil);
    const accessExpiry = Math.min(now + ACCESS_TOKEN_SECONDS * 1000, until);
    const accessToken = await keys.sign({
      s: space,
      g: grant.id,
      n: grant.tokenEpoch,
      e: Math.floor(accessExpiry / 1000),
    });
    const refreshToken = newRefreshSecret();
    const refresh: RefreshRecord = {
      grant: grant.id,
      createdAt: iso(now),
      expiresAt: iso(Math.min(now + REFRESH_TOKEN_SECONDS * 1000, until)),
    };
    await refreshTokens.put(space, refreshIdOf(refreshToken), refresh, null, refresh.createdAt);
    return {
      tokenType: 'Bearer',
      accessToken,
      refreshToken,
      expiresIn: Math.max(0, Math.floor((accessExpiry - now) / 1000)),
      grant: grant.id,
    };
  }

  function requireActive(grant: GrantRecord): void {
    const status = grantStatus(grant, clock.now());
    if (status !== 'active') {
      throw new FoyerError(
        'grant_inactive',
        `Grant ${grant.id} is ${status}${status === 'expired' ? ': the owner must renew it' : ''}.`,
        {
          grant: grant.id,
          status,
        },
      );
    }
  }

  /**
   * New terms for an existing grant, asked by the grantee itself or on its behalf. Narrower
   * terms apply at once; anything wider waits as a pending version while the old scopes keep
   * working, and nothing more.
   */
  async function propose(ctx: RequestContext, id: string, terms: GrantTerms): Promise<GrantView> {
    const principal = ctx.principal;
    const self = principal?.kind === 'grant' && principal.grant.id === id;
    const act = async (space: string) => {
      checkTerms(catalog, terms, clock.now());
      const { grant, doc } = await load(space, id);
      if (grant.withdrawnAt)
        throw new FoyerError('grant_inactive', `Grant ${id} was withdrawn.`, { grant: id, status: 'withdrawn' });
      const latest = grant.pending ?? grant.active;
      // Compared with what is in force: optional scopes the owner left out are not "already granted".
      const base = grant.active ? { ...grant.active.terms, scopes: effectiveScopes(grant.active) } : latest?.terms;
      const version =
        Math.max(grant.active?.version ?? 0, grant.pending?.version ?? 0, ...grant.history.map((v) => v.version)) + 1;
      const change = base ? termsChange(base, terms) : 'needs-consent';
      if (change === 'none') return view(grant);
      const next = newVersion(
        grant.grantee,
        terms,
        version,
        self ? 'grantee' : principal?.kind === 'owner' ? 'owner' : 'system',
      );
      if (change === 'narrower' && grant.active) {
        next.decision = {
          outcome: 'accepted',
          at: iso(),
          language: grant.active.decision?.language ?? 'en',
          omitted: [],
        };
        // A pending version replaced before any decision is dropped: it was never consented to.
        grant.history.push(grant.active);
        grant.active = next;
        grant.pending = null;
      } else {
        grant.pending = next;
      }
      await save(space, grant, doc);
      return view(grant);
    };
    // A grantee may ask for new terms for its own grant, never accept them.
    return self ? ownGrantAct(ctx, 'update', id, act) : ownerAct(ctx, 'update', id, act);
  }

  /** What a grantee may do on its own grant (read it, ask for new terms), recorded as its act. */
  async function ownGrantAct<T>(
    ctx: RequestContext,
    verb: 'read' | 'update',
    id: string,
    work: (space: string) => Promise<T>,
  ): Promise<T> {
    const entry = { ...baseEntry(ctx.principal, verb, GRANT_DOCTYPE), count: 1, idsDigest: digestIds([id]) };
    try {
      const result = await work(ctx.space);
      await record(ctx.space, { ...entry, outcome: 'allowed', code: null });
      return result;
    } catch (e) {
      await record(ctx.space, { ...entry, count: 0, outcome: 'failed', code: (e as FoyerError).code ?? 'internal' });
      throw e;
    }
  }

  return {
    /** A grantee's request, relayed by the owner's UI or made by Foyer (app install, OAuth): pending until accepted. */
    async request(ctx: RequestContext, input: { grantee: Grantee; terms: GrantTerms }): Promise<GrantView> {
      const id = newDocumentId();
      return ownerAct(ctx, 'create', id, async (space) => {
        checkTerms(catalog, input.terms, clock.now());
        const grant: GrantRecord = {
          id,
          grantee: input.grantee,
          createdAt: iso(),
          active: null,
          pending: newVersion(input.grantee, input.terms, 1, ctx.principal?.kind === 'owner' ? 'owner' : 'system'),
          history: [],
          receipts: [],
          tokenEpoch: 0,
        };
        await save(space, grant, null);
        return view(grant);
      });
    },

    propose,

    /** The owner's consent to the pending version, naming the text they read (its hash). */
    async accept(
      ctx: RequestContext,
      id: string,
      decision: { version: number; consentHash: string; language: 'en' | 'fr'; omit?: number[] },
    ): Promise<GrantView> {
      return ownerAct(ctx, 'update', id, async (space) => {
        const { grant, doc } = await load(space, id);
        const pending = grant.pending;
        if (!pending || grant.withdrawnAt)
          throw new FoyerError('conflict', `Grant ${id} has nothing waiting for consent.`, { grant: id });
        if (pending.version !== decision.version || pending.consentHash !== decision.consentHash) {
          throw new FoyerError(
            'consent_changed',
            'The terms changed since this text was shown: read the new text and decide again.',
            {
              grant: id,
              version: pending.version,
              consentHash: pending.consentHash,
            },
          );
        }
        const omit = [...new Set(decision.omit ?? [])].sort((a, b) => a - b);
        for (const i of omit) {
          const scope = pending.terms.scopes[i];
          if (!scope)
            throw new FoyerError('bad_request', `There is no scope ${i} in version ${pending.version}.`, { index: i });
          if (!scope.optional)
            throw new FoyerError(
              'bad_request',
              `Scope ${i} (${scope.doctype}) is not optional: accept it or refuse the grant.`,
              { index: i },
            );
        }
        if (omit.length === pending.terms.scopes.length)
          throw new FoyerError('bad_request', 'Deselecting every scope is refusing: use refuse.');
        pending.decision = { outcome: 'accepted', at: iso(), language: decision.language, omitted: omit };
        if (grant.active) grant.history.push(grant.active);
        grant.active = pending;
        grant.pending = null;
        await save(space, grant, doc);
        return view(grant);
      });
    },

    /** The owner says no to the pending version; any earlier consented terms stay as they were. */
    async refuse(ctx: RequestContext, id: string, language: 'en' | 'fr' = 'en'): Promise<GrantView> {
      return ownerAct(ctx, 'update', id, async (space) => {
        const { grant, doc } = await load(space, id);
        if (!grant.pending)
          throw new FoyerError('conflict', `Grant ${id} has nothing waiting for consent.`, { grant: id });
        grant.pending.decision = { outcome: 'refused', at: iso(), language, omitted: [] };
        grant.history.push(grant.pending);
        grant.pending = null;
        await save(space, grant, doc);
        return view(grant);
      });
    },

    /** Asks the owner to renew: the same terms with a later end, pending until accepted. */
    async renew(ctx: RequestContext, id: string, validUntil: string): Promise<GrantView> {
      const space = ctx.space;
      const { grant } = await load(space, id);
      // The terms in force, without the optional scopes the owner left out.
      const terms = grant.active
        ? { ...grant.active.terms, scopes: effectiveScopes(grant.active) }
        : grant.pending?.terms;
      if (!terms) throw new FoyerError('conflict', `Grant ${id} has no terms to renew.`);
      return propose(ctx, id, { ...terms, validUntil });
    },

    /** One call: tokens die, the grantee's creations go (unless kept), a receipt is stored. */
    async withdraw(
      ctx: RequestContext,
      id: string,
      choice?: 'delete' | 'keep',
    ): Promise<{ grant: GrantView; receipt: DeletionReceipt }> {
      return ownerAct(ctx, 'update', id, async (space) => {
        const first = await load(space, id);
        const grant = first.grant;
        const done = grant.receipts.find((r) => r.at === grant.withdrawnAt);
        if (grant.withdrawnAt && done) return { grant: view(grant), receipt: done };
        const terms = grant.active?.terms ?? grant.history.at(-1)?.terms;
        // A withdrawal interrupted after its first write resumes with the choice made then.
        const chosen = grant.withdrawChoice ?? choice ?? terms?.onWithdraw ?? 'delete';
        const at = grant.withdrawnAt ?? iso();
        if (!grant.withdrawnAt) {
          grant.withdrawnAt = at;
          grant.withdrawChoice = chosen;
          grant.tokenEpoch += 1;
          if (grant.pending) {
            grant.history.push(grant.pending);
            grant.pending = null;
          }
          // First the grant: from this write on, every token of it fails.
          await save(space, grant, first.doc);
        }
        compiled.delete(`${space}/${id}`);
        await dropRefreshTokens(space, id);
        const deleted = chosen === 'delete' ? await deleteCreatedBy(space, grant) : [];
        const receipt: DeletionReceipt = { id: randomHex(16), at, choice: chosen, deleted };
        const outside = terms?.storage.kind === 'recipient' || grant.grantee.deletionEndpoint;
        if (outside && chosen === 'delete') {
          const dueBy = iso(Date.parse(at) + REMOTE_DELETION_DAYS * 24 * 3600 * 1000);
          receipt.remote = {
            endpoint: grant.grantee.deletionEndpoint ?? '',
            status: 'pending',
            requestedAt: at,
            dueBy,
          };
        }
        const again = await load(space, id);
        again.grant.receipts.push(receipt);
        await save(space, again.grant, again.doc);
        await deps.afterWithdraw?.(space, again.grant, receipt);
        return { grant: view(again.grant), receipt };
      });
    },

    async list(ctx: RequestContext): Promise<GrantView[]> {
      return ownerAct(ctx, 'read', null, async (space) => {
        const out = (await grantRecords.all(space)).map((r) => view({ id: r.id, ...r.data }));
        return out.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
      });
    },

    /** One grant: for the owner, or for the grantee holding it (so it can see its own terms). */
    async get(ctx: RequestContext, id: string): Promise<GrantView> {
      const read = async (space: string) => view((await load(space, id)).grant);
      const self = ctx.principal?.kind === 'grant' && ctx.principal.grant.id === id;
      return self ? ownGrantAct(ctx, 'read', id, read) : ownerAct(ctx, 'read', id, read);
    },

    /** Tokens for an active grant (the owner's UI hands them to a connector or app; OAuth issues its own). */
    async issueTokens(ctx: RequestContext, id: string): Promise<IssuedTokens> {
      return ownerAct(ctx, 'update', id, async (space) => {
        const { grant } = await load(space, id);
        requireActive(grant);
        return issue(space, grant);
      });
    },

    /** Kills every access and refresh token of the grant without withdrawing it. */
    async revokeTokens(ctx: RequestContext, id: string): Promise<void> {
      await ownerAct(ctx, 'update', id, async (space) => {
        const { grant, doc } = await load(space, id);
        grant.tokenEpoch += 1;
        await save(space, grant, doc);
        await dropRefreshTokens(space, id);
      });
    },

    /**
     * A refresh token buys a new pair while the grant is active; the old refresh token is spent.
     * With `onlyGrant`, a token of any other grant is refused untouched (an OAuth client refreshing).
     */
    async refresh(space: string, refreshToken: string, onlyGrant?: string): Promise<IssuedTokens> {
      const invalid = () => new FoyerError('invalid_token', 'This refresh token is unknown, spent or expired.');
      if (!isRefreshSecret(refreshToken)) throw invalid();
      const found = await refreshTokens.get(space, refreshIdOf(refreshToken));
      if (!found) throw invalid();
      const data = found.data;
      if (onlyGrant !== undefined && data.grant !== onlyGrant) throw invalid();
      // Spent before anything else, so a stolen copy cannot be used twice.
      await refreshTokens.remove(space, [found.doc]);
      // The grant's state first: "expired, renew it" says more than "this token is too old".
      const { grant } = await load(space, data.grant);
      requireActive(grant);
      if (Date.parse(data.expiresAt) <= clock.now()) throw invalid();
      return issue(space, grant);
    },

    /**
     * The grant an access token (signed for this space, even expired or revoked) or a live refresh
     * token belongs to; null for anything else. For revocation (RFC 7009), which must not tell more.
     */
    async tokenGrant(space: string, token: string): Promise<string | null> {
      if (isRefreshSecret(token)) {
        return (await refreshTokens.get(space, refreshIdOf(token)))?.data.grant ?? null;
      }
      return (await keys.verify(space, token))?.g ?? null;
    },

    /** Records what became of a deletion request sent to an outside recipient (Foyer's own act). */
    async setRemoteStatus(
      space: string,
      id: string,
      receiptId: string,
      remote: Pick<NonNullable<DeletionReceipt['remote']>, 'status' | 'confirmedAt'>,
    ): Promise<void> {
      await ownerAct(systemCtx(space, `deletion request of grant ${id}`), 'update', id, async () => {
        const { grant, doc } = await load(space, id);
        const receipt = grant.receipts.find((r) => r.id === receiptId);
        if (!receipt?.remote) throw new FoyerError('not_found', `Grant ${id} has no remote receipt ${receiptId}.`);
        receipt.remote = { ...receipt.remote, ...remote };
        await save(space, grant, doc);
      });
    },

    /**
     * The principal behind a grant access token, or an error: `invalid_token` (forged, tampered,
     * expired, other space, revoked) or `grant_inactive` (pending, expired, withdrawn).
     */
    async authenticate(space: string, token: string): Promise<Principal> {
      const claims = await keys.verify(space, token);
      if (!claims || claims.e * 1000 <= clock.now()) {
        throw new FoyerError('invalid_token', 'This access token is invalid or expired: refresh it.');
      }
      const key = `${space}/${claims.g}`;
      let entry = compiled.get(key);
      // Taken before the read: a grant saved in between changes it, and the next request reads again.
      const stamp = store.changeStamp ? await store.changeStamp(space, GRANT_STATE_DOCTYPE) : null;
      if (entry && stamp !== null && entry.stamp === stamp) return checkedPrincipal(entry, claims);
      // The small state record says whether the compiled grant is still the stored one.
      const state = await store.getDocument(space, GRANT_STATE_DOCTYPE, claims.g);
      const current = state?.data ? (JSON.parse(state.data) as { grantRev: string }).grantRev : null;
      if (!entry || current === null || entry.rev !== current) {
        const doc = await store.getDocument(space, GRANT_DOCTYPE, claims.g);
        if (!doc || doc.deleted || doc.data === null)
          throw new FoyerError('invalid_token', 'This access token is invalid or expired: refresh it.');
        const grant: GrantRecord = { id: claims.g, ...(JSON.parse(doc.data) as Omit<GrantRecord, 'id'>) };
        requireActive(grant);
        if (claims.n !== grant.tokenEpoch) throw new FoyerError('invalid_token', 'This access token was revoked.');
        const active = grant.active!;
        entry = {
          rev: doc.rev,
          stamp: null,
          until: Date.parse(active.terms.validUntil),
          epoch: grant.tokenEpoch,
          grant: {
            id: grant.id,
            version: active.version,
            grantee: grant.grantee,
            purpose: active.terms.purpose.code,
            scopes: effectiveScopes(active).map(compileScope),
          },
        };
        compiled.set(key, entry);
      }
      // Without a state record (a grant stored before them), nothing tells a later change: read each time.
      entry.stamp = current === null ? null : stamp;
      return checkedPrincipal(entry, claims);
    },
  };
}
