import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/cli-io.js';
import { main } from '../cli/main.js';
import { startTestFoyer } from '../testing/test-foyer.js';
import { isSealed } from './archive-envelope.js';
import { archiveMembers, seedSpace } from './portability-testing.js';
import { buildZip } from '../testing/zip-writer.js';

describe('foyer export and foyer import-archive', () => {
  let root: string;
  let from: string;
  let to: string;
  let passphraseFile: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'foyer-cli-export-'));
    from = path.join(root, 'from');
    to = path.join(root, 'to');
    const f = await startTestFoyer({ config: { dataDir: from } });
    await seedSpace(f);
    await f.close();
    passphraseFile = path.join(root, 'passphrase');
    await writeFile(passphraseFile, 'the archive passphrase\n');
  }, 60_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function run(dataDir: string, argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
      env: { FOYER_DATA_DIR: dataDir, FOYER_LOG_LEVEL: 'silent' },
      ask: () => Promise.reject(new Error('no prompt expected')),
      readStdin: async () => '',
      stopSignal: () => new Promise(() => {}),
    };
    const code = await main(argv, io);
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('exports a sealed archive and imports it into another data folder, twice without change', async () => {
    const archive = path.join(root, 'space.zip.sealed');
    const exported = await run(from, ['export', '--out', archive, '--passphrase-file', passphraseFile]);
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/Wrote .*space\.zip\.sealed \(sealed\): \d+ documents, 4 points, 2 files/);
    expect(isSealed(await readFile(archive))).toBe(true);
    await expect(stat(`${archive}.partial`)).rejects.toThrow();

    const first = await run(to, ['import-archive', archive, '--passphrase-file', passphraseFile]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/bank\.transaction\s+3\s+0\s+0/);
    expect(first.out).toContain('0 conflict(s)');

    const second = await run(to, ['import-archive', archive, '--passphrase-file', passphraseFile, '--json']);
    const report = JSON.parse(second.out) as { documents: Record<string, { created: number; unchanged: number }> };
    expect(report.documents['bank.transaction']).toEqual({ created: 0, unchanged: 3, conflicts: 0 });
  });

  it('imports into a space that does not exist yet, made in the archive’s time zone', async () => {
    const archive = path.join(root, 'space.zip.sealed');
    const result = await run(to, ['import-archive', archive, '--passphrase-file', passphraseFile, '--space', 'moved']);
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/bank\.transaction\s+3\s+0\s+0/);
    const listed = await run(to, ['space', 'list']);
    expect(listed.out).toContain('moved');
  });

  it('says why an archive is refused, with exit code 1', async () => {
    const archive = path.join(root, 'sealed-again.zip');
    expect((await run(from, ['export', '--out', archive, '--passphrase-file', passphraseFile])).code).toBe(0);
    const wrong = path.join(root, 'wrong');
    await writeFile(wrong, 'not the passphrase at all\n');
    const refused = await run(to, ['import-archive', archive, '--passphrase-file', wrong]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Wrong passphrase');
    // Refused after the new space was made (a member altered): the space goes again.
    const plain = path.join(root, 'plain.zip');
    expect((await run(from, ['export', '--out', plain])).code).toBe(0);
    const members = await archiveMembers(plain);
    const lines = members.get('documents/contact.jsonl')!.toString().replace('Marie', 'Mario');
    members.set('documents/contact.jsonl', Buffer.from(lines));
    const tampered = path.join(root, 'tampered.zip');
    await writeFile(tampered, buildZip([...members].map(([name, data]) => ({ name, data }))));
    const intoNew = await run(to, ['import-archive', tampered, '--space', 'never']);
    expect(intoNew.code).toBe(1);
    expect(intoNew.err).toContain('checksum');
    expect((await run(to, ['space', 'list'])).out).not.toContain('never');
  });

  it('writes one domain format on demand', async () => {
    const ics = path.join(root, 'calendar.ics');
    const result = await run(from, ['export', '--format', 'calendar.ics', '--out', ics]);
    expect(result.code).toBe(0);
    const text = await readFile(ics, 'utf8');
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain('SUMMARY:Dentiste\\; rappel');
  });
});
