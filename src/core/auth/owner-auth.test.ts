import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOptions } from '@node-rs/argon2';
import { manualClock } from '../../platform/clock.js';
import { createSqliteDocumentStore } from '../../storage/sqlite/sqlite-document-store.js';
import type { DocumentStore } from '../../storage/document-store.js';
import { createLoginThrottle } from './login-throttle.js';
import { createOwnerAuth, ownerDoctype, sessionDoctype, tokenDoctype } from './owner-auth.js';
import type { OwnerAuth, OwnerAuthOptions } from './owner-auth.js';
import { newSessionSecret, newTokenSecret, sha256Hex } from './secrets.js';

const cheap = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
const passphrase = 'correct horse battery staple';
const client = { ip: '192.0.2.10', userAgent: 'Firefox/140.0' };
const minute = 60_000;
const day = 24 * 60 * minute;

let dataDir: string;
let store: DocumentStore;
let clock: ReturnType<typeof manualClock>;
let auth: OwnerAuth;

function makeAuth(options: Partial<OwnerAuthOptions> = {}): OwnerAuth {
  return createOwnerAuth({
    store,
    clock,
    throttle: createLoginThrottle({ clock }),
    passphraseOptions: cheap,
    ...options,
  });
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'foyer-auth-'));
  store = createSqliteDocumentStore({ dataDir });
  clock = manualClock();
  const createdAt = new Date(clock.now()).toISOString();
  await store.createSpace({ id: 'alice', hosts: [], timeZone: 'Europe/Paris', createdAt });
  await store.createSpace({ id: 'bob', hosts: [], timeZone: 'Europe/Paris', createdAt });
  auth = makeAuth();
});

afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

/**
 * The same store, except that `meanwhile` runs just before the next batch is written: a
 * deterministic stand-in for a concurrent request landing between a read and a write.
 */
function storeWithInterleaving(meanwhile: () => Promise<unknown>): DocumentStore {
  let pending: (() => Promise<unknown>) | null = meanwhile;
  return new Proxy(store, {
    get(target, property) {
      if (property === 'writeDocuments') {
        return async (...args: Parameters<DocumentStore['writeDocuments']>) => {
          const run = pending;
          pending = null;
          if (run) await run();
          return target.writeDocuments(...args);
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

async function initAndLogin(space = 'alice') {
  await auth.init(space, passphrase);
  return auth.login(space, passphrase, client);
}

describe('owner passphrase', () => {
  it('reports a space as uninitialised until a passphrase is set', async () => {
    expect(await auth.status('alice')).toEqual({ initialised: false });
    await auth.init('alice', passphrase);
    expect(await auth.status('alice')).toEqual({ initialised: true });
    expect(await auth.status('bob')).toEqual({ initialised: false });
  });

  it('refuses to initialise twice', async () => {
    await auth.init('alice', passphrase);
    await expect(auth.init('alice', 'another passphrase')).rejects.toMatchObject({ code: 'already_initialised' });
    await expect(auth.login('alice', 'another passphrase', client)).rejects.toMatchObject({
      code: 'invalid_credentials',
    });
  });

  it('lets only one of two racing first-run pages set the passphrase', async () => {
    const results = await Promise.allSettled([
      auth.init('alice', 'first passphrase here'),
      auth.init('alice', 'second passphrase here'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ code: 'already_initialised' });
  });

  it('refuses a weak passphrase at init and stores nothing', async () => {
    await expect(auth.init('alice', 'too short')).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'passphrase', rule: 'minLength' },
    });
    expect(await auth.status('alice')).toEqual({ initialised: false });
  });

  it('stores an argon2id hash, not the passphrase', async () => {
    await auth.init('alice', passphrase);
    const doc = await store.getDocument('alice', ownerDoctype, 'owner');
    const data = JSON.parse(doc!.data!) as { hash: string; createdAt: string; changedAt: string };
    expect(data.hash.startsWith('$argon2id$')).toBe(true);
    expect(doc!.data).not.toContain(passphrase);
    expect(doc!.rev).toMatch(/^1-[0-9a-f]+$/);
    expect(data.createdAt).toBe(new Date(clock.now()).toISOString());
  });

  it('upgrades the hash at login when the parameters changed', async () => {
    await auth.init('alice', passphrase);
    const stronger = { memoryCost: 2048, timeCost: 2, parallelism: 1 };
    await makeAuth({ passphraseOptions: stronger }).login('alice', passphrase, client);
    const doc = await store.getDocument('alice', ownerDoctype, 'owner');
    const { hash } = JSON.parse(doc!.data!) as { hash: string };
    expect(parseOptions(hash)).toMatchObject(stronger);
    expect(doc!.rev).toMatch(/^2-/);
    // The upgraded hash still opens the space, with either configuration.
    await expect(auth.login('alice', passphrase, client)).resolves.toHaveProperty('sessionSecret');
  });
});

describe('login', () => {
  it('refuses to log in to a space without a passphrase', async () => {
    await expect(auth.login('alice', passphrase, client)).rejects.toMatchObject({ code: 'not_initialised' });
  });

  it('opens a session with the right passphrase', async () => {
    const result = await initAndLogin();
    expect(result.sessionSecret).toMatch(/^foyer_s_[A-Za-z0-9_-]{43}$/);
    expect(result.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.expiresAt).toBe(new Date(clock.now() + 7 * day).toISOString());
    expect(await auth.authenticateSession('alice', result.sessionSecret)).toEqual({
      kind: 'owner',
      via: 'session',
      sessionId: result.sessionId,
    });
  });

  it('refuses a wrong passphrase', async () => {
    await auth.init('alice', passphrase);
    await expect(auth.login('alice', 'correct horse battery stapler', client)).rejects.toMatchObject({
      code: 'invalid_credentials',
      message: 'Wrong passphrase.',
    });
    expect(await auth.listSessions('alice')).toEqual([]);
  });

  it('refuses junk passphrases as wrong ones', async () => {
    await auth.init('alice', passphrase);
    for (const junk of ['', 'x'.repeat(100_000), 'a\u0000b', 42, null] as unknown[]) {
      await expect(auth.login('alice', junk as string, client)).rejects.toMatchObject({ code: 'invalid_credentials' });
    }
  });

  it('throttles repeated failures, even when the next guess is right', async () => {
    await auth.init('alice', passphrase);
    for (let i = 0; i < 5; i++) {
      await expect(auth.login('alice', `wrong guess number ${i}`, client)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    await expect(auth.login('alice', passphrase, client)).rejects.toMatchObject({
      code: 'too_many_requests',
      details: { retryAfterSeconds: 1 },
    });
    // Another address is not held back.
    await expect(auth.login('alice', passphrase, { ip: '192.0.2.99' })).resolves.toHaveProperty('sessionSecret');
    clock.advance(1000);
    await expect(auth.login('alice', passphrase, client)).resolves.toHaveProperty('sessionSecret');
    // Success forgot the failures: five more are free again.
    for (let i = 0; i < 5; i++) {
      await expect(auth.login('alice', `wrong guess number ${i}`, client)).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
  });

  it('keeps the client address and a bounded user agent with the session', async () => {
    await auth.init('alice', passphrase);
    const { sessionId } = await auth.login('alice', passphrase, { ip: '2001:db8::1', userAgent: 'U'.repeat(5000) });
    const [session] = await auth.listSessions('alice');
    expect(session).toMatchObject({ sessionId, ip: '2001:db8::1' });
    expect(session!.userAgent).toHaveLength(512);
  });

  it('takes about as long for a wrong passphrase as for a right one', async () => {
    const real = makeAuth({
      passphraseOptions: undefined,
      throttle: createLoginThrottle({ clock, spaceFailureCeiling: 1000 }),
    });
    await real.init('alice', passphrase);
    const right: number[] = [];
    const wrong: number[] = [];
    for (let i = 0; i < 12; i++) {
      let start = performance.now();
      await real.login('alice', passphrase, { ip: `10.0.0.${i}` });
      right.push(performance.now() - start);
      start = performance.now();
      await expect(real.login('alice', 'wrong passphrase, close', { ip: `10.0.1.${i}` })).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
      wrong.push(performance.now() - start);
    }
    // The fastest of each: what the path itself costs. Medians moved with other processes' load
    // (a shared machine failed this at 0.5-2 with medians); a minimum needs one undisturbed run.
    const ratio = Math.min(...wrong) / Math.min(...right);
    // Both run one argon2id verification at the OWASP parameters, which dominates.
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});

describe('sessions', () => {
  it('rejects junk, forged and unknown session secrets', async () => {
    await initAndLogin();
    for (const secret of [undefined, '', 'foyer_s_', 'x'.repeat(10_000), newSessionSecret(), newTokenSecret()]) {
      expect(await auth.authenticateSession('alice', secret)).toBeNull();
    }
  });

  it('rejects a session of one space in another', async () => {
    const { sessionSecret } = await initAndLogin('alice');
    await auth.init('bob', passphrase);
    expect(await auth.authenticateSession('bob', sessionSecret)).toBeNull();
  });

  it('ends a session unused for seven days and deletes it', async () => {
    const { sessionSecret } = await initAndLogin();
    clock.advance(7 * day - 1);
    expect(await auth.authenticateSession('alice', sessionSecret)).not.toBeNull();
    clock.advance(7 * day);
    expect(await auth.authenticateSession('alice', sessionSecret)).toBeNull();
    const doc = await store.getDocument('alice', sessionDoctype, sha256Hex(sessionSecret));
    expect(doc?.deleted).toBe(true);
  });

  it('slides the expiry with use, up to thirty days after login', async () => {
    const { sessionSecret } = await initAndLogin();
    for (let i = 0; i < 4; i++) {
      clock.advance(6 * day);
      expect(await auth.authenticateSession('alice', sessionSecret)).not.toBeNull();
    }
    clock.advance(5 * day);
    expect(await auth.authenticateSession('alice', sessionSecret)).not.toBeNull();
    // 30 days after login: ends even though it was used a day ago.
    clock.advance(day);
    expect(await auth.authenticateSession('alice', sessionSecret)).toBeNull();
  });

  it('honours a shorter configured idle timeout', async () => {
    const strict = makeAuth({ sessionTtlMs: day });
    await strict.init('alice', passphrase);
    const { sessionSecret, expiresAt } = await strict.login('alice', passphrase, client);
    expect(expiresAt).toBe(new Date(clock.now() + day).toISOString());
    clock.advance(day);
    expect(await strict.authenticateSession('alice', sessionSecret)).toBeNull();
  });

  it('records activity at most once a minute', async () => {
    const { sessionSecret } = await initAndLogin();
    const id = sha256Hex(sessionSecret);
    const before = await store.getDocument('alice', sessionDoctype, id);
    clock.advance(30_000);
    await auth.authenticateSession('alice', sessionSecret);
    await auth.authenticateSession('alice', sessionSecret);
    expect((await store.getDocument('alice', sessionDoctype, id))!.rev).toBe(before!.rev);
    clock.advance(30_000);
    await auth.authenticateSession('alice', sessionSecret);
    const after = await store.getDocument('alice', sessionDoctype, id);
    expect(after!.rev).not.toBe(before!.rev);
    expect(JSON.parse(after!.data!)).toMatchObject({
      lastSeenAt: new Date(clock.now()).toISOString(),
      expiresAt: new Date(clock.now() + 7 * day).toISOString(),
    });
  });

  it('checks the CSRF token of the session', async () => {
    const a = await initAndLogin();
    const b = await auth.login('alice', passphrase, client);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, a.csrfToken)).toBe(true);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, b.csrfToken)).toBe(false);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, a.csrfToken.slice(1))).toBe(false);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, undefined)).toBe(false);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, 'x'.repeat(10_000))).toBe(false);
    expect(await auth.verifyCsrf('alice', undefined, a.csrfToken)).toBe(false);
    expect(await auth.verifyCsrf('bob', a.sessionSecret, a.csrfToken)).toBe(false);
    await auth.logout('alice', a.sessionSecret);
    expect(await auth.verifyCsrf('alice', a.sessionSecret, a.csrfToken)).toBe(false);
  });

  it('ends one session at logout and tolerates repeats and junk', async () => {
    const a = await initAndLogin();
    const b = await auth.login('alice', passphrase, client);
    await auth.logout('alice', a.sessionSecret);
    await auth.logout('alice', a.sessionSecret);
    await auth.logout('alice', 'not a session');
    await auth.logout('alice', undefined);
    expect(await auth.authenticateSession('alice', a.sessionSecret)).toBeNull();
    expect(await auth.authenticateSession('alice', b.sessionSecret)).not.toBeNull();
  });

  it('ends every session at logout everywhere, in that space only', async () => {
    const sessions = [await initAndLogin(), await auth.login('alice', passphrase, client)];
    const bobs = await initAndLogin('bob');
    expect(await auth.logoutEverywhere('alice')).toBe(2);
    for (const s of sessions) expect(await auth.authenticateSession('alice', s.sessionSecret)).toBeNull();
    expect(await auth.authenticateSession('bob', bobs.sessionSecret)).not.toBeNull();
    expect(await auth.logoutEverywhere('alice')).toBe(0);
  });

  it('logs out everywhere while the sessions are in use', async () => {
    const sessions = [await initAndLogin(), await auth.login('alice', passphrase, client)];
    // Two minutes on, a use records activity and gives that session a new revision.
    clock.advance(2 * minute);
    const racing = makeAuth({
      store: storeWithInterleaving(() => auth.authenticateSession('alice', sessions[0]!.sessionSecret)),
    });
    expect(await racing.logoutEverywhere('alice')).toBe(2);
    for (const s of sessions) expect(await auth.authenticateSession('alice', s.sessionSecret)).toBeNull();
  });

  it('lists live sessions without secrets, most recent first, marking the current one', async () => {
    const first = await initAndLogin();
    clock.advance(minute);
    const second = await auth.login('alice', passphrase, { ip: '198.51.100.7' });
    const list = await auth.listSessions('alice', first.sessionId);
    expect(list.map((s) => [s.sessionId, s.current, s.ip])).toEqual([
      [second.sessionId, false, '198.51.100.7'],
      [first.sessionId, true, client.ip],
    ]);
    expect(Object.keys(list[0]!).sort()).toEqual(
      ['createdAt', 'current', 'expiresAt', 'ip', 'lastSeenAt', 'sessionId', 'userAgent'].sort(),
    );
    expect(list[1]).toMatchObject({ userAgent: client.userAgent, expiresAt: first.expiresAt });
    clock.advance(7 * day - minute);
    expect((await auth.listSessions('alice')).map((s) => s.sessionId)).toEqual([second.sessionId]);
  });

  it('purges expired sessions when someone logs in', async () => {
    const old = await initAndLogin();
    clock.advance(8 * day);
    await auth.login('alice', passphrase, client);
    expect((await store.getDocument('alice', sessionDoctype, sha256Hex(old.sessionSecret)))!.deleted).toBe(true);
  });

  it('revokes one session by its public id', async () => {
    const a = await initAndLogin();
    const b = await auth.login('alice', passphrase, client);
    await auth.revokeSession('alice', a.sessionId);
    expect(await auth.authenticateSession('alice', a.sessionSecret)).toBeNull();
    expect(await auth.authenticateSession('alice', b.sessionSecret)).not.toBeNull();
    await expect(auth.revokeSession('alice', a.sessionId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(auth.revokeSession('bob', b.sessionId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(auth.revokeSession('alice', '../../etc')).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('changing the passphrase', () => {
  it('switches passphrases and ends every other session', async () => {
    const current = await initAndLogin();
    const other = await auth.login('alice', passphrase, client);
    const { token } = await auth.createToken('alice', { label: 'backup script' });
    const result = await auth.changePassphrase('alice', passphrase, 'a brand new passphrase', {
      ip: client.ip,
      currentSessionId: current.sessionId,
    });
    expect(result).toEqual({ sessionsEnded: 1 });
    expect(await auth.authenticateSession('alice', current.sessionSecret)).not.toBeNull();
    expect(await auth.authenticateSession('alice', other.sessionSecret)).toBeNull();
    expect(await auth.authenticateToken('alice', token)).not.toBeNull();
    await expect(auth.login('alice', passphrase, client)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(auth.login('alice', 'a brand new passphrase', client)).resolves.toHaveProperty('sessionSecret');
  });

  it('ends the other sessions even while they are in use', async () => {
    const current = await initAndLogin();
    const others = [await auth.login('alice', passphrase, client), await auth.login('alice', passphrase, client)];
    clock.advance(2 * minute);
    const racing = makeAuth({
      store: storeWithInterleaving(() => auth.authenticateSession('alice', others[1]!.sessionSecret)),
    });
    const result = await racing.changePassphrase('alice', passphrase, 'a brand new passphrase', {
      ip: client.ip,
      currentSessionId: current.sessionId,
    });
    expect(result).toEqual({ sessionsEnded: 2 });
    for (const s of others) expect(await auth.authenticateSession('alice', s.sessionSecret)).toBeNull();
  });

  it('refuses a wrong old passphrase and changes nothing', async () => {
    const current = await initAndLogin();
    await expect(
      auth.changePassphrase('alice', 'not the passphrase', 'a brand new passphrase', { ip: client.ip }),
    ).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(await auth.authenticateSession('alice', current.sessionSecret)).not.toBeNull();
    await expect(auth.login('alice', passphrase, client)).resolves.toHaveProperty('sessionSecret');
  });

  it('refuses a weak new passphrase, naming the field', async () => {
    await initAndLogin();
    await expect(
      auth.changePassphrase('alice', passphrase, 'aaaaaaaaaaaaaaa', { ip: client.ip }),
    ).rejects.toMatchObject({
      code: 'validation_failed',
      details: { field: 'newPassphrase', rule: 'notRepeated' },
    });
    await expect(auth.login('alice', passphrase, client)).resolves.toHaveProperty('sessionSecret');
  });

  it('throttles guesses of the old passphrase', async () => {
    await initAndLogin();
    for (let i = 0; i < 5; i++) {
      await expect(
        auth.changePassphrase('alice', `guess ${i}`, 'a brand new passphrase', client),
      ).rejects.toMatchObject({
        code: 'invalid_credentials',
      });
    }
    await expect(auth.changePassphrase('alice', passphrase, 'a brand new passphrase', client)).rejects.toMatchObject({
      code: 'too_many_requests',
    });
  });
});

describe('personal access tokens', () => {
  it('creates a prefixed token that authenticates as the owner', async () => {
    await auth.init('alice', passphrase);
    const created = await auth.createToken('alice', { label: '  backup script  ' });
    expect(created).toEqual({
      token: expect.stringMatching(/^foyer_pat_[A-Za-z0-9_-]{43}$/),
      tokenId: expect.stringMatching(/^[0-9a-f]{12}$/),
      label: 'backup script',
      createdAt: new Date(clock.now()).toISOString(),
      expiresAt: null,
    });
    expect(await auth.authenticateToken('alice', created.token)).toEqual({
      kind: 'owner',
      via: 'token',
      tokenId: created.tokenId,
      label: 'backup script',
    });
  });

  it('lists tokens without their secret or digest', async () => {
    const a = await auth.createToken('alice', { label: 'first' });
    clock.advance(minute);
    const b = await auth.createToken('alice', { label: 'second', expiresAt: '2026-06-01T00:00:00+02:00' });
    const list = await auth.listTokens('alice');
    expect(list).toEqual([
      {
        tokenId: b.tokenId,
        label: 'second',
        createdAt: b.createdAt,
        expiresAt: '2026-05-31T22:00:00.000Z',
        lastUsedAt: null,
        expired: false,
      },
      { tokenId: a.tokenId, label: 'first', createdAt: a.createdAt, expiresAt: null, lastUsedAt: null, expired: false },
    ]);
    expect(JSON.stringify(list)).not.toContain(sha256Hex(a.token));
  });

  it('rejects a revoked token', async () => {
    const a = await auth.createToken('alice', { label: 'first' });
    const b = await auth.createToken('alice', { label: 'second' });
    await auth.revokeToken('alice', a.tokenId);
    expect(await auth.authenticateToken('alice', a.token)).toBeNull();
    expect(await auth.authenticateToken('alice', b.token)).not.toBeNull();
    expect((await auth.listTokens('alice')).map((t) => t.tokenId)).toEqual([b.tokenId]);
    await expect(auth.revokeToken('alice', a.tokenId)).rejects.toMatchObject({ code: 'not_found' });
    await expect(auth.revokeToken('alice', 'x'.repeat(5000))).rejects.toMatchObject({ code: 'not_found' });
  });

  it('revokes a token while it is in use', async () => {
    const { token, tokenId } = await auth.createToken('alice', { label: 'busy script' });
    const racing = makeAuth({ store: storeWithInterleaving(() => auth.authenticateToken('alice', token)) });
    await racing.revokeToken('alice', tokenId);
    expect(await auth.authenticateToken('alice', token)).toBeNull();
  });

  it('rejects an expired token and lists it as expired', async () => {
    const { token, tokenId } = await auth.createToken('alice', {
      label: 'one hour',
      expiresAt: new Date(clock.now() + 60 * minute).toISOString(),
    });
    clock.advance(60 * minute - 1);
    expect(await auth.authenticateToken('alice', token)).not.toBeNull();
    clock.advance(1);
    expect(await auth.authenticateToken('alice', token)).toBeNull();
    expect(await auth.listTokens('alice')).toMatchObject([{ tokenId, expired: true }]);
  });

  it('rejects a token of one space in another', async () => {
    const { token, tokenId } = await auth.createToken('alice', { label: 'alice only' });
    expect(await auth.authenticateToken('bob', token)).toBeNull();
    await expect(auth.revokeToken('bob', tokenId)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('rejects junk and forged tokens', async () => {
    await auth.createToken('alice', { label: 'real' });
    for (const token of [
      undefined,
      '',
      'foyer_pat_',
      newTokenSecret(),
      newSessionSecret(),
      'Bearer x',
      'y'.repeat(9999),
    ]) {
      expect(await auth.authenticateToken('alice', token)).toBeNull();
    }
  });

  it('records use at most once a minute', async () => {
    const { token } = await auth.createToken('alice', { label: 'script' });
    const id = sha256Hex(token);
    await auth.authenticateToken('alice', token);
    const first = await store.getDocument('alice', tokenDoctype, id);
    expect(JSON.parse(first!.data!)).toMatchObject({ lastUsedAt: new Date(clock.now()).toISOString() });
    for (let i = 0; i < 5; i++) {
      clock.advance(10_000);
      await auth.authenticateToken('alice', token);
    }
    expect((await store.getDocument('alice', tokenDoctype, id))!.rev).toBe(first!.rev);
    clock.advance(10_000);
    await auth.authenticateToken('alice', token);
    expect((await auth.listTokens('alice'))[0]!.lastUsedAt).toBe(new Date(clock.now()).toISOString());
  });

  it('validates the label', async () => {
    for (const [label, rule] of [
      ['', 'length'],
      ['   ', 'length'],
      ['x'.repeat(101), 'length'],
      ['line\nbreak', 'noControlCharacters'],
      [42, 'type'],
      [undefined, 'type'],
    ] as const) {
      await expect(auth.createToken('alice', { label: label as string })).rejects.toMatchObject({
        code: 'validation_failed',
        details: { field: 'label', rule },
      });
    }
    expect(await auth.listTokens('alice')).toEqual([]);
  });

  it('validates the expiry', async () => {
    for (const [expiresAt, rule] of [
      ['tomorrow', 'format'],
      ['2030-01-01', 'format'],
      ['2030-01-01T00:00:00', 'format'],
      ['2030-02-31T00:00:00Z', 'format'],
      [1893456000000, 'format'],
      ['2025-12-31T23:59:59Z', 'future'],
      [new Date(clock.now()).toISOString(), 'future'],
    ] as const) {
      await expect(auth.createToken('alice', { label: 'x', expiresAt: expiresAt as string })).rejects.toMatchObject({
        code: 'validation_failed',
        details: { field: 'expiresAt', rule },
      });
    }
    expect(await auth.listTokens('alice')).toEqual([]);
  });
});

describe('stored secrets', () => {
  async function filesUnder(dir: string): Promise<string[]> {
    const entries = await readdir(dir, { withFileTypes: true, recursive: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  }

  it('never stores a passphrase, session secret, CSRF token or token in clear', async () => {
    const login = await initAndLogin();
    const { token } = await auth.createToken('alice', { label: 'script' });
    await auth.authenticateSession('alice', login.sessionSecret);
    await auth.authenticateToken('alice', token);
    const secrets = [passphrase, login.sessionSecret, login.csrfToken, token];
    // Without their prefixes too, in case a format change stored only the random part.
    const bodies = [login.sessionSecret.slice('foyer_s_'.length), token.slice('foyer_pat_'.length)];

    const docs = [
      ...(await store.findDocuments('alice', sessionDoctype, { selector: null, sort: [], limit: 100 })),
      ...(await store.findDocuments('alice', tokenDoctype, { selector: null, sort: [], limit: 100 })),
      await store.getDocument('alice', ownerDoctype, 'owner'),
    ];
    expect(docs).toHaveLength(3);
    const stored = JSON.stringify(docs);
    for (const secret of [...secrets, ...bodies]) expect(stored).not.toContain(secret);

    // And nowhere in the data folder's files (database, WAL, journal).
    const files = await filesUnder(dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = await readFile(file);
      for (const secret of [...secrets, ...bodies]) expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });
});
