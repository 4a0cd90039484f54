/**
 * A Cozy Cloud export for tests, written by hand in the layout cozy-stack produces (see
 * cozy-archive.ts): a household's bank accounts and operations, bills with their PDF, contacts,
 * an event, to-do items (a doctype the catalog lacks), the old instance's sessions, directories,
 * files with their contents and an old version. Invented data; no real export was copied.
 */
import { buildZip, type ZipInput } from '../../testing/zip-writer.js';

export const COZY_IDS = {
  checking: '8d3b2f1e6a0c4b57a1d2e3f405162738',
  savings: '8d3b2f1e6a0c4b57a1d2e3f405162739',
  edfBill: 'b1c2d3e4f5a60718293a4b5c6d7e8f90',
  refund: 'b1c2d3e4f5a60718293a4b5c6d7e8f91',
  payslip: 'b1c2d3e4f5a60718293a4b5c6d7e8f92',
  edfPdf: 'f0e1d2c3b4a5968778695a4b3c2d1e0f',
  photo: 'f0e1d2c3b4a5968778695a4b3c2d1e10',
  dirAdmin: 'd0000000000000000000000000000001',
  dirEdf: 'd0000000000000000000000000000002',
  dirPhotos: 'd0000000000000000000000000000003',
  camille: 'c0ffee00000000000000000000000001',
  plumber: 'c0ffee00000000000000000000000002',
} as const;

export const EDF_PDF = Buffer.from('%PDF-1.4\n% Facture EDF octobre 2025, contrat 4004123456\n%%EOF\n');
export const PHOTO = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('JFIF vacances Quiberon')]);

const data = (doctype: string, id: string, doc: Record<string, unknown>): ZipInput => ({
  name: `My Cozy/Data/${encodeURIComponent(doctype)}/${id}.json`,
  data: JSON.stringify({ _id: id, _rev: '3-9f8e7d6c5b4a', ...doc }),
});

const directory = (id: string, name: string, path: string, parent: string): ZipInput =>
  data('io.cozy.files', id, {
    type: 'directory',
    name,
    path,
    dir_id: parent,
    created_at: '2023-01-15T10:00:00Z',
    updated_at: '2023-01-15T10:00:00Z',
    tags: [],
  });

const file = (id: string, name: string, dir: string, path: string, mime: string, content: Buffer): ZipInput[] => [
  data('io.cozy.files', id, {
    type: 'file',
    name,
    dir_id: dir,
    size: String(content.length),
    md5sum: 'dGVzdA==',
    mime,
    class: mime.startsWith('image/') ? 'image' : 'pdf',
    trashed: false,
    created_at: '2025-11-02T08:00:00Z',
    updated_at: '2025-11-02T08:00:00Z',
  }),
  { name: `My Cozy/Files${path}`, data: content },
];

/** The export's entries, in the order cozy-stack writes them; `extra` entries are added at the end. */
export function cozyExportEntries(extra: ZipInput[] = []): ZipInput[] {
  const i = COZY_IDS;
  return [
    {
      name: 'My Cozy/Data/instance.json',
      data: JSON.stringify({ domain: 'camille.mycozy.cloud', locale: 'fr', context: 'cozy_beta' }),
    },
    data('io.cozy.bank.accounts', i.checking, {
      label: 'Compte de chèques M. et Mme Martin',
      shortLabel: 'Compte courant',
      institutionLabel: 'Crédit Agricole',
      type: 'Checkings',
      number: '00012345678',
      iban: 'FR76 3000 4000 0312 3456 7890 143',
      balance: 1523.42,
      metadata: { version: 1 },
    }),
    data('io.cozy.bank.accounts', i.savings, {
      label: 'Livret A',
      institutionLabel: 'Crédit Agricole',
      type: 'Savings',
      number: '00098765432',
      balance: 8250,
    }),
    data('io.cozy.bank.operations', 'op00000000000000000000000000001', {
      account: i.checking,
      amount: -54.3,
      currency: 'EUR',
      date: '2025-10-03 00:00:00+02:00',
      label: 'CARREFOUR MARKET VANNES',
      originalBankLabel: 'CB CARREFOUR MARKET 02/10 VANNES',
      type: 'credit card',
      automaticCategoryId: '400110',
    }),
    data('io.cozy.bank.operations', 'op00000000000000000000000000002', {
      account: i.checking,
      amount: -87.12,
      currency: 'EUR',
      date: '2025-11-05T00:00:00.000Z',
      dateOperation: '2025-11-04T23:00:00.000Z',
      label: 'PRLV EDF',
      type: 'direct debit',
      bills: [`io.cozy.bills:${i.edfBill}`],
    }),
    data('io.cozy.bank.operations', 'op00000000000000000000000000003', {
      account: i.savings,
      amount: 100,
      date: 'Fri Oct 10 2025 09:00:00 GMT+0200 (CEST)',
      label: 'VIR LIVRET A',
      type: 'transfer',
    }),
    data('io.cozy.bank.operations', 'op00000000000000000000000000004', {
      account: i.checking,
      amount: -12,
      date: 'la semaine dernière',
      label: 'OPERATION SANS DATE LISIBLE',
    }),
    data('io.cozy.bills', i.edfBill, {
      type: 'energy',
      vendor: 'EDF',
      amount: 87.12,
      currency: 'EUR',
      date: '2025-10-31T23:00:00.000Z',
      vendorRef: 'FAC-2025-10-778812',
      invoice: `io.cozy.files:${i.edfPdf}`,
      metadata: { version: 1 },
    }),
    data('io.cozy.bills', i.refund, {
      type: 'health_costs',
      vendor: 'Ameli',
      amount: 17.5,
      date: '2025-09-12T22:00:00.000Z',
      isRefund: true,
      subtype: 'Consultation généraliste',
      originalAmount: 25,
      socialSecurityRefund: 17.5,
    }),
    data('io.cozy.bills', i.payslip, {
      type: 'pay',
      vendor: 'Payfit',
      amount: 2310.55,
      date: '2025-10-31T00:00:00.000Z',
      periodStart: '2025-10-01T00:00:00.000Z',
      periodEnd: '2025-10-31T00:00:00.000Z',
      employer: 'Atelier Martin',
    }),
    data('io.cozy.contacts', i.camille, {
      fullname: 'Camille Martin',
      name: { givenName: 'Camille', familyName: 'Martin' },
      email: [{ address: 'camille.martin@example.fr', type: 'home', primary: true }, { address: 'pas-une-adresse' }],
      phone: [{ number: '06 12 34 56 78', type: 'cell', primary: true }],
      address: [{ street: '12 rue des Halles', postcode: '56000', city: 'Vannes', country: 'France', type: 'home' }],
      birthday: '1984-05-17',
      company: 'Atelier Martin',
      note: 'Cousine de Hugo',
      metadata: { version: 1, cozy: true },
    }),
    data('io.cozy.contacts', i.plumber, {
      email: [{ address: 'contact@plomberie-vannetaise.fr' }],
      phone: [{ number: '02 97 00 11 22', type: 'work' }],
    }),
    data('io.cozy.calendar.events', 'ev000000000000000000000000000001', {
      label: 'Rendez-vous notaire',
      start: '2025-12-04T14:30:00+01:00',
      end: '2025-12-04T15:30:00+01:00',
      timezone: 'Europe/Paris',
      location: '3 place de la République, Vannes',
    }),
    data('io.cozy.todos', 'td000000000000000000000000000001', { title: 'Résilier la box internet', done: false }),
    data('io.cozy.todos', 'td000000000000000000000000000002', { title: 'Envoyer le relevé du compteur', done: true }),
    data('io.cozy.sessions', 'se000000000000000000000000000001', {
      created_at: '2025-11-20T07:00:00Z',
      last_seen: '2025-11-21T07:00:00Z',
      long_run: true,
    }),
    directory('io.cozy.files.root-dir', '', '/', ''),
    directory(i.dirAdmin, 'Administratif', '/Administratif', 'io.cozy.files.root-dir'),
    directory(i.dirEdf, 'EDF', '/Administratif/EDF', i.dirAdmin),
    directory(i.dirPhotos, 'Photos', '/Photos', 'io.cozy.files.root-dir'),
    ...file(
      i.edfPdf,
      'Facture octobre 2025.pdf',
      i.dirEdf,
      '/Administratif/EDF/Facture octobre 2025.pdf',
      'application/pdf',
      EDF_PDF,
    ),
    ...file(i.photo, 'plage.jpg', i.dirPhotos, '/Photos/plage.jpg', 'image/jpeg', PHOTO),
    data('io.cozy.files.versions', `${i.edfPdf}/1-aaaa`, { file_id: i.edfPdf, size: '12' }),
    { name: `My Cozy/Files/${i.edfPdf}/1-aaaa`, data: 'old version' },
    ...extra,
  ];
}

export function cozyExport(extra: ZipInput[] = []): Buffer {
  return buildZip(cozyExportEntries(extra));
}
