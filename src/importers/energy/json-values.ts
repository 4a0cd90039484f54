/**
 * Streaming JSON for importers: yields the values at chosen paths (`$.meter_reading.interval_reading.*`)
 * one at a time, with the line each starts on, and keeps nothing else, so a year of half-hour
 * readings never sits in memory. Several documents one after another (newline-delimited JSON, as
 * GRDF's API returns) are read when `multipleDocuments` is set.
 */
import { TokenParser, Tokenizer, TokenType } from '@streamparser/json';
import type { ParsedElementInfo, ParsedTokenInfo } from '@streamparser/json';
import { importError } from '../import-error.js';
import type { ImportSource } from '../importer.js';

export interface JsonValue {
  value: unknown;
  /** Keys from the root down to the value (array positions as numbers). */
  path: (string | number)[];
  /** Line the value starts on. */
  line: number;
}

export interface JsonValuesOptions {
  /** JSONPath subset: `$`, `$.a.b`, `$.*.b`, `$.a.*`. */
  paths: string[];
  multipleDocuments?: boolean;
}

const NEWLINE = 10;

export async function* jsonValues(source: ImportSource, options: JsonValuesOptions): AsyncIterable<JsonValue> {
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({
    paths: options.paths,
    keepStack: false,
    ...(options.multipleDocuments ? { separator: '' } : {}),
  });
  const lines = createLineCounter();
  const containerLines: number[] = [];
  let lastLine = 1;
  let lastContainerLine = 1;
  const ready: JsonValue[] = [];

  tokenizer.onToken = (info: ParsedTokenInfo) => {
    lastLine = lines.lineAt(info.offset);
    if (info.token === TokenType.LEFT_BRACE || info.token === TokenType.LEFT_BRACKET) containerLines.push(lastLine);
    else if (info.token === TokenType.RIGHT_BRACE || info.token === TokenType.RIGHT_BRACKET)
      lastContainerLine = containerLines.pop() ?? lastLine;
    parser.write(info);
  };
  parser.onValue = (info: ParsedElementInfo) => {
    const value = info.value;
    const path = info.stack.slice(1).map((s) => s.key as string | number);
    if (info.key !== undefined) path.push(info.key as string | number);
    ready.push({ value, path, line: typeof value === 'object' && value !== null ? lastContainerLine : lastLine });
  };

  const encoder = new TextEncoder();
  for await (const text of source.text()) {
    const bytes = encoder.encode(text);
    lines.add(bytes);
    try {
      tokenizer.write(bytes);
    } catch (e) {
      throw importError(source.name, `this is not valid JSON (${describe(e)}).`, lastLine);
    }
    while (ready.length > 0) yield ready.shift()!;
  }
  try {
    tokenizer.end();
    // Between documents the parser may end; inside one (or before the only one ends) it throws.
    if (!parser.isEnded) {
      if (!options.multipleDocuments) throw new Error('incomplete');
      parser.end();
    }
  } catch {
    throw importError(source.name, 'the JSON ends before it is complete (truncated?).', lastLine);
  }
  while (ready.length > 0) yield ready.shift()!;
}

/** The parser's message without its internal state names, for people. */
function describe(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const token = /Unexpected "(.{0,20}?)" at .*?absolute position "(\d+)"/.exec(message);
  if (token) return `unexpected "${token[1]}" at byte ${token[2]}`;
  const grammar = /Unexpected [A-Z_]+ \((.{0,20}?)\)/.exec(message);
  if (grammar) return `unexpected ${grammar[1]}`;
  return 'unexpected content';
}

/**
 * Line numbers of byte offsets that only move forward (tokens arrive in order). Holds the last
 * two chunks; a chunk is counted in full before it is dropped, so counts stay exact whatever the
 * length of a token.
 */
function createLineCounter() {
  const chunks: { start: number; bytes: Uint8Array }[] = [];
  let end = 0;
  let cursor = 0;
  let line = 1;

  const advanceTo = (offset: number) => {
    for (const chunk of chunks) {
      const from = Math.max(cursor, chunk.start) - chunk.start;
      const to = Math.min(offset, chunk.start + chunk.bytes.length) - chunk.start;
      for (let i = from; i < to; i++) if (chunk.bytes[i] === NEWLINE) line++;
    }
    cursor = Math.max(cursor, Math.min(offset, end));
  };

  return {
    add(bytes: Uint8Array) {
      chunks.push({ start: end, bytes });
      end += bytes.length;
      if (chunks.length > 2) {
        const dropped = chunks[0]!;
        advanceTo(Math.max(cursor, dropped.start + dropped.bytes.length));
        chunks.shift();
      }
    },
    lineAt(offset: number): number {
      if (offset > cursor) advanceTo(offset);
      return line;
    },
  };
}
