import { describe, expect, it } from 'vitest';
import { isFoyerError } from '../../core/errors.js';
import { createOfxTokenizer, decodeEntities } from './ofx-tokenizer.js';

/** Tokens as `open:NAME@line`, `close:NAME@line`, `text:"..."@line`, `pi:...@line`. */
function tokens(input: string, chunkSize = input.length || 1): string[] {
  const out: string[] = [];
  const tokenizer = createOfxTokenizer('f.ofx', {
    open: (name, line) => void out.push(`open:${name}@${line}`),
    close: (name, line) => void out.push(`close:${name}@${line}`),
    text: (text, line) => void out.push(`text:${JSON.stringify(text)}@${line}`),
    instruction: (body, line) => void out.push(`pi:${body}@${line}`),
  });
  for (let i = 0; i < input.length; i += chunkSize) tokenizer.write(input.slice(i, i + chunkSize));
  tokenizer.end();
  return out;
}

describe('OFX tokenizer', () => {
  it('reads SGML with unclosed leaves, the header as text, and counts CRLF lines', () => {
    const sgml = 'OFXHEADER:100\r\nDATA:OFXSGML\r\n\r\n<OFX>\r\n<TRNAMT>-12.50\r\n<NAME>CAFÉ\r\n</OFX>\r\n';
    expect(tokens(sgml)).toEqual([
      'text:"OFXHEADER:100\\r\\nDATA:OFXSGML"@1',
      'open:OFX@4',
      'open:TRNAMT@5',
      'text:"-12.50"@5',
      'open:NAME@6',
      'text:"CAFÉ"@6',
      'close:OFX@7',
    ]);
  });

  it('gives the same tokens whatever the chunk boundaries', () => {
    const input =
      '<?xml version="1.0"?>\n<?OFX OFXHEADER="200"?>\n<OFX><!-- a comment -->\n<NAME>AT&amp;T &#233;t&eacute;</NAME>' +
      '<MEMO><![CDATA[a <b> & c]]></MEMO>\n<X/><Y a="1">v</Y>\r<BAL>1 < 2</BAL></OFX>';
    const whole = tokens(input);
    for (const size of [1, 2, 3, 5, 7, 13]) expect(tokens(input, size)).toEqual(whole);
    expect(whole).toContain('text:"AT&T ét&eacute;"@4');
    expect(whole).toContain('text:"a <b> & c"@4');
    expect(whole).toContain('open:X@5');
    expect(whole).toContain('close:X@5');
    expect(whole).toContain('text:"v"@5');
    // A lone CR in a file whose lines end in LF ends no line.
    expect(whole).toContain('text:"1 < 2"@5');
    expect(whole[0]).toBe('pi:xml version="1.0"@1');
  });

  it('upper-cases names, keeps Quicken names with dots, and reads lone CR line ends', () => {
    expect(tokens('<ofx>\r<intu.bid>10898\r</ofx>')).toEqual([
      'open:OFX@1',
      'open:INTU.BID@2',
      'text:"10898"@2',
      'close:OFX@3',
    ]);
  });

  it('treats a "<" that starts no tag as text', () => {
    expect(tokens('<MEMO>price <3 and <= 4 or <b\n<NAME>x')).toEqual([
      'open:MEMO@1',
      'text:"price <3 and <= 4 or <b"@1',
      'open:NAME@2',
      'text:"x"@2',
    ]);
  });

  it('decodes only the XML entities and numeric references', () => {
    expect(decodeEntities('&lt;&gt;&quot;&apos;&amp;&#x41;&#66;')).toBe('<>"\'&AB');
    expect(decodeEntities('&nbsp; &#0; &#xD800; & &amp')).toBe('&nbsp; &#0; &#xD800; & &amp');
  });

  it('refuses a never-ending comment and an endless text with the line', () => {
    const comment = () => tokens('<OFX>\n<!-- never closed');
    expect(comment).toThrow(/never closed/);
    try {
      comment();
    } catch (e) {
      expect(isFoyerError(e) && e.code).toBe('import_invalid');
      expect(isFoyerError(e) && e.details).toMatchObject({ file: 'f.ofx', line: 2 });
    }
    expect(() => tokens(`<NAME>${'x'.repeat(1100 * 1024)}`, 64 * 1024)).toThrow(/more than 1 MiB/);
  });
});
