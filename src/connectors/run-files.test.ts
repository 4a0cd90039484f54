/**
 * Files a connector collects (`ctx.file`), end to end: real Foyer over HTTP (SQLite and
 * PostgreSQL, files encrypted at rest on disk), real worker threads, the test holder serving each
 * bill's PDF on loopback. What the space holds is read through Foyer's own API and stores.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FILE_DOCTYPE } from '../core/files/file-doctype.js';
import { DEFAULT_SPACE } from '../core/spaces/space-service.js';
import { minimalPdf } from '../holder-kit/minimal-pdf.js';
import { importedDocumentId } from '../importers/import-service.js';
import { jsonBody } from '../testing/json-body.js';
import {
  counted,
  startConnectorHarness,
  startConnectorHarnessOn,
  STORE_SETUPS,
  type ConnectorHarness,
} from './testing/connector-harness.js';

const fileIdOf = (number: string) => importedDocumentId(FILE_DOCTYPE, `test-holder/${number}`);
const NUMBERS = ['F-001', 'F-002', 'F-003'];

/** Every `foyer.file` record of the space, deleted ones included. */
async function fileRecords(h: ConnectorHarness) {
  return h.f.foyer.documentStore.findDocuments(DEFAULT_SPACE, FILE_DOCTYPE, { selector: null, sort: [], limit: 100 });
}
const blobs = (h: ConnectorHarness) => h.f.foyer.fileStore.list(DEFAULT_SPACE);
const content = async (h: ConnectorHarness, id: string) =>
  Buffer.from(await (await h.f.request(`/api/files/${id}/content`)).arrayBuffer());

/** Nothing of a failed run: no file record, no blob, no bill. */
async function expectNothingKept(h: ConnectorHarness): Promise<void> {
  expect(await fileRecords(h)).toEqual([]);
  expect(await blobs(h)).toEqual([]);
  expect(await h.documents('bill')).toEqual([]);
}

for (const setup of STORE_SETUPS) {
  describe(`files collected by a connector (${setup.name})`, () => {
    let h: ConnectorHarness;
    beforeEach(async () => {
      h = await startConnectorHarnessOn(setup);
    });
    afterEach(() => h.close());

    it('stores each PDF once, under the grant, linked from its bill, with the holder’s exact bytes', async () => {
      const { grant } = await h.install('test-files');
      const run = await h.run('test-files');
      expect(run.error).toBe(null);
      expect(counted(run)).toEqual({ bill: [3, 0, 0, 0], 'foyer.file': [3, 0, 0, 0] });
      const host = new URL(h.holder.url).host;
      expect(run.calls).toEqual({ [host]: { allowed: 1 + 2 + 3, denied: 0 } });

      const bills = await h.documents('bill');
      expect(bills.map((b) => [b.number, b.fileId])).toEqual(
        expect.arrayContaining(NUMBERS.map((n) => [n, fileIdOf(n)])),
      );
      for (const n of NUMBERS) {
        const served = h.holder.files.get(`${n}.pdf`)!.body;
        const meta = await jsonBody(await h.f.request(`/api/files/${fileIdOf(n)}`));
        expect(meta).toMatchObject({
          id: fileIdOf(n),
          name: `facture-${n}.pdf`,
          folder: '/Test Holder',
          type: 'application/pdf',
          size: served.byteLength,
        });
        expect((await content(h, fileIdOf(n))).equals(Buffer.from(served))).toBe(true);
      }
      const records = await fileRecords(h);
      for (const r of records) {
        expect(JSON.parse(r.meta)).toMatchObject({
          createdBy: { kind: 'connector', id: 'test-files', grant: grant.id },
          source: { kind: 'connector', holder: 'Test Holder' },
          collectedAt: expect.any(String),
        });
      }
      // One blob per file, the one its record names; encrypted at rest (the store never holds the PDF).
      expect((await blobs(h)).sort()).toEqual(
        records.map((r) => `${DEFAULT_SPACE}/${r.id}/${JSON.parse(r.data!).content}`).sort(),
      );
      const onDisk = await readFile(path.join(h.f.dataDir, 'files', (await blobs(h))[0]!));
      expect(onDisk.includes(Buffer.from('%PDF-'))).toBe(false);

      // The ledger: the file calls with the others, the files created under the grant.
      const entries = await h.ledger('&grantee=connector:test-files');
      expect(entries.filter((e) => e.doctype === `net:${host}`).map((e) => [e.verb, e.count, e.outcome])).toEqual([
        ['read', 6, 'allowed'],
      ]);
      expect(
        entries.filter((e) => e.doctype === FILE_DOCTYPE).map((e) => [e.verb, e.count, e.outcome, e.grant]),
      ).toEqual([['create', 3, 'allowed', grant.id]]);
    });

    it('a rerun stores nothing new; a changed PDF becomes a new revision of the same file', async () => {
      await h.install('test-files');
      await h.run('test-files');
      const before = (await blobs(h)).sort();
      const again = await h.run('test-files');
      expect(counted(again)).toEqual({ bill: [0, 0, 3, 0], 'foyer.file': [0, 0, 3, 0] });
      expect((await blobs(h)).sort()).toEqual(before);

      const id = fileIdOf('F-002');
      const old = await jsonBody(await h.f.request(`/api/files/${id}`));
      const corrected = minimalPdf('Facture F-002 (rectifiée)', ['Test Holder', 'Montant corrigé']);
      h.holder.files.set('F-002.pdf', { contentType: 'application/pdf', body: corrected });
      const third = await h.run('test-files');
      expect(counted(third)).toEqual({ bill: [0, 0, 3, 0], 'foyer.file': [0, 1, 2, 0] });
      const now = await jsonBody(await h.f.request(`/api/files/${id}`));
      expect(now).toMatchObject({ id, name: 'facture-F-002.pdf', size: corrected.byteLength });
      expect(now.sha256).not.toBe(old.sha256);
      expect(Number.parseInt(now.rev, 10)).toBe(2);
      expect((await content(h, id)).equals(Buffer.from(corrected))).toBe(true);
      // The replaced content is gone: still one blob per file.
      expect(await blobs(h)).toHaveLength(3);
      const updates = (await h.ledger(`&doctype=${FILE_DOCTYPE}`)).filter((e) => e.verb === 'update');
      expect(updates.map((e) => [e.actorId, e.count, e.outcome])).toEqual([['test-files', 1, 'allowed']]);
    });

    it('a run failing after some files were fetched leaves no file record and no blob', async () => {
      await h.install('test-files');
      h.holder.files.get('F-003.pdf')!.status = 500;
      const failed = await h.run('test-files');
      expect(failed).toMatchObject({ outcome: 'failed', counts: {}, error: { code: 'holder_unavailable' } });
      expect(h.holder.requests.filter((r) => r.path.startsWith('/files/')).map((r) => r.path)).toEqual([
        '/files/F-001.pdf',
        '/files/F-002.pdf',
        '/files/F-003.pdf',
      ]);
      await expectNothingKept(h);
      expect((await jsonBody(await h.f.request('/api/files?folder=/Test%20Holder'))).files).toEqual([]);

      delete h.holder.files.get('F-003.pdf')!.status;
      const next = await h.run('test-files');
      expect(counted(next)).toEqual({ bill: [3, 0, 0, 0], 'foyer.file': [3, 0, 0, 0] });
      expect(await blobs(h)).toHaveLength(3);
    });

    it('withdrawal with delete removes the files and their contents', async () => {
      const { grant } = await h.install('test-files');
      await h.run('test-files');
      const res = await h.f.request('/api/connectors/test-files?choice=delete', { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect((await jsonBody(res)).receipt.deleted).toEqual([
        { doctype: 'bill', kind: 'documents', count: 3 },
        { doctype: FILE_DOCTYPE, kind: 'files', count: 3 },
      ]);
      for (const n of NUMBERS) expect((await h.f.request(`/api/files/${fileIdOf(n)}`)).status).toBe(404);
      expect(await blobs(h)).toEqual([]);
      expect((await jsonBody(await h.f.request(`/api/grants/${grant.id}`))).status).toBe('withdrawn');
    });
  });
}

describe('files collected by a connector: refusals and the person’s changes', () => {
  let h: ConnectorHarness;
  beforeEach(async () => {
    h = await startConnectorHarness();
  });
  afterEach(() => h.close());

  it('asks the person for the files in the consent text', async () => {
    const { grant } = await h.install('test-files', { accept: false, credentials: null });
    expect(grant.pending.terms.scopes).toContainEqual(
      expect.objectContaining({ doctype: FILE_DOCTYPE, verbs: ['create', 'update'] }),
    );
    expect(grant.pending.consentText.en).toContain('your files: add, change (The PDF of each bill.)');
    expect(grant.pending.consentText.fr).toContain('vos fichiers');
  });

  it('an answer that is not a PDF, or not the type asked, is holder_format_changed, nothing kept', async () => {
    await h.install('test-files');
    const wrong: [string, { contentType: string; body: Uint8Array; status?: number }, string][] = [
      ['an HTML page', { contentType: 'text/html', body: Buffer.from('<html>maintenance</html>') }, 'text/html'],
      ['bytes that are not a PDF', { contentType: 'application/pdf', body: Buffer.from('<html>') }, 'not one'],
      ['an empty answer', { contentType: 'application/pdf', body: new Uint8Array(0) }, 'empty'],
      ['a 404', { contentType: 'application/json', body: Buffer.from('{}'), status: 404 }, 'answered 404'],
    ];
    for (const [what, file, detail] of wrong) {
      h.holder.files.set('F-002.pdf', file);
      const run = await h.run('test-files');
      expect(run.error, what).toMatchObject({ code: 'holder_format_changed' });
      expect(run.error!.detail, what).toContain(detail);
      await expectNothingKept(h);
    }
  });

  it('a holder that refuses the file maps onto the taxonomy', async () => {
    await h.install('test-files');
    const cases: [number, string][] = [
      [401, 'login_failed'],
      [403, 'user_action_needed'],
      [429, 'quota'],
    ];
    for (const [status, code] of cases) {
      h.holder.files.set('F-001.pdf', { contentType: 'application/json', body: Buffer.from('{}'), status });
      const run = await h.run('test-files');
      expect(run.error, String(status)).toMatchObject({ code });
      await expectNothingKept(h);
    }
  });

  it('refuses a file on an undeclared host, in the ledger, and fetches nothing', async () => {
    await h.install('test-files');
    const port = new URL(h.holder.url).port;
    h.holder.bills[0]!.pdf = `http://127.0.0.2:${port}/files/F-001.pdf`;
    const run = await h.run('test-files');
    expect(run.error).toMatchObject({ code: 'not_allowed' });
    expect(run.calls[`127.0.0.2:${port}`]).toEqual({ allowed: 0, denied: 1 });
    expect(await h.ledger('&outcome=denied')).toMatchObject([
      { actorId: 'test-files', doctype: `net:127.0.0.2:${port}`, code: 'host_not_allowed' },
    ]);
    expect(h.holder.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
    await expectNothingKept(h);
  });

  it('refuses ctx.file to a connector whose grant has no files, before fetching anything', async () => {
    await h.install('test-files-ungranted');
    const run = await h.run('test-files-ungranted');
    expect(run.error).toMatchObject({ code: 'not_allowed' });
    expect(run.error!.detail).toContain('stored a file');
    expect(await h.ledger(`&outcome=denied&doctype=${FILE_DOCTYPE}`)).toMatchObject([
      { actorId: 'test-files-ungranted', verb: 'create', code: 'scope_denied' },
    ]);
    expect(h.holder.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
    await expectNothingKept(h);
  });

  it('refuses bad ctx.file arguments to the connector, and a URL that is none ends the run', async () => {
    await h.install('bad-file-args');
    const run = await h.run('bad-file-args');
    expect(run.logs).toEqual([
      expect.stringMatching(/^internal: ctx\.file: key /),
      expect.stringMatching(/^internal: ctx\.file: The file name may not contain "\/"/),
      'internal: ctx.file: "nonsense" is not a media type.',
      expect.stringMatching(/^internal: ctx\.file: A folder is an absolute path/),
    ]);
    expect(run.error).toMatchObject({ code: 'internal', detail: 'The connector fetched something that is not a URL.' });
    expect(h.holder.requests.filter((r) => r.path.startsWith('/files/'))).toEqual([]);
    await expectNothingKept(h);
  });

  it('refuses a document naming a file the run did not store', async () => {
    await h.install('bad-dangling-file');
    const run = await h.run('bad-dangling-file');
    expect(run.error).toMatchObject({ code: 'internal' });
    expect(run.error!.detail).toContain('names the file i0123456789abcdef0123456789abcde');
    expect(await h.documents('bill')).toEqual([]);
  });

  it('keeps a file the person deleted or renamed since: a rerun does not bring it back or rename it', async () => {
    await h.install('test-files');
    await h.run('test-files');
    const gone = await jsonBody(await h.f.request(`/api/files/${fileIdOf('F-001')}`));
    expect((await h.f.request(`/api/files/${gone.id}?rev=${gone.rev}`, { method: 'DELETE' })).status).toBe(200);
    const renamed = await jsonBody(await h.f.request(`/api/files/${fileIdOf('F-002')}`));
    const patched = await h.f.request(`/api/files/${renamed.id}?rev=${renamed.rev}`, {
      method: 'PATCH',
      json: { name: 'ma facture.pdf' },
    });
    expect(patched.status).toBe(200);
    const blobsBefore = (await blobs(h)).sort();
    const rerun = await h.run('test-files');
    expect(counted(rerun)['foyer.file']).toEqual([0, 0, 1, 2]);
    expect((await h.f.request(`/api/files/${gone.id}`)).status).toBe(404);
    expect((await jsonBody(await h.f.request(`/api/files/${renamed.id}`))).name).toBe('ma facture.pdf');
    expect((await blobs(h)).sort()).toEqual(blobsBefore);
  });

  it('a run stopped while a file is on its way keeps none of it, even what lands after', async () => {
    await h.install('test-files-quick');
    h.holder.files.get('F-003.pdf')!.delayMs = 1500;
    const run = await h.run('test-files-quick');
    expect(run.error).toMatchObject({ code: 'time_limit' });
    // The parent's call goes on after the worker is stopped, and its blob is removed when it lands.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await expectNothingKept(h);
  });
});

describe('files collected by a connector: Foyer’s file size limit', () => {
  let h: ConnectorHarness;
  beforeAll(async () => {
    h = await startConnectorHarness({ config: { maxFileBytes: 4096 } });
  });
  afterAll(() => h.close());

  it('an answer larger than Foyer keeps is holder_format_changed, nothing kept', async () => {
    await h.install('test-files');
    const big = Buffer.concat([Buffer.from(minimalPdf('Facture F-003')), Buffer.alloc(5000, 0x20)]);
    h.holder.files.set('F-003.pdf', { contentType: 'application/pdf', body: big });
    const run = await h.run('test-files');
    expect(run.error).toMatchObject({ code: 'holder_format_changed' });
    expect(run.error!.detail).toContain('more than 4096 bytes');
    await expectNothingKept(h);
    const small = h.holder.files.get('F-001.pdf')!.body.byteLength;
    expect(small).toBeLessThan(4096);
  });
});
