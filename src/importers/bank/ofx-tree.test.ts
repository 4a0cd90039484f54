import { describe, expect, it } from 'vitest';
import { createOfxTokenizer } from './ofx-tokenizer.js';
import { createOfxTree, type OfxElement } from './ofx-tree.js';

const AGGREGATES = new Set(['OFX', 'STMTTRN', 'LIST']);

/** Builds the tree of `input`; returns the elements ended at the top level and the stray closing tags. */
function build(input: string, keep: (e: OfxElement) => boolean = () => true) {
  const roots: OfxElement[] = [];
  const strays: string[] = [];
  const prolog: string[] = [];
  const tree = createOfxTree('f.ofx', AGGREGATES, {
    opened: () => undefined,
    ended: (element, stack) => {
      if (stack.length === 0) roots.push(element);
      return keep(element);
    },
    prolog: (text) => void prolog.push(text),
    instruction: () => undefined,
    stray: (name, line) => void strays.push(`${name}@${line}`),
  });
  const tokenizer = createOfxTokenizer('f.ofx', tree);
  tokenizer.write(input);
  tokenizer.end();
  tree.finish(tokenizer.line());
  return { roots, strays, prolog };
}

/** An element as `NAME=text` or `NAME(children...)`. */
function show(e: OfxElement): string {
  return e.children.length > 0 ? `${e.name}(${e.children.map(show).join(' ')})` : `${e.name}=${e.text}`;
}

describe('OFX tree', () => {
  it('ends SGML leaves at the next tag and aggregates at their closing tag', () => {
    const { roots, prolog } = build(
      'OFXHEADER:100\n<OFX>\n<STMTTRN>\n<TRNAMT>-1\n<NAME>A</NAME>\n<MEMO>m\n</STMTTRN>\n</OFX>',
    );
    expect(prolog).toEqual(['OFXHEADER:100']);
    expect(roots.map(show)).toEqual(['OFX(STMTTRN(TRNAMT=-1 NAME=A MEMO=m))']);
  });

  it('reads an empty unclosed leaf as a leaf: what followed it are its siblings', () => {
    const { roots } = build('<OFX><STMTTRN><DTUSER><MEMO><TRNAMT>-1<NAME>A</STMTTRN></OFX>');
    expect(roots.map(show)).toEqual(['OFX(STMTTRN(DTUSER= MEMO= TRNAMT=-1 NAME=A))']);
  });

  it('drops what the handler does not keep', () => {
    const { roots } = build(
      '<OFX><LIST><STMTTRN><A>1</STMTTRN><STMTTRN><A>2</STMTTRN><END>x</LIST></OFX>',
      (e) => e.name !== 'STMTTRN',
    );
    expect(roots.map(show)).toEqual(['OFX(LIST(END=x))']);
  });

  it('ignores a closing tag that closes nothing and says so', () => {
    const { roots, strays } = build('<OFX>\n<A>1</B>\n</OFX>');
    expect(strays).toEqual(['B@2']);
    expect(roots.map(show)).toEqual(['OFX(A=1)']);
  });

  it('refuses an aggregate left open inside another, naming both lines', () => {
    expect(() => build('<OFX>\n<LIST>\n<STMTTRN>\n<A>1\n</LIST>\n</OFX>')).toThrow(
      expect.objectContaining({
        code: 'import_invalid',
        message:
          'f.ofx, line 5: the <STMTTRN> opened at line 3 is not closed before </LIST>: the file is corrupt or cut.',
      }),
    );
  });

  it('refuses a file that ends inside an aggregate (a truncated file)', () => {
    expect(() => build('<OFX>\n<LIST>\n<STMTTRN>\n<A>1\n</STMTTRN>\n')).toThrow(
      expect.objectContaining({
        code: 'import_invalid',
        details: { file: 'f.ofx', line: 5 },
        message: expect.stringContaining('ends inside the <LIST> opened at line 2'),
      }),
    );
  });
});
