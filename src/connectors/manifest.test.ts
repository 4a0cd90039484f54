import { describe, expect, it } from 'vitest';
import { defaultCatalogDir, loadCatalog } from '../core/catalog/load-catalog.js';
import { createConnectorRegistry } from './connector-registry.js';
import { atOrigin, grantTermsOf, parseManifest } from './manifest.js';
import { createMask } from './mask.js';
import { oauthAuth, testManifest } from './testing/test-connectors.js';

describe('connector manifest', () => {
  it('fills the defaults of a valid manifest', () => {
    const m = parseManifest(testManifest('enedis', { limits: undefined }));
    expect(m.limits).toEqual({ timeSeconds: 300, memoryMb: 128, maxRecords: 1_000_000 });
    expect(m.consentValidity).toBe('P1Y');
    expect(m.onWithdraw).toBe('keep');
    expect(m.auth).toMatchObject({ kind: 'login', fields: [{ name: 'username', secret: false }, { secret: true }] });
  });

  it('takes an OAuth auth whose endpoints are discovered, without their URLs', () => {
    const auth = { kind: 'oauth' as const, discovery: '/.well-known/holder-kit', clientId: 'foyer', scopes: ['bill'] };
    expect(parseManifest(testManifest('enedis', { auth })).auth).toEqual(auth);
  });

  it('rejects what is wrong, naming where', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ id: 'Bad Id' }, 'id'],
      [{ version: '1.0' }, 'version'],
      [{ api: 'ftp://holder.test' }, 'api'],
      [{ api: 'http://elsewhere.test' }, 'api: elsewhere.test is not in hosts'],
      [
        { auth: { ...oauthAuth, tokenUrl: 'https://auth.other.test/token' } },
        'auth.tokenUrl: auth.other.test is not in hosts',
      ],
      [
        { auth: { kind: 'oauth', clientId: 'foyer', tokenUrl: 'https://holder.test/token' } },
        'auth: authorizationUrl and tokenUrl are needed without discovery',
      ],
      [{ auth: { kind: 'oauth', clientId: 'foyer', discovery: 'holder-kit' } }, 'auth.discovery'],
      [{ auth: { kind: 'login', fields: [] } }, 'auth.fields'],
      [{ auth: { kind: 'password' } }, 'auth'],
      [
        {
          doctypes: [
            { doctype: 'bill', verbs: ['create'] },
            { doctype: 'bill', verbs: ['update'] },
          ],
        },
        'doctypes.1: bill is listed twice',
      ],
      [{ doctypes: [{ doctype: 'bill', verbs: ['delete'] }] }, 'doctypes.0.verbs.0'],
      [{ doctypes: [] }, 'doctypes'],
      [{ purpose: { code: 'resale', text: { en: 'x', fr: 'x' } } }, 'purpose.code: not a purpose of the list'],
      [{ retention: 'one year' }, 'retention'],
      [{ schedule: { frequency: 'daily', window: { start: '6:30', end: '09:00' } } }, 'schedule.window.start'],
      [{ schedule: { frequency: 'monthly' } }, 'schedule.frequency'],
      [{ hosts: ['*.holder.test'] }, 'hosts.0'],
      [{ hosts: ['Holder.Test'] }, 'hosts.0'],
      [{ limits: { timeSeconds: 7200 } }, 'limits.timeSeconds'],
      [{ limits: { memoryMb: 8 } }, 'limits.memoryMb'],
      [{ surprise: true }, 'surprise'],
    ];
    for (const [over, where] of cases) {
      expect(() => parseManifest({ ...testManifest('enedis'), ...over }), where).toThrow(where);
    }
    expect(() => parseManifest(null)).toThrow('Connector manifest ? is invalid');
  });

  it('moves an installation to another origin: the API, the OAuth endpoints on its origin, and its host', () => {
    const m = parseManifest(
      testManifest('enedis', {
        api: 'https://holder.test/v1',
        hosts: ['holder.test', 'cdn.holder.test'],
        auth: {
          ...oauthAuth,
          authorizationUrl: 'https://holder.test/oauth/authorize',
          tokenUrl: 'https://holder.test/oauth/token',
        },
      }),
    );
    const moved = atOrigin(m, 'http://127.0.0.1:7001');
    expect(moved.api).toBe('http://127.0.0.1:7001/v1');
    expect(moved.auth).toMatchObject({
      authorizationUrl: 'http://127.0.0.1:7001/oauth/authorize',
      tokenUrl: 'http://127.0.0.1:7001/oauth/token',
    });
    expect(moved.hosts).toEqual(['127.0.0.1:7001', 'cdn.holder.test']);
    expect(atOrigin(m, null)).toBe(m);
  });

  it('asks for a grant of exactly its doctypes and verbs, for its purpose and retention', () => {
    const now = Date.UTC(2026, 0, 31);
    const terms = grantTermsOf(parseManifest(testManifest('enedis', { consentValidity: 'P1M' })), now);
    expect(terms).toEqual({
      scopes: [
        { doctype: 'bill', verbs: ['create', 'update'] },
        { doctype: 'energy.electricity.daily', verbs: ['create'] },
      ],
      purpose: expect.objectContaining({ code: 'data-collection' }),
      storage: { kind: 'space' },
      retention: 'P1D',
      validUntil: '2026-02-28T00:00:00.000Z',
      onWithdraw: 'keep',
    });
  });
});

describe('connector registry', () => {
  it('refuses a doctype the catalog lacks, an update verb on a series, and an id defined twice', async () => {
    const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
    const def = (over: Parameters<typeof testManifest>[1] = {}, id = 'enedis') => ({
      manifest: testManifest(id, over),
      entry: '/nowhere/connector.js',
    });
    expect(
      createConnectorRegistry([def(), def({}, 'other')], catalog)
        .list()
        .map((c) => c.manifest.id),
    ).toEqual(['enedis', 'other']);
    expect(() =>
      createConnectorRegistry([def({ doctypes: [{ doctype: 'no.such', verbs: ['create'] }] })], catalog),
    ).toThrow('writes no.such, which the catalog does not hold');
    expect(() =>
      createConnectorRegistry(
        [def({ doctypes: [{ doctype: 'energy.electricity.daily', verbs: ['create', 'update'] }] })],
        catalog,
      ),
    ).toThrow('time series');
    expect(() => createConnectorRegistry([def(), def()], catalog)).toThrow('defined twice');
  });

  it('takes foyer.file, the files a connector collects, as a scope beside the catalog doctypes', async () => {
    const catalog = await loadCatalog(defaultCatalogDir(), { verify: false });
    const files = { doctype: 'foyer.file', verbs: ['create', 'update'] as ('create' | 'update')[] };
    const registry = createConnectorRegistry(
      [{ manifest: testManifest('enedis', { doctypes: [files] }), entry: '/nowhere/connector.js' }],
      catalog,
    );
    expect(grantTermsOf(registry.get('enedis')!.manifest, 0).scopes).toEqual([files]);
  });
});

describe('credential mask', () => {
  it('masks values as given, URL-encoded and in base64, leaving short values alone', () => {
    const mask = createMask(['p@ss word!', 'alice:p@ss word!', 'ab']);
    const basic = Buffer.from('alice:p@ss word!').toString('base64');
    expect(mask(`pw=p@ss word! q=${encodeURIComponent('p@ss word!')} auth=Basic ${basic} ab`)).toBe(
      'pw=[masked] q=[masked] auth=Basic [masked]== ab',
    );
  });
});
