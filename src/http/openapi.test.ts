import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';

describe('OpenAPI document', () => {
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer();
  });
  afterAll(() => f.close());

  it('is served without authentication as OpenAPI 3.1', async () => {
    const res = await f.request('/api/openapi.json', { token: null });
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
  });

  it('describes every API route the server answers', async () => {
    const doc = (await (await f.request('/api/openapi.json')).json()) as {
      paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
    };
    const served = f.foyer.app.routes
      .filter((r) => r.path.startsWith('/api/') && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`);
    const described = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    expect(served.length).toBeGreaterThan(20);
    expect(new Set(described)).toEqual(new Set(served));
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
