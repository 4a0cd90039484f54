import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';

const example = async (doctype: string) =>
  JSON.parse(await readFile(path.join('catalog', 'doctypes', doctype, 'example.json'), 'utf8'));

describe('GET /api/summary', () => {
  let t: TestFoyer;
  beforeAll(async () => {
    t = await startTestFoyer();
    await t.ownerToken();
  });
  afterAll(() => t.close());

  it('is the owner’s only', async () => {
    const res = await t.request('/api/summary', { token: null });
    expect(res.status).toBe(401);
  });

  it('is empty for an empty space', async () => {
    const res = await t.request('/api/summary');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ sources: [], series: [] });
  });

  it('counts documents per source and doctype with their period, and series with their months', async () => {
    const tx = await example('bank.transaction');
    for (const date of ['2024-03-11T23:00:00Z', '2023-01-02T10:00:00Z', '2024-07-30T08:00:00Z']) {
      const res = await t.request('/api/data/bank.transaction', { method: 'POST', json: { ...tx, date } });
      expect(res.status).toBe(201);
    }
    const points = await example('water.daily');
    expect((await t.request('/api/series/water.daily', { method: 'POST', json: { points } })).status).toBeLessThan(300);

    const body = (await (await t.request('/api/summary')).json()) as any;
    expect(body.sources).toHaveLength(1);
    const [owner] = body.sources;
    expect(owner).toMatchObject({ kind: 'owner', id: null, count: 3 });
    expect(owner.doctypes).toEqual([
      {
        doctype: 'bank.transaction',
        count: 3,
        from: '2023-01-02T10:00:00Z',
        to: '2024-07-30T08:00:00Z',
        lastUpdate: owner.lastUpdate,
      },
    ]);
    expect(body.series).toEqual([{ doctype: 'water.daily', points: 3, from: '2024-03', to: '2024-03' }]);

    // Deleted documents are no longer counted.
    const found = (await (
      await t.request('/api/data/bank.transaction/_find', { method: 'POST', json: { selector: {} } })
    ).json()) as any;
    const first = found.docs[0];
    expect(
      (await t.request(`/api/data/bank.transaction/${first._id}?rev=${first._rev}`, { method: 'DELETE' })).status,
    ).toBe(200);
    const after = (await (await t.request('/api/summary')).json()) as any;
    expect(after.sources[0].count).toBe(2);

    // A change after a summary shows in the next one (what was summarised is not served stale).
    const second = found.docs[1];
    const { _id, _rev, ...data } = second;
    const put = await t.request(`/api/data/bank.transaction/${_id}`, {
      method: 'PUT',
      json: { ...data, _rev, date: '2025-12-31T10:00:00Z' },
    });
    expect(put.status).toBe(200);
    const changed = (await (await t.request('/api/summary')).json()) as any;
    expect(changed.sources[0].doctypes[0].to).toBe('2025-12-31T10:00:00Z');
    expect(changed.sources[0].count).toBe(2);
  });

  it('records its reads in the ledger as the owner’s', async () => {
    const res = await t.request('/api/ledger?doctype=bank.transaction&limit=5');
    const entries = ((await res.json()) as any).entries;
    expect(entries.some((e: any) => e.verb === 'read' && e.actorKind === 'owner' && e.outcome === 'allowed')).toBe(
      true,
    );
  });
});
