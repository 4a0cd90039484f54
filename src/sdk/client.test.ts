import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { createFoyerClient, FoyerApiError, type FoyerClient } from './client.js';

describe('SDK client against a real Foyer', () => {
  let f: TestFoyer;
  let foyer: FoyerClient;

  beforeAll(async () => {
    f = await startTestFoyer();
    foyer = createFoyerClient({ baseUrl: `${f.url}/`, token: await f.ownerToken() });
  });
  afterAll(() => f.close());

  const codeOf = (p: Promise<unknown>) =>
    p.then(
      () => 'allowed',
      (e: unknown) => (e instanceof FoyerApiError ? e.code : `not a FoyerApiError: ${String(e)}`),
    );

  it('creates, reads, updates, finds (all pages), lists changes and deletes documents', async () => {
    const bills = foyer.documents<{
      vendor: string;
      vendorCategory: string;
      issueDate: string;
      totalAmount: number;
      currency: string;
    }>('bill');
    const made = await bills.create({
      vendor: 'Lumen',
      vendorCategory: 'energy',
      issueDate: '2026-01-04',
      totalAmount: 41,
      currency: 'EUR',
    });
    const doc = await bills.get(made.id);
    expect(doc.totalAmount).toBe(41);
    const updated = await bills.update({ ...doc, totalAmount: 42 });
    expect(updated.rev).not.toBe(doc._rev);
    await bills.bulk(
      Array.from({ length: 150 }, (_, i) => ({
        vendor: `V${i}`,
        vendorCategory: 'energy',
        issueDate: '2026-02-01',
        totalAmount: 100 + i,
        currency: 'EUR',
      })),
    );
    expect(await bills.all({ limit: 100 })).toHaveLength(151);
    expect((await bills.find({ selector: { totalAmount: 42 } })).docs.map((d) => d._id)).toEqual([made.id]);
    const changes = await bills.changes(0, { limit: 5, includeDocs: true });
    expect(changes.results).toHaveLength(5);
    expect(changes.pending).toBe(true);
    await bills.remove(made.id, updated.rev);
    expect(await codeOf(bills.get(made.id))).toBe('not_found');
  });

  it('appends, reads and aggregates series points', async () => {
    const curve = foyer.series('energy.electricity.load-curve');
    const points = [0, 30, 60].map((m) => ({
      usagePointId: '09123456789012',
      t: new Date(Date.UTC(2026, 0, 10, 12, m)).toISOString(),
      powerW: 1000 + m,
    }));
    expect((await curve.append(points)).written).toBe(3);
    expect((await curve.read({ from: '2026-01-10', to: '2026-01-11' })).points).toHaveLength(3);
    const daily = await curve.aggregate({ from: '2026-01-10', to: '2026-01-11', every: 'day', agg: 'max' });
    expect(daily.buckets).toEqual([expect.objectContaining({ key: '2026-01-10', value: 1060, count: 3 })]);
  });

  it('uploads, lists, reads and deletes files', async () => {
    const file = await foyer.files.upload({ name: 'note.txt', folder: '/notes', type: 'text/plain' }, 'hello foyer');
    expect(file).toMatchObject({ name: 'note.txt', folder: '/notes', size: 11 });
    expect((await foyer.files.list('/notes')).files.map((x) => x.id)).toEqual([file.id]);
    expect(new TextDecoder().decode(await foyer.files.content(file.id))).toBe('hello foyer');
    await foyer.files.remove(file.id, file.rev);
    expect(await codeOf(foyer.files.metadata(file.id))).toBe('not_found');
  });

  it('gives typed error codes: validation, unknown doctype, bad token, no server, not Foyer', async () => {
    expect(await codeOf(foyer.documents('bill').create({ vendor: 1 } as never))).toBe('validation_failed');
    expect(await codeOf(foyer.documents('no.such').find())).toBe('unknown_doctype');
    const stranger = createFoyerClient({ baseUrl: f.url, token: 'foyer_pat_wrong' });
    expect(await codeOf(stranger.documents('bill').find())).toBe('invalid_token');
    const nobody = createFoyerClient({ baseUrl: 'http://127.0.0.1:1', token: 'x' });
    expect(await codeOf(nobody.documents('bill').find())).toBe('network_error');
    const notFoyer = createFoyerClient({
      baseUrl: f.url,
      fetch: async () => new Response('<html>proxy error</html>', { status: 502 }),
    });
    const e = await notFoyer
      .documents('bill')
      .find()
      .catch((x: unknown) => x as FoyerApiError);
    expect(e).toMatchObject({ code: 'bad_response', status: 502 });
  });
});
