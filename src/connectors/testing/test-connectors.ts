/**
 * Connector definitions for the runtime's tests: the test connector (login and OAuth flavours),
 * the one that collects files, and the misbehaving ones, all declaring the host `holder.test` and installed with `origin` set to
 * the test holder's loopback address.
 */
import { fileURLToPath } from 'node:url';
import type { ConnectorDefinition } from '../connector-registry.js';
import type { ConnectorManifestInput } from '../manifest.js';

export const TEST_API = 'http://holder.test';

const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

export function testManifest(id: string, over: Partial<ConnectorManifestInput> = {}): ConnectorManifestInput {
  return {
    id,
    name: `Test ${id}`,
    version: '1.0.0',
    holder: { name: 'Test Holder', url: 'https://holder.test' },
    api: TEST_API,
    doctypes: [
      { doctype: 'bill', verbs: ['create', 'update'] },
      { doctype: 'energy.electricity.daily', verbs: ['create'] },
    ],
    auth: {
      kind: 'login',
      fields: [
        { name: 'username', label: { en: 'Email', fr: 'E-mail' } },
        { name: 'password', label: { en: 'Password', fr: 'Mot de passe' }, secret: true },
      ],
    },
    schedule: { frequency: 'daily', window: { start: '06:30', end: '09:00' } },
    hosts: ['holder.test'],
    limits: { timeSeconds: 20, memoryMb: 64 },
    purpose: {
      code: 'data-collection',
      text: { en: 'Collect your bills and consumption.', fr: 'Rapatrier vos factures et votre consommation.' },
    },
    retention: 'P1D',
    ...over,
  };
}

export const oauthAuth = {
  kind: 'oauth' as const,
  authorizationUrl: `${TEST_API}/oauth/authorize`,
  tokenUrl: `${TEST_API}/oauth/token`,
  clientId: 'foyer-tests',
  scopes: ['bills', 'daily'],
};

const misbehaving = (id: string, file: string, over: Partial<ConnectorManifestInput> = {}): ConnectorDefinition => ({
  manifest: testManifest(id, over),
  entry: here(`./misbehaving/${file}.js`),
});

/** The doctypes of a connector that collects files: bills, and the files they point to. */
export const fileDoctypes: ConnectorManifestInput['doctypes'] = [
  { doctype: 'bill', verbs: ['create', 'update'] },
  {
    doctype: 'foyer.file',
    verbs: ['create', 'update'],
    reason: { en: 'The PDF of each bill.', fr: 'Le PDF de chaque facture.' },
  },
];

export function testConnectors(): ConnectorDefinition[] {
  const entry = here('./test-connector/connector.js');
  const files = here('./file-connector/connector.js');
  return [
    { manifest: testManifest('test-files', { doctypes: fileDoctypes, onWithdraw: 'delete' }), entry: files },
    { manifest: testManifest('test-files-ungranted', { doctypes: [fileDoctypes[0]!] }), entry: files },
    {
      manifest: testManifest('test-files-quick', { doctypes: fileDoctypes, limits: { timeSeconds: 1, memoryMb: 64 } }),
      entry: files,
    },
    { manifest: testManifest('test-login'), entry },
    { manifest: testManifest('test-oauth', { auth: oauthAuth }), entry },
    { manifest: testManifest('test-quick', { limits: { timeSeconds: 1, memoryMb: 64 } }), entry },
    misbehaving('bad-global-fetch', 'global-fetch'),
    misbehaving('bad-doors', 'doors', {
      auth: { kind: 'login', fields: [{ name: 'door', label: { en: 'Door', fr: 'Porte' } }] },
    }),
    misbehaving('bad-socket', 'socket'),
    misbehaving('bad-static-import', 'static-import'),
    misbehaving('bad-memory', 'memory-hog', { limits: { timeSeconds: 20, memoryMb: 32 } }),
    misbehaving('bad-forever', 'forever', { limits: { timeSeconds: 1, memoryMb: 64 } }),
    misbehaving('bad-undeclared-host', 'undeclared-host'),
    misbehaving('bad-outside-grant', 'outside-grant'),
    misbehaving('bad-leaky', 'leaky'),
    misbehaving('bad-crash', 'crash'),
    misbehaving('bad-dangling-file', 'dangling-file', { doctypes: fileDoctypes }),
    misbehaving('bad-file-args', 'bad-file-args', { doctypes: fileDoctypes }),
  ];
}
