import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { jsonBody, type JsonBody } from '../../testing/json-body.js';
import { copyTutorialApp } from '../testing/app-fixtures.js';

describe('app frames over HTTP: page, CSP, assets, CORS, CSP reports', () => {
  let f: TestFoyer;

  beforeAll(async () => {
    const copy = await copyTutorialApp();
    f = await startTestFoyer({ overrides: { appRegistryFile: copy.registryFile } });
    await f.ownerToken();
  });
  afterAll(() => f.close());

  it('serves the page with its script inlined under a hash, an opaque origin and only the API reachable', async () => {
    const res = await f.request('/app-frame/big-spends', { token: null });
    expect(res.status).toBe(200);
    const html = await res.text();
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1] ?? '';
    expect(script).toContain('foyer-app:hello');
    const csp = res.headers.get('content-security-policy')!.split('; ');
    const hash = createHash('sha256').update(script).digest('base64');
    expect(csp).toContain(`script-src 'sha256-${hash}'`);
    expect(csp).toContain('sandbox allow-scripts');
    expect(csp).toContain(`connect-src ${f.url}/api/ ${f.url}/app-frame/big-spends/assets/`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`frame-ancestors ${f.url}`);
    expect(csp).toContain(`report-uri ${f.url}/api/apps/big-spends/csp-report`);
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('serves web/ assets of listed types only, never code or a file outside web/', async () => {
    expect((await f.request('/app-frame/big-spends/assets/index.html', { token: null })).status).toBe(404);
    expect((await f.request('/app-frame/big-spends/assets/main.ts', { token: null })).status).toBe(404);
    expect((await f.request('/app-frame/big-spends/assets/..%2F..%2Fmanifest.json', { token: null })).status).toBe(404);
    expect((await f.request('/app-frame/no-such-app', { token: null })).status).toBe(404);
  });

  it('answers CORS to an opaque origin without credentials, and to no other origin', async () => {
    const preflight = await fetch(`${f.url}/api/data/bank.transaction/_find`, {
      method: 'OPTIONS',
      headers: {
        origin: 'null',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('null');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const denied = await f.request('/api/data/bank.transaction/_find', {
      method: 'POST',
      json: {},
      token: null,
      headers: { origin: 'null' },
    });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('null');
    const elsewhere = await f.request('/api/apps', { headers: { origin: 'https://evil.example' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('writes each CSP report as a denied ledger entry of the app, and refuses reports for unknown apps', async () => {
    const report = {
      'csp-report': {
        'document-uri': `${f.url}/app-frame/big-spends`,
        'blocked-uri': 'https://evil.example/steal',
        'effective-directive': 'connect-src',
      },
    };
    const res = await fetch(`${f.url}/api/apps/big-spends/csp-report`, {
      method: 'POST',
      headers: { 'content-type': 'application/csp-report' },
      body: JSON.stringify(report),
    });
    expect(res.status).toBe(204);
    const ledger = await jsonBody(await f.request('/api/ledger?grantee=app:big-spends&outcome=denied'));
    expect((ledger.entries as JsonBody[]).map((e) => e.code)).toContain('csp_violation:connect-src');
    const unknown = await fetch(`${f.url}/api/apps/nope/csp-report`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    const huge = await fetch(`${f.url}/api/apps/big-spends/csp-report`, { method: 'POST', body: 'x'.repeat(20_000) });
    expect(huge.status).toBe(413);
  });
});
