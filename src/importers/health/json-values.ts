/**
 * Streaming JSON for importers: the values at the given paths (`$.entry.*`), one at a time, so a
 * 1 GB bundle never sits in memory; only the largest single value does. Each value comes with the
 * line it ends on, and errors name the line.
 */
import { Tokenizer, TokenParser } from '@streamparser/json';
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export interface JsonValue {
  value: unknown;
  /** The value's key in its parent (`resourceType`, or an array index). */
  key: string | number | undefined;
  /** 1 for a property of the root object, 2 for an element of one of its arrays... */
  depth: number;
  /** The line the value ends on. */
  line: number;
}

/**
 * `separator` (e.g. `''`) accepts several root values one after the other, as in NDJSON;
 * without it, anything after the first root value is an error.
 */
export async function* jsonValues(source: ImportSource, paths: string[], separator?: string): AsyncIterable<JsonValue> {
  const tokenizer = new Tokenizer({ separator });
  const parser = new TokenParser({ paths, keepStack: false, separator });
  // Lines are counted up to the last token seen, moving forward only, so counting stays linear.
  let bytes = new Uint8Array(0);
  let chunkStart = 0;
  let counted = 0;
  let line = 1;
  let lastOffset = 0;
  const lineAt = (offset: number) => {
    const end = Math.min(offset - chunkStart, bytes.length);
    for (; counted < end; counted++) if (bytes[counted] === 10) line++;
    return line;
  };
  tokenizer.onToken = (token) => {
    lastOffset = token.offset;
    parser.write(token);
  };
  const ready: JsonValue[] = [];
  parser.onValue = ({ value, key, stack }) => {
    ready.push({ value, key, depth: stack.length, line: lineAt(lastOffset) });
  };
  // Wired both ways, as JSONParser does: the end of the root value ends the tokenizer, so that
  // anything after it is an error rather than silently ignored.
  parser.onEnd = () => {
    if (!tokenizer.isEnded) tokenizer.end();
  };
  tokenizer.onEnd = () => {
    if (!parser.isEnded) parser.end();
  };
  const encoder = new TextEncoder();
  for await (const text of source.text()) {
    // Bytes, so that the tokenizer's offsets index into them.
    lineAt(chunkStart + bytes.length);
    chunkStart += bytes.length;
    bytes = encoder.encode(text);
    counted = 0;
    try {
      tokenizer.write(bytes);
    } catch (e) {
      throw notJson(source.name, e, lineAt(chunkStart + chunkPosition(e)));
    }
    while (ready.length > 0) yield ready.shift()!;
  }
  if (!tokenizer.isEnded) {
    try {
      tokenizer.end();
    } catch {
      throw importError(source.name, 'the file ends before its JSON does (truncated?).', lineAt(Infinity));
    }
  }
  while (ready.length > 0) yield ready.shift()!;
}

function chunkPosition(e: unknown): number {
  const m = /chunk position "(\d+)"/.exec(e instanceof Error ? e.message : '');
  return m ? Number(m[1]) : 0;
}

function notJson(file: string, e: unknown, line: number) {
  const detail = e instanceof Error ? e.message.replace(/ at chunk position.*$/, '').replace(/\.$/, '') : '';
  return importError(file, `this is not valid JSON${detail ? ` (${detail})` : ''}.`, line);
}
