/**
 * A minimal PDF 1.4 writer: one A4 page per 60 lines of Helvetica text, WinAnsi encoding, a
 * correct cross-reference table. Enough for bills and contracts a reader can open; no dependency.
 */

/** WinAnsi bytes for a PDF string literal: Latin-1 as octal escapes, € as its WinAnsi code, others as '?'. */
function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 63;
    if (ch === '(' || ch === ')' || ch === '\\') out += `\\${ch}`;
    else if (code >= 32 && code < 127) out += ch;
    else if (ch === '€') out += '\\200';
    else if (ch === '’') out += "'";
    else if (code === 0x202f || code === 0xa0) out += ' ';
    else if (code >= 160 && code <= 255) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `${out})`;
}

export interface PdfText {
  title: string;
  lines: string[];
}

const LINES_PER_PAGE = 60;

export function writePdf(doc: PdfText): Uint8Array {
  const pages: string[][] = [];
  for (let i = 0; i < Math.max(1, doc.lines.length); i += LINES_PER_PAGE)
    pages.push(doc.lines.slice(i, i + LINES_PER_PAGE));
  // Objects: 1 catalog, 2 pages, 3 font, 4 info, then a page and its content stream per page.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title ${pdfString(doc.title)} /Producer (Foyer synthetic household) >>`;
  pages.forEach((lines, i) => {
    const id = pageIds[i] as number;
    const body = [
      'BT',
      '/F1 14 Tf',
      '50 800 Td',
      i === 0 ? `${pdfString(doc.title)} Tj` : '',
      '/F1 10 Tf',
      '0 -24 Td',
      '12 TL',
      ...lines.map((l) => `${pdfString(l)} '`),
      'ET',
    ]
      .filter((s) => s !== '')
      .join('\n');
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${id + 1} 0 R >>`;
    objects[id + 1] = `<< /Length ${body.length} >>\nstream\n${body}\nendstream`;
  });
  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = pdf.length;
    pdf += `${id} 0 obj\n${objects[id] as string}\nendobj\n`;
  }
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) pdf += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Every character is below 256, so one byte each: offsets counted in characters are byte offsets.
  return Uint8Array.from(pdf, (ch) => ch.charCodeAt(0));
}
