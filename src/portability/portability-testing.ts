/**
 * For the portability tests: a space filled through the real API (documents of several doctypes,
 * series, files, an active and a withdrawn grant), archives downloaded and uploaded over HTTP,
 * and an archive's members read back.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { expect } from 'vitest';
import { activeGrant, testTerms } from '../testing/grants.js';
import { makeTestPostgresStore, type TestPostgresStore } from '../testing/postgres.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import { openArchive } from './archive-reader.js';
import { PASSPHRASE_HEADER } from './portability-routes.js';

export const SEED = {
  account: {
    accountId: 'acc-1',
    vendor: 'La Banque Postale',
    label: 'COMPTE JOINT',
    type: 'checking',
    currency: 'EUR',
    balance: 1234.5,
    balanceDate: '2026-03-31T00:00:00Z',
  },
  transactions: [
    {
      date: '2026-03-01T23:00:00Z',
      label: 'PRLV SEPA EDF',
      amount: -87.4,
      currency: 'EUR',
      accountId: 'acc-1',
      reference: 'ECH 601',
    },
    { date: '2026-03-04T23:00:00Z', label: 'VIR SALAIRE, "MARS"', amount: 2350, currency: 'EUR', accountId: 'acc-1' },
    { date: '2026-03-09T23:00:00Z', label: 'CB CARREFOUR MARKET', amount: -12.5, currency: 'EUR', accountId: 'acc-1' },
  ],
  events: [
    {
      uid: 'ev-1@example.fr',
      title: 'Dentiste; rappel',
      start: '2026-03-14T16:30:00Z',
      end: '2026-03-14T17:00:00Z',
      location: 'Lyon, 3 rue des Lilas',
    },
    { uid: 'ev-2@example.fr', title: 'Vacances', allDay: true, start: '2026-04-10', end: '2026-04-13' },
  ],
  contacts: [
    {
      uid: 'urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1',
      displayName: 'Marie Dupont',
      name: { given: 'Marie', family: 'Dupont' },
      emails: [{ address: 'marie.dupont@example.fr', type: 'home', primary: true }],
      phones: [{ number: '+33687654321', type: 'mobile' }],
      addresses: [{ type: 'home', street: '8 rue des Écoles', postalCode: '69007', city: 'Lyon', country: 'FR' }],
      birthday: '1986-05-21',
    },
  ],
  visits: [
    {
      start: '2026-03-12T17:14:00Z',
      end: '2026-03-12T17:41:00Z',
      lat: 45.76102,
      lon: 4.85123,
      placeName: 'Carrefour Market',
    },
  ],
  daily: [
    { usagePointId: '09123456789012', date: '2026-01-15', energyKwh: 24.61 },
    { usagePointId: '09123456789012', date: '2026-01-16', energyKwh: 27.05 },
  ],
  water: [{ meterId: 'I19LA123456', date: '2026-03-10', volumeLitres: 312 }],
  points: [{ deviceId: 'device-1', t: '2026-03-12T07:41:12Z', lat: 45.75981, lon: 4.85912 }],
  files: [
    {
      name: 'facture-mars.pdf',
      folder: '/bills',
      type: 'application/pdf',
      content: Buffer.from('%PDF-1.4 facture de mars\n'),
    },
    { name: 'photo.bin', folder: '/', type: 'application/octet-stream', content: Buffer.alloc(300_000, 7) },
  ],
};

async function must(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${what}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as unknown) : null;
}

/** Fills the default space through the API, as its owner. */
export async function seedSpace(f: TestFoyer): Promise<void> {
  await f.ownerToken();
  const bulk = (doctype: string, docs: unknown[]) =>
    f.request(`/api/data/${doctype}/_bulk`, { method: 'POST', json: { docs } }).then((r) => must(r, doctype));
  await bulk('bank.account', [SEED.account]);
  await bulk('bank.transaction', SEED.transactions);
  await bulk('calendar.event', SEED.events);
  await bulk('contact', SEED.contacts);
  await bulk('location.visit', SEED.visits);
  const append = (doctype: string, points: unknown[]) =>
    f.request(`/api/series/${doctype}`, { method: 'POST', json: { points } }).then((r) => must(r, doctype));
  await append('energy.electricity.daily', SEED.daily);
  await append('water.daily', SEED.water);
  await append('location.point', SEED.points);
  for (const file of SEED.files) {
    await must(
      await f.request(`/api/files?name=${encodeURIComponent(file.name)}&folder=${encodeURIComponent(file.folder)}`, {
        method: 'POST',
        body: file.content,
        headers: { 'content-type': file.type },
      }),
      file.name,
    );
  }
  await activeGrant(f, testTerms());
  const withdrawn = await activeGrant(f, testTerms({ scopes: [{ doctype: 'contact', verbs: ['read'] }] }), {
    kind: 'app',
    id: 'carnet',
    name: 'Carnet',
  });
  await must(
    await f.request(`/api/grants/${withdrawn.id}/withdraw`, { method: 'POST', json: { choice: 'delete' } }),
    'withdraw',
  );
}

/** Downloads the space's archive into a file of the test's data folder. */
export async function downloadArchive(
  f: TestFoyer,
  name: string,
  body: { passphrase?: string; formats?: boolean } = {},
): Promise<string> {
  const res = await f.request('/api/export', { method: 'POST', json: body });
  expect(res.status).toBe(200);
  const file = path.join(f.dataDir, name);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

/** Uploads an archive to the space's import route. */
export async function uploadArchive(
  f: TestFoyer,
  bytes: Buffer,
  options: { passphrase?: string; dryRun?: boolean } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await f.request(`/api/import-archive${options.dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    body: bytes,
    headers: {
      'content-type': 'application/zip',
      ...(options.passphrase !== undefined ? { [PASSPHRASE_HEADER]: options.passphrase } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** Every member of an archive file, by path. */
export async function archiveMembers(file: string, passphrase?: string): Promise<Map<string, Buffer>> {
  const archive = await openArchive(file, passphrase !== undefined ? { passphrase } : {});
  try {
    const out = new Map<string, Buffer>();
    for (const member of [...archive.sizes.keys()].sort()) {
      const chunks: Buffer[] = [];
      for await (const chunk of archive.read(member)) chunks.push(chunk);
      out.set(member, Buffer.concat(chunks));
    }
    return out;
  } finally {
    await archive.close();
  }
}

/** What legitimately differs between an archive and the archive of the space it was imported into. */
export const OWN_TO_EACH_EXPORT = (member: string) =>
  member === 'manifest.json' ||
  member === 'ledger/entries.jsonl' ||
  member.startsWith('ledger/previous/') ||
  member === 'documents/foyer.previous-ledger.jsonl';

/** A Foyer on SQLite, or on a PostgreSQL store of its own (pushed to `stores`, for their clean-up). */
export async function startFoyerOn(kind: 'sqlite' | 'postgres', stores: TestPostgresStore[]): Promise<TestFoyer> {
  if (kind === 'sqlite') return startTestFoyer();
  const store = await makeTestPostgresStore();
  stores.push(store);
  return startTestFoyer({ overrides: { documentStore: store.store } });
}
