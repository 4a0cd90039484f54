/**
 * Hostile and broken archives, uploaded to the real HTTP server: each is refused with a clear
 * report (code, reason, member) and leaves the space exactly as it was: no document, no point, no
 * file content, whatever the stage at which the problem was found.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildZip, type ZipInput } from '../testing/zip-writer.js';
import { startTestFoyer, type TestFoyer } from '../testing/test-foyer.js';
import type { ArchiveManifest } from './archive-layout.js';
import { archiveMembers, downloadArchive, seedSpace, uploadArchive } from './portability-testing.js';

const PASSPHRASE = 'a long archive passphrase';

describe('importing a bad archive', () => {
  let source: TestFoyer;
  let target: TestFoyer;
  let good: Map<string, Buffer>;
  let sealed: Buffer;

  beforeAll(async () => {
    source = await startTestFoyer();
    target = await startTestFoyer();
    await seedSpace(source);
    await target.ownerToken();
    good = await archiveMembers(await downloadArchive(source, 'good.zip'));
    sealed = await readFile(await downloadArchive(source, 'sealed.zip', { passphrase: PASSPHRASE }));
  }, 60_000);

  afterAll(async () => {
    await source?.close();
    await target?.close();
  });

  /** The archive rebuilt with edits; the manifest's checksums follow the edits when `relist`. */
  function rebuilt(
    edit: (members: Map<string, Buffer>) => void,
    options: { relist?: boolean; manifest?: (m: ArchiveManifest) => void } = {},
  ): Buffer {
    const members = new Map([...good].map(([k, v]) => [k, Buffer.from(v)]));
    edit(members);
    const manifest = JSON.parse(members.get('manifest.json')!.toString()) as ArchiveManifest;
    if (options.relist) {
      manifest.members = {};
      for (const [path, content] of members) {
        if (path === 'manifest.json') continue;
        manifest.members[path] = { size: content.length, sha256: createHash('sha256').update(content).digest('hex') };
      }
    }
    options.manifest?.(manifest);
    members.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    return buildZip([...members].map(([name, data]): ZipInput => ({ name, data })));
  }

  /** Nothing of the archive reached the space: no documents, points or file contents. */
  async function expectUntouched(): Promise<void> {
    const { foyer } = target;
    for (const doctype of ['bank.transaction', 'contact', 'foyer.file', 'foyer.grant', 'foyer.previous-ledger']) {
      const docs = await foyer.documentStore.findDocuments('default', doctype, { selector: null, sort: [], limit: 10 });
      expect(docs, doctype).toHaveLength(0);
    }
    const points = await foyer.documentStore.readPoints('default', 'water.daily', { from: 0, to: 8.64e15 }, 10);
    expect(points).toHaveLength(0);
    expect(await foyer.fileStore.list('default')).toEqual([]);
  }

  async function refused(bytes: Buffer, reason: string, options: { passphrase?: string } = {}) {
    const res = await uploadArchive(target, bytes, options);
    const error = res.body.error as { code: string; message: string; details: { reason: string; member?: string } };
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(error.code).toBe('import_invalid');
    expect(error.details.reason).toBe(reason);
    expect(error.message.length).toBeGreaterThan(10);
    await expectUntouched();
    return error;
  }

  it('refuses a member whose name climbs out of the archive (zip slip)', async () => {
    const zip = buildZip([
      ...[...good].map(([name, data]): ZipInput => ({ name, data })),
      { name: '../../etc/cron.d/x', data: 'x' },
    ]);
    const error = await refused(zip, 'zip_slip');
    expect(error.details.member).toBe('../../etc/cron.d/x');
  });

  it('refuses an absolute member name', async () => {
    await refused(buildZip([{ name: '/etc/passwd', data: 'x' }]), 'zip_slip');
  });

  it('refuses a symbolic link', async () => {
    const zip = buildZip([
      ...[...good].map(([name, data]) => ({ name, data })),
      { name: 'files/link', data: '/etc/passwd', mode: 0o120777 },
    ]);
    await refused(zip, 'symlink');
  });

  it('refuses a zip bomb by its packing ratio', async () => {
    const bomb = Buffer.alloc(20 * 1024 * 1024, 0x20);
    expect(deflateRawSync(bomb).length * 200).toBeLessThan(bomb.length);
    await refused(buildZip([{ name: 'documents/contact.jsonl', data: bomb }]), 'zip_bomb');
  });

  it('refuses a member that declares far more bytes than it packs', async () => {
    await refused(buildZip([{ name: 'files/big', data: 'x', declaredSize: 0xfffffff0 }]), 'zip_bomb');
  });

  it('refuses an archive over the absolute size limit before reading any member', async () => {
    const file = await downloadArchive(source, 'limits.zip');
    const ctx = { space: 'default', principal: { kind: 'system' as const, reason: 'test' } };
    const tooLarge = target.foyer.portability.importArchive(ctx, file, { limits: { maxTotalBytes: 100_000 } });
    await expect(tooLarge).rejects.toMatchObject({ code: 'import_invalid', details: { reason: 'too_large' } });
    const tooBig = target.foyer.portability.importArchive(ctx, file, { limits: { maxMemberBytes: 200_000 } });
    await expect(tooBig).rejects.toMatchObject({ code: 'import_invalid', details: { reason: 'member_too_large' } });
    await expectUntouched();
  });

  it('refuses a member whose content does not match its checksum, even after contents were stored', async () => {
    const last = [...good.keys()]
      .filter((m) => m.startsWith('files/'))
      .sort()
      .pop()!;
    const error = await refused(
      rebuilt((m) => {
        const content = m.get(last)!;
        content[content.length - 1] = content[content.length - 1]! ^ 1;
      }),
      'checksum_mismatch',
    );
    expect(error.details.member).toBe(last);
  });

  it('refuses a deflated member that unpacks to more, or fewer, bytes than it declares', async () => {
    const member = 'documents/contact.jsonl';
    const real = good.get(member)!;
    for (const delta of [-10, 10]) {
      const manifest = JSON.parse(good.get('manifest.json')!.toString()) as ArchiveManifest;
      manifest.members[member]!.size = real.length + delta;
      const zip = buildZip(
        [...good].map(([name, data]): ZipInput =>
          name === 'manifest.json'
            ? { name, data: JSON.stringify(manifest) }
            : name === member
              ? { name, data, declaredSize: real.length + delta }
              : { name, data },
        ),
      );
      const error = await refused(zip, 'damaged_member');
      expect(error.details.member).toBe(member);
    }
  });

  it('refuses a document member altered after the manifest was written', async () => {
    const error = await refused(
      rebuilt((m) =>
        m.set(
          'documents/bank.transaction.jsonl',
          Buffer.from(m.get('documents/bank.transaction.jsonl')!.toString().replace('EDF', 'EDG')),
        ),
      ),
      'checksum_mismatch',
    );
    expect(error.details.member).toBe('documents/bank.transaction.jsonl');
  });

  it('refuses a document that does not fit the catalog, naming its line', async () => {
    const error = await refused(
      rebuilt(
        (m) => {
          const lines = m.get('documents/bank.transaction.jsonl')!.toString().split('\n');
          const doc = JSON.parse(lines[1]!) as Record<string, unknown>;
          delete doc.amount;
          lines[1] = JSON.stringify(doc);
          m.set('documents/bank.transaction.jsonl', Buffer.from(lines.join('\n')));
        },
        { relist: true },
      ),
      'invalid_document',
    );
    expect(error.message).toContain('line 2');
  });

  it('refuses a document without its revision', async () => {
    await refused(
      rebuilt(
        (m) =>
          m.set(
            'documents/contact.jsonl',
            Buffer.from(
              m
                .get('documents/contact.jsonl')!
                .toString()
                .replace(/"_rev":"[^"]+",/, ''),
            ),
          ),
        { relist: true },
      ),
      'invalid_document',
    );
  });

  it('refuses a document repeated in its member', async () => {
    const error = await refused(
      rebuilt(
        (m) => {
          const lines = m.get('documents/bank.transaction.jsonl')!.toString().split('\n');
          lines.splice(1, 0, lines[0]!);
          m.set('documents/bank.transaction.jsonl', Buffer.from(lines.join('\n')));
        },
        { relist: true },
      ),
      'invalid_document',
    );
    expect(error.message).toContain('repeated');
  });

  it('refuses an archive of another format version', async () => {
    const error = await refused(
      rebuilt(() => undefined, { manifest: (m) => (m.formatVersion = 2) }),
      'version_mismatch',
    );
    expect(error.message).toContain('version 2');
  });

  it('refuses a doctype in another catalog version', async () => {
    const error = await refused(
      rebuilt(() => undefined, { manifest: (m) => (m.catalog.doctypes['bank.transaction']!.version = 7) }),
      'version_mismatch',
    );
    expect(error.message).toContain('bank.transaction');
  });

  it('refuses a doctype this Foyer does not know', async () => {
    await refused(
      rebuilt((m) => m.set('documents/unknown.thing.jsonl', Buffer.from('{}\n')), { relist: true }),
      'unknown_doctype',
    );
  });

  it('refuses an archive whose ledger was edited', async () => {
    const error = await refused(
      rebuilt(
        (m) =>
          m.set(
            'ledger/entries.jsonl',
            Buffer.from(m.get('ledger/entries.jsonl')!.toString().replace('"count":3', '"count":4')),
          ),
        { relist: true },
      ),
      'ledger_broken',
    );
    expect(error.message).toContain('edited');
  });

  it('refuses a member the manifest does not list', async () => {
    await refused(
      rebuilt((m) => m.set('formats/extra.csv', Buffer.from('a,b\n'))),
      'unlisted_member',
    );
  });

  it('refuses a zip without a manifest', async () => {
    await refused(buildZip([{ name: 'documents/contact.jsonl', data: '{}\n' }]), 'no_manifest');
  });

  it('refuses a truncated archive', async () => {
    const whole = rebuilt(() => undefined);
    await refused(whole.subarray(0, Math.floor(whole.length / 2)), 'unreadable');
  });

  it('imports a sealed archive with its passphrase only', async () => {
    await refused(sealed, 'passphrase_required');
    await refused(sealed, 'wrong_passphrase', { passphrase: 'not the right passphrase' });
    const checked = await uploadArchive(target, sealed, { passphrase: PASSPHRASE, dryRun: true });
    expect(checked.status).toBe(200);
    expect(checked.body.status).toBe('checked');
    expect((checked.body.archive as { encrypted: boolean }).encrypted).toBe(true);
    await expectUntouched();
  });

  it('refuses a sealed archive cut short, or with a chunk altered', async () => {
    await refused(sealed.subarray(0, sealed.length - 100), 'truncated', { passphrase: PASSPHRASE });
    // Cut exactly at a chunk boundary: the last chunk left was not sealed as the last.
    await refused(sealed.subarray(0, 64 + 65_552), 'truncated', { passphrase: PASSPHRASE });
    const altered = Buffer.from(sealed);
    altered[200] = altered[200]! ^ 1;
    await refused(altered, 'damaged', { passphrase: PASSPHRASE });
  });
});
