/**
 * Facebook's and Instagram's "Download your information" JSON escapes each UTF-8 byte of a
 * non-ASCII character as its own code point: "é" is written `\u00c3\u00a9`, which JSON reads as
 * "Ã©". The repair reads the string's code points back as bytes (Latin-1) and decodes them as
 * UTF-8, only when every code point fits in a byte and the bytes are valid UTF-8: a string that
 * was right (plain ASCII, real characters above U+00FF, a lone "é") is left as it is.
 */

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function repairMojibake(text: string): string {
  let high = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return text;
    if (c >= 0x80) high = true;
  }
  if (!high) return text;
  try {
    return UTF8.decode(Buffer.from(text, 'latin1'));
  } catch {
    return text;
  }
}

/** Every string of a parsed JSON value repaired, keys included. */
export function repairStrings(value: unknown): unknown {
  if (typeof value === 'string') return repairMojibake(value);
  if (Array.isArray(value)) return value.map(repairStrings);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[repairMojibake(k)] = repairStrings(v);
    return out;
  }
  return value;
}
