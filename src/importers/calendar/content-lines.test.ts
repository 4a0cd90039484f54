import { describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../source/import-source.js';
import { contentLines, type ContentLineOptions } from './content-lines.js';

const options: ContentLineOptions = { quotedPrintable: false, skipValuesOf: new Set(['PHOTO']), maxLineBytes: 1000 };

async function lines(bytes: Uint8Array | string, opts: Partial<ContentLineOptions> = {}) {
  const out: { n: number; text: string; skipped: boolean; truncated: boolean }[] = [];
  const source = await sourceFromBytes('f', bytes);
  for await (const line of contentLines(source, { ...options, ...opts })) {
    out.push({
      n: line.n,
      text: Buffer.from(line.bytes).toString('utf8'),
      skipped: line.skipped,
      truncated: line.truncated,
    });
  }
  return out;
}

describe('contentLines', () => {
  it('unfolds CRLF, LF and CR folds followed by a space or a tab, numbering lines where they start', async () => {
    expect(await lines('A:1\r\nB:2\r\n 3\r\n\t4\nC:5\r 6\r\n')).toEqual([
      { n: 1, text: 'A:1', skipped: false, truncated: false },
      { n: 2, text: 'B:234', skipped: false, truncated: false },
      { n: 5, text: 'C:56', skipped: false, truncated: false },
    ]);
  });

  it('restores a UTF-8 character that a fold cut in two', async () => {
    const bytes = Buffer.concat([
      Buffer.from('SUMMARY:f'),
      Buffer.from([0xc3]),
      Buffer.from('\r\n '),
      Buffer.from([0xaa]),
      Buffer.from('te\r\n'),
    ]);
    expect((await lines(bytes))[0]!.text).toBe('SUMMARY:fête');
  });

  it('removes a UTF-8 byte order mark and skips blank lines', async () => {
    expect((await lines('\uFEFF\r\n\r\nBEGIN:VCARD\r\n\r\nEND:VCARD')).map((l) => l.text)).toEqual([
      'BEGIN:VCARD',
      'END:VCARD',
    ]);
  });

  it('joins quoted-printable soft line breaks only when asked and only for quoted-printable values', async () => {
    const text = 'NOTE;ENCODING=QUOTED-PRINTABLE:ab=\r\ncd=\r\nef\r\nX-OTHER:gh=\r\nEND:VCARD\r\n';
    expect((await lines(text, { quotedPrintable: true })).map((l) => l.text)).toEqual([
      'NOTE;ENCODING=QUOTED-PRINTABLE:abcdef',
      'X-OTHER:gh=',
      'END:VCARD',
    ]);
    expect((await lines(text)).map((l) => l.text)).toHaveLength(5);
  });

  it('drops the value of a skipped property as it streams by, folded or in bare base64 lines', async () => {
    const photo = `PHOTO;ENCODING=b:${'A'.repeat(5000)}`.match(/.{1,74}/g)!.join('\r\n ');
    const result = await lines(`FN:A\r\n${photo}\r\nEND:VCARD\r\n`);
    expect(result.map((l) => [l.text, l.skipped])).toEqual([
      ['FN:A', false],
      ['PHOTO;ENCODING=b', true],
      ['END:VCARD', false],
    ]);
    const bare = 'PHOTO;ENCODING=BASE64:QUJD\r\nREVG\r\nR0hJ==\r\n\r\nFN:B\r\n';
    expect((await lines(bare, { quotedPrintable: true })).map((l) => l.text)).toEqual([
      'PHOTO;ENCODING=BASE64',
      'FN:B',
    ]);
  });

  it('cuts a logical line longer than the limit and says so', async () => {
    const result = await lines(`DESCRIPTION:${'x'.repeat(600)}\r\n ${'y'.repeat(600)}\r\nEND:X\r\n`);
    expect(result[0]!.text).toHaveLength(1000);
    expect(result[0]!.truncated).toBe(true);
    expect(result[1]!.text).toBe('END:X');
  });

  it('finds line ends across chunk boundaries, a CRLF split between two chunks included', async () => {
    // sourceFromBytes yields 16 KiB chunks: put a CR at the very end of the first.
    const head = `X:${'a'.repeat(16 * 1024 - 3)}\r`;
    const result = await lines(`${head}\nY:b\r\n`);
    expect(result.map((l) => [l.n, l.text.slice(0, 3)])).toEqual([
      [1, 'X:a'],
      [2, 'Y:b'],
    ]);
  });
});
