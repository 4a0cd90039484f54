import { describe, expect, it } from 'vitest';
import { minimalPdf } from './minimal-pdf.js';

describe('minimalPdf', () => {
  it('writes a PDF whose cross-reference table points at each object', () => {
    const text = Buffer.from(minimalPdf('Bill (March)', ['Total: 12 EUR', 'Échéance'])).toString('latin1');
    expect(text.startsWith('%PDF-1.4\n')).toBe(true);
    expect(text.endsWith('%%EOF\n')).toBe(true);
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 4)).toBe('xref');
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    expect(offsets).toHaveLength(5);
    offsets.forEach((offset, i) => expect(text.slice(offset).startsWith(`${i + 1} 0 obj`)).toBe(true));
    expect(text).toContain('(Bill \\(March\\)) Tj');
  });

  it('is deterministic', () => {
    expect(minimalPdf('a', ['b'])).toEqual(minimalPdf('a', ['b']));
  });
});
