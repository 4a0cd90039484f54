import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../platform/clock.js';
import { browserSession } from '../../testing/browser-session.js';
import { jsonBody as json } from '../../testing/json-body.js';
import { startTestFoyer, TEST_PASSPHRASE, type TestFoyer } from '../../testing/test-foyer.js';

const TOKEN_SHAPE = /^foyer_pat_[A-Za-z0-9_-]{43}$/;

/** Every file under `dir`, SQLite databases and their write-ahead logs included. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe('personal access tokens over HTTP', () => {
  const clock = manualClock();
  let f: TestFoyer;
  let owner: string;
  beforeAll(async () => {
    // The space database in clear: the scan below must find the label (its control), so that not
    // finding a token shows the hashing, not the database's encryption.
    f = await startTestFoyer({ overrides: { clock }, env: { FOYER_DATABASE_CIPHER: 'none' } });
    owner = await f.ownerToken();
  });
  afterAll(() => f.close());

  const create = async (body: Record<string, unknown>, token: string | null = owner) => {
    const res = await f.request('/api/tokens', { method: 'POST', json: body, token });
    return { res, body: await json(res) };
  };
  const works = async (token: string) => (await f.request('/api/tokens', { token })).status;

  it('creates a token and shows its secret once, with the foyer_pat_ prefix', async () => {
    const { res, body } = await create({ label: 'budget script' });
    expect(res.status).toBe(201);
    expect(body).toMatchObject({
      label: 'budget script',
      tokenId: expect.stringMatching(/^[0-9a-f]{12}$/),
      expiresAt: null,
    });
    expect(body.token).toMatch(TOKEN_SHAPE);
    expect(await works(body.token)).toBe(200);
  });

  it('creates tokens from a browser session too', async () => {
    const login = await f.request('/api/auth/login', {
      method: 'POST',
      json: { passphrase: TEST_PASSPHRASE },
      token: null,
    });
    const s = browserSession(login.headers.getSetCookie());
    const res = await f.request('/api/tokens', {
      method: 'POST',
      json: { label: 'from the browser' },
      token: null,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrfToken },
    });
    expect(res.status).toBe(201);
    expect((await json(res)).token).toMatch(TOKEN_SHAPE);
  });

  it('lists tokens without ever showing a secret', async () => {
    const { body: created } = await create({ label: 'listed' });
    const res = await f.request('/api/tokens');
    expect(res.status).toBe(200);
    const { tokens } = await json(res);
    const listed = tokens.find((t: { tokenId: string }) => t.tokenId === created.tokenId);
    expect(listed).toEqual({
      tokenId: created.tokenId,
      label: 'listed',
      createdAt: created.createdAt,
      expiresAt: null,
      lastUsedAt: null,
      expired: false,
    });
    const text = JSON.stringify(tokens);
    expect(text).not.toContain(created.token);
    expect(text).not.toContain(owner);
    expect(text).not.toMatch(/foyer_pat_/);
  });

  it('refuses a revoked token on the very next request', async () => {
    const { body: t } = await create({ label: 'to revoke' });
    expect(await works(t.token)).toBe(200);
    const res = await f.request(`/api/tokens/${t.tokenId}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    const next = await f.request('/api/tokens', { token: t.token });
    expect(next.status).toBe(401);
    expect((await json(next)).error.code).toBe('invalid_token');
    expect(
      (await json(await f.request('/api/tokens'))).tokens.map((x: { tokenId: string }) => x.tokenId),
    ).not.toContain(t.tokenId);
  });

  it('lets a token revoke itself', async () => {
    const { body: t } = await create({ label: 'self-revoking' });
    expect((await f.request(`/api/tokens/${t.tokenId}`, { method: 'DELETE', token: t.token })).status).toBe(200);
    expect(await works(t.token)).toBe(401);
  });

  it('answers 404 to revoking an unknown or malformed token id', async () => {
    for (const id of ['0123456789ab', 'not-an-id', 'x'.repeat(100)]) {
      const res = await f.request(`/api/tokens/${id}`, { method: 'DELETE' });
      expect(res.status, id).toBe(404);
      expect((await json(res)).error.code).toBe('not_found');
    }
    expect((await f.request(`/api/tokens/${'x'.repeat(101)}`, { method: 'DELETE' })).status).toBe(400);
  });

  it('refuses an expired token, and lists it as expired', async () => {
    const expiresAt = new Date(clock.now() + 60 * 60_000).toISOString();
    const { res, body: t } = await create({ label: 'one hour', expiresAt });
    expect(res.status).toBe(201);
    expect(t.expiresAt).toBe(expiresAt);
    expect(await works(t.token)).toBe(200);
    clock.advance(60 * 60_000 - 1);
    expect(await works(t.token)).toBe(200);
    clock.advance(1);
    expect(await works(t.token)).toBe(401);
    const listed = (await json(await f.request('/api/tokens'))).tokens.find(
      (x: { tokenId: string }) => x.tokenId === t.tokenId,
    );
    expect(listed.expired).toBe(true);
  });

  it('refuses a forged token of the right shape, and a real one altered by one character', async () => {
    const forged = `foyer_pat_${randomBytes(32).toString('base64url')}`;
    expect(forged).toMatch(TOKEN_SHAPE);
    expect(await works(forged)).toBe(401);
    const last = owner.at(-1) === 'A' ? 'B' : 'A';
    expect(await works(owner.slice(0, -1) + last)).toBe(401);
    expect(await works(owner.replace('foyer_pat_', 'foyer_s_'))).toBe(401);
  });

  it.each([
    ['no label', {}],
    ['an empty label', { label: '' }],
    ['a label of 101 characters', { label: 'x'.repeat(101) }],
    ['a label with a control character', { label: 'line\nbreak' }],
    ['an expiry in the past', { label: 'late', expiresAt: '2020-01-01T00:00:00Z' }],
    ['an expiry without a zone', { label: 'vague', expiresAt: '2030-01-01T00:00:00' }],
    ['an impossible expiry date', { label: 'odd', expiresAt: '2030-02-31T00:00:00Z' }],
  ])('refuses to create a token with %s, creating nothing', async (_l, body) => {
    const before = (await json(await f.request('/api/tokens'))).tokens.length;
    const { res, body: answer } = await create(body);
    expect(res.status).toBe(400);
    expect(answer.error.code).toBe('validation_failed');
    expect((await json(await f.request('/api/tokens'))).tokens.length).toBe(before);
  });

  it('refuses every token route to an anonymous caller', async () => {
    expect((await f.request('/api/tokens', { token: null })).status).toBe(401);
    expect((await create({ label: 'anonymous' }, null)).res.status).toBe(401);
    const { tokens } = await json(await f.request('/api/tokens'));
    const victim = tokens[0].tokenId as string;
    expect((await f.request(`/api/tokens/${victim}`, { method: 'DELETE', token: null })).status).toBe(401);
    expect(await works(owner)).toBe(200);
  });

  it('stores tokens hashed: the secret appears in no file of the data folder', async () => {
    const label = `findable-label-${randomBytes(6).toString('hex')}`;
    const { body: t } = await create({ label });
    // Use it, so its last-used time is written too.
    expect(await works(t.token)).toBe(200);
    const files = await filesUnder(f.dataDir);
    const contents = await Promise.all(files.map((file) => readFile(file)));
    // The label is stored in plain text: proof the scan reads where tokens are kept.
    expect(contents.some((bytes) => bytes.includes(label))).toBe(true);
    for (const [i, bytes] of contents.entries()) {
      expect(bytes.includes(t.token), files[i]).toBe(false);
      expect(bytes.includes(t.token.slice('foyer_pat_'.length)), files[i]).toBe(false);
      expect(bytes.includes(owner.slice('foyer_pat_'.length)), files[i]).toBe(false);
    }
  });
});
