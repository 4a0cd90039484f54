/** Reading a space a page at a time, for the archive and the domain formats. */
import type { DocumentStore, StoredDocument } from '../storage/document-store.js';

const PAGE = 1000;
/** Bytes of JSON Lines gathered before they go to the zip (fewer, larger writes). */
const TEXT_CHUNK = 256 * 1024;
/** Series are read over every representable instant. */
export const ALL_TIME = { from: -8.64e15, to: 8.64e15 };

/** Pages of live documents of one doctype, in id order. */
export async function* documentPages(
  deps: { store: DocumentStore },
  space: string,
  doctype: string,
): AsyncIterable<StoredDocument[]> {
  let after: { values: []; id: string } | undefined;
  for (;;) {
    const page = await deps.store.findDocuments(space, doctype, {
      selector: null,
      sort: [],
      limit: PAGE,
      ...(after ? { after } : {}),
    });
    if (page.length > 0) yield page;
    if (page.length < PAGE) return;
    after = { values: [], id: page[page.length - 1]!.id };
  }
}

/** Text lines gathered into chunks of bytes. */
export async function* textChunks(lines: AsyncIterable<string>): AsyncIterable<Uint8Array> {
  let parts: string[] = [];
  let size = 0;
  for await (const line of lines) {
    parts.push(line);
    size += line.length;
    if (size >= TEXT_CHUNK) {
      yield Buffer.from(parts.join(''), 'utf8');
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield Buffer.from(parts.join(''), 'utf8');
}
