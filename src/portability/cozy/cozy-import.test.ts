/**
 * Moving from Cozy Cloud, through the real HTTP server (`POST /api/imports`, the same route as any
 * file) and the command line: the export's documents land in their catalog doctypes, its files
 * with their contents, unknown doctypes as raw.record, and a second import adds nothing. Hostile
 * or malformed archives are refused with nothing written.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../cli/main.js';
import type { CliIo } from '../../cli/cli-io.js';
import { importedDocumentId } from '../../importers/import-service.js';
import { jsonBody as json, type JsonBody } from '../../testing/json-body.js';
import { startTestFoyer, type TestFoyer } from '../../testing/test-foyer.js';
import { buildZip } from '../../testing/zip-writer.js';
import { COZY_IDS, cozyExport, cozyExportEntries, EDF_PDF, PHOTO } from './cozy-fixture.js';
import { cozyFileId, cozyKey } from './cozy-mapping.js';

const upload = (f: TestFoyer, zip: Buffer, query = '') =>
  f.request(`/api/imports?name=cozy-export.zip${query}`, {
    method: 'POST',
    body: zip,
    headers: { 'content-type': 'application/zip' },
  });

const idOf = (doctype: string, cozyId: string) => importedDocumentId(doctype, cozyKey(cozyId));

async function all(f: TestFoyer, doctype: string): Promise<JsonBody[]> {
  const res = await f.request(`/api/data/${doctype}/_find`, { method: 'POST', json: { limit: 1000 } });
  return (await json(res)).docs as JsonBody[];
}

async function census(f: TestFoyer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const d of ['bank.account', 'bank.transaction', 'bill', 'contact', 'calendar.event', 'raw.record']) {
    counts[d] = (await all(f, d)).length;
  }
  counts.files = ((await json(await f.request('/api/files?folder=/Administratif/EDF'))).files as unknown[]).length;
  return counts;
}

describe('importing a Cozy Cloud export', () => {
  let f: TestFoyer;
  let first: JsonBody;
  beforeAll(async () => {
    f = await startTestFoyer();
    await f.ownerToken();
    const res = await upload(f, cozyExport());
    expect(res.status).toBe(200);
    first = await json(res);
  });
  afterAll(() => f.close());

  it('reports one import of the whole archive, per doctype, with raw, skipped and files', () => {
    expect(first.files).toHaveLength(1);
    const [outcome] = first.files as JsonBody[];
    expect(outcome).toMatchObject({ file: 'cozy-export.zip', status: 'imported' });
    const report = outcome!.report as JsonBody;
    expect(report.format.id).toBe('cozy-export');
    expect(report.counts).toMatchObject({
      'bank.account': { created: 2 },
      'bank.transaction': { created: 3 },
      bill: { created: 2 },
      contact: { created: 2 },
      'calendar.event': { created: 1 },
      // two to-dos, the pay slip, the unreadable operation, the old file version
      'raw.record': { created: 5 },
    });
    expect(report.details.cozy).toMatchObject({
      raw: { 'io.cozy.todos': 2, 'io.cozy.bills': 1, 'io.cozy.bank.operations': 1, 'io.cozy.files.versions': 1 },
      skipped: { 'io.cozy.sessions': { count: 1 } },
      files: { imported: 2, unchanged: 0, failed: [] },
      directories: 4,
      versions: 1,
      ignored: ['My Cozy/Data/instance.json'],
    });
    const warnings = (report.warnings as { message: string }[]).map((w) => w.message).join('\n');
    expect(warnings).toContain('is not a date: kept as raw.record');
    expect(warnings).toContain('"pas-une-adresse" is not an address');
  });

  it('maps bank accounts and operations, linking operations to their account and bills', async () => {
    const checking = await json(await f.request(`/api/data/bank.account/${idOf('bank.account', COZY_IDS.checking)}`));
    expect(checking).toMatchObject({
      accountId: 'FR7630004000031234567890143',
      vendor: 'Crédit Agricole',
      type: 'checking',
      currency: 'EUR',
      balance: 1523.42,
      iban: 'FR7630004000031234567890143',
    });
    const savings = await json(await f.request(`/api/data/bank.account/${idOf('bank.account', COZY_IDS.savings)}`));
    expect(savings).toMatchObject({ accountId: '00098765432', type: 'savings' });
    const card = await json(
      await f.request(`/api/data/bank.transaction/${idOf('bank.transaction', 'op00000000000000000000000000001')}`),
    );
    expect(card).toMatchObject({
      date: '2025-10-02T22:00:00Z',
      amount: -54.3,
      type: 'card',
      accountId: 'FR7630004000031234567890143',
      originalLabel: 'CB CARREFOUR MARKET 02/10 VANNES',
    });
    // What no mapping reads rides along with the Cozy document.
    expect(card.extra.cozy).toMatchObject({
      doctype: 'io.cozy.bank.operations',
      document: { automaticCategoryId: '400110' },
    });
    const debit = await json(
      await f.request(`/api/data/bank.transaction/${idOf('bank.transaction', 'op00000000000000000000000000002')}`),
    );
    expect(debit).toMatchObject({
      type: 'direct_debit',
      valueDate: '2025-11-05',
      billIds: [idOf('bill', COZY_IDS.edfBill)],
    });
    const transfer = await json(
      await f.request(`/api/data/bank.transaction/${idOf('bank.transaction', 'op00000000000000000000000000003')}`),
    );
    expect(transfer).toMatchObject({ date: '2025-10-10T07:00:00Z', accountId: '00098765432', type: 'transfer' });
  });

  it('maps bills with their PDF, imported as a file with its content', async () => {
    const edf = await json(await f.request(`/api/data/bill/${idOf('bill', COZY_IDS.edfBill)}`));
    // 2025-10-31T23:00Z is November 1st in Paris.
    expect(edf).toMatchObject({
      vendor: 'EDF',
      vendorCategory: 'energy',
      type: 'invoice',
      issueDate: '2025-11-01',
      totalAmount: 87.12,
      number: 'FAC-2025-10-778812',
      fileId: cozyFileId(COZY_IDS.edfPdf),
    });
    const refund = await json(await f.request(`/api/data/bill/${idOf('bill', COZY_IDS.refund)}`));
    expect(refund).toMatchObject({ vendorCategory: 'health', type: 'credit_note', issueDate: '2025-09-13' });
    const pdf = await json(await f.request(`/api/files/${edf.fileId}`));
    expect(pdf).toMatchObject({
      name: 'Facture octobre 2025.pdf',
      folder: '/Administratif/EDF',
      type: 'application/pdf',
    });
    const content = await f.request(`/api/files/${edf.fileId}/content`);
    expect(Buffer.from(await content.arrayBuffer())).toEqual(EDF_PDF);
    const photos = await json(await f.request('/api/files?folder=/Photos'));
    expect(photos.files).toHaveLength(1);
    const photo = await f.request(`/api/files/${cozyFileId(COZY_IDS.photo)}/content`);
    expect(Buffer.from(await photo.arrayBuffer())).toEqual(PHOTO);
  });

  it('maps contacts (E.164 phones, country codes) and events', async () => {
    const camille = await json(await f.request(`/api/data/contact/${idOf('contact', COZY_IDS.camille)}`));
    expect(camille).toMatchObject({
      displayName: 'Camille Martin',
      name: { given: 'Camille', family: 'Martin' },
      emails: [{ address: 'camille.martin@example.fr', type: 'home', primary: true }],
      phones: [{ number: '+33612345678', type: 'mobile', primary: true }],
      addresses: [{ street: '12 rue des Halles', postalCode: '56000', city: 'Vannes', country: 'FR', type: 'home' }],
      birthday: '1984-05-17',
      organisation: 'Atelier Martin',
    });
    const plumber = await json(await f.request(`/api/data/contact/${idOf('contact', COZY_IDS.plumber)}`));
    expect(plumber).toMatchObject({
      displayName: 'contact@plomberie-vannetaise.fr',
      phones: [{ number: '+33297001122' }],
    });
    const [event] = await all(f, 'calendar.event');
    expect(event).toMatchObject({
      title: 'Rendez-vous notaire',
      start: '2025-12-04T13:30:00Z',
      timeZone: 'Europe/Paris',
    });
  });

  it('keeps unknown doctypes whole as raw.record, and leaves the old sessions out', async () => {
    const raw = await all(f, 'raw.record');
    const todos = raw.filter((r) => r.sourceDoctype === 'io.cozy.todos');
    expect(todos.map((t) => t.data.title).sort()).toEqual([
      'Envoyer le relevé du compteur',
      'Résilier la box internet',
    ]);
    expect(todos[0]).toMatchObject({ source: 'cozy' });
    expect(todos[0]!.data._rev).toBeUndefined();
    const payslip = raw.find((r) => r.sourceId === COZY_IDS.payslip);
    expect(payslip?.data).toMatchObject({ type: 'pay', employer: 'Atelier Martin', amount: 2310.55 });
    expect(raw.some((r) => r.sourceDoctype === 'io.cozy.sessions')).toBe(false);
  });

  it('records the import in the ledger and the import history', async () => {
    const ledger = await json(await f.request('/api/ledger?limit=200'));
    const imports = (ledger.entries as JsonBody[]).filter((e) => e.actorKind === 'import');
    const doctypes = new Set(imports.map((e) => e.doctype));
    for (const d of ['bank.transaction', 'bill', 'contact', 'raw.record', 'foyer.file']) expect(doctypes).toContain(d);
    const history = await json(await f.request('/api/imports'));
    expect((history.imports as JsonBody[])[0]).toMatchObject({ status: 'imported', format: { id: 'cozy-export' } });
  });

  it('adds nothing when the same archive comes again, and does not bring back what the person deleted', async () => {
    const before = await census(f);
    const contactId = idOf('contact', COZY_IDS.plumber);
    const plumber = await json(await f.request(`/api/data/contact/${contactId}`));
    expect((await f.request(`/api/data/contact/${contactId}?rev=${plumber._rev}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    const res = await upload(f, cozyExport());
    expect(res.status).toBe(200);
    const report = ((await json(res)).files as JsonBody[])[0]!.report as JsonBody;
    for (const counts of Object.values(report.counts as Record<string, JsonBody>)) expect(counts.created).toBe(0);
    expect(report.counts.contact).toMatchObject({ created: 0, deleted: 1, unchanged: 1 });
    expect(report.details.cozy.files).toMatchObject({ imported: 0, unchanged: 2 });
    expect(await census(f)).toEqual({ ...before, contact: before.contact! - 1 });
  });

  it('previews with dryRun=true, writing nothing', async () => {
    const other = await startTestFoyer();
    try {
      await other.ownerToken();
      const res = await upload(other, cozyExport(), '&dryRun=true');
      const [outcome] = (await json(res)).files as JsonBody[];
      expect(outcome).toMatchObject({ status: 'previewed' });
      expect(outcome!.report.counts['bank.transaction']).toMatchObject({ created: 3 });
      expect(outcome!.report.details.cozy.files).toMatchObject({ planned: 2, imported: 0 });
      expect(await census(other)).toEqual({
        'bank.account': 0,
        'bank.transaction': 0,
        bill: 0,
        contact: 0,
        'calendar.event': 0,
        'raw.record': 0,
        files: 0,
      });
    } finally {
      await other.close();
    }
  });
});

describe('a later part of a Cozy export (files only)', () => {
  it('imports its files, and adds nothing the second time', async () => {
    const f = await startTestFoyer();
    try {
      await f.ownerToken();
      const part = buildZip(cozyExportEntries().filter((e) => /io\.cozy\.files\/|^My Cozy\/Files\//.test(e.name)));
      const [outcome] = (await json(await upload(f, part))).files as JsonBody[];
      expect(outcome).toMatchObject({ status: 'imported' });
      expect(outcome!.report.details.cozy.files).toMatchObject({ imported: 2, failed: [] });
      const [again] = (await json(await upload(f, part))).files as JsonBody[];
      expect(again!.report.details.cozy.files).toMatchObject({ imported: 0, unchanged: 2 });
    } finally {
      await f.close();
    }
  });
});

describe('a Cozy export that is hostile or damaged', () => {
  let f: TestFoyer;
  beforeAll(async () => {
    f = await startTestFoyer();
    await f.ownerToken();
  });
  afterAll(() => f.close());

  const nothingWritten = async () => {
    expect(await all(f, 'bank.transaction')).toEqual([]);
    expect((await json(await f.request('/api/files?folder=/Administratif/EDF'))).files).toEqual([]);
  };

  const refused = async (zip: Buffer, message: RegExp) => {
    const res = await upload(f, zip);
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error.code).toBe('import_invalid');
    expect(body.error.message).toMatch(message);
    await nothingWritten();
  };

  it('refuses a name that climbs out of the archive (zip slip)', async () => {
    await refused(
      cozyExport([{ name: 'My Cozy/Files/../../../etc/cron.d/x', data: 'x' }]),
      /climbs out|damaged or hostile/,
    );
  });

  it('refuses a symbolic link', async () => {
    await refused(
      cozyExport([{ name: 'My Cozy/Files/Photos/lien', data: '/etc/passwd', mode: 0o120777 }]),
      /symbolic link/,
    );
  });

  it('refuses a zip bomb', async () => {
    const bomb = { name: 'My Cozy/Files/Photos/bombe.bin', data: Buffer.alloc(8 * 1024 * 1024) };
    await refused(cozyExport([bomb]), /zip bomb/);
  });

  it('refuses a document that is not JSON, naming it, before any file is written', async () => {
    const broken = { name: 'My Cozy/Data/io.cozy.contacts/broken.json', data: '{"fullname": "Camille' };
    await refused(cozyExport([broken]), /io\.cozy\.contacts\/broken\.json is not valid JSON/);
  });

  it('refuses a document that is not an object', async () => {
    await refused(
      cozyExport([{ name: 'My Cozy/Data/io.cozy.todos/list.json', data: '[1, 2]' }]),
      /not hold a JSON object/,
    );
  });

  it('refuses a doctype name that is not one', async () => {
    await refused(cozyExport([{ name: 'My Cozy/Data/%E0%A4%A/x.json', data: '{}' }]), /does not name a Cozy doctype/);
  });

  it('lists a file whose content is missing, and imports the rest', async () => {
    const entries = cozyExportEntries().filter((e) => e.name !== 'My Cozy/Files/Photos/plage.jpg');
    const res = await upload(f, buildZip(entries));
    expect(res.status).toBe(200);
    const report = ((await json(res)).files as JsonBody[])[0]!.report as JsonBody;
    expect(report.details.cozy.files).toMatchObject({ imported: 1 });
    expect(report.details.cozy.files.failed).toEqual([
      expect.objectContaining({ path: `My Cozy/Data/io.cozy.files/${COZY_IDS.photo}.json`, code: 'import_invalid' }),
    ]);
    expect((await all(f, 'bank.transaction')).length).toBe(3);
  });
});

describe('foyer import with a Cozy export', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'foyer-cozy-cli-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('recognises the archive and imports it whole, then adds nothing the second time', async () => {
    const archive = path.join(dir, 'export-camille.zip');
    await writeFile(archive, cozyExport());
    const out: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
      env: { FOYER_DATA_DIR: path.join(dir, 'data'), FOYER_LOG_LEVEL: 'silent' },
      ask: async () => '',
      readStdin: async () => '',
      stopSignal: () => new Promise<string>(() => {}),
    };
    expect(await main(['import', archive, '--json'], io)).toBe(0);
    const [outcome] = JSON.parse(out.join('\n')) as JsonBody[];
    expect(outcome).toMatchObject({ status: 'imported', format: 'cozy-export' });
    out.length = 0;
    expect(await main(['import', archive, '--json'], io)).toBe(0);
    const [again] = JSON.parse(out.join('\n')) as JsonBody[];
    expect(again!.counts['bank.transaction']).toMatchObject({ created: 0, unchanged: 3 });
  });
});
