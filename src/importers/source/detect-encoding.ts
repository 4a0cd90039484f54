/**
 * Which text encoding a file is in, from its first bytes. Order of evidence: a byte order mark; the
 * zero bytes of UTF-16 without one; a declaration in the file (XML prolog, OFX 1.x header, CSS-like
 * `@charset`); then the bytes themselves: valid UTF-8 that uses multi-byte sequences is UTF-8 whatever
 * a declaration says (Latin-1 text almost never forms such sequences by chance), and text that is not
 * valid UTF-8 is read as Windows-1252, the superset of Latin-1 that French banks' exports use.
 */

/** Names as `TextDecoder` knows them. */
export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: Encoding;
  /** Bytes of byte order mark to skip. */
  bom: number;
  /** How it was decided, for the preview. */
  evidence: 'bom' | 'utf16-zeros' | 'declared' | 'content' | 'default';
  /** Set when a declaration was overruled by the content. */
  declared?: string;
}

export function detectEncoding(head: Uint8Array): DetectedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3, evidence: 'bom' };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, evidence: 'bom' };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2, evidence: 'bom' };
  const utf16 = utf16ByZeros(head);
  if (utf16) return { encoding: utf16, bom: 0, evidence: 'utf16-zeros' };

  const utf8 = utf8Shape(head);
  const declaredName = declaredCharset(head);
  const declared = declaredName === undefined ? undefined : encodingNamed(declaredName);
  if (utf8 === 'multibyte') {
    return declared === undefined || declared === 'utf-8'
      ? { encoding: 'utf-8', bom: 0, evidence: declared ? 'declared' : 'content' }
      : { encoding: 'utf-8', bom: 0, evidence: 'content', declared: declaredName };
  }
  if (utf8 === 'invalid') {
    return declared === 'windows-1252'
      ? { encoding: 'windows-1252', bom: 0, evidence: 'declared' }
      : {
          encoding: 'windows-1252',
          bom: 0,
          evidence: 'content',
          ...(declaredName !== undefined ? { declared: declaredName } : {}),
        };
  }
  // Pure ASCII so far: a declaration decides how later bytes are read.
  if (declared !== undefined) return { encoding: declared, bom: 0, evidence: 'declared' };
  return { encoding: 'utf-8', bom: 0, evidence: 'default' };
}

/** Map a declared charset name to one we decode; unknown names yield undefined (ignored). */
export function encodingNamed(name: string): Encoding | undefined {
  const n = name.trim().toLowerCase().replace(/_/g, '-');
  if (n === 'utf-8' || n === 'utf8' || n === 'usascii' || n === 'us-ascii' || n === 'ascii' || n === 'none') {
    return 'utf-8';
  }
  if (n === 'utf-16' || n === 'utf-16le' || n === 'ucs-2') return 'utf-16le';
  if (n === 'utf-16be') return 'utf-16be';
  if (
    n === '1252' ||
    n === 'cp1252' ||
    n === 'windows-1252' ||
    n === 'iso-8859-1' ||
    n === 'iso8859-1' ||
    n === 'latin1' ||
    n === 'latin-1' ||
    n === 'iso-8859-15' ||
    n === 'iso8859-15' ||
    n === '8859-1' ||
    n === 'ansi'
  ) {
    // WHATWG reads ISO-8859-1 as Windows-1252; -15 differs only in 8 rarely used letters and €.
    return 'windows-1252';
  }
  return undefined;
}

const ASCII = new TextDecoder('latin1');

function declaredCharset(head: Uint8Array): string | undefined {
  const text = ASCII.decode(head.subarray(0, 2048));
  const xml = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(text);
  if (xml) return xml[1];
  // OFX 1.x SGML header: "CHARSET:1252", or "ENCODING:UTF-8" (which then wins over CHARSET).
  if (/^\s*OFXHEADER\s*:/i.test(text)) {
    const enc = /^\s*ENCODING\s*:\s*([A-Za-z0-9-]+)/im.exec(text)?.[1];
    if (enc && /utf-?8/i.test(enc)) return 'utf-8';
    const charset = /^\s*CHARSET\s*:\s*([A-Za-z0-9-]+)/im.exec(text)?.[1];
    if (charset) return charset.toUpperCase() === 'NONE' ? undefined : charset;
  }
  const at = /^@charset\s+"([^"]+)"/.exec(text);
  return at?.[1];
}

/** UTF-16 without a byte order mark shows as a zero in every other byte of ASCII text. */
function utf16ByZeros(head: Uint8Array): Encoding | undefined {
  const n = Math.min(head.length, 1024) & ~1;
  if (n < 4) return undefined;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return undefined;
}

/** 'ascii' (only bytes < 0x80), 'multibyte' (valid UTF-8 using sequences), or 'invalid'. */
function utf8Shape(bytes: Uint8Array): 'ascii' | 'multibyte' | 'invalid' {
  let multibyte = false;
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    const len = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (len === 0) return 'invalid';
    // A sequence cut by the end of the sample says nothing either way.
    if (i + len > n) break;
    for (let k = 1; k < len; k++) {
      if ((bytes[i + k]! & 0xc0) !== 0x80) return 'invalid';
    }
    if (len === 3 && b === 0xe0 && bytes[i + 1]! < 0xa0) return 'invalid';
    if (len === 3 && b === 0xed && bytes[i + 1]! > 0x9f) return 'invalid';
    if (len === 4 && b === 0xf0 && bytes[i + 1]! < 0x90) return 'invalid';
    if (len === 4 && b === 0xf4 && bytes[i + 1]! > 0x8f) return 'invalid';
    multibyte = true;
    i += len;
  }
  return multibyte ? 'multibyte' : 'ascii';
}
