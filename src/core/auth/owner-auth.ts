/**
 * The space owner's authentication: the passphrase, browser sessions and personal access tokens.
 *
 * State lives in the space's DocumentStore under internal doctypes that the data API never
 * serves (it only serves catalog doctypes):
 *  - `foyer.owner`, id `owner`: the argon2id hash;
 *  - `foyer.session`, id = SHA-256 hex of the session secret;
 *  - `foyer.token`, id = SHA-256 hex of the token secret.
 * Secrets are never stored, only their digests, so a leaked database opens nothing. Sessions and
 * tokens also carry a short random public id (`sessionId`, `tokenId`) for lists and revocation.
 *
 * `authenticateSession` and `authenticateToken` run on every API request: one primary-key read,
 * no argon2, and a write at most once per `touchIntervalMs` per session or token.
 */
import { FoyerError, isFoyerError } from '../errors.js';
import type { Principal } from '../principal.js';
import type { Clock } from '../../platform/clock.js';
import type { DocumentStore, DocumentWrite, Selector, StoredDocument } from '../../storage/document-store.js';
import { stampMeta } from '../documents/document-meta.js';
import { nextRevision } from '../documents/document-id.js';
import type { LoginThrottle } from './login-throttle.js';
import {
  checkPassphrasePolicy,
  defaultPassphraseOptions,
  hashPassphrase,
  isPlausiblePassphrase,
  verifyPassphrase,
} from './passphrase.js';
import type { PassphraseHashOptions } from './passphrase.js';
import {
  constantTimeEqual,
  isSessionSecret,
  isTokenSecret,
  newCsrfToken,
  newPublicId,
  newSessionSecret,
  newTokenSecret,
  sha256Hex,
} from './secrets.js';

export const ownerDoctype = 'foyer.owner';
export const sessionDoctype = 'foyer.session';
export const tokenDoctype = 'foyer.token';
const ownerId = 'owner';
const AUTH_ACTOR: Principal = { kind: 'system', reason: 'owner-auth' };

const day = 24 * 60 * 60_000;
const labelMaxLength = 100;
/** Client-supplied strings kept with a session are cut to these lengths. */
const ipMaxLength = 64;
const userAgentMaxLength = 512;
const publicIdPattern = /^[0-9a-f]{12}$/;

interface OwnerData {
  hash: string;
  createdAt: string;
  changedAt: string;
}

interface SessionData {
  sessionId: string;
  createdAt: string;
  lastSeenAt: string;
  /** When the session ends if unused; kept for listing and purging, recomputed on each check. */
  expiresAt: string;
  ip: string | null;
  userAgent: string | null;
  csrfHash: string;
}

interface TokenData {
  tokenId: string;
  label: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
}

export interface OwnerAuthOptions {
  store: DocumentStore;
  clock: Clock;
  throttle: LoginThrottle;
  /** argon2id parameters for new hashes; older hashes are upgraded at the next login. */
  passphraseOptions?: PassphraseHashOptions;
  /** Sliding lifetime: a session ends after this long without use. Default 7 days. */
  sessionTtlMs?: number;
  /** Absolute lifetime from login, whatever the activity. Default 30 days. */
  sessionMaxAgeMs?: number;
  /** Last-seen and last-used times are written at most this often. Default 1 minute. */
  touchIntervalMs?: number;
}

export interface LoginResult {
  /** Goes in the HttpOnly session cookie; never shown again. */
  sessionSecret: string;
  /** Must accompany every state-changing request of this session. */
  csrfToken: string;
  sessionId: string;
  /** When the session ends if left unused (each use pushes this back). */
  expiresAt: string;
  /** When it ends however much it is used: the lifetime to give its cookie. */
  maxExpiresAt: string;
}

/** A session as listed to the owner: everything but the CSRF digest. */
export interface SessionInfo extends Omit<SessionData, 'csrfHash'> {
  current: boolean;
}

/** A token as listed to the owner (the secret and its digest are never listed). */
export interface TokenInfo extends TokenData {
  expired: boolean;
}

export interface CreatedToken extends Omit<TokenInfo, 'lastUsedAt' | 'expired'> {
  /** The secret, shown once. */
  token: string;
}

export interface OwnerAuth {
  status(space: string): Promise<{ initialised: boolean }>;
  init(space: string, passphrase: string): Promise<void>;
  login(space: string, passphrase: string, client: { ip: string; userAgent?: string }): Promise<LoginResult>;
  authenticateSession(space: string, sessionSecret: string | undefined): Promise<Principal | null>;
  verifyCsrf(space: string, sessionSecret: string | undefined, csrfToken: string | undefined): Promise<boolean>;
  logout(space: string, sessionSecret: string | undefined): Promise<void>;
  /** Ends every session of the space; returns how many. */
  logoutEverywhere(space: string): Promise<number>;
  listSessions(space: string, currentSessionId?: string): Promise<SessionInfo[]>;
  revokeSession(space: string, sessionId: string): Promise<void>;
  /** Ends every session but `currentSessionId`; returns how many. Tokens stay valid. */
  changePassphrase(
    space: string,
    oldPassphrase: string,
    newPassphrase: string,
    client: { ip: string; currentSessionId?: string },
  ): Promise<{ sessionsEnded: number }>;
  createToken(space: string, input: { label: string; expiresAt?: string | null }): Promise<CreatedToken>;
  /** Re-authentication before an irreversible act (deleting the space): `invalid_credentials` if wrong, throttled like a login. */
  confirmPassphrase(space: string, passphrase: unknown, client: { ip: string }): Promise<void>;
  listTokens(space: string): Promise<TokenInfo[]>;
  revokeToken(space: string, tokenId: string): Promise<void>;
  authenticateToken(space: string, token: string | undefined): Promise<Principal | null>;
}

interface Found<T> {
  doc: StoredDocument;
  data: T;
}

const iso = (ms: number) => new Date(ms).toISOString();

const isoInstant = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Epoch ms of an ISO 8601 instant with a zone, or null; `Date.parse` alone accepts February 31st. */
function parseInstant(text: string): number | null {
  const m = isoInstant.exec(text);
  if (m === null) return null;
  const [year, month, dayOfMonth, hour, minute, second, offsetHours, offsetMinutes] = m
    .slice(1)
    .map((part) => Number(part ?? 0)) as [number, number, number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const valid =
    month >= 1 &&
    month <= 12 &&
    dayOfMonth >= 1 &&
    dayOfMonth <= daysInMonth &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59;
  return valid ? Date.parse(text) : null;
}

export function createOwnerAuth(options: OwnerAuthOptions): OwnerAuth {
  const {
    store,
    clock,
    throttle,
    passphraseOptions = defaultPassphraseOptions,
    sessionTtlMs = 7 * day,
    sessionMaxAgeMs = 30 * day,
    touchIntervalMs = 60_000,
  } = options;

  // --- storage helpers -------------------------------------------------------------------

  async function read<T>(space: string, doctype: string, id: string): Promise<Found<T> | null> {
    const doc = await store.getDocument(space, doctype, id);
    if (doc === null || doc.deleted || doc.data === null) return null;
    return { doc, data: JSON.parse(doc.data) as T };
  }

  async function findAll<T>(space: string, doctype: string, selector: Selector | null): Promise<Found<T>[]> {
    const pageSize = 500;
    const found: Found<T>[] = [];
    let after: { values: []; id: string } | undefined;
    for (;;) {
      const page = await store.findDocuments(space, doctype, { selector, sort: [], limit: pageSize, after });
      for (const doc of page) if (doc.data !== null) found.push({ doc, data: JSON.parse(doc.data) as T });
      const last = page[page.length - 1];
      if (page.length < pageSize || last === undefined) return found;
      after = { values: [], id: last.id };
    }
  }

  /** Auth records are written by Foyer itself, not by the owner's hand. */
  const meta = (previous: StoredDocument | null, now: number, deleted: boolean): string =>
    stampMeta(AUTH_ACTOR, previous?.meta ?? null, now, deleted);

  function put(doctype: string, id: string, previous: StoredDocument | null, data: unknown): DocumentWrite {
    return {
      doctype,
      id,
      expectedRev: previous?.rev ?? null,
      rev: nextRevision(previous?.rev ?? null),
      deleted: false,
      data: JSON.stringify(data),
      meta: meta(previous, clock.now(), false),
    };
  }

  function remove(previous: StoredDocument): DocumentWrite {
    return {
      doctype: previous.doctype,
      id: previous.id,
      expectedRev: previous.rev,
      rev: nextRevision(previous.rev),
      deleted: true,
      data: null,
      meta: meta(previous, clock.now(), true),
    };
  }

  /** For bookkeeping writes that lose nothing if a concurrent request got there first. */
  async function writeUnlessRaced(space: string, writes: DocumentWrite[]): Promise<void> {
    if (writes.length === 0) return;
    try {
      await store.writeDocuments(space, writes);
    } catch (e) {
      if (!(isFoyerError(e) && e.code === 'conflict')) throw e;
    }
  }

  /**
   * Deletes what `find` returns (after the `first` writes, in the same batch), reading again on
   * a conflict: a session or token touched meanwhile by a request has a new revision, and that
   * must not make a logout or a revocation fail. Returns how many were deleted.
   */
  async function removeFound(
    space: string,
    find: () => Promise<Found<unknown>[]>,
    first: DocumentWrite[] = [],
  ): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      const found = await find();
      const writes = [...first, ...found.map((f) => remove(f.doc))];
      try {
        if (writes.length > 0) await store.writeDocuments(space, writes);
        return found.length;
      } catch (e) {
        if (!(isFoyerError(e) && e.code === 'conflict') || attempt === 3) throw e;
      }
    }
  }

  // --- sessions --------------------------------------------------------------------------

  function sessionEnd(data: Pick<SessionData, 'createdAt' | 'lastSeenAt'>): number {
    return Math.min(Date.parse(data.lastSeenAt) + sessionTtlMs, Date.parse(data.createdAt) + sessionMaxAgeMs);
  }

  /** The live session behind a secret, or null; an expired one is deleted on the way. */
  async function liveSession(space: string, secret: unknown): Promise<Found<SessionData> | null> {
    if (!isSessionSecret(secret)) return null;
    const found = await read<SessionData>(space, sessionDoctype, sha256Hex(secret));
    if (found === null) return null;
    if (clock.now() >= sessionEnd(found.data)) {
      await writeUnlessRaced(space, [remove(found.doc)]);
      return null;
    }
    return found;
  }

  async function sessionsByPublicId(space: string, sessionId: string): Promise<Found<SessionData>[]> {
    if (!publicIdPattern.test(sessionId)) return [];
    return findAll<SessionData>(space, sessionDoctype, { op: 'eq', field: 'sessionId', value: sessionId });
  }

  async function purgeExpiredSessions(space: string, now: number): Promise<void> {
    const expired = await findAll<SessionData>(space, sessionDoctype, {
      op: 'lte',
      field: 'expiresAt',
      value: iso(now),
    });
    await writeUnlessRaced(
      space,
      expired.map((s) => remove(s.doc)),
    );
  }

  // --- passphrase ------------------------------------------------------------------------

  async function owner(space: string): Promise<Found<OwnerData>> {
    const found = await read<OwnerData>(space, ownerDoctype, ownerId);
    if (found === null) {
      throw new FoyerError(
        'not_initialised',
        'This space has no passphrase yet: run `foyer init` or open the first-run page.',
      );
    }
    return found;
  }

  /**
   * Checks a passphrase under the throttle. Wrong and right passphrases both cost one argon2
   * verification, so timing does not tell them apart.
   */
  async function checkPassphrase(space: string, found: Found<OwnerData>, candidate: unknown, ip: string) {
    throttle.begin(space, ip);
    const check = isPlausiblePassphrase(candidate)
      ? await verifyPassphrase(found.data.hash, candidate, passphraseOptions)
      : { valid: false, needsRehash: false };
    if (!check.valid) throw new FoyerError('invalid_credentials', 'Wrong passphrase.');
    throttle.succeeded(space, ip);
    return check;
  }

  // --- tokens ----------------------------------------------------------------------------

  function tokenExpired(data: TokenData, now: number): boolean {
    return data.expiresAt !== null && now >= Date.parse(data.expiresAt);
  }

  function checkLabel(label: unknown): string {
    if (typeof label !== 'string') {
      throw new FoyerError('validation_failed', 'The label must be a string.', { field: 'label', rule: 'type' });
    }
    const trimmed = label.trim();
    if (trimmed.length === 0 || trimmed.length > labelMaxLength) {
      throw new FoyerError('validation_failed', `The label must be 1 to ${labelMaxLength} characters long.`, {
        field: 'label',
        rule: 'length',
        limit: labelMaxLength,
      });
    }
    if (/\p{Cc}/u.test(trimmed)) {
      throw new FoyerError('validation_failed', 'The label must not contain control characters.', {
        field: 'label',
        rule: 'noControlCharacters',
      });
    }
    return trimmed;
  }

  function checkExpiry(expiresAt: unknown, now: number): string | null {
    if (expiresAt === undefined || expiresAt === null) return null;
    const ms = typeof expiresAt === 'string' ? parseInstant(expiresAt) : null;
    if (ms === null) {
      throw new FoyerError(
        'validation_failed',
        'The expiry must be an ISO 8601 instant with a time zone, e.g. 2030-01-31T00:00:00Z.',
        { field: 'expiresAt', rule: 'format' },
      );
    }
    if (ms <= now) {
      throw new FoyerError('validation_failed', 'The expiry must be in the future.', {
        field: 'expiresAt',
        rule: 'future',
      });
    }
    return iso(ms);
  }

  async function tokensByPublicId(space: string, tokenId: string): Promise<Found<TokenData>[]> {
    if (!publicIdPattern.test(tokenId)) return [];
    return findAll<TokenData>(space, tokenDoctype, { op: 'eq', field: 'tokenId', value: tokenId });
  }

  // --- the service -----------------------------------------------------------------------

  return {
    async status(space) {
      return { initialised: (await read<OwnerData>(space, ownerDoctype, ownerId)) !== null };
    },

    async init(space, passphrase) {
      const existing = await store.getDocument(space, ownerDoctype, ownerId);
      const alreadyInitialised = () =>
        new FoyerError('already_initialised', 'This space already has a passphrase; log in to change it.');
      if (existing !== null && !existing.deleted) throw alreadyInitialised();
      checkPassphrasePolicy(passphrase);
      const now = iso(clock.now());
      const data: OwnerData = {
        hash: await hashPassphrase(passphrase, passphraseOptions),
        createdAt: now,
        changedAt: now,
      };
      try {
        await store.writeDocuments(space, [put(ownerDoctype, ownerId, existing, data)]);
      } catch (e) {
        // Two first-run pages racing: the second one loses.
        if (isFoyerError(e) && e.code === 'conflict') throw alreadyInitialised();
        throw e;
      }
    },

    async login(space, passphrase, client) {
      const found = await owner(space);
      const check = await checkPassphrase(space, found, passphrase, client.ip);
      const now = clock.now();

      if (check.needsRehash) {
        const data: OwnerData = { ...found.data, hash: await hashPassphrase(passphrase, passphraseOptions) };
        await writeUnlessRaced(space, [put(ownerDoctype, ownerId, found.doc, data)]);
      }
      await purgeExpiredSessions(space, now);

      const sessionSecret = newSessionSecret();
      const csrfToken = newCsrfToken();
      const times = { createdAt: iso(now), lastSeenAt: iso(now) };
      const data: SessionData = {
        sessionId: newPublicId(),
        ...times,
        expiresAt: iso(sessionEnd(times)),
        ip: client.ip.slice(0, ipMaxLength),
        userAgent: typeof client.userAgent === 'string' ? client.userAgent.slice(0, userAgentMaxLength) : null,
        csrfHash: sha256Hex(csrfToken),
      };
      await store.writeDocuments(space, [put(sessionDoctype, sha256Hex(sessionSecret), null, data)]);
      return {
        sessionSecret,
        csrfToken,
        sessionId: data.sessionId,
        expiresAt: data.expiresAt,
        maxExpiresAt: iso(now + sessionMaxAgeMs),
      };
    },

    async authenticateSession(space, sessionSecret) {
      const found = await liveSession(space, sessionSecret);
      if (found === null) return null;
      const now = clock.now();
      if (now - Date.parse(found.data.lastSeenAt) >= touchIntervalMs) {
        const lastSeenAt = iso(now);
        const data: SessionData = {
          ...found.data,
          lastSeenAt,
          expiresAt: iso(sessionEnd({ createdAt: found.data.createdAt, lastSeenAt })),
        };
        await writeUnlessRaced(space, [put(sessionDoctype, found.doc.id, found.doc, data)]);
      }
      return { kind: 'owner', via: 'session', sessionId: found.data.sessionId };
    },

    async verifyCsrf(space, sessionSecret, csrfToken) {
      if (typeof csrfToken !== 'string' || csrfToken.length === 0 || csrfToken.length > 256) return false;
      const found = await liveSession(space, sessionSecret);
      return found !== null && constantTimeEqual(sha256Hex(csrfToken), found.data.csrfHash);
    },

    async logout(space, sessionSecret) {
      if (!isSessionSecret(sessionSecret)) return;
      const doc = await store.getDocument(space, sessionDoctype, sha256Hex(sessionSecret));
      if (doc !== null && !doc.deleted) await writeUnlessRaced(space, [remove(doc)]);
    },

    async logoutEverywhere(space) {
      return removeFound(space, () => findAll(space, sessionDoctype, null));
    },

    async listSessions(space, currentSessionId) {
      const now = clock.now();
      const sessions = await findAll<SessionData>(space, sessionDoctype, null);
      return sessions
        .filter((s) => now < sessionEnd(s.data))
        .map(({ data: { csrfHash: _, ...data } }) => ({
          ...data,
          expiresAt: iso(sessionEnd(data)),
          current: data.sessionId === currentSessionId,
        }))
        .sort((a, b) => (a.lastSeenAt < b.lastSeenAt ? 1 : a.lastSeenAt > b.lastSeenAt ? -1 : 0));
    },

    async revokeSession(space, sessionId) {
      const removed = await removeFound(space, () => sessionsByPublicId(space, sessionId));
      if (removed === 0) throw new FoyerError('not_found', 'There is no such session.');
    },

    async changePassphrase(space, oldPassphrase, newPassphrase, client) {
      checkPassphrasePolicy(newPassphrase, 'newPassphrase');
      const found = await owner(space);
      await checkPassphrase(space, found, oldPassphrase, client.ip);
      const data: OwnerData = {
        ...found.data,
        hash: await hashPassphrase(newPassphrase, passphraseOptions),
        changedAt: iso(clock.now()),
      };
      const others = async () =>
        (await findAll<SessionData>(space, sessionDoctype, null)).filter(
          (s) => s.data.sessionId !== client.currentSessionId,
        );
      // One batch: the new passphrase never coexists with sessions opened under the old one. A
      // passphrase changed meanwhile makes the owner write conflict every time, and that is reported.
      const sessionsEnded = await removeFound(space, others, [put(ownerDoctype, ownerId, found.doc, data)]);
      return { sessionsEnded };
    },

    async confirmPassphrase(space, passphrase, client) {
      await checkPassphrase(space, await owner(space), passphrase, client.ip);
    },

    async createToken(space, input) {
      const now = clock.now();
      const label = checkLabel(input.label);
      const expiresAt = checkExpiry(input.expiresAt, now);
      const token = newTokenSecret();
      const data: TokenData = { tokenId: newPublicId(), label, createdAt: iso(now), expiresAt, lastUsedAt: null };
      await store.writeDocuments(space, [put(tokenDoctype, sha256Hex(token), null, data)]);
      return { token, tokenId: data.tokenId, label, createdAt: data.createdAt, expiresAt };
    },

    async listTokens(space) {
      const now = clock.now();
      const tokens = await findAll<TokenData>(space, tokenDoctype, null);
      return tokens
        .map(({ data }) => ({ ...data, expired: tokenExpired(data, now) }))
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    },

    async revokeToken(space, tokenId) {
      const removed = await removeFound(space, () => tokensByPublicId(space, tokenId));
      if (removed === 0) throw new FoyerError('not_found', 'There is no such token.');
    },

    async authenticateToken(space, token) {
      if (!isTokenSecret(token)) return null;
      const found = await read<TokenData>(space, tokenDoctype, sha256Hex(token));
      if (found === null) return null;
      const now = clock.now();
      if (tokenExpired(found.data, now)) return null;
      const lastUsed = found.data.lastUsedAt === null ? -Infinity : Date.parse(found.data.lastUsedAt);
      if (now - lastUsed >= touchIntervalMs) {
        const data: TokenData = { ...found.data, lastUsedAt: iso(now) };
        await writeUnlessRaced(space, [put(tokenDoctype, found.doc.id, found.doc, data)]);
      }
      return { kind: 'owner', via: 'token', tokenId: found.data.tokenId, label: found.data.label };
    },
  };
}
