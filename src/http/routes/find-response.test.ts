import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeGrant, testTerms, type TestGrant } from '../../testing/grants.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const T = '/api/data/bank.transaction';

/** Labels whose UTF-8 byte lengths differ from their character counts. */
const LABELS = ['Électricité', '電気料金 ⚡', 'emoji 🏠🔌', 'quote " backslash \\', 'PRLV SEPA EDF'];

const tx = (i: number, accountId: string) => ({
  date: `2024-03-${String(1 + i).padStart(2, '0')}T10:00:00Z`,
  label: LABELS[i % LABELS.length],
  amount: i % 2 ? -(i + 0.5) : i + 1,
  currency: 'EUR',
  category: 'energy',
  accountId,
  type: 'card',
});

describe('_find answers written from the stored JSON', () => {
  let f: TestFoyer;
  let filtered: TestGrant;
  let listed: TestGrant;
  // Written in an order unlike id order.
  const ids = Array.from({ length: 12 }, (_, i) => `utf8-${String((i * 7) % 12).padStart(2, '0')}`);

  beforeAll(async () => {
    f = await startTestFoyer();
    await f.ownerToken();
    const docs = ids.map((id, i) => ({ ...tx(i, i % 3 ? 'acc-mine' : 'acc-other'), _id: id }));
    expect((await f.request(`${T}/_bulk`, { method: 'POST', json: { docs } })).status).toBe(201);
    const scope = { doctype: 'bank.transaction', verbs: ['read' as const], filter: { accountId: 'acc-mine' } };
    filtered = await activeGrant(f, testTerms({ scopes: [scope] }));
    listed = await activeGrant(f, testTerms({ scopes: [{ ...scope, fields: ['amount', 'label'] }] }));
  });
  afterAll(() => f.close());

  const find = async (body: unknown, token?: string) => {
    const res = await f.request(`${T}/_find`, { method: 'POST', json: body, ...(token ? { token } : {}) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    return JSON.parse(bytes.toString('utf8')) as { docs: Record<string, unknown>[]; bookmark?: string };
  };

  /** Each document as a GET returns it, without `_meta` unless asked. */
  const readBack = async (id: string, meta: boolean) => {
    const doc = (await (await f.request(`${T}/${id}`)).json()) as Record<string, unknown>;
    if (!meta) delete doc._meta;
    return doc;
  };

  for (const meta of [false, true]) {
    it(`answers every script byte for byte, in id order${meta ? ', with _meta when asked' : ''}`, async () => {
      const r = await find({ selector: { date: { $gte: '2024-03-01', $lt: '2024-04-01' } }, limit: 1000, meta });
      const mine = r.docs.filter((d) => String(d._id).startsWith('utf8-'));
      expect(mine.map((d) => d._id)).toEqual([...ids].sort());
      expect(mine).toEqual(await Promise.all(mine.map((d) => readBack(String(d._id), meta))));
      expect(r.bookmark).toBeUndefined();
    });
  }

  it("keeps a grant's filter exact in a complete answer", async () => {
    const r = await find({ selector: { label: { $in: LABELS } }, limit: 1000 }, filtered.accessToken);
    const expected = ids.filter((_, i) => i % 3 !== 0).sort();
    expect(r.docs.map((d) => d._id)).toEqual(expected);
    expect(r.docs.every((d) => d.accountId === 'acc-mine')).toBe(true);
  });

  it("keeps a grant's field list exact in a complete answer", async () => {
    const r = await find({ selector: { label: { $in: LABELS } }, limit: 1000 }, listed.accessToken);
    expect(r.docs).toHaveLength(8);
    for (const d of r.docs) expect(Object.keys(d).sort()).toEqual(['_id', '_rev', 'amount', 'label']);
  });

  it('pages an answer longer than the limit with bookmarks, each document once', async () => {
    const seen: unknown[] = [];
    let bookmark: string | undefined;
    do {
      const r = await find({ selector: { accountId: 'acc-mine' }, limit: 3, ...(bookmark ? { bookmark } : {}) });
      seen.push(...r.docs.map((d) => d._id));
      bookmark = r.bookmark;
    } while (bookmark);
    expect(seen).toEqual(ids.filter((_, i) => i % 3 !== 0).sort());
  });
});
