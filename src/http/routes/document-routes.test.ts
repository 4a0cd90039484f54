import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const tx = (over: Record<string, unknown> = {}) => ({
  date: '2024-03-11T23:00:00Z',
  label: 'PRLV SEPA EDF',
  amount: -87.4,
  currency: 'EUR',
  category: 'energy',
  accountId: 'acc-1',
  type: 'direct_debit',
  ...over,
});

const T = '/api/data/bank.transaction';

describe('documents over HTTP', () => {
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer();
    await f.ownerToken();
  });
  afterAll(() => f.close());

  const json = async (res: Response) => (await res.json()) as Record<string, any>;

  it('creates with a server id and stamps metadata that the client cannot set', async () => {
    const res = await f.request(T, {
      method: 'POST',
      json: { ...tx(), _meta: { createdAt: '1999-01-01T00:00:00Z', createdBy: { kind: 'connector' } } },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.rev).toMatch(/^1-[0-9a-f]+$/);
    const doc = await json(await f.request(`${T}/${body.id}`));
    expect(doc).toMatchObject({ _id: body.id, _rev: body.rev, amount: -87.4, label: 'PRLV SEPA EDF' });
    expect(doc._meta.createdAt).not.toBe('1999-01-01T00:00:00Z');
    expect(doc._meta.createdBy).toMatchObject({ kind: 'owner', via: 'token' });
    expect(doc._meta.source).toEqual({ kind: 'manual' });
  });

  it('creates with PUT, then refuses a replace without the current revision', async () => {
    const first = await f.request(`${T}/tx-put-1`, { method: 'PUT', json: tx() });
    expect(first.status).toBe(201);
    const { rev } = await json(first);
    const again = await f.request(`${T}/tx-put-1`, { method: 'PUT', json: tx({ amount: -1 }) });
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('conflict');
    const stale = await f.request(`${T}/tx-put-1`, { method: 'PUT', json: { ...tx(), _rev: '1-0000' } });
    expect(stale.status).toBe(409);
    const ok = await f.request(`${T}/tx-put-1`, { method: 'PUT', json: { ...tx({ amount: -2 }), _rev: rev } });
    expect(ok.status).toBe(200);
    const doc = await json(await f.request(`${T}/tx-put-1`));
    expect(doc.amount).toBe(-2);
    expect(doc._rev).toMatch(/^2-/);
    expect(doc._meta.createdAt <= doc._meta.updatedAt).toBe(true);
  });

  it('accepts the revision as If-Match and answers 304 to If-None-Match', async () => {
    const { rev } = await json(await f.request(`${T}/tx-etag`, { method: 'PUT', json: tx() }));
    const res = await f.request(`${T}/tx-etag`, {
      method: 'PUT',
      json: tx({ amount: -3 }),
      headers: { 'if-match': `"${rev}"` },
    });
    expect(res.status).toBe(200);
    const etag = res.headers.get('etag')!;
    expect((await f.request(`${T}/tx-etag`, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('deletes with the revision, leaving a tombstone in the changes feed', async () => {
    const { rev } = await json(await f.request(`${T}/tx-del`, { method: 'PUT', json: tx() }));
    const since = (await json(await f.request(`${T}/_changes`))).last_seq as number;
    expect((await f.request(`${T}/tx-del`, { method: 'DELETE' })).status).toBe(409);
    const del = await f.request(`${T}/tx-del?rev=${rev}`, { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect((await f.request(`${T}/tx-del`)).status).toBe(404);
    const changes = await json(await f.request(`${T}/_changes?since=${since}`));
    expect(changes.results).toEqual([expect.objectContaining({ id: 'tx-del', deleted: true })]);
    // A deleted id can be created again, its revision following the tombstone's (1, 2, then 3).
    const again = await f.request(`${T}/tx-del`, { method: 'PUT', json: tx() });
    expect(again.status).toBe(201);
    expect((await json(again)).rev).toMatch(/^3-/);
    const posted = await f.request(T, { method: 'POST', json: { ...tx(), _id: 'tx-del' } });
    expect(posted.status).toBe(409);
    expect((await json(posted)).error.details).toMatchObject({
      id: 'tx-del',
      currentRev: expect.stringMatching(/^3-/),
    });
  });

  it('names the field and the rule when a document does not match its doctype', async () => {
    const res = await f.request(T, { method: 'POST', json: tx({ amount: 'twelve', currency: 'euros' }) });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(/amount/);
    expect(error.details.issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/amount', rule: 'type' }),
        expect.objectContaining({ path: '/currency', rule: 'pattern' }),
      ]),
    );
  });

  it('refuses reserved fields other than _id, _rev and _meta', async () => {
    const res = await f.request(T, { method: 'POST', json: { ...tx(), _secret: 1 } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.details.issues[0]).toMatchObject({ path: '/_secret', rule: 'reserved' });
  });

  it('writes a bulk batch all or nothing', async () => {
    const bad = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { ...tx(), _id: 'bulk-a' },
          { ...tx({ amount: null }), _id: 'bulk-b' },
          { ...tx(), _id: 'bulk-c' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/docs\[1\]/);
    expect((await f.request(`${T}/bulk-a`)).status).toBe(404);

    const good = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: { docs: [{ ...tx(), _id: 'bulk-a' }, { ...tx(), _id: 'bulk-b' }, tx()] },
    });
    expect(good.status).toBe(201);
    const { results } = await json(good);
    expect(results).toHaveLength(3);

    // A conflict on one document (bulk-a again without _rev) writes none of the others.
    const conflict = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { ...tx(), _id: 'bulk-d' },
          { ...tx(), _id: 'bulk-a' },
        ],
      },
    });
    expect(conflict.status).toBe(409);
    expect((await json(conflict)).error.details).toMatchObject({ index: 1, id: 'bulk-a' });
    expect((await f.request(`${T}/bulk-d`)).status).toBe(404);

    // Updates and deletes in a batch carry their revisions.
    const del = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { _id: 'bulk-a', _rev: results[0].rev, _deleted: true },
          { ...tx({ amount: -9 }), _id: 'bulk-b', _rev: results[1].rev },
        ],
      },
    });
    expect(del.status).toBe(201);
    expect((await f.request(`${T}/bulk-a`)).status).toBe(404);
    expect((await json(await f.request(`${T}/bulk-b`))).amount).toBe(-9);
  });

  it('creates over tombstones in a bulk batch with revisions that follow them', async () => {
    const first = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: { docs: [{ ...tx(), _id: 'tomb-a' }] },
    });
    const [{ rev }] = (await json(first)).results;
    expect((await f.request(`${T}/tomb-a?rev=${rev}`, { method: 'DELETE' })).status).toBe(200);
    const again = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { ...tx(), _id: 'tomb-b' },
          { ...tx({ amount: -3 }), _id: 'tomb-a' },
        ],
      },
    });
    expect(again.status).toBe(201);
    const results = (await json(again)).results;
    expect(results.map((r: { rev: string }) => r.rev.split('-')[0])).toEqual(['1', '3']);
    expect((await json(await f.request(`${T}/tomb-a`))).amount).toBe(-3);
  });

  it('names the first failing document of a bulk batch, whatever the kind of failure', async () => {
    expect(
      (await f.request(`${T}/_bulk`, { method: 'POST', json: { docs: [{ ...tx(), _id: 'first-a' }] } })).status,
    ).toBe(201);
    // A conflict before an invalid document: the conflict is told.
    const conflict = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { ...tx(), _id: 'first-a' },
          { ...tx({ amount: 'x' }), _id: 'first-b' },
        ],
      },
    });
    expect(conflict.status).toBe(409);
    expect((await json(conflict)).error.details).toMatchObject({ index: 0, id: 'first-a' });
    // An invalid document before a conflict: the invalid one is told.
    const invalid = await f.request(`${T}/_bulk`, {
      method: 'POST',
      json: {
        docs: [
          { ...tx({ amount: 'x' }), _id: 'first-b' },
          { ...tx(), _id: 'first-a' },
        ],
      },
    });
    expect(invalid.status).toBe(400);
    expect((await json(invalid)).error.details).toMatchObject({ index: 0 });
    expect((await f.request(`${T}/first-b`)).status).toBe(404);
  });

  describe('_find', () => {
    const A = '/api/data/bank.account';
    beforeAll(async () => {
      // bank.transaction has other documents from the tests above; queries use a dedicated account.
      const docs = Array.from({ length: 30 }, (_, i) => ({
        ...tx({
          accountId: 'acc-find',
          amount: i % 3 === 0 ? 100 + i : -(i + 1),
          date: `2024-0${1 + (i % 3)}-${String(10 + (i % 18)).padStart(2, '0')}T10:00:00Z`,
        }),
        _id: `find-${String(i).padStart(2, '0')}`,
      }));
      expect((await f.request(`${T}/_bulk`, { method: 'POST', json: { docs } })).status).toBe(201);
      expect(A).toBeTruthy();
    });

    const find = async (body: unknown) => {
      const res = await f.request(`${T}/_find`, { method: 'POST', json: body });
      expect(res.status).toBe(200);
      return (await json(res)) as { docs: Record<string, any>[]; bookmark?: string };
    };

    it('finds a month of debits', async () => {
      const r = await find({
        selector: { accountId: 'acc-find', date: { $gte: '2024-02-01', $lt: '2024-03-01' }, amount: { $lt: 0 } },
        limit: 1000,
      });
      expect(r.docs.length).toBeGreaterThan(0);
      for (const d of r.docs) {
        expect(d.date >= '2024-02-01' && d.date < '2024-03-01').toBe(true);
        expect(d.amount).toBeLessThan(0);
      }
      expect(r.docs.length).toBe(
        Array.from({ length: 30 }, (_, i) => i).filter((i) => i % 3 === 1 && i % 3 !== 0).length,
      );
    });

    it('sorts, projects fields and pages with a bookmark through every result once', async () => {
      const seen: string[] = [];
      let bookmark: string | undefined;
      do {
        const r = await find({
          selector: { accountId: 'acc-find' },
          sort: [{ amount: 'desc' }],
          fields: ['amount'],
          limit: 7,
          ...(bookmark ? { bookmark } : {}),
        });
        for (const d of r.docs) expect(Object.keys(d).sort()).toEqual(['_id', '_rev', 'amount']);
        seen.push(...r.docs.map((d) => d._id as string));
        bookmark = r.bookmark;
      } while (bookmark);
      expect(seen).toHaveLength(30);
      expect(new Set(seen).size).toBe(30);
    });

    it('leaves _meta out of listings unless asked', async () => {
      const lean = await find({ selector: { accountId: 'acc-find' }, limit: 2 });
      expect(lean.docs[0]).not.toHaveProperty('_meta');
      const full = await find({ selector: { accountId: 'acc-find' }, limit: 2, meta: true });
      expect(full.docs[0]!._meta).toMatchObject({ source: { kind: 'manual' } });
    });

    it('supports $in, $or, $ne and $exists', async () => {
      const r = await find({
        selector: {
          accountId: { $in: ['acc-find', 'nope'] },
          $or: [{ amount: { $gt: 120 } }, { _unused: { $exists: true } }],
          category: { $ne: 'salary' },
          reference: { $exists: false },
        },
      });
      expect(r.docs.map((d) => d.amount).sort()).toEqual([121, 124, 127]);
    });

    it('refuses unknown operators with the path named', async () => {
      const res = await f.request(`${T}/_find`, { method: 'POST', json: { selector: { amount: { $regex: 'x' } } } });
      expect(res.status).toBe(400);
      const { error } = await json(res);
      expect(error.code).toBe('invalid_selector');
      expect(error.message).toMatch(/\$regex/);
    });

    it('refuses a forged bookmark', async () => {
      const res = await f.request(`${T}/_find`, {
        method: 'POST',
        json: { selector: {}, bookmark: 'bm90IGEgYm9va21hcms' },
      });
      expect(res.status).toBe(400);
    });
  });

  it('declares and lists indexes', async () => {
    expect(
      (await f.request(`${T}/_index`, { method: 'POST', json: { index: { fields: ['category', 'date'] } } })).status,
    ).toBe(200);
    const { indexes } = await json(await f.request(`${T}/_index`));
    expect(indexes).toEqual(expect.arrayContaining([{ fields: ['category', 'date'] }, { fields: ['date', 'amount'] }]));
  });

  describe('bad input changes nothing', () => {
    it('unknown doctypes are 404, series doctypes point to /api/series', async () => {
      const unknown = await f.request('/api/data/nope.nothing', { method: 'POST', json: tx() });
      expect(unknown.status).toBe(404);
      expect((await json(unknown)).error.code).toBe('unknown_doctype');
      const series = await f.request('/api/data/energy.electricity.load-curve', { method: 'POST', json: {} });
      expect(series.status).toBe(404);
      expect((await json(series)).error.message).toMatch(/\/api\/series/);
    });

    it('refuses the NUL character, which not every store can keep', async () => {
      const res = await f.request(T, { method: 'POST', json: tx({ label: 'a\u0000b' }) });
      expect(res.status).toBe(400);
      expect((await json(res)).error.message).toMatch(/NUL/);
    });

    it('invalid JSON is 400 invalid_json', async () => {
      const res = await f.request(T, {
        method: 'POST',
        body: '{"amount": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error.code).toBe('invalid_json');
    });

    it('a wrong content type is 415', async () => {
      const res = await f.request(T, {
        method: 'POST',
        body: JSON.stringify(tx()),
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
    });

    it('an oversize body is 413, with or without Content-Length', async () => {
      const big = JSON.stringify({ ...tx(), label: 'x'.repeat(1024 * 1024) });
      const res = await f.request(T, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(413);
      const stream = new ReadableStream({
        start(c) {
          c.enqueue(new TextEncoder().encode(big));
          c.close();
        },
      });
      const chunked = await f.request(T, {
        method: 'POST',
        body: stream,
        headers: { 'content-type': 'application/json' },
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
    });

    it.each([
      ['dot-dot', '..'],
      ['encoded slash', 'a%2Fb'],
      ['NUL', 'a%00b'],
      ['very long', 'a'.repeat(300)],
      ['leading dot', '.hidden'],
    ])('refuses a document id with %s', async (_label, id) => {
      const res = await f.request(`${T}/${id}`, { method: 'PUT', json: tx() });
      expect([400, 404]).toContain(res.status);
      if (res.status === 400) expect((await json(res)).error.code).toBe('invalid_name');
    });

    it('missing or forged tokens are 401 and write nothing', async () => {
      const before = (await json(await f.request(`${T}/_changes`))).last_seq;
      const none = await f.request(`${T}/forged`, { method: 'PUT', json: tx(), token: null });
      expect(none.status).toBe(401);
      const forged = await f.request(`${T}/forged`, {
        method: 'PUT',
        json: tx(),
        token: 'foyer_pat_forgedforgedforged',
      });
      expect(forged.status).toBe(401);
      const garbled = await f.request(`${T}/forged`, {
        method: 'PUT',
        json: tx(),
        headers: { authorization: 'Basic abc' },
      });
      expect(garbled.status).toBe(401);
      expect((await json(await f.request(`${T}/_changes`))).last_seq).toBe(before);
    });

    it('errors carry a stable code and no stack or driver text', async () => {
      const res = await f.request(`${T}/x`, { method: 'PATCH', json: tx() });
      expect(res.status).toBe(405);
      const body = await json(res);
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.code).toBe('method_not_allowed');
      expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|sqlite|node_modules/i);
    });
  });
});
