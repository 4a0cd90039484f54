import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import type { ConnectionFlow } from './connection-flow.js';
import { createConnectorRegistry } from './connector-registry.js';
import { oauthAuth, testManifest } from './testing/test-connectors.js';

const steps: ConnectionFlow = {
  start: () => Promise.resolve({ url: 'http://holder.test/consent' }),
  finish: () => Promise.resolve({ consentId: 'c' }),
};

describe('connection steps of a redirect connector', () => {
  it('go with auth.kind redirect, and only with it', async () => {
    const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
    const redirect = testManifest('redirect', { auth: { kind: 'redirect' } });
    const registry = createConnectorRegistry([{ manifest: redirect, entry: '/x.js', connection: steps }], catalog);
    expect(registry.get('redirect')?.connection).toBe(steps);
    expect(() => createConnectorRegistry([{ manifest: redirect, entry: '/x.js' }], catalog)).toThrow(
      'a connection flow goes with auth.kind redirect, and only with it',
    );
    const oauth = testManifest('oauth', { auth: oauthAuth });
    expect(() => createConnectorRegistry([{ manifest: oauth, entry: '/x.js', connection: steps }], catalog)).toThrow(
      'a connection flow goes with auth.kind redirect',
    );
  });
});
