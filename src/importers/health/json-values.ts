/**
 * Streaming JSON for importers: the values at the given paths (`$.entry.*`), one at a time, so a
 * 1 GB bundle never sits in memory; only the largest single value does. Errors name the line.
 */
import { JSONParser } from '@streamparser/json';
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export interface JsonValue {
  value: unknown;
  /** The value's key in its parent (`resourceType`, or an array index). */
  key: string | number | undefined;
  /** 1 for a property of the root object, 2 for an element of one of its arrays... */
  depth: number;
}

export async function* jsonValues(source: ImportSource, paths: string[]): AsyncIterable<JsonValue> {
  const parser = new JSONParser({ paths, keepStack: false });
  const ready: JsonValue[] = [];
  parser.onValue = ({ value, key, stack }) => {
    ready.push({ value, key, depth: stack.length });
  };
  const encoder = new TextEncoder();
  let lines = 1;
  for await (const text of source.text()) {
    // Bytes, so that the parser's "chunk position" is an index into them and gives the line.
    const bytes = encoder.encode(text);
    try {
      parser.write(bytes);
    } catch (e) {
      throw notJson(source.name, e, lines + newlinesBefore(bytes, chunkPosition(e)));
    }
    lines += newlinesBefore(bytes, bytes.length);
    while (ready.length > 0) yield ready.shift()!;
  }
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch {
      throw importError(source.name, 'the file ends before its JSON does (truncated?).', lines);
    }
  }
  while (ready.length > 0) yield ready.shift()!;
}

function chunkPosition(e: unknown): number {
  const m = /chunk position "(\d+)"/.exec(e instanceof Error ? e.message : '');
  return m ? Number(m[1]) : 0;
}

function newlinesBefore(bytes: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end && i < bytes.length; i++) if (bytes[i] === 10) n++;
  return n;
}

function notJson(file: string, e: unknown, line: number) {
  const detail = e instanceof Error ? e.message.replace(/ at chunk position.*$/, '').replace(/\.$/, '') : '';
  return importError(file, `this is not valid JSON${detail ? ` (${detail})` : ''}.`, line);
}
