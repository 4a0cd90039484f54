import { describe, expect, it } from 'vitest';
import { detectEncoding } from './detect-encoding.js';
import { sourceFromBytes } from './import-source.js';

async function all(iterable: AsyncIterable<string>): Promise<string> {
  let out = '';
  for await (const s of iterable) out += s;
  return out;
}

async function lines(bytes: Uint8Array | string): Promise<string[]> {
  const source = await sourceFromBytes('f', bytes);
  const out: string[] = [];
  for await (const line of source.lines()) out.push(`${line.n}:${line.text}`);
  return out;
}

const latin1 = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)));

describe('detectEncoding', () => {
  it('reads byte order marks', () => {
    expect(detectEncoding(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41]))).toMatchObject({ encoding: 'utf-8', bom: 3 });
    expect(detectEncoding(Uint8Array.from([0xff, 0xfe, 0x41, 0]))).toMatchObject({ encoding: 'utf-16le', bom: 2 });
    expect(detectEncoding(Uint8Array.from([0xfe, 0xff, 0, 0x41]))).toMatchObject({ encoding: 'utf-16be', bom: 2 });
  });

  it('recognises UTF-16 without a byte order mark by its zero bytes', () => {
    expect(detectEncoding(Buffer.from('Date;Libellé;Montant\r\n', 'utf16le')).encoding).toBe('utf-16le');
    const be = Buffer.from('Date;Montant\n', 'utf16le').swap16();
    expect(detectEncoding(be).encoding).toBe('utf-16be');
  });

  it('reads bytes that are not UTF-8 as Windows-1252', () => {
    expect(detectEncoding(latin1('Libellé;Débit\n')).encoding).toBe('windows-1252');
  });

  it('trusts UTF-8 content over a Latin-1 declaration, and says so', () => {
    const d = detectEncoding(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>'));
    expect(d).toMatchObject({ encoding: 'utf-8', evidence: 'content', declared: 'ISO-8859-1' });
  });

  it('follows the declaration of an ASCII-only start (XML prolog, OFX header)', () => {
    expect(detectEncoding(Buffer.from('<?xml version="1.0" encoding="windows-1252"?><a/>')).encoding).toBe(
      'windows-1252',
    );
    expect(detectEncoding(Buffer.from('OFXHEADER:100\r\nDATA:OFXSGML\r\nCHARSET:1252\r\n')).encoding).toBe(
      'windows-1252',
    );
    expect(detectEncoding(Buffer.from('OFXHEADER:100\r\nENCODING:UTF-8\r\nCHARSET:1252\r\n')).encoding).toBe('utf-8');
  });

  it('does not count a multi-byte character cut by the end of the sample as invalid', () => {
    const bytes = Buffer.from('abc é');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1)).encoding).toBe('utf-8');
  });
});

describe('ImportSource', () => {
  it('removes the byte order mark from the text and the sample', async () => {
    const source = await sourceFromBytes('f', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Date;é')]));
    expect(source.sample.text).toBe('Date;é');
    expect(await all(source.text())).toBe('Date;é');
  });

  it('decodes Windows-1252 including the euro sign', async () => {
    const source = await sourceFromBytes('f', Uint8Array.from([0x80, 0x20, 0xe9]));
    expect(await all(source.text())).toBe('€ é');
  });

  it('switches to Windows-1252 when a file that started as ASCII turns out not to be UTF-8', async () => {
    const head = 'a'.repeat(70 * 1024);
    const source = await sourceFromBytes('f', Buffer.concat([Buffer.from(head), latin1('\nDébit')]));
    expect(source.encoding).toBe('utf-8');
    expect((await all(source.text())).endsWith('\nDébit')).toBe(true);
  });

  it('keeps a UTF-8 character split across chunks whole', async () => {
    const text = 'x'.repeat(16 * 1024 - 1) + 'é€';
    const source = await sourceFromBytes('f', text);
    expect(await all(source.text())).toBe(text);
  });

  it('splits lines on CRLF, LF and lone CR, numbering from 1', async () => {
    expect(await lines('a\r\nb\nc\rd')).toEqual(['1:a', '2:b', '3:c', '4:d']);
    expect(await lines('a\r\n\r\nb\n')).toEqual(['1:a', '2:', '3:b']);
  });

  it('treats a CRLF split between chunks as one line end', async () => {
    const text = 'y'.repeat(16 * 1024 - 1) + '\r\nnext';
    expect(await lines(text)).toEqual([`1:${'y'.repeat(16 * 1024 - 1)}`, '2:next']);
  });

  it('can read a source twice', async () => {
    const source = await sourceFromBytes('f', 'one\ntwo');
    expect(await all(source.text())).toBe(await all(source.text()));
  });

  it('marks a sample as complete only for a file shorter than the sample', async () => {
    expect((await sourceFromBytes('f', 'short')).sample.complete).toBe(true);
    expect((await sourceFromBytes('f', 'z'.repeat(65 * 1024))).sample.complete).toBe(false);
  });
});
