/**
 * Streaming XML for importers: yields, one at a time, the elements whose path matches, each as a
 * small tree, and keeps nothing else. Memory stays bounded by the largest matched element, whatever
 * the file's size (a 1 GB Apple Health export is a long run of small `Record` elements).
 *
 * Safety: entities are never resolved. A DOCTYPE that declares entities (the "billion laughs" and
 * external-entity attacks) is refused before anything else is read; references to undeclared
 * entities are errors. Namespace prefixes are kept as written and not resolved (real exports use
 * undeclared prefixes); match on `local`, the name without its prefix, unless the prefix matters
 * (`gx:coord` in KML).
 */
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export interface XmlElement {
  /** The name as written, prefix included (`gx:Track`). */
  name: string;
  /** The name without its prefix (`Track`). */
  local: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (CDATA included), children's text excluded, not trimmed. */
  text: string;
  /** Line of the start tag. */
  line: number;
}

export interface XmlElementsOptions {
  /**
   * Whether to collect this element: `path` holds the local names from the root down to it,
   * itself included. Called for elements outside collected ones only.
   */
  match: (path: readonly string[], attrs: Record<string, string>) => boolean;
  /** Called for every opened element outside collected ones (e.g. to note a version). */
  onOpen?: (path: readonly string[], attrs: Record<string, string>) => void;
}

/** Largest text kept for one element: bigger means a hostile or broken file. */
const MAX_TEXT = 1024 * 1024;

export async function* xmlElements(source: ImportSource, options: XmlElementsOptions): AsyncIterable<XmlElement> {
  // Loaded with the first XML file read: detection and every other format start without it.
  const { SaxesParser } = await import('saxes');
  const parser = new SaxesParser({ xmlns: false, position: true });
  const path: string[] = [];
  const stack: XmlElement[] = [];
  const ready: XmlElement[] = [];
  let failure: Error | null = null;

  const fail = (message: string, line = parser.line) => {
    failure ??= importError(source.name, message, line);
  };

  parser.on('doctype', (doctype) => {
    if (/<!ENTITY/i.test(doctype) || /\bSYSTEM\b|\bPUBLIC\b/i.test(doctype.split('[')[0] ?? '')) {
      fail('the file declares XML entities or an external DTD, which Foyer never reads (they are a known attack).');
    }
  });
  parser.on('opentag', (tag) => {
    const attrs = tag.attributes as Record<string, string>;
    const local = localName(tag.name);
    path.push(local);
    if (stack.length > 0 || options.match(path, attrs)) {
      const element: XmlElement = { name: tag.name, local, attrs, children: [], text: '', line: parser.line };
      stack[stack.length - 1]?.children.push(element);
      stack.push(element);
    } else {
      options.onOpen?.(path, attrs);
    }
  });
  parser.on('closetag', () => {
    path.pop();
    const element = stack.pop();
    if (element && stack.length === 0) ready.push(element);
  });
  const onText = (text: string) => {
    const top = stack[stack.length - 1];
    if (!top) return;
    if (top.text.length + text.length > MAX_TEXT) fail(`the element <${top.name}> holds more than 1 MiB of text.`);
    else top.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('error', (e) => fail(`this is not well-formed XML (${cleanSaxesMessage(e.message)}).`));

  for await (const chunk of source.text()) {
    parser.write(chunk);
    if (failure) throw failure;
    while (ready.length > 0) yield ready.shift()!;
  }
  parser.close();
  if (failure) throw failure;
  while (ready.length > 0) yield ready.shift()!;
  if (path.length > 0) throw importError(source.name, 'the file ends before its XML does (truncated?).', parser.line);
}

export function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** The first child with this local name. */
export function child(element: XmlElement, local: string): XmlElement | undefined {
  return element.children.find((c) => c.local === local);
}

/** Text of the element at this path of local names below `element`, trimmed; undefined when absent. */
export function textAt(element: XmlElement, ...locals: string[]): string | undefined {
  let at: XmlElement | undefined = element;
  for (const local of locals) {
    at = at && child(at, local);
    if (!at) return undefined;
  }
  return at.text.trim();
}

/** saxes prefixes messages with file:line:column, which the import error already gives. */
function cleanSaxesMessage(message: string): string {
  return message.replace(/^[^:]*:\d+:\d+: /, '');
}
