/**
 * An `ImportSource` over anything that can be read more than once as a stream of bytes: a file on
 * disk, an upload kept in a temporary file, an entry of a zip archive, or bytes in memory (tests).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ImportSample, ImportSource, SourceLine } from '../importer.js';
import { detectEncoding, type Encoding } from './detect-encoding.js';

/** How much of a file detection looks at. */
export const SAMPLE_BYTES = 64 * 1024;

export interface ByteOpener {
  name: string;
  size: number | null;
  open(): AsyncIterable<Uint8Array>;
}

export async function createImportSource(opener: ByteOpener): Promise<ImportSource> {
  const head = await readHead(opener.open(), SAMPLE_BYTES);
  const detected = detectEncoding(head.bytes);
  const { encoding, bom } = detected;
  // Decoding the sample must not end in a broken character: the decoder is not told it is the end.
  // Always decode in stream mode: Node 20's one-shot windows-1252 decode is plain Latin-1 (0x80 is
  // U+0080, not €), while the streaming decoder maps it right.
  const sampleDecoder = new TextDecoder(encoding);
  let sampleText = sampleDecoder.decode(head.bytes.subarray(bom), { stream: true });
  if (head.complete) sampleText += sampleDecoder.decode();
  const sample: ImportSample = {
    name: opener.name,
    bytes: head.bytes,
    text: sampleText,
    encoding,
    complete: head.complete,
  };
  const text = () => decodeStream(opener.open(), encoding, bom, detected.evidence === 'default');
  return {
    name: opener.name,
    size: opener.size,
    encoding,
    sample,
    bytes: () => opener.open(),
    text,
    lines: () => splitLines(text()),
  };
}

export function sourceFromBytes(name: string, bytes: Uint8Array | string): Promise<ImportSource> {
  const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
  return createImportSource({
    name,
    size: data.length,
    async *open() {
      // Several chunks, as a real stream would give them, so chunk boundaries get exercised.
      const chunk = 16 * 1024;
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, Math.min(data.length, i + chunk));
    },
  });
}

export async function sourceFromFile(path: string, name = path.split(/[\\/]/).pop() ?? path): Promise<ImportSource> {
  const { size } = await stat(path);
  return createImportSource(fileOpener(path, name, size));
}

/** A file on disk, opened afresh for each read. */
export function fileOpener(path: string, name: string, size: number): ByteOpener {
  return {
    name,
    size,
    open: () => createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Uint8Array>,
  };
}

async function readHead(
  stream: AsyncIterable<Uint8Array>,
  max: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const parts: Uint8Array[] = [];
  let length = 0;
  let complete = true;
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      const { value, done } = await iterator.next();
      if (done) break;
      parts.push(value);
      length += value.length;
      if (length > max) {
        complete = false;
        break;
      }
    }
  } finally {
    await iterator.return?.();
  }
  const all = Buffer.concat(parts);
  return { bytes: complete ? all : all.subarray(0, max), complete };
}

/**
 * Decodes chunk by chunk. A file that looked like ASCII in its sample and later turns out not to be
 * UTF-8 is read as Windows-1252 from the first offending chunk on (everything before was valid).
 */
async function* decodeStream(
  stream: AsyncIterable<Uint8Array>,
  encoding: Encoding,
  bom: number,
  fallback: boolean,
): AsyncIterable<string> {
  let decoder = new TextDecoder(encoding, { fatal: fallback });
  let skip = bom;
  for await (const raw of stream) {
    let chunk = raw;
    if (skip > 0) {
      const n = Math.min(skip, chunk.length);
      chunk = chunk.subarray(n);
      skip -= n;
    }
    if (chunk.length === 0) continue;
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      decoder = new TextDecoder('windows-1252');
      fallback = false;
      text = decoder.decode(chunk, { stream: true });
    }
    if (text.length > 0) yield text;
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    tail = '\uFFFD';
  }
  if (tail.length > 0) yield tail;
}

/** Lines ended by CRLF, LF or a lone CR (old Mac exports), CRLF split across chunks included. */
export async function* splitLines(chunks: AsyncIterable<string>): AsyncIterable<SourceLine> {
  let rest = '';
  let n = 0;
  let pendingCr = false;
  for await (const chunk of chunks) {
    let text = chunk;
    if (pendingCr) {
      if (text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
    }
    let start = 0;
    const buffer = rest + text;
    const offset = rest.length;
    rest = '';
    for (let i = offset; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      yield { n: ++n, text: buffer.slice(start, i) };
      if (c === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          pendingCr = true;
        }
      }
      start = i + 1;
    }
    rest = buffer.slice(start);
  }
  if (rest.length > 0) yield { n: ++n, text: rest };
}
