/** The root element's local name, for detecting XML formats from a file's first bytes. */
const ROOT =
  /^(?:\s|<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(?:\[[\s\S]*?\])?\s*>)*<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s/>]/;

/** `gpx` for `<?xml ...?><!-- ... --><gpx:gpx ...>`; undefined when the text does not start with XML. */
export function rootElementName(text: string): string | undefined {
  return ROOT.exec(text)?.[2];
}
