import { describe, expect, it } from 'vitest';
import { sourceFromBytes } from '../source/import-source.js';
import { csvRows, sniffDelimiter } from './csv-reader.js';

async function rows(text: string, delimiter = ';'): Promise<[number, string[]][]> {
  const out: [number, string[]][] = [];
  for await (const row of csvRows(await sourceFromBytes('f.csv', text), delimiter)) out.push([row.line, row.fields]);
  return out;
}

describe('csvRows', () => {
  it('splits fields and rows on CRLF, LF and lone CR, skipping blank lines', async () => {
    expect(await rows('a;b\r\nc;d\n\ne;f\rg;h')).toEqual([
      [1, ['a', 'b']],
      [2, ['c', 'd']],
      [4, ['e', 'f']],
      [5, ['g', 'h']],
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks inside', async () => {
    expect(await rows('"a;1";"say ""hi""";"two\r\nlines"\nx;"";y', ';')).toEqual([
      [1, ['a;1', 'say "hi"', 'two\r\nlines']],
      [3, ['x', '', 'y']],
    ]);
  });

  it('keeps empty trailing fields', async () => {
    expect(await rows('a;;\n')).toEqual([[1, ['a', '', '']]]);
  });

  it('handles a doubled quote split across chunks', async () => {
    const pad = 'p'.repeat(16 * 1024 - 3);
    const text = `"${pad}"` + `"x"\n`;
    // chunk boundary falls between the two quotes of `""`
    expect((await rows(text))[0]![1][0]).toBe(`${pad}"x`);
  });

  it('refuses a quote left open until the end, naming the line', async () => {
    await expect(rows('a;b\n"open;c\nd')).rejects.toMatchObject({
      code: 'import_invalid',
      details: { file: 'f.csv', line: 2 },
    });
  });

  it('refuses a field longer than 64 KiB', async () => {
    await expect(rows(`${'x'.repeat(70 * 1024)};y`)).rejects.toMatchObject({ code: 'import_invalid' });
  });
});

describe('sniffDelimiter', () => {
  it('finds the delimiter that splits lines consistently', () => {
    expect(sniffDelimiter('Date;Libellé;Montant\n01/02/2024;CB "A,B";-1,50\n')).toBe(';');
    expect(sniffDelimiter('date,label,amount\n2024-02-01,Shop,-1.50\n')).toBe(',');
    expect(sniffDelimiter('date\tlabel\n2024-02-01\tShop\n')).toBe('\t');
  });
});
